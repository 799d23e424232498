// swift-tools-version:6.1
// NatGrad's package-benchmark suites (malloc counts and timings), kept out of the root package's
// build graph: this package depends on the root by path. Run through scripts/bench-allocations.sh.
import PackageDescription

import struct Foundation.URL

/// The root package's identity is the name of its folder (whatever the clone is called).
let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().lastPathComponent

let package = Package(
    name: "NatGradBenchmarks",
    dependencies: [
        .package(path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "LinearAlgebraAllocations",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "LinearAlgebra", package: root),
            ],
            path: "Benchmarks/LinearAlgebraAllocations",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "GLMAllocations",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "GeneralizedLinearModels", package: root),
            ],
            path: "Benchmarks/GLMAllocations",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
