import Testing
import LinearAlgebra
import TestSupport

// The row-block helpers of a pass: the right-side triangular solve against per-row vector solves and
// against its defining identity Z·Lᵀ = B, the row copy and the row norms against loops.

@Suite("Row blocks: copies, row norms, row solves")
struct RowBlockTests {
    @Test("solveLowerForRows: row i becomes L⁻¹bᵢ (each row solved alone; Z·Lᵀ = B to γ bound)",
          arguments: [(1, 1), (5, 3), (17, 8), (64, 33)])
    func rowSolve(m: Int, n: Int) throws {
        var g = SeededGenerator(seed: UInt64(97 * m + n))
        let c = try Cholesky(randomSPD(n, using: &g))
        let b = randomGaussianMatrix(m, n, using: &g)
        var z = b
        try c.solveLowerForRows(&z)
        let l = c.lower
        for i in 0..<m {
            var row = (0..<n).map { b[i, $0] }
            try c.solveLower(&row)
            // Forward substitution in the same order: agreement to a few ulps of the solution's size.
            let scale = row.map(abs).max() ?? 0
            for j in 0..<n { #expect(abs(z[i, j] - row[j]) <= 64 * Double.ulpOfOne * max(scale, 1e-300)) }
            // The identity: Σₖ Z[i, k]·L[j, k] = B[i, j].
            for j in 0..<n {
                var s = 0.0, magnitude = 0.0
                for k in 0...j { s += z[i, k] * l[j, k]; magnitude += abs(z[i, k] * l[j, k]) }
                #expect(abs(s - b[i, j]) <= 4 * gamma(n + 2) * magnitude)
            }
        }
    }

    @Test("solveLowerForRows: a wrong column count and a NaN throw, B left as it was for the shape error")
    func rowSolveErrors() throws {
        let c = try Cholesky(Matrix(rows: [[4, 1], [1, 3]]))
        var wide = Matrix(rows: 2, columns: 3, repeating: 1)
        #expect(throws: LinearAlgebraError.self) { try c.solveLowerForRows(&wide) }
        #expect(wide == Matrix(rows: 2, columns: 3, repeating: 1))
        var bad = Matrix(rows: [[1, 2], [.nan, 4], [5, 6]])
        #expect(throws: LinearAlgebraError.nonFiniteVectorEntry(index: 1)) { try c.solveLowerForRows(&bad) }
    }

    @Test("setRows copies a row range and zeroes the rest; rowSquaredNorms sums squares by row")
    func copyAndNorms() {
        var g = SeededGenerator(seed: 5)
        let source = randomGaussianMatrix(11, 4, using: &g)
        var block = Matrix(rows: 6, columns: 4, repeating: .nan)
        block.setRows(3..<7, of: source)
        for t in 0..<6 {
            for j in 0..<4 { #expect(block[t, j] == (t < 4 ? source[3 + t, j] : 0)) }
        }
        var v: [Double] = [7]
        block.rowSquaredNorms(into: &v)
        #expect(v.count == 6)
        for t in 0..<6 {
            var s = 0.0
            for j in 0..<4 { s += block[t, j] * block[t, j] }
            #expect(abs(v[t] - s) <= gamma(4) * s)
        }
        block.setRows(0..<0, of: source)
        #expect(block == Matrix(rows: 6, columns: 4))
    }
}
