// swift-tools-version:5.9
// A package that uses NatGrad the way an application does: a path dependency on the repository root,
// the `NatGrad` product, Swift 5 language mode. `scripts/test.sh` builds and runs it; its program is
// the README's "Using NatGrad from your package" example followed by malformed requests, each of which
// must come back as a thrown error (a trap would kill the process and fail the script).
import PackageDescription

import struct Foundation.URL

/// The root package's identity is the name of its folder (whatever the clone is called).
let root = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().lastPathComponent

let package = Package(
    name: "NatGradConsumer",
    dependencies: [
        .package(path: "../.."),
    ],
    targets: [
        .executableTarget(
            name: "natgrad-consumer",
            dependencies: [.product(name: "NatGrad", package: root)]
        ),
    ],
    swiftLanguageVersions: [.v5]
)
