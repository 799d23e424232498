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

    @Test("the fused copy-and-check (AVX-512F, ≥ 64 values) finds NaN/±∞ at every position, tails included",
          arguments: [8, 9, 12])
    func fusedCopyFindsEveryPosition(n: Int) throws {
        let base = Matrix.identity(n)
        for index in 0..<(n * n) {
            for value in [Double.nan, .infinity, -.infinity] {
                var a = base
                a.elements[index] = value
                #expect(throws: LinearAlgebraError.nonFiniteMatrixEntry(row: index % n, column: index / n)) {
                    try Cholesky(a)
                }
            }
        }
        // Finite extremes pass: the largest finite value, the smallest subnormal, −0.
        var extremes = Matrix.identity(n)
        extremes[n - 1, 0] = -0.0
        extremes[0, n - 1] = .greatestFiniteMagnitude
        extremes[1, n - 1] = .leastNonzeroMagnitude
        #expect(try Cholesky(extremes).lower[n - 1, n - 1] == 1)
    }

    @Test("finite entries whose |sum| overflows are accepted (dasum's false alarm is re-checked)")
    func overflowingSumIsFinite() throws {
        // Σ|aᵢᵢ| = 40·1e307 overflows to +∞, yet every entry is finite and the matrix is SPD.
        let a = Matrix.diagonal([Double](repeating: 1e307, count: 40))
        let c = try Cholesky(a)
        #expect(abs(c.logDeterminant - 40 * 307 * 2.302585092994046) <= 1e-12 * 40 * 307 * 2.302585092994046)
    }

    @Test("BLAS kernels keep shape preconditions (exit test): their operands are caller-sized workspaces")
    func blasShapeMismatchIsAPrecondition() async {
        await #expect(processExitsWith: .failure) {
            var c = Matrix(rows: 2, columns: 2)
            BLAS.gemm(Matrix(rows: 2, columns: 3), Matrix(rows: 2, columns: 2), into: &c)
        }
    }

    @Test("Cholesky shape mismatches are thrown errors naming both shapes")
    func choleskyShapeMismatchesThrow() throws {
        #expect(throws: LinearAlgebraError.shapeMismatch(operation: "Cholesky", expected: "a square matrix",
                                                         actual: "a 2×3 matrix")) {
            try Cholesky(Matrix(rows: 2, columns: 3))
        }
        let c = try Cholesky(Matrix.identity(2))
        #expect(throws: LinearAlgebraError.shapeMismatch(operation: "Cholesky solve",
                                                         expected: "a right-hand side of length 2 (a 2×2 system)",
                                                         actual: "length 3")) {
            try c.solving([1, 2, 3])
        }
        #expect(throws: LinearAlgebraError.self) { try c.solving(Matrix(rows: 3, columns: 1)) }
        var v: [Double] = [1]
        #expect(throws: LinearAlgebraError.self) { try c.solveLower(&v) }
        var m = Matrix(rows: 1, columns: 2)
        #expect(throws: LinearAlgebraError.self) { try c.solveLowerTransposed(&m) }
        // A refactor with the wrong shape throws and leaves the value usable.
        var d = try Cholesky(Matrix.diagonal([4, 9]))
        #expect(throws: LinearAlgebraError.self) { try d.refactor(Matrix.identity(3)) }
        #expect(d.lower == Matrix.diagonal([2, 3]))
    }

    @Test("no mismatched shape reaches a trap (exit test: a child process runs every Cholesky entry point)")
    func noTrapInAChildProcess() async {
        await #expect(processExitsWith: .success) {
            let c = try! Cholesky(Matrix.identity(2))
            var v: [Double] = [1, 2, 3]
            var m = Matrix(rows: 3, columns: 2)
            var e = try! Cholesky(Matrix.identity(2))
            _ = try? Cholesky(Matrix(rows: 2, columns: 3))
            _ = try? e.refactor(Matrix(rows: 3, columns: 3))
            _ = try? c.solve(&v)
            _ = try? c.solve(&m)
            _ = try? c.solveLower(&v)
            _ = try? c.solveLowerTransposed(&v)
            _ = try? c.multiplyLower(&v)
            _ = try? c.multiplyLowerTransposed(&v)
            _ = try? c.solveLower(&m)
            _ = try? c.solveLowerTransposed(&m)
            _ = e.logDeterminant  // still valid after the shape error
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
