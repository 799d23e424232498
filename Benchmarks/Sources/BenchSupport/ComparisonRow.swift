import Foundation

/// One row of `natgrad-bench`: the three ways to get the natural gradient of one problem instance.
///
/// JSON keys are exactly the property names; `structuredCholeskySeconds` and `speedupVsStructured` are
/// encoded as `null` (not omitted) for families without a structured Cholesky-path variant.
public struct ComparisonRow: Codable, Sendable, Equatable {
    /// Family name, e.g. "Categorical".
    public var family: String
    /// Parameter dimension p (length of θ).
    public var dimension: Int
    /// (A) median seconds: ∇θL, build F, factor F, solve.
    public var denseCholeskySeconds: Double
    /// (A′) median seconds of the structured Cholesky-path variant, nil where none exists.
    public var structuredCholeskySeconds: Double?
    /// (B) median seconds of the fast path (∇μL).
    public var fastPathSeconds: Double
    /// A / B.
    public var speedupVsDense: Double
    /// A′ / B, nil where A′ is nil.
    public var speedupVsStructured: Double?
    /// max over A and A′ of max|dᵢ − bᵢ| / max|bᵢ| against the fast-path direction b.
    public var maxRelativeDifference: Double

    public init(family: String, dimension: Int, denseCholeskySeconds: Double, structuredCholeskySeconds: Double?,
                fastPathSeconds: Double, maxRelativeDifference: Double) {
        self.family = family
        self.dimension = dimension
        self.denseCholeskySeconds = denseCholeskySeconds
        self.structuredCholeskySeconds = structuredCholeskySeconds
        self.fastPathSeconds = fastPathSeconds
        self.speedupVsDense = denseCholeskySeconds / fastPathSeconds
        self.speedupVsStructured = structuredCholeskySeconds.map { $0 / fastPathSeconds }
        self.maxRelativeDifference = maxRelativeDifference
    }

    private enum CodingKeys: String, CodingKey {
        case family, dimension, denseCholeskySeconds, structuredCholeskySeconds, fastPathSeconds
        case speedupVsDense, speedupVsStructured, maxRelativeDifference
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(family, forKey: .family)
        try c.encode(dimension, forKey: .dimension)
        try c.encode(denseCholeskySeconds, forKey: .denseCholeskySeconds)
        try c.encode(structuredCholeskySeconds, forKey: .structuredCholeskySeconds)
        try c.encode(fastPathSeconds, forKey: .fastPathSeconds)
        try c.encode(speedupVsDense, forKey: .speedupVsDense)
        try c.encode(speedupVsStructured, forKey: .speedupVsStructured)
        try c.encode(maxRelativeDifference, forKey: .maxRelativeDifference)
    }

    /// The CSV header, in JSON key order.
    public static let csvHeader = "family,dimension,denseCholeskySeconds,structuredCholeskySeconds,fastPathSeconds,speedupVsDense,speedupVsStructured,maxRelativeDifference"

    /// One CSV line; nil values are empty fields.
    public var csvLine: String {
        [family, String(dimension), csvNumber(denseCholeskySeconds), structuredCholeskySeconds.map(csvNumber) ?? "",
         csvNumber(fastPathSeconds), csvNumber(speedupVsDense), speedupVsStructured.map(csvNumber) ?? "",
         csvNumber(maxRelativeDifference)].joined(separator: ",")
    }
}

/// %.6e: full-enough precision for timings and errors, locale-independent.
public func csvNumber(_ x: Double) -> String { String(format: "%.6e", x) }

/// A fixed-width text table: a header row, a rule, and right-aligned columns (left-aligned first column).
public func textTable(header: [String], rows: [[String]]) -> String {
    var widths = header.map(\.count)
    for row in rows { for (k, cell) in row.enumerated() { widths[k] = max(widths[k], cell.count) } }
    func line(_ cells: [String]) -> String {
        cells.enumerated().map { k, cell in
            let pad = String(repeating: " ", count: widths[k] - cell.count)
            return k == 0 ? cell + pad : pad + cell
        }.joined(separator: "  ")
    }
    let rule = widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")
    return ([line(header), rule] + rows.map(line)).joined(separator: "\n")
}

/// Seconds in engineering style for tables: "12.3 µs", "4.56 ms", "1.23 s".
public func formatSeconds(_ s: Double) -> String {
    if s < 1e-6 { return String(format: "%.1f ns", s * 1e9) }
    if s < 1e-3 { return String(format: "%.2f µs", s * 1e6) }
    if s < 1 { return String(format: "%.2f ms", s * 1e3) }
    return String(format: "%.2f s", s)
}

/// Ratios for tables: "1234×", "12.3×".
public func formatRatio(_ r: Double) -> String {
    r >= 100 ? String(format: "%.0f×", r) : String(format: "%.1f×", r)
}
