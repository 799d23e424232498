/// Unambiguous initializers: counts are spelled `rowCount`/`columnCount`, data is spelled by its
/// layout (`rowMajor`, `columnMajor`), and every initializer that takes data which may come from
/// outside (parsed JSON, a file) throws `.shapeMismatch` instead of trapping on a count that does
/// not fit. The older `init(rows:columns:…)` and `init(rows: [[Double]])` stay for source compatibility.
extension Matrix {
    /// The `rowCount × columnCount` matrix with every entry `value` (default 0).
    /// - Precondition: both counts ≥ 0 (a count a program computes, not data).
    public init(rowCount: Int, columnCount: Int, repeating value: Double = 0) {
        self.init(rows: rowCount, columns: columnCount, repeating: value)
    }

    /// The `rowCount × columnCount` matrix whose entries are listed row by row:
    /// element (i, j) is `rowMajor[i·columnCount + j]`.
    /// - Throws: `.shapeMismatch` unless `rowMajor.count == rowCount · columnCount`.
    /// - Precondition: both counts ≥ 0.
    public init(rowCount: Int, columnCount: Int, rowMajor elements: [Double]) throws(LinearAlgebraError) {
        precondition(rowCount >= 0 && columnCount >= 0, "Matrix shape must be non-negative, got \(rowCount)×\(columnCount)")
        guard elements.count == rowCount * columnCount else {
            throw .shapeMismatch(operation: "Matrix(rowCount:columnCount:rowMajor:)",
                                 expected: "\(rowCount * columnCount) elements (\(rowCount)×\(columnCount))",
                                 actual: "\(elements.count) elements")
        }
        var storage = [Double](repeating: 0, count: elements.count)
        for i in 0..<rowCount {
            for j in 0..<columnCount { storage[i + j * rowCount] = elements[i * columnCount + j] }
        }
        self.init(rows: rowCount, columns: columnCount, columnMajor: storage)
    }

    /// The matrix whose rows are `rows` (all of the same length; `[]` is the 0 × 0 matrix).
    /// - Throws: `.shapeMismatch` naming the first row (1-based) whose length differs from the first row's.
    public init(rowMajor rows: [[Double]]) throws(LinearAlgebraError) {
        let c = rows.first?.count ?? 0
        if let bad = rows.firstIndex(where: { $0.count != c }) {
            throw .shapeMismatch(operation: "Matrix(rowMajor:)", expected: "rows of \(c) entries (row 1 has \(c))",
                                 actual: "row \(bad + 1) with \(rows[bad].count)")
        }
        self.init(rows: rows)
    }
}

/// JSON form `{"rows": r, "columns": c, "columnMajor": [...]}`: the storage as it is (column by column),
/// so a decode is one copy. Decoding checks that the element count is r·c and the counts are ≥ 0.
extension Matrix: Codable {
    private enum CodingKeys: String, CodingKey { case rows, columns, columnMajor }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let r = try container.decode(Int.self, forKey: .rows)
        let c = try container.decode(Int.self, forKey: .columns)
        let elements = try container.decode([Double].self, forKey: .columnMajor)
        guard r >= 0, c >= 0, r.multipliedReportingOverflow(by: c).partialValue == elements.count,
              !r.multipliedReportingOverflow(by: c).overflow else {
            throw DecodingError.dataCorruptedError(
                forKey: .columnMajor, in: container,
                debugDescription: "a \(r)×\(c) matrix needs \(r)·\(c) elements, got \(elements.count)")
        }
        self.init(rows: r, columns: c, columnMajor: elements)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(rows, forKey: .rows)
        try container.encode(columns, forKey: .columns)
        try container.encode(elements, forKey: .columnMajor)
    }
}
