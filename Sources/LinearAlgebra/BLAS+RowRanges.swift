/// BLAS on a range of rows of a matrix, in place: the building blocks of one-pass algorithms that
/// stream a tall matrix (n ≫ p) through the cache a block of rows at a time, as GLM Fisher scoring does.
/// No function allocates; shapes and ranges are checked with preconditions.
extension BLAS {
    /// y[yStart ..< yStart + m′] ← α·op(A[rows, :])·x[xStart ..< xStart + k′] + β·y[yStart ..< yStart + m′]
    /// (dgemv on the sub-matrix, no copy), with op(B) = B (m′ = rows.count, k′ = A.columns) or Bᵀ
    /// (m′ = A.columns, k′ = rows.count). With β = 0 the old y is not read.
    public static func gemv(
        _ a: Matrix, rows: Range<Int>, transposed: Bool = false, _ x: [Double], xStart: Int = 0,
        alpha: Double = 1, beta: Double = 0, into y: inout [Double], yStart: Int = 0
    ) {
        precondition(rows.lowerBound >= 0 && rows.upperBound <= a.rows,
                     "gemv: rows \(rows) are outside a \(a.shapeDescription) matrix")
        let (outCount, inCount) = transposed ? (a.columns, rows.count) : (rows.count, a.columns)
        precondition(xStart >= 0 && xStart + inCount <= x.count,
                     "gemv: x[\(xStart) ..< \(xStart + inCount)] is outside a vector of length \(x.count)")
        precondition(yStart >= 0 && yStart + outCount <= y.count,
                     "gemv: y[\(yStart) ..< \(yStart + outCount)] is outside a vector of length \(y.count)")
        if inCount == 0 {
            for i in yStart..<(yStart + outCount) { y[i] = beta == 0 ? 0 : beta * y[i] }
            return
        }
        backendGemvRows(transposed ? .transpose : .none, a: a.elements, aRows: a.rows, columns: a.columns,
                        rows: rows, alpha: alpha, x: x, xStart: xStart, beta: beta, y: &y, yStart: yStart)
    }

    /// block[rowStart + t, columnStart + j] ← fₜ·A[rows.lowerBound + t, j] with fₜ = factors[factorStart + t],
    /// for t < rows.count and every column j of A: a range of rows of A, each scaled, copied into a
    /// workspace (for example √Wᵢ·xᵢ before a Gram product). Other entries of `block` are untouched.
    public static func scaleRows(
        of a: Matrix, rows: Range<Int>, by factors: [Double], factorStart: Int = 0,
        into block: inout Matrix, rowStart: Int = 0, columnStart: Int = 0
    ) {
        precondition(rows.lowerBound >= 0 && rows.upperBound <= a.rows,
                     "scaleRows: rows \(rows) are outside a \(a.shapeDescription) matrix")
        precondition(factorStart >= 0 && factorStart + rows.count <= factors.count,
                     "scaleRows: factors[\(factorStart) ..< \(factorStart + rows.count)] are outside \(factors.count) factors")
        precondition(rowStart >= 0 && rowStart + rows.count <= block.rows && columnStart >= 0
                        && columnStart + a.columns <= block.columns,
                     "scaleRows: \(rows.count)×\(a.columns) rows at (\(rowStart), \(columnStart)) do not fit a \(block.shapeDescription) block")
        backendScaleRowRange(a.elements, aRows: a.rows, columns: a.columns, rows: rows, factors: factors,
                             factorStart: factorStart, into: &block.elements, blockRows: block.rows,
                             rowStart: rowStart, columnStart: columnStart)
    }

    /// The lower triangle of C ← α·AᵀA + β·C (syrk); the strict upper triangle of C is not touched.
    /// For accumulating a Gram matrix over many blocks of rows: call
    /// ``Matrix/symmetrizeFromLower()`` once at the end (``gram(_:alpha:beta:into:)`` does it every call).
    public static func gramLowerTriangle(_ a: Matrix, alpha: Double = 1, beta: Double = 0, into c: inout Matrix) {
        precondition(c.rows == a.columns && c.columns == a.columns,
                     "gram: AᵀA of a \(a.shapeDescription) matrix is \(a.columns)×\(a.columns), destination is \(c.shapeDescription)")
        backendSyrk(.lower, .transpose, n: a.columns, k: a.rows, alpha: alpha, a: a.elements,
                    aRows: a.rows, beta: beta, c: &c.elements)
    }

    /// The lower triangle of C ← C + α·Σ_{i ∈ rows} wᵢ·zᵢzᵢᵀ, with zᵢ = (1, A[i, :]) when `intercept` (C is
    /// (k + 1) × (k + 1) for k = A.columns, the intercept first) or zᵢ = A[i, :] (C is k × k), and wᵢ =
    /// `weights[i]` (indexed like the rows of A): a weighted Gram matrix XᵀWX accumulated over a row range
    /// without a scaled copy of the rows. Runs the AVX-512 kernel of `NatGradKernels` and returns true;
    /// returns false, with C untouched, where that kernel does not apply (no AVX-512F, or k outside
    /// 4 ... 256); the caller then uses ``scaleRows(of:rows:by:factorStart:into:rowStart:columnStart:)``
    /// and ``gramLowerTriangle(_:alpha:beta:into:)``. The strict upper triangle of C is not touched.
    public static func accumulateWeightedGram(
        of a: Matrix, rows: Range<Int>, weights: [Double], alpha: Double = 1, intercept: Bool, into c: inout Matrix
    ) -> Bool {
        precondition(rows.lowerBound >= 0 && rows.upperBound <= a.rows,
                     "accumulateWeightedGram: rows \(rows) are outside a \(a.shapeDescription) matrix")
        precondition(weights.count >= rows.upperBound,
                     "accumulateWeightedGram: \(weights.count) weights do not cover rows \(rows)")
        let p = a.columns + (intercept ? 1 : 0)
        precondition(c.rows >= p && c.columns >= p,
                     "accumulateWeightedGram: a \(p)×\(p) Gram matrix does not fit \(c.shapeDescription)")
        return backendWeightedGramRows(a.elements, aRows: a.rows, columns: a.columns, rows: rows, weights: weights,
                                       alpha: alpha, intercept: intercept, into: &c.elements, cRows: c.rows)
    }

    // MARK: On row buffers (package: the GLM solver's per-row workspaces)

    /// y[rows] ← A[rows, :]·x + β·y[rows] (x has A.columns entries).
    package static func gemv(_ a: Matrix, rows: Range<Int>, _ x: [Double], beta: Double, into y: RowBuffer) {
        precondition(rows.lowerBound >= 0 && rows.upperBound <= a.rows && rows.upperBound <= y.count
                        && x.count >= a.columns, "gemv: rows \(rows) of a \(a.shapeDescription) matrix into \(y.count) rows")
        if rows.isEmpty || a.columns == 0 { return }
        x.withUnsafeBufferPointer { xb in
            backendGemvRows(.none, a: a.elements, aRows: a.rows, columns: a.columns, rows: rows, alpha: 1,
                            x: xb.baseAddress!, beta: beta, y: y.address(rows.lowerBound, rows: rows.count))
        }
    }

    /// y ← A[rows, :]ᵀ·x[rows] + β·y (y has A.columns entries).
    package static func gemvTransposed(_ a: Matrix, rows: Range<Int>, _ x: RowBuffer, beta: Double,
                                       into y: inout [Double]) {
        precondition(rows.lowerBound >= 0 && rows.upperBound <= a.rows && rows.upperBound <= x.count
                        && y.count >= a.columns, "gemv: rows \(rows) of a \(a.shapeDescription) matrix from \(x.count) rows")
        if a.columns == 0 { return }
        if rows.isEmpty {
            for j in 0..<a.columns { y[j] = beta == 0 ? 0 : beta * y[j] }
            return
        }
        let xb = x.address(rows.lowerBound, rows: rows.count)
        y.withUnsafeMutableBufferPointer { yb in
            backendGemvRows(.transpose, a: a.elements, aRows: a.rows, columns: a.columns, rows: rows, alpha: 1,
                            x: xb, beta: beta, y: yb.baseAddress!)
        }
    }

    /// `accumulateWeightedGram(of:rows:weights:alpha:intercept:into:)` with the weights in a row buffer.
    package static func accumulateWeightedGram(
        of a: Matrix, rows: Range<Int>, weights: RowBuffer, alpha: Double = 1, intercept: Bool, into c: inout Matrix
    ) -> Bool {
        precondition(rows.lowerBound >= 0 && rows.upperBound <= a.rows && weights.count >= rows.upperBound,
                     "accumulateWeightedGram: rows \(rows) of a \(a.shapeDescription) matrix, \(weights.count) weights")
        let p = a.columns + (intercept ? 1 : 0)
        precondition(c.rows >= p && c.columns >= p,
                     "accumulateWeightedGram: a \(p)×\(p) Gram matrix does not fit \(c.shapeDescription)")
        return backendWeightedGramRows(a.elements, aRows: a.rows, columns: a.columns, rows: rows, weights: weights,
                                       alpha: alpha, intercept: intercept, into: &c.elements, cRows: c.rows)
    }

    /// roots[start + t] ← √(c·w[rows.lowerBound + t]) for the rows of the range.
    package static func rootWeights(_ rows: Range<Int>, _ w: RowBuffer, scale: Double, into roots: inout [Double],
                                    start: Int) {
        backendRootWeights(rows, w, scale: scale, into: &roots, start: start)
    }

    /// The lower triangle of C ← α·A[0 ..< m, :]ᵀA[0 ..< m, :] + β·C (syrk on the first m rows of A).
    package static func gramLowerTriangle(_ a: Matrix, leadingRows m: Int, alpha: Double = 1, beta: Double = 0,
                                          into c: inout Matrix) {
        precondition(m >= 0 && m <= a.rows && c.rows == a.columns && c.columns == a.columns,
                     "gram: the first \(m) rows of a \(a.shapeDescription) matrix into \(c.shapeDescription)")
        backendSyrk(.lower, .transpose, n: a.columns, k: m, alpha: alpha, a: a.elements,
                    aRows: a.rows, beta: beta, c: &c.elements)
    }
}
