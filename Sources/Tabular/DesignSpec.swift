import LinearAlgebra

/// The recipe of a design matrix: its terms with their levels and baselines, and the intercept.
/// It is what a saved model stores so that new data is coded exactly as the training data was.
///
/// Coefficient order: `intercept` (when included), then each term's columns in term order, a
/// categorical term's levels in sorted order.
public struct DesignSpec: Codable, Sendable, Equatable {
    /// Whether the design has an intercept (the coefficient `intercept`, first).
    public var includesIntercept: Bool
    /// The terms, in coefficient order.
    public var terms: [DesignTerm]

    /// Creates a spec from the intercept flag and the terms.
    public init(includesIntercept: Bool, terms: [DesignTerm]) {
        self.includesIntercept = includesIntercept
        self.terms = terms
    }

    /// Coefficient names: `intercept` first when included, then the feature names.
    public var coefficientNames: [String] { (includesIntercept ? ["intercept"] : []) + featureNames }

    /// The design-matrix column names, without the intercept.
    public var featureNames: [String] { terms.flatMap(\.columnNames) }

    /// The table columns the design reads.
    public var columns: [String] { terms.map(\.column) }

    /// Codes new data with this spec's levels.
    /// - Parameters:
    ///   - table: new data with every column of `columns` parsed.
    ///   - missing: the policy for rows with a missing cell in the design's columns or `alsoComplete`.
    ///   - alsoComplete: other columns the caller uses (offset, exposure).
    /// - Throws: `TableError.unseenLevel` naming the column, the level and its row; `unknownColumn`
    ///   for a missing feature; `notANumber` for text in a numeric column; `missingValues`.
    public func apply(to table: Table, missing: MissingPolicy = .error,
                      alsoComplete: [String] = []) throws(TableError) -> DesignMatrix {
        let selection = try table.rows(complete: columns + alsoComplete, policy: missing)
        let matrix = try DesignBuilder(table: table).matrix(self, rows: selection.rows)
        return DesignMatrix(matrix: matrix, spec: self, rowsRead: selection.rowsRead, keptRows: selection.rows, notes: [])
    }
}
