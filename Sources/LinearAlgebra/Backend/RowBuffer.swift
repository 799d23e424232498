import NatGradKernels

/// n doubles (one per row of a data set) shared by the workers of a row pass: each worker writes only
/// the rows of its blocks, so the workers never write the same element and the buffer needs no lock.
///
/// The storage is allocated once (a per-fit workspace) and freed with the buffer; it is a class so
/// that a pass's `@Sendable` closures can write rows through a shared reference. Reads and writes of one
/// element are checked against `count` (a precondition: a wrong row is a programmer error). The type and
/// its element access are public only so that the optimizer inlines them into the solver's loops (a
/// `package` inlinable body is not inlined across modules by this compiler); only the package creates
/// buffers and reaches their storage.
public final class RowBuffer: @unchecked Sendable {
    /// The number of rows.
    public let count: Int
    @usableFromInline let base: UnsafeMutablePointer<Double>

    /// `count` zeros.
    package init(count: Int) {
        precondition(count >= 0, "RowBuffer needs count ≥ 0, got \(count)")
        self.count = count
        base = UnsafeMutablePointer<Double>.allocate(capacity: Swift.max(1, count))
        base.initialize(repeating: 0, count: Swift.max(1, count))
    }

    /// A copy of `values`.
    package convenience init(_ values: [Double]) {
        self.init(count: values.count)
        for i in 0..<values.count { base[i] = values[i] }
    }

    deinit { base.deallocate() }

    /// Row i.
    @inlinable @inline(__always)
    public subscript(i: Int) -> Double {
        get {
            precondition(UInt(bitPattern: i) < UInt(bitPattern: count), "row outside a RowBuffer")
            return base[i]
        }
        set {
            precondition(UInt(bitPattern: i) < UInt(bitPattern: count), "row outside a RowBuffer")
            base[i] = newValue
        }
    }

    /// The rows as an array (a copy).
    package var array: [Double] { Array(UnsafeBufferPointer(start: base, count: count)) }

    /// Σ_{i ∈ rows} values[i], in row order.
    @inlinable @inline(__always)
    public func sum(_ rows: Range<Int>) -> Double {
        precondition(rows.lowerBound >= 0 && rows.upperBound <= count)
        var s = 0.0
        for i in rows { s += base[i] }
        return s
    }

    /// The address of row `start`, for the kernels (checked to lie within the buffer).
    func address(_ start: Int, rows: Int) -> UnsafeMutablePointer<Double> {
        precondition(start >= 0 && start + rows <= count, "rows \(start) ..< \(start + rows) outside \(count)")
        return base + start
    }
}
