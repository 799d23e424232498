// Arithmetic operators where their meaning is unambiguous: matrix sums and differences, products
// with scalars, vectors (gemv) and matrices (gemm).

extension Matrix {
    /// A + B, elementwise.
    /// - Precondition: equal shapes (an operator cannot throw: check shapes that come from data first, or
    ///   use the throwing BLAS-level calls).
    public static func + (lhs: Matrix, rhs: Matrix) -> Matrix {
        precondition(lhs.rows == rhs.rows && lhs.columns == rhs.columns,
                     "adding a \(lhs.shapeDescription) matrix and a \(rhs.shapeDescription) matrix")
        var result = lhs
        BLAS.axpy(1, rhs.elements, &result.elements)
        return result
    }

    /// A − B, elementwise.
    public static func - (lhs: Matrix, rhs: Matrix) -> Matrix {
        precondition(lhs.rows == rhs.rows && lhs.columns == rhs.columns,
                     "subtracting a \(rhs.shapeDescription) matrix from a \(lhs.shapeDescription) matrix")
        var result = lhs
        BLAS.axpy(-1, rhs.elements, &result.elements)
        return result
    }

    /// −A, elementwise.
    public static prefix func - (m: Matrix) -> Matrix { -1 * m }

    /// c·A, elementwise.
    public static func * (scalar: Double, m: Matrix) -> Matrix {
        var result = m
        BLAS.scale(scalar, &result.elements)
        return result
    }

    /// A·c, elementwise.
    public static func * (m: Matrix, scalar: Double) -> Matrix { scalar * m }

    /// Matrix product A·B (gemm).
    public static func * (lhs: Matrix, rhs: Matrix) -> Matrix { BLAS.multiply(lhs, rhs) }

    /// Matrix–vector product A·x (gemv).
    public static func * (lhs: Matrix, rhs: [Double]) -> [Double] {
        var y = [Double](repeating: 0, count: lhs.rows)
        BLAS.gemv(lhs, rhs, into: &y)
        return y
    }

    /// A ← A + B, elementwise.
    public static func += (lhs: inout Matrix, rhs: Matrix) {
        precondition(lhs.rows == rhs.rows && lhs.columns == rhs.columns,
                     "adding a \(rhs.shapeDescription) matrix to a \(lhs.shapeDescription) matrix")
        BLAS.axpy(1, rhs.elements, &lhs.elements)
    }

    /// Adds λ to every diagonal entry in place (A ← A + λI).
    public mutating func addToDiagonal(_ lambda: Double) {
        precondition(isSquare, "adding to the diagonal needs a square matrix, got \(shapeDescription)")
        for i in 0..<rows { elements[i + i * rows] += lambda }
    }
}
