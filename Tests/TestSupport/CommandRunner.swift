import Foundation

/// The result of running a built executable.
public struct CommandResult: Sendable {
    public var status: Int32
    public var standardOutput: String
    public var standardError: String
}

/// Runs an executable product of this package (e.g. "natgrad") built next to the test bundle,
/// with `arguments` and the test's environment with `environment`'s variables set over it. Tests that use it
/// require `swift build --build-tests` (scripts/test.sh does that).
public func runProduct(_ name: String, _ arguments: [String], standardInput: Data? = nil,
                       environment: [String: String] = [:]) throws -> CommandResult {
    let testBinary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
    var directory = testBinary.deletingLastPathComponent()
    // Swift Testing on Linux runs `<build>/debug/NatGradPackageTests.xctest`; walk up until found.
    for _ in 0..<4 where !FileManager.default.isExecutableFile(atPath: directory.appendingPathComponent(name).path) {
        directory = directory.deletingLastPathComponent()
    }
    let executable = directory.appendingPathComponent(name)
    guard FileManager.default.isExecutableFile(atPath: executable.path) else {
        throw NSError(domain: "TestSupport", code: 1, userInfo: [NSLocalizedDescriptionKey: "\(name) not built next to \(testBinary.path); run swift build --build-tests"])
    }
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    if !environment.isEmpty {
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
    }
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    let input = Pipe()
    if standardInput != nil { process.standardInput = input }
    try process.run()
    if let standardInput {
        // Written from another thread so a large input cannot deadlock against a full output pipe.
        let writer = input.fileHandleForWriting
        Thread.detachNewThread {
            writer.write(standardInput)
            try? writer.close()
        }
    }
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return CommandResult(status: process.terminationStatus,
                         standardOutput: String(decoding: outData, as: UTF8.self),
                         standardError: String(decoding: errData, as: UTF8.self))
}

/// Writes `contents` to a fresh temporary file and returns its path.
public func temporaryFile(named name: String, contents: String) throws -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("natgrad-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let url = dir.appendingPathComponent(name)
    try contents.write(to: url, atomically: true, encoding: .utf8)
    return url.path
}
