/// Row blocks of a column-major matrix, for passes that work on a few thousand rows at a time.
extension Matrix {
    /// Copies rows `range` of `source` into the first `range.count` rows of this matrix and zeroes the
    /// rows after them (one contiguous copy per column): A[t, j] = S[range.lowerBound + t, j] for
    /// t < range.count, 0 for range.count ≤ t < rows.
    ///
    /// Preconditions (misuse, not data): equal column counts, `range` inside `source`'s rows and no
    /// longer than this matrix's.
    public mutating func setRows(_ range: Range<Int>, of source: Matrix) {
        precondition(columns == source.columns,
                     "copying rows of a \(source.shapeDescription) matrix into a \(shapeDescription) matrix")
        precondition(range.lowerBound >= 0 && range.upperBound <= source.rows && range.count <= rows,
                     "rows \(range) of a \(source.shapeDescription) matrix into a \(shapeDescription) matrix")
        let m = rows, n = source.rows, count = range.count, start = range.lowerBound
        let from = source.elements
        for j in 0..<columns {
            let target = j * m, origin = j * n + start
            for t in 0..<count { elements[target + t] = from[origin + t] }
            for t in count..<m { elements[target + t] = 0 }
        }
    }

    /// v[i] = Σⱼ A[i, j]², the squared norm of every row (column by column, so the reads are
    /// contiguous). `v` is resized to `rows` entries only if its count differs.
    public func rowSquaredNorms(into v: inout [Double]) {
        if v.count != rows { v = [Double](repeating: 0, count: rows) }
        let m = rows, a = elements
        for i in 0..<m { v[i] = 0 }
        for j in 0..<columns {
            let base = j * m
            for i in 0..<m { let x = a[base + i]; v[i] += x * x }
        }
    }
}
