import ArgumentParser
import Foundation

/// `--format table|json`, shared by every subcommand.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json
}

/// Writes a progress line to stderr (long fits report progress there, never on stdout).
func reportProgress(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}

/// Formats a number for tables: 6 significant digits, scientific when large or small.
func formatNumber(_ x: Double, digits: Int = 6) -> String {
    if x == 0 { return "0" }
    let a = Swift.abs(x)
    if a >= 1e6 || a < 1e-4 { return String(format: "%.\(digits - 1)e", x) }
    return String(format: "%.\(digits)g", x)
}
