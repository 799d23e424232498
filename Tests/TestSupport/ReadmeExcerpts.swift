import Foundation

/// The package root (found from this source file: Tests/TestSupport/ReadmeExcerpts.swift).
public let packageRoot: URL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// Why an excerpt could not be found.
public struct ExcerptNotFound: Error, CustomStringConvertible {
    public let description: String
}

/// Lines trimmed of surrounding spaces, empty ones dropped: code shown in the README and the compiled
/// code it copies compare equal whatever their indentation.
public func normalizedLines(_ lines: some Sequence<Substring>) -> [String] {
    lines.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
}

/// The lines strictly between the lines starting with `begin` and `end` in a file of the package.
public func markedLines(inFile path: String, begin: String, end: String) throws -> ArraySlice<Substring> {
    let text = try String(contentsOf: packageRoot.appendingPathComponent(path), encoding: .utf8)
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    guard let b = lines.firstIndex(where: { $0.hasPrefix(begin) }),
          let e = lines[b...].firstIndex(where: { $0.hasPrefix(end) }) else {
        throw ExcerptNotFound(description: "\(path): no lines between '\(begin)' and '\(end)'")
    }
    return lines[(b + 1)..<e]
}

/// The body of the README's first ```swift block after the first line containing `anchor` (the
/// README's first block when nil), normalized, without `import NatGrad`.
public func readmeSwiftBlock(after anchor: String? = nil) throws -> [String] {
    let readme = try String(contentsOf: packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
    let lines = readme.split(separator: "\n", omittingEmptySubsequences: false)
    let from = anchor.map { a in lines.firstIndex { $0.contains(a) } } ?? lines.startIndex
    guard let from, let start = lines[from...].firstIndex(where: { $0.hasPrefix("```swift") }),
          let stop = lines[(start + 1)...].firstIndex(where: { $0.hasPrefix("```") }) else {
        throw ExcerptNotFound(description: "README.md: no ```swift block after '\(anchor ?? "the start")'")
    }
    return normalizedLines(lines[(start + 1)..<stop]).filter { $0 != "import NatGrad" }
}
