import Foundation

/// The fixtures written by `Fixtures/make_fixtures.py` (Python's csv module, pandas, R-style and
/// Excel-style writers).
func fixture(_ name: String) -> String {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/\(name)").path
}
