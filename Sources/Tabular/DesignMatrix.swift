import LinearAlgebra

/// How a design holds its categorical terms.
public enum DesignForm: Sendable, Equatable {
    /// Every term as dense columns (categoricals one-hot): `DesignMatrix.matrix`.
    case dense
    /// Numeric terms as dense columns and categorical terms as level codes (`DesignMatrix.levelCodes`);
    /// `matrix` is then empty (n × 0). Memory O(n·terms) however many levels there are.
    case levelCodes
}

/// A categorical term as one code per row: `codes[r]` indexes the term's `columnNames` (its coded
/// levels), or is −1 for the reference level (no column).
public struct LevelCodedTerm: Sendable, Equatable {
    /// The table column the term reads.
    public var column: String
    /// The design-matrix column names of the coded levels (`col[T.level]`), in order.
    public var columnNames: [String]
    /// One code per kept row, in −1 ..< columnNames.count.
    public var codes: [Int32]
}

/// The level-coded form of a design: the numeric terms as a dense matrix, the categorical ones as codes.
/// The one-hot design is [numeric | each categorical's columns] up to the order of the terms (the spec's
/// coefficient order interleaves them as the request listed them).
public struct LevelCodedDesign: Sendable, Equatable {
    /// rows × numeric terms, in term order.
    public var numeric: Matrix
    /// The column names of `numeric`, in term order.
    public var numericNames: [String]
    /// The categorical terms in term order.
    public var categorical: [LevelCodedTerm]
}

/// A design matrix built from a table: the features (without the intercept column), the spec that
/// built it (to apply to new data), and which rows it holds.
public struct DesignMatrix: Sendable {
    /// rows.count × featureNames.count, column-major, in coefficient order (n × 0 in the `.levelCodes` form).
    public var matrix: Matrix
    /// The numeric columns and categorical codes (the `.levelCodes` form only; nil for `.dense`).
    public var levelCodes: LevelCodedDesign? = nil
    /// The recipe that built the design (terms, levels, baselines, intercept), to code new data alike.
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
    ///   - form: one-hot dense columns (default) or level codes for the categorical terms.
    /// - Throws: `TableError`: `invalidDesign` (a feature named `intercept` with an intercept, a
    ///   column listed twice, a categorical column with one level), `unknownReference`,
    ///   `missingValues`, `noCompleteRows`, `notANumber` (a text value in a `--categorical` column is
    ///   fine, but a numeric term must be numbers), `unknownColumn`.
    public static func build(_ table: Table, request: DesignRequest, missing: MissingPolicy = .error,
                             alsoComplete: [String] = [], form: DesignForm) throws(TableError) -> DesignMatrix {
        try DesignBuilder(table: table).build(request, missing: missing, alsoComplete: alsoComplete, form: form)
    }

    /// The dense form of ``build(_:request:missing:alsoComplete:form:)``.
    public static func build(_ table: Table, request: DesignRequest, missing: MissingPolicy = .error,
                             alsoComplete: [String] = []) throws(TableError) -> DesignMatrix {
        try build(table, request: request, missing: missing, alsoComplete: alsoComplete, form: .dense)
    }
}
