import Testing
import LinearAlgebra
import TestSupport

// Matrices of ≥ 1024 entries are scanned with OpenBLAS's dasum (Σ|aᵢⱼ| is NaN/∞ iff some entry is,
// or the finite sum overflows); smaller ones with the Swift bit scan. These tests pin both paths.

@Suite("Input validation")
struct InputValidationTests {
    @Test("NaN/±∞ anywhere in a large matrix (dasum path) is located exactly",
          arguments: [Double.nan, .infinity, -.infinity], [0, 1, 37, 700, 1599])
    func largeMatrixNonFinite(value: Double, index: Int) {
        var a = Matrix.identity(40)  // 1600 entries
        a.elements[index] = value
        #expect(throws: LinearAlgebraError.nonFiniteMatrixEntry(row: index % 40, column: index / 40)) {
            try Cholesky(a)
        }
    }

    @Test("finite entries whose |sum| overflows are accepted (dasum's false alarm is re-checked)")
    func overflowingSumIsFinite() throws {
        // Σ|aᵢᵢ| = 40·1e307 overflows to +∞, yet every entry is finite and the matrix is SPD.
        let a = Matrix.diagonal([Double](repeating: 1e307, count: 40))
        let c = try Cholesky(a)
        #expect(abs(c.logDeterminant - 40 * 307 * 2.302585092994046) <= 1e-12 * 40 * 307 * 2.302585092994046)
    }

    @Test("shape mismatches stop the program with a precondition (exit test)")
    func shapeMismatchesArePreconditions() async {
        await #expect(processExitsWith: .failure) {
            var c = Matrix(rows: 2, columns: 2)
            BLAS.gemm(Matrix(rows: 2, columns: 3), Matrix(rows: 2, columns: 2), into: &c)
        }
        await #expect(processExitsWith: .failure) {
            _ = try? Cholesky(Matrix(rows: 2, columns: 3))
        }
        await #expect(processExitsWith: .failure) {
            let c = try! Cholesky(Matrix.identity(2))
            _ = try? c.solving([1, 2, 3])
        }
    }

    @Test("a value whose refactor threw cannot be used (exit test); a later refactor revives it")
    func invalidAfterFailedRefactor() async throws {
        await #expect(processExitsWith: .failure) {
            var c = try! Cholesky(Matrix.identity(2))
            _ = try? c.refactor(Matrix(rows: [[-1, 0], [0, 1]]))
            _ = c.logDeterminant
        }
        var c = try Cholesky(Matrix.identity(2))
        #expect(throws: LinearAlgebraError.self) { try c.refactor(Matrix(rows: [[-1, 0], [0, 1]])) }
        try c.refactor(Matrix.diagonal([4, 9]))
        #expect(c.lower == Matrix.diagonal([2, 3]))
    }
}
