import LinearAlgebra

/// A design matrix built from a table: the features (without the intercept column), the spec that
/// built it (to apply to new data), and which rows it holds.
public struct DesignMatrix: Sendable {
    /// rows.count × featureNames.count, column-major, in coefficient order.
    public var matrix: Matrix
    public var spec: DesignSpec
    /// Column names of `matrix` (the coefficient names without `intercept`).
    public var featureNames: [String] { spec.featureNames }
    /// Data rows in the table.
    public var rowsRead: Int
    /// Rows dropped for a missing cell.
    public var rowsDropped: Int { rowsRead - keptRows.count }
    /// The table rows (0-based) the matrix holds, increasing.
    public var keptRows: [Int]
    /// Remarks for a person (a numeric-looking column coded as categorical, say).
    public var notes: [String]

    /// Builds the design a request asks for, the levels taken from the rows it uses.
    /// - Parameters:
    ///   - table: the data, with every requested column parsed.
    ///   - request: features, categorical columns, references, intercept.
    ///   - missing: the policy for rows with a missing cell in the features or in `alsoComplete`.
    ///   - alsoComplete: other columns the model uses (response, weights, offset), for listwise deletion.
    /// - Throws: `TableError`: `invalidDesign` (a feature named `intercept` with an intercept, a
    ///   column listed twice, a categorical column with one level), `unknownReference`,
    ///   `missingValues`, `noCompleteRows`, `notANumber` (a text value in a `--categorical` column is
    ///   fine, but a numeric term must be numbers), `unknownColumn`.
    public static func build(_ table: Table, request: DesignRequest, missing: MissingPolicy = .error,
                             alsoComplete: [String] = []) throws(TableError) -> DesignMatrix {
        try DesignBuilder(table: table).build(request, missing: missing, alsoComplete: alsoComplete)
    }
}
