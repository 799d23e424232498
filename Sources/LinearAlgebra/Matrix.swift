/// A dense, column-major matrix of `Double` with value semantics.
///
/// Element (i, j) is stored at `elements[i + j·rows]`. Copies share storage until one is mutated
/// (copy-on-write through `Array`). `==` compares shapes and elements exactly; use
/// ``isApproximatelyEqual(to:relativeTolerance:absoluteFloor:)`` for floating-point comparisons.
public struct Matrix: Sendable, Equatable, Hashable {
    /// Number of rows.
    public let rows: Int
    /// Number of columns.
    public let columns: Int
    /// Column-major storage; its count is always `rows · columns`. Mutating it in place (for
    /// example `m.elements[k] = x`) does not copy when the storage is uniquely referenced.
    ///
    /// (A `didSet` observer here would make every element write copy the whole array across module
    /// boundaries; the `_modify` accessor yields the storage in place and checks the count afterwards.)
    public var elements: [Double] {
        get { storage }
        _modify {
            yield &storage
            precondition(storage.count == rows * columns, "Matrix storage must keep \(rows)×\(columns) = \(rows * columns) elements, got \(storage.count)")
        }
        set {
            precondition(newValue.count == rows * columns, "Matrix storage must keep \(rows)×\(columns) = \(rows * columns) elements, got \(newValue.count)")
            storage = newValue
        }
    }
    private var storage: [Double]

    /// A `rows × columns` matrix with every entry `value`.
    public init(rows: Int, columns: Int, repeating value: Double = 0) {
        precondition(rows >= 0 && columns >= 0, "Matrix shape must be non-negative, got \(rows)×\(columns)")
        self.rows = rows
        self.columns = columns
        self.storage = Array(repeating: value, count: rows * columns)
    }

    /// A `rows × columns` matrix over column-major `elements` (count must be `rows · columns`).
    public init(rows: Int, columns: Int, columnMajor elements: [Double]) {
        precondition(rows >= 0 && columns >= 0, "Matrix shape must be non-negative, got \(rows)×\(columns)")
        precondition(elements.count == rows * columns,
                     "column-major storage for \(rows)×\(columns) needs \(rows * columns) elements, got \(elements.count)")
        self.rows = rows
        self.columns = columns
        self.storage = elements
    }

    /// A matrix from an array of rows, all of the same length. `[]` is the 0 × 0 matrix.
    public init(rows data: [[Double]]) {
        let r = data.count
        let c = data.first?.count ?? 0
        var storage = [Double](repeating: 0, count: r * c)
        for (i, row) in data.enumerated() {
            precondition(row.count == c, "row \(i) has \(row.count) entries, row 0 has \(c)")
            for j in 0..<c { storage[i + j * r] = row[j] }
        }
        self.init(rows: r, columns: c, columnMajor: storage)
    }

    /// The `rows × columns` zero matrix.
    public static func zeros(_ rows: Int, _ columns: Int) -> Matrix { Matrix(rows: rows, columns: columns) }

    /// The n × n identity.
    public static func identity(_ n: Int) -> Matrix { diagonal([Double](repeating: 1, count: n)) }

    /// The square matrix with `d` on its diagonal and zeros elsewhere.
    public static func diagonal(_ d: [Double]) -> Matrix {
        var m = Matrix(rows: d.count, columns: d.count)
        for i in d.indices { m.elements[i + i * d.count] = d[i] }
        return m
    }

    /// `true` when rows == columns.
    public var isSquare: Bool { rows == columns }

    /// "r×c", for messages.
    public var shapeDescription: String { "\(rows)×\(columns)" }

    /// Element (row, column), 0-based.
    @inlinable
    public subscript(row: Int, column: Int) -> Double {
        get {
            precondition(row >= 0 && row < rows && column >= 0 && column < columns,
                         "index (\(row), \(column)) is outside a \(rows)×\(columns) matrix")
            return elements[row + column * rows]
        }
        set {
            precondition(row >= 0 && row < rows && column >= 0 && column < columns,
                         "index (\(row), \(column)) is outside a \(rows)×\(columns) matrix")
            elements[row + column * rows] = newValue
        }
    }

    /// The transpose Aᵀ.
    public var transposed: Matrix {
        var t = Matrix(rows: columns, columns: rows)
        for j in 0..<columns {
            for i in 0..<rows { t.elements[j + i * columns] = elements[i + j * rows] }
        }
        return t
    }

    /// Column `j` as an array.
    public func column(_ j: Int) -> [Double] {
        precondition(j >= 0 && j < columns, "column \(j) is outside a \(rows)×\(columns) matrix")
        return Array(elements[(j * rows)..<((j + 1) * rows)])
    }

    /// Row `i` as an array.
    public func row(_ i: Int) -> [Double] {
        precondition(i >= 0 && i < rows, "row \(i) is outside a \(rows)×\(columns) matrix")
        return (0..<columns).map { elements[i + $0 * rows] }
    }

    /// The contiguous block of columns `range` (a copy).
    public func columns(_ range: Range<Int>) -> Matrix {
        precondition(range.lowerBound >= 0 && range.upperBound <= columns,
                     "columns \(range) are outside a \(rows)×\(columns) matrix")
        return Matrix(rows: rows, columns: range.count,
                      columnMajor: Array(elements[(range.lowerBound * rows)..<(range.upperBound * rows)]))
    }

    /// The diagonal entries (min(rows, columns) of them).
    public var diagonalElements: [Double] {
        (0..<Swift.min(rows, columns)).map { elements[$0 + $0 * rows] }
    }

    /// The rows as arrays (for printing and JSON).
    public var rowArrays: [[Double]] { (0..<rows).map(row) }

    /// The first entry that is NaN or ±∞, as (row, column), or nil.
    public var firstNonFiniteEntry: (row: Int, column: Int)? {
        guard let k = firstNonFiniteIndex(elements) else { return nil }
        return (k % Swift.max(rows, 1), k / Swift.max(rows, 1))
    }

    /// `true` when every entry is finite.
    public var isFinite: Bool { firstNonFiniteIndex(elements) == nil }

    /// `true` when every entry is finite with |aᵢⱼ| ≤ `bound` (false for any NaN). One pass, vectorized
    /// by dasum in the common case Σ|aᵢⱼ| ≤ bound.
    public func allEntriesBounded(by bound: Double) -> Bool { backendAllBounded(elements, by: bound) }

    /// Whether ‖self − other‖_max ≤ tol · max(‖self‖_max, ‖other‖_max, `floor`): a relative comparison in
    /// the max norm, with an absolute floor for matrices near zero. Shapes must match.
    ///
    /// Non-finite entries: a NaN anywhere (in either matrix) makes the result `false`, and so does an
    /// infinite entry unless the other matrix has the same infinity at that position (such pairs are
    /// equal and do not enter the norms).
    public func isApproximatelyEqual(to other: Matrix, relativeTolerance tol: Double, absoluteFloor floor: Double = 0) -> Bool {
        precondition(rows == other.rows && columns == other.columns,
                     "comparing a \(shapeDescription) matrix with a \(other.shapeDescription) matrix")
        var diff = 0.0, scale = floor
        for k in elements.indices {
            let a = elements[k], b = other.elements[k]
            if !(a.isFinite && b.isFinite) {
                if a.isInfinite && a == b { continue }
                return false
            }
            diff = Swift.max(diff, Swift.abs(a - b))
            scale = Swift.max(scale, Swift.abs(a), Swift.abs(b))
        }
        return diff <= tol * scale
    }

    /// Sets the strict upper triangle from the lower one (A ← tril(A) + tril(A, −1)ᵀ).
    public mutating func symmetrizeFromLower() {
        precondition(isSquare, "symmetrizing needs a square matrix, got \(shapeDescription)")
        backendSymmetrizeFromLower(n: rows, &elements)
    }
}

extension Matrix: CustomStringConvertible {
    public var description: String {
        "Matrix(\(rows)×\(columns)) " + rowArrays.description
    }
}
