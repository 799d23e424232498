/// Which optional per-row vectors a `RowBlockSource` supplies beside the features and the response.
public struct RowBlockColumns: OptionSet, Sendable, Hashable {
    /// The bits of the set.
    public let rawValue: Int
    /// The set with these bits.
    public init(rawValue: Int) { self.rawValue = rawValue }

    /// Frequency weights wᵢ ≥ 0 (see `GLMData.weights`).
    public static let weights = RowBlockColumns(rawValue: 1)
    /// Binomial trials (see `GLMData.trials`).
    public static let trials = RowBlockColumns(rawValue: 2)
    /// A known term added to η.
    public static let offset = RowBlockColumns(rawValue: 4)
    /// Exposures > 0 whose logarithms are added to η.
    public static let exposure = RowBlockColumns(rawValue: 8)
}

/// A buffer of consecutive rows of a GLM's data, filled by a `RowBlockSource` and reused from block to
/// block (allocated once, at the block capacity B): rows `0 ..< count` are valid. Vectors the source does
/// not supply are empty.
public struct RowBlock: Sendable {
    /// B, the most rows a block holds.
    public let capacity: Int
    /// Rows held (≤ the rows asked for: a source may leave out rows, e.g. rows with missing values).
    public var count: Int
    /// B × k feature matrix (column-major, leading dimension B); rows 0 ..< count are valid.
    public var features: Matrix
    /// B responses (successes when trials are given).
    public var response: [Double]
    /// B frequency weights, or empty.
    public var weights: [Double]
    /// B binomial trials, or empty.
    public var trials: [Double]
    /// B offsets, or empty.
    public var offset: [Double]
    /// B exposures, or empty.
    public var exposure: [Double]
    /// The source's 0-based row index of each held row (for error messages).
    public var rowNumbers: [Int]

    /// A block of `capacity` rows of `featureCount` features with the vectors in `columns`.
    public init(capacity: Int, featureCount: Int, columns: RowBlockColumns) {
        precondition(capacity >= 1 && featureCount >= 0, "RowBlock: capacity \(capacity) must be ≥ 1 and featureCount \(featureCount) ≥ 0")
        self.capacity = capacity
        count = 0
        features = Matrix(rows: capacity, columns: featureCount)
        response = [Double](repeating: 0, count: capacity)
        func optional(_ c: RowBlockColumns) -> [Double] { columns.contains(c) ? [Double](repeating: 0, count: capacity) : [] }
        weights = optional(.weights)
        trials = optional(.trials)
        offset = optional(.offset)
        exposure = optional(.exposure)
        rowNumbers = [Int](repeating: 0, count: capacity)
    }
}

/// Rows of a GLM's data read block by block (an `.ngb` file, a database cursor, shards of a data set),
/// for `GeneralizedLinearModel.fit(streaming:)`, which holds one block at a time and no n-long array.
///
/// Requirements: `read` must give the same rows, in the same order, every time it is asked for the same
/// range (each iteration of the fit is one pass over `0 ..< rowCount` in blocks of `blockRows`), and
/// copies of the source must be readable concurrently (the fit reads even and odd blocks through two
/// copies, on two threads).
public protocol RowBlockSource {
    /// The error `read` throws (I/O, a corrupt file, a missing value).
    associatedtype ReadError: Error
    /// Rows of the source (the ranges asked for cover 0 ..< rowCount).
    var rowCount: Int { get }
    /// The k feature names, in the order of the block's feature columns.
    var featureNames: [String] { get }
    /// The optional vectors the blocks carry.
    var columns: RowBlockColumns { get }
    /// Rows per `read` (the block capacity B), ≥ 1.
    var blockRows: Int { get }
    /// Fills `block` with the rows `rows` (`rows.count ≤ block.capacity`), setting `block.count` and
    /// `block.rowNumbers`.
    mutating func read(rows: Range<Int>, into block: inout RowBlock) throws(ReadError)
    /// Fills only the response and the optional vectors of `rows` (not the features), keeping exactly the
    /// rows `read` would keep, for the fit's check pass, which then reads a fraction of the bytes; returns
    /// false when the source cannot (the default), and the check pass calls `read`.
    mutating func readResponses(rows: Range<Int>, into block: inout RowBlock) throws(ReadError) -> Bool
}

extension RowBlockSource {
    /// The default: the source cannot read the responses alone (the check pass reads whole blocks).
    public mutating func readResponses(rows: Range<Int>, into block: inout RowBlock) throws(ReadError) -> Bool { false }
}
