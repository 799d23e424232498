/// BLAS operations on `Matrix` and `[Double]`, with in-place forms for hot loops.
///
/// Every function checks shapes with a precondition that names both shapes. None allocates unless
/// it returns a new value. Inputs are not scanned for NaN/±∞ here (BLAS propagates them); the
/// factorizations, which would misbehave, check their inputs.
public enum BLAS {
    // MARK: Level 1

    /// xᵀy.
    public static func dot(_ x: [Double], _ y: [Double]) -> Double {
        precondition(x.count == y.count, "dot of vectors of lengths \(x.count) and \(y.count)")
        return backendDot(x, y)
    }

    /// y ← αx + y.
    public static func axpy(_ alpha: Double, _ x: [Double], _ y: inout [Double]) {
        precondition(x.count == y.count, "axpy of vectors of lengths \(x.count) and \(y.count)")
        backendAxpy(alpha, x, &y)
    }

    /// x ← αx.
    public static func scale(_ alpha: Double, _ x: inout [Double]) {
        backendScale(alpha, &x)
    }

    /// ‖x‖₂, computed without overflow or underflow (dnrm2).
    public static func norm(_ x: [Double]) -> Double {
        backendNorm2(x)
    }

    // MARK: Level 2

    /// y ← α·op(A)·x + β·y, with op(A) = A or Aᵀ (dgemv). With β = 0, y is not read (NaN there does
    /// not propagate), as in BLAS.
    public static func gemv(
        _ a: Matrix, transposed: Bool = false, _ x: [Double],
        alpha: Double = 1, beta: Double = 0, into y: inout [Double]
    ) {
        let (outRows, inCols) = transposed ? (a.columns, a.rows) : (a.rows, a.columns)
        precondition(x.count == inCols,
                     "gemv: \(transposed ? "transposed " : "")\(a.shapeDescription) matrix times vector of length \(x.count)")
        precondition(y.count == outRows,
                     "gemv: result of length \(outRows) needed, destination has length \(y.count)")
        if inCols == 0 {
            if beta == 0 { backendZero(&y) } else { scale(beta, &y) }
            return
        }
        backendGemv(transposed ? .transpose : .none, rows: a.rows, columns: a.columns,
                    alpha: alpha, a: a.elements, x: x, beta: beta, y: &y)
    }

    /// y ← α·A·x + β·y for symmetric A, reading only A's lower triangle (dsymv).
    public static func symv(
        _ a: Matrix, _ x: [Double], alpha: Double = 1, beta: Double = 0, into y: inout [Double]
    ) {
        precondition(a.isSquare, "symv needs a square matrix, got \(a.shapeDescription)")
        precondition(x.count == a.columns && y.count == a.rows,
                     "symv: \(a.shapeDescription) matrix, x of length \(x.count), y of length \(y.count)")
        backendSymv(.lower, n: a.rows, alpha: alpha, a: a.elements, x: x, beta: beta, y: &y)
    }

    // MARK: Level 3

    /// C ← α·op(A)·op(B) + β·C (dgemm), op(X) = X or Xᵀ. With β = 0, C is not read. Any dimension may
    /// be 0 (an empty inner dimension gives C ← β·C).
    public static func gemm(
        _ a: Matrix, transposed ta: Bool = false, _ b: Matrix, transposed tb: Bool = false,
        alpha: Double = 1, beta: Double = 0, into c: inout Matrix
    ) {
        let (m, k) = ta ? (a.columns, a.rows) : (a.rows, a.columns)
        let (kb, n) = tb ? (b.columns, b.rows) : (b.rows, b.columns)
        precondition(k == kb,
                     "gemm: op(A) is \(m)×\(k) (A \(a.shapeDescription)\(ta ? "ᵀ" : "")), op(B) is \(kb)×\(n) (B \(b.shapeDescription)\(tb ? "ᵀ" : ""))")
        precondition(c.rows == m && c.columns == n,
                     "gemm: result is \(m)×\(n), destination is \(c.shapeDescription)")
        if k == 0 {
            if beta == 0 { backendZero(&c.elements) } else { backendScale(beta, &c.elements) }
            return
        }
        backendGemm(ta ? .transpose : .none, tb ? .transpose : .none, m: m, n: n, k: k,
                    alpha: alpha, a: a.elements, aRows: a.rows, b: b.elements, bRows: b.rows, beta: beta,
                    c: &c.elements)
    }

    /// op(A)·op(B) as a new matrix.
    public static func multiply(_ a: Matrix, transposed ta: Bool = false, _ b: Matrix, transposed tb: Bool = false) -> Matrix {
        var c = Matrix(rows: ta ? a.columns : a.rows, columns: tb ? b.rows : b.columns)
        gemm(a, transposed: ta, b, transposed: tb, into: &c)
        return c
    }

    /// C ← α·AᵀA + β·C (syrk), writing both triangles of C (a columns × columns).
    public static func gram(_ a: Matrix, alpha: Double = 1, beta: Double = 0, into c: inout Matrix) {
        precondition(c.rows == a.columns && c.columns == a.columns,
                     "gram: AᵀA of a \(a.shapeDescription) matrix is \(a.columns)×\(a.columns), destination is \(c.shapeDescription)")
        backendSyrk(.lower, .transpose, n: a.columns, k: a.rows, alpha: alpha, a: a.elements,
                    aRows: a.rows, beta: beta, c: &c.elements)
        c.symmetrizeFromLower()
    }

    /// AᵀA as a new symmetric matrix.
    public static func gram(_ a: Matrix) -> Matrix {
        var c = Matrix(rows: a.columns, columns: a.columns)
        gram(a, into: &c)
        return c
    }

    /// C ← AᵀWA with W = diag(w) (the GLM Fisher matrix XᵀWX), without allocating.
    ///
    /// When every wᵢ ≥ 0, `workspace` (same shape as A) receives the rows of A scaled by √wᵢ and syrk
    /// forms (W^½A)ᵀ(W^½A), which is symmetric and positive semidefinite by construction. When some
    /// wᵢ < 0, `workspace` receives WA and gemm forms Aᵀ(WA) (symmetrized from its lower triangle).
    /// Zero weights drop their rows exactly. NaN/±∞ weights propagate into C (not checked here).
    /// - Parameters:
    ///   - a: the m × p matrix A.
    ///   - w: m weights.
    ///   - c: p × p destination, both triangles written.
    ///   - workspace: m × p scratch, overwritten.
    public static func weightedGram(_ a: Matrix, weights w: [Double], into c: inout Matrix, workspace: inout Matrix) {
        precondition(w.count == a.rows, "weightedGram: \(a.shapeDescription) matrix with \(w.count) weights")
        precondition(workspace.rows == a.rows && workspace.columns == a.columns,
                     "weightedGram: workspace is \(workspace.shapeDescription), A is \(a.shapeDescription)")
        precondition(c.rows == a.columns && c.columns == a.columns,
                     "weightedGram: AᵀWA of a \(a.shapeDescription) matrix is \(a.columns)×\(a.columns), destination is \(c.shapeDescription)")
        let allNonNegative = !w.contains { $0 < 0 }
        backendScaleRows(a.elements, rows: a.rows, columns: a.columns, weights: w,
                         squareRootOfWeights: allNonNegative, into: &workspace.elements)
        if allNonNegative {
            gram(workspace, into: &c)
        } else {
            gemm(a, transposed: true, workspace, into: &c)
            c.symmetrizeFromLower()
        }
    }

    /// AᵀWA with W = diag(w), as a new symmetric matrix.
    public static func weightedGram(_ a: Matrix, weights w: [Double]) -> Matrix {
        var c = Matrix(rows: a.columns, columns: a.columns)
        var workspace = Matrix(rows: a.rows, columns: a.columns)
        weightedGram(a, weights: w, into: &c, workspace: &workspace)
        return c
    }
}
