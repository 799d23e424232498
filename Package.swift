// swift-tools-version:6.1
// NatGrad 0.10.0: fast, safe natural gradients on Linux, over OpenBLAS and LAPACKE (see CHANGELOG.md).
import PackageDescription

let package = Package(
    name: "NatGrad",
    products: [
        .library(name: "NatGrad", targets: ["NatGrad"]),
        .library(name: "LinearAlgebra", targets: ["LinearAlgebra"]),
        .library(name: "ExponentialFamilies", targets: ["ExponentialFamilies"]),
        .library(name: "NaturalGradient", targets: ["NaturalGradient"]),
        .library(name: "RowPasses", targets: ["RowPasses"]),
        .library(name: "GeneralizedLinearModels", targets: ["GeneralizedLinearModels"]),
        .library(name: "VariationalInference", targets: ["VariationalInference"]),
        .library(name: "Tabular", targets: ["Tabular"]),
        .library(name: "NaturalGradientOptimizer", targets: ["NaturalGradientOptimizer"]),
        .library(name: "NeuralNetworks", targets: ["NeuralNetworks"]),
        // Distributed fits over Open MPI; empty unless built with `--traits MPI`.
        .library(name: "NatGradMPI", targets: ["NatGradMPI"]),
        .executable(name: "natgrad", targets: ["natgrad"]),
        .executable(name: "natgrad-bench", targets: ["natgrad-bench"]),
        .executable(name: "expfam-bench", targets: ["expfam-bench"]),
        .executable(name: "glm-bench", targets: ["glm-bench"]),
        .executable(name: "penalized-bench", targets: ["penalized-bench"]),
        .executable(name: "vi-bench", targets: ["vi-bench"]),
        .executable(name: "table-bench", targets: ["table-bench"]),
        .executable(name: "nn-bench", targets: ["nn-bench"]),
    ],
    // `swift build --traits MPI` builds NatGradMPI over Open MPI and `natgrad … --distributed`; the default
    // build never sees mpi.h or links libmpi (Open MPI is installed by `scripts/setup.sh --mpi`).
    traits: [
        .trait(name: "MPI", description: "Distributed fits over Open MPI (NatGradMPI, natgrad --distributed)."),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-numerics", from: "1.1.1"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
        // `swift package generate-documentation` (scripts/docs.sh); a command plugin, never linked.
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
    ],
    targets: [
        // The C boundary: CBLAS and LAPACKE headers, linked against OpenBLAS and LAPACKE.
        .systemLibrary(
            name: "COpenBLAS",
            pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev", "liblapacke-dev"])]
        ),
        // The MPI boundary: mpi.h through a shim (Open MPI's predefined handles are macros), linked against
        // libmpi. Only NatGradMPI uses it, and only with the MPI trait.
        .systemLibrary(
            name: "CMPI",
            pkgConfig: "ompi-c",
            providers: [.apt(["libopenmpi-dev", "openmpi-bin"])]
        ),
        // Hand-written kernels (AVX-512, chosen at run time) for shapes where OpenBLAS is slow.
        .target(name: "NatGradKernels"),
        .target(name: "LinearAlgebra", dependencies: ["COpenBLAS", "NatGradKernels"]),
        .target(
            name: "ExponentialFamilies",
            dependencies: ["LinearAlgebra", .product(name: "RealModule", package: "swift-numerics")]
        ),
        .target(name: "NaturalGradient", dependencies: ["LinearAlgebra", "ExponentialFamilies"]),
        // Sums over row blocks in a fixed tree (partition, accumulators, serial and threaded executors,
        // the cross-process reduction protocol): the passes of GLM and VI fits.
        .target(name: "RowPasses"),
        .target(
            name: "GeneralizedLinearModels",
            dependencies: [
                "LinearAlgebra", "ExponentialFamilies", "RowPasses",
                .product(name: "RealModule", package: "swift-numerics"),
            ]
        ),
        .target(
            name: "VariationalInference",
            dependencies: [
                "LinearAlgebra", "ExponentialFamilies", "NaturalGradient", "RowPasses", "GeneralizedLinearModels",
                .product(name: "RealModule", package: "swift-numerics"),
            ]
        ),
        // A Levenberg–Marquardt natural-gradient optimizer for models that supply loss, gradient and curvature.
        .target(name: "NaturalGradientOptimizer", dependencies: ["LinearAlgebra", "NaturalGradient"]),
        // Multilayer perceptrons with exponential-family outputs; K-FAC, Bayesian learning rule, Adam, SGD.
        .target(
            name: "NeuralNetworks",
            dependencies: ["LinearAlgebra", "ExponentialFamilies", "NaturalGradient", "NaturalGradientOptimizer"]
        ),
        // MPI start and finish, the fit's cross-process sum (a RowSumReduction) and the collectives of a
        // distributed command. Its sources compile to nothing without the MPI trait.
        .target(
            name: "NatGradMPI",
            dependencies: ["RowPasses", .target(name: "CMPI", condition: .when(traits: ["MPI"]))]
        ),
        // Delimited text tables (RFC 4180) and design matrices (treatment coding of categorical columns).
        .target(name: "Tabular", dependencies: ["LinearAlgebra"]),
        .target(
            name: "NatGrad",
            dependencies: [
                "LinearAlgebra", "ExponentialFamilies", "NaturalGradient",
                "GeneralizedLinearModels", "VariationalInference", "Tabular",
            ]
        ),
        .executableTarget(
            name: "natgrad",
            dependencies: [
                "NatGrad", "Tabular", "NeuralNetworks",
                .target(name: "NatGradMPI", condition: .when(traits: ["MPI"])),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // The comparison executable lives under Benchmarks/ but builds with the root package, so the
        // CI speedup check needs no benchmark framework. Malloc-counting suites are in Benchmarks/Package.swift.
        .target(
            name: "BenchSupport",
            dependencies: ["NatGrad", "COpenBLAS"],
            path: "Benchmarks/Sources/BenchSupport"
        ),
        .executableTarget(
            name: "natgrad-bench",
            dependencies: [
                "NatGrad",
                "COpenBLAS",
                "BenchSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Benchmarks/Sources/natgrad-bench"
        ),
        .executableTarget(
            name: "expfam-bench",
            dependencies: ["NatGrad", "BenchSupport"],
            path: "Benchmarks/Sources/expfam-bench"
        ),
        .executableTarget(
            name: "glm-bench",
            dependencies: [
                "NatGrad", "BenchSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Benchmarks/Sources/glm-bench"
        ),
        // Times penalized fits on data scripts/compare-glm writes (the glum comparison).
        .executableTarget(
            name: "penalized-bench",
            dependencies: ["NatGrad", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Benchmarks/Sources/penalized-bench"
        ),
        .executableTarget(
            name: "vi-bench",
            dependencies: [
                "NatGrad", "BenchSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Benchmarks/Sources/vi-bench"
        ),
        .executableTarget(
            name: "table-bench",
            dependencies: ["Tabular"],
            path: "Benchmarks/Sources/table-bench"
        ),
        .executableTarget(
            name: "nn-bench",
            dependencies: [
                "NeuralNetworks", "NaturalGradientOptimizer", "Tabular",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Benchmarks/Sources/nn-bench"
        ),
        // Shared test helpers: random SPD generators, reference-file readers, error norms.
        .target(
            name: "TestSupport",
            dependencies: ["LinearAlgebra"],
            path: "Tests/TestSupport"
        ),
        .testTarget(
            name: "LinearAlgebraTests",
            dependencies: [
                "LinearAlgebra", "TestSupport", "COpenBLAS", "NatGradKernels",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ]
        ),
        .testTarget(
            name: "ExponentialFamiliesTests",
            dependencies: ["ExponentialFamilies", "TestSupport"]
        ),
        .testTarget(
            name: "NaturalGradientTests",
            dependencies: ["NaturalGradient", "TestSupport"]
        ),
        .testTarget(name: "RowPassesTests", dependencies: ["RowPasses"]),
        .testTarget(
            name: "GeneralizedLinearModelsTests",
            dependencies: ["GeneralizedLinearModels", "TestSupport"],
            exclude: ["Support/make_references.py", "Support/make_inference_references.py", "Support/make_penalized_references.py"]
        ),
        .testTarget(
            name: "VariationalInferenceTests",
            dependencies: ["VariationalInference", "TestSupport"]
        ),
        .testTarget(
            name: "TabularTests",
            dependencies: [
                "Tabular", "TestSupport",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            exclude: ["Fixtures"]
        ),
        .testTarget(
            name: "NaturalGradientOptimizerTests",
            dependencies: ["NaturalGradientOptimizer", "ExponentialFamilies", "TestSupport"]
        ),
        .testTarget(
            name: "NeuralNetworksTests",
            dependencies: ["NeuralNetworks", "NaturalGradientOptimizer", "ExponentialFamilies", "TestSupport"]
        ),
        .testTarget(
            name: "NatGradTests",
            dependencies: ["NatGrad", "TestSupport"]
        ),
        .testTarget(
            name: "natgradTests",
            dependencies: ["natgrad", "NatGrad", "Tabular", "TestSupport"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
