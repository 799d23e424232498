import Foundation
import Testing
import LinearAlgebra
import TestSupport

// dsyevd is backward stable: the computed Q̂, Λ̂ satisfy ‖AQ̂ − Q̂Λ̂‖ ≤ p(n)·ε·‖A‖, ‖Q̂ᵀQ̂ − I‖ ≤ p(n)·ε,
// and by Weyl each eigenvalue is within p(n)·ε·‖A‖₂ of the exact one. LAPACK's own eigensolver tests
// (TESTING/sep.in) accept the ratios residual/(n·ε·‖A‖) below 20; we use the same threshold.
let eigenThreshold = 20.0

func checkDecomposition(_ a: Matrix, _ e: SymmetricEigendecomposition) {
    let n = a.rows
    let q = e.eigenvectors
    #expect(q.rows == n && q.columns == n && e.eigenvalues.count == n)
    // Ascending order.
    #expect(zip(e.eigenvalues, e.eigenvalues.dropFirst()).allSatisfy { $0 <= $1 })
    let norm = max(oneNorm(a), .leastNormalMagnitude)
    let residual = a * q - q * Matrix.diagonal(e.eigenvalues)
    #expect(oneNorm(residual) <= eigenThreshold * Double(max(n, 1)) * eps * norm)
    let orthogonality = BLAS.multiply(q, transposed: true, q, transposed: false) - Matrix.identity(n)
    #expect(oneNorm(orthogonality) <= eigenThreshold * Double(max(n, 1)) * eps)
}

@Suite("SymmetricEigendecomposition")
struct SymmetricEigendecompositionTests {
    @Test("2×2 closed form: [[2, 1], [1, 2]] has eigenvalues 1, 3 and vectors (1, ∓1)/√2")
    func twoByTwo() throws {
        let e = try SymmetricEigendecomposition(Matrix(rows: [[2, 1], [1, 2]]))
        #expect(abs(e.eigenvalues[0] - 1) <= 4 * eps && abs(e.eigenvalues[1] - 3) <= 4 * 3 * eps)
        let v = e.eigenvectors
        #expect(abs(abs(v[0, 0]) - 0.5.squareRoot()) <= 4 * eps && abs(v[0, 0] + v[1, 0]) <= 4 * eps)
        #expect(abs(e.conditionNumber - 3) <= 16 * eps)
    }

    @Test("tridiag(−1, 2, −1): λₖ = 2 − 2cos(kπ/(n+1)), ascending", arguments: [1, 2, 10, 64])
    func tridiagonalToeplitz(n: Int) throws {
        var t = Matrix(rows: n, columns: n)
        for i in 0..<n {
            t[i, i] = 2
            if i > 0 { t[i, i - 1] = -1; t[i - 1, i] = -1 }
        }
        let e = try SymmetricEigendecomposition(t)
        for k in 1...n {
            let exact = 2 - 2 * cos(Double(k) * Double.pi / Double(n + 1))
            #expect(abs(e.eigenvalues[k - 1] - exact) <= eigenThreshold * Double(n) * eps * 4, "k = \(k)")
        }
        checkDecomposition(t, e)
    }

    @Test("random symmetric matrices (upper triangle ignored): AQ = QΛ, QᵀQ = I, ascending",
          arguments: [0, 1, 3, 17, 100])
    func random(n: Int) throws {
        var g = SeededGenerator(seed: 1234 + UInt64(n))
        var a = randomGaussianMatrix(n, n, using: &g)
        a.symmetrizeFromLower()
        let e = try SymmetricEigendecomposition(withUpperGarbage(a))
        checkDecomposition(a, e)
        // The trace is a spectral invariant: Σλᵢ = tr A (each λᵢ within the Weyl bound).
        let trace = a.diagonalElements.reduce(0, +)
        #expect(abs(e.eigenvalues.reduce(0, +) - trace) <= eigenThreshold * Double(n * n) * eps * max(oneNorm(a), 1))
    }

    @Test("reference eigenvalues of indefinite_n5 and singular_psd_n5 (numpy, ±‖F‖·1e-16)",
          arguments: ["indefinite_n5", "singular_psd_n5"])
    func referenceEigenvalues(name: String) throws {
        let r = try ReferenceCase(name)
        let expected = (r.facts["eigenvalues_numpy"] as! [Any]).map(number)
        let e = try SymmetricEigendecomposition(r.f)
        let norm = oneNorm(r.f)
        for (x, y) in zip(e.eigenvalues, expected) {
            #expect(abs(x - y) <= eigenThreshold * 5 * eps * norm)
        }
        checkDecomposition(r.f, e)
        // The singular PSD matrix has two zero eigenvalues (rank 3): conditionNumber is ∞ or huge.
        if name == "singular_psd_n5" { #expect(e.conditionNumber > 1e14 || e.conditionNumber == .infinity) }
        if name == "indefinite_n5" { #expect(e.conditionNumber == .infinity) }
    }

    @Test("n = 0 has no eigenvalues and condition number 1")
    func empty() throws {
        let e = try SymmetricEigendecomposition(Matrix(rows: 0, columns: 0))
        #expect(e.eigenvalues.isEmpty && e.eigenvectors.rows == 0 && e.conditionNumber == 1)
    }
}
