/// How the levels of a categorical column were recognised, which decides how new data is matched.
public enum LevelCoding: String, Codable, Sendable, Equatable {
    /// Text values, compared as written.
    case text
    /// Numeric codes (`--categorical`): values compared as numbers, named in shortest form (`2`, `2.5`).
    case numeric
    /// `True/False`, `TRUE/FALSE`, `true/false`: levels `False` < `True` whatever the spelling.
    case boolean
}

/// A categorical column's coding: its levels in order, and which one is the baseline.
///
/// Treatment (dummy) coding, as in patsy and R: one 0/1 column per level other than the reference,
/// named `column[T.level]`. With `fullRank` (the first categorical term of a design without an
/// intercept, as patsy does), every level gets a column, named `column[level]`.
public struct CategoricalTerm: Codable, Sendable, Equatable {
    /// The table column the term reads.
    public var column: String
    /// Levels, sorted (numbers numerically, text by Unicode scalar order, False before True).
    public var levels: [String]
    /// The baseline level (no column of its own unless `fullRank`).
    public var reference: String
    /// How the levels were recognised (text, numeric codes, booleans), which decides how new data is matched.
    public var coding: LevelCoding
    /// Whether every level gets a column, `column[level]`, the reference included (else treatment coding).
    public var fullRank: Bool

    /// Creates a term from its levels (sorted), baseline, coding and rank.
    public init(column: String, levels: [String], reference: String, coding: LevelCoding, fullRank: Bool) {
        self.column = column
        self.levels = levels
        self.reference = reference
        self.coding = coding
        self.fullRank = fullRank
    }

    /// The levels that get a column, in order.
    public var codedLevels: [String] { fullRank ? levels : levels.filter { $0 != reference } }

    /// The design-matrix column names.
    public var columnNames: [String] {
        codedLevels.map { fullRank ? "\(column)[\($0)]" : "\(column)[T.\($0)]" }
    }
}

/// One term of a design: a numeric column as it is, or a categorical column as dummies.
///
/// JSON: `{"kind": "numeric", "column": "x"}` or `{"kind": "categorical", "column": …, "levels": […],
/// "reference": …, "coding": "text"|"numeric"|"boolean", "fullRank": false}`.
public enum DesignTerm: Codable, Sendable, Equatable {
    /// A numeric column, one design column of the same name holding its values.
    case numeric(column: String)
    /// A categorical column, coded as the term's dummy columns.
    case categorical(CategoricalTerm)

    /// The table column the term reads.
    public var column: String {
        switch self {
        case let .numeric(column): return column
        case let .categorical(term): return term.column
        }
    }

    /// The design-matrix column names of the term.
    public var columnNames: [String] {
        switch self {
        case let .numeric(column): return [column]
        case let .categorical(term): return term.columnNames
        }
    }

    private enum Kind: String, Codable { case numeric, categorical }
    private enum CodingKeys: String, CodingKey { case kind, column }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        switch try container.decode(Kind.self, forKey: .kind) {
        case .numeric: self = .numeric(column: try container.decode(String.self, forKey: .column))
        case .categorical: self = .categorical(try CategoricalTerm(from: decoder))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case let .numeric(column):
            try container.encode(Kind.numeric, forKey: .kind)
            try container.encode(column, forKey: .column)
        case let .categorical(term):
            try container.encode(Kind.categorical, forKey: .kind)
            try term.encode(to: encoder)
        }
    }
}
