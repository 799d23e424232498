import Foundation

/// Location of `../shared/reference/` relative to the package root (found from this source file).
public let referenceDirectory: URL = {
    // Tests/TestSupport/ReferenceFiles.swift → package root → ../shared/reference
    let here = URL(fileURLWithPath: #filePath)
    let root = here.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    let candidates = [
        root.appendingPathComponent("Tests/Reference"),
        root.deletingLastPathComponent().appendingPathComponent("shared/reference"),
    ]
    return candidates.first { FileManager.default.fileExists(atPath: $0.path) } ?? candidates[0]
}()

/// Reads a reference file's text.
public func referenceText(_ relativePath: String) throws -> String {
    try String(contentsOf: referenceDirectory.appendingPathComponent(relativePath), encoding: .utf8)
}

/// Parses a headerless CSV of numbers into rows.
public func parseNumberRows(_ text: String) -> [[Double]] {
    text.split(whereSeparator: \.isNewline).filter { !$0.isEmpty }.map { line in
        line.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces))! }
    }
}

/// Parses a CSV with a header row into columns by name.
public func parseNamedColumns(_ text: String) -> [String: [Double]] {
    let lines = text.split(whereSeparator: \.isNewline).filter { !$0.isEmpty }
    let header = lines[0].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
    var columns = [String: [Double]]()
    for line in lines.dropFirst() {
        for (k, cell) in line.split(separator: ",").enumerated() {
            columns[header[k], default: []].append(Double(cell.trimmingCharacters(in: .whitespaces))!)
        }
    }
    return columns
}

/// Parses reference JSON (numbers stored as decimal strings are left as strings).
public func referenceJSON(_ relativePath: String) throws -> Any {
    try JSONSerialization.jsonObject(with: Data(referenceText(relativePath).utf8))
}

/// A decimal string or number from reference JSON as a Double.
public func number(_ any: Any?) -> Double {
    if let s = any as? String { return Double(s)! }
    if let d = any as? Double { return d }
    if let n = any as? NSNumber { return n.doubleValue }
    fatalError("not a number: \(String(describing: any))")
}
