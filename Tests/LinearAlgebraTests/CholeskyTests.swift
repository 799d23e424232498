import Foundation
import Testing
import LinearAlgebra
import TestSupport

// Error bounds used below (Higham, Accuracy and Stability of Numerical Algorithms, 2nd ed.):
// • Cholesky solve (Thm 10.4): (A + ΔA)x̂ = b with |ΔA| ≤ γ₃ₙ₊₁|L||Lᵀ|. Since LLᵀ = A, row i of L has
//   norm √aᵢᵢ, so by Cauchy–Schwarz every entry of |L||Lᵀ| is ≤ max aᵢᵢ and ‖|L||Lᵀ|‖∞ ≤ n‖A‖∞.
//   Hence ‖b − Ax̂‖∞ ≤ n·γ₃ₙ₊₁·‖A‖∞‖x̂‖∞, and forming the residual adds γₙ₊₁(‖A‖∞‖x̂‖∞ + ‖b‖∞).
//   `backwardError` divides by ‖A‖∞‖x̂‖∞ + ‖b‖∞, so it is ≤ n·γ₃ₙ₊₁ + γₙ₊₁ =: choleskyBackwardBound(n).
// • Forward error: ‖x̂ − x‖/‖x‖ ≤ κ·‖ΔA‖/‖A‖/(1 − κ‖ΔA‖/‖A‖) with ‖ΔA‖₂/‖A‖₂ ≤ n·γ₃ₙ₊₁ by the same
//   argument in the 2-norm; the ∞-norm of a vector is within √n of its 2-norm.
func choleskyBackwardBound(_ n: Int) -> Double { Double(n) * gamma(3 * n + 1) + gamma(n + 1) }

func forwardBound(n: Int, condition kappa: Double) -> Double {
    let r = kappa * Double(n) * gamma(3 * n + 1)
    return r < 1 ? Double(n).squareRoot() * r / (1 - r) : .infinity
}

/// A reference case from ../shared/reference/linear-algebra/.
struct ReferenceCase {
    let name: String
    let f: Matrix
    let columns: [String: [Double]]
    let facts: [String: Any]

    init(_ name: String) throws {
        self.name = name
        f = Matrix(rows: parseNumberRows(try referenceText("linear-algebra/\(name)_F.csv")))
        columns = parseNamedColumns(try referenceText("linear-algebra/\(name)_vectors.csv"))
        let json = try referenceJSON("linear-algebra/solve_reference.json") as! [String: Any]
        facts = (json["cases"] as! [String: Any])[name] as! [String: Any]
    }

    var g: [Double] { columns["g"]! }
    var condition: Double { number(facts["cond_2"]) }
    func dampedCondition(_ key: String) -> Double { number((facts["cond_2_damped"] as! [String: Any])[key]) }
}

/// The λ values of the reference files, as the column suffix and the double nearest the decimal.
let referenceLambdas: [(key: String, value: Double)] = [("1e-08", 1e-8), ("1e-03", 1e-3), ("1e+00", 1)]

@Suite("Cholesky")
struct CholeskyTests {
    // MARK: Closed forms

    @Test("2×2 closed form: L, solve, log det, inverse")
    func twoByTwo() throws {
        // A = [[4, 2], [2, 3]] = LLᵀ with L = [[2, 0], [1, √2]]; det A = 8; A⁻¹ = [[3, −2], [−2, 4]]/8.
        let a = Matrix(rows: [[4, 2], [2, 3]])
        let c = try Cholesky(a)
        #expect(c.damping == 0 && c.attempts == 1 && c.dimension == 2)
        // Each entry is one IEEE operation (√4, 2/2, √(3 − 1)) away from exact: ≤ 1 ulp.
        let l = c.lower
        #expect(l[0, 0] == 2 && l[1, 0] == 1 && l[0, 1] == 0)
        #expect(abs(l[1, 1] - 2.0.squareRoot()) <= 2.0.squareRoot().ulp)
        // Solution of A x = (2, 1) is (1/2, 0); a 2×2 solve has a handful of roundings: 4ε relative.
        let x = try c.solving([2, 1])
        #expect(abs(x[0] - 0.5) <= 4 * eps * 0.5 && abs(x[1]) <= 4 * eps)
        #expect(abs(c.logDeterminant - log(8.0)) <= 4 * eps * log(8.0))
        let inv = try c.inverse()
        #expect(inv.isApproximatelyEqual(to: Matrix(rows: [[3, -2], [-2, 4]]) * (1.0 / 8), relativeTolerance: 8 * eps))
        #expect(inv[0, 1] == inv[1, 0])
    }

    @Test("Pascal matrix: exact integer factor, log det 0, exact integer inverse", arguments: [3, 5, 8, 12])
    func pascalMatrix(n: Int) throws {
        // P = LLᵀ with Lᵢⱼ = C(i, j) and L⁻¹ᵢⱼ = (−1)^(i+j) C(i, j): every pivot is 1 and every
        // intermediate of dpotrf/dpotri is an integer below 2⁵³ (C(22, 11) = 705432 for n = 12), so
        // the factor, log det P = 0 and P⁻¹ = L⁻ᵀL⁻¹ are computed exactly.
        let p = pascal(n)
        let c = try Cholesky(withUpperGarbage(p))
        var expected = Matrix(rows: n, columns: n)
        var lInverse = Matrix(rows: n, columns: n)
        for i in 0..<n {
            for j in 0...i {
                expected[i, j] = binomial(i, j)
                lInverse[i, j] = ((i + j) % 2 == 0 ? 1 : -1) * binomial(i, j)
            }
        }
        #expect(c.lower == expected)
        #expect(c.logDeterminant == 0)
        let exactInverse = naiveProduct(lInverse, true, lInverse, false).value
        #expect(try c.inverse() == exactInverse)
    }

    @Test("Hilbert n = 6: inverse and 1/κ₁ against the closed-form inverse")
    func hilbertInverseAndCondition() throws {
        let (h, exactInverse) = hilbert(6)
        let c = try Cholesky(h, conditionEstimate: true)
        // κ₁(H₆) ≈ 2.9e7 from the exact inverse (independent of LAPACK).
        let kappa1 = oneNorm(h) * oneNorm(exactInverse)
        #expect(kappa1 > 2.9e7 && kappa1 < 3.0e7)
        // The stored H differs from the exact Hilbert matrix by ≤ ε relative per entry, which moves the
        // inverse by ≲ κ·ε relative; the computed inverse adds the forward error of n solves.
        let inv = try c.inverse()
        let tolerance = 2 * kappa1 * eps + forwardBound(n: 6, condition: kappa1)
        #expect(inv.isApproximatelyEqual(to: exactInverse, relativeTolerance: tolerance))
        // dpocon's estimate is ≥ the true 1/κ₁ (it underestimates ‖H⁻¹‖₁) and within a small factor:
        // LAPACK's documentation promises "usually within a factor 3"; we allow 10.
        let rcond = try #require(c.reciprocalConditionNumber)
        #expect(rcond >= (1 / kappa1) * (1 - 1e-6))
        #expect(rcond <= 10 / kappa1)
    }

    @Test("1/κ₁ of a diagonal matrix is min/max exactly (estimator is exact there)")
    func diagonalCondition() throws {
        let d: [Double] = [4, 0.5, 8, 2]
        let c = try Cholesky(Matrix.diagonal(d), conditionEstimate: true)
        let rcond = try #require(c.reciprocalConditionNumber)
        #expect(abs(rcond - 0.5 / 8) <= 4 * eps * (0.5 / 8))
        #expect(try Cholesky(Matrix.diagonal(d)).reciprocalConditionNumber == nil)
    }

    // MARK: Sizes 0 and 1

    @Test("n = 0: valid, solves are no-ops, log det 0, rcond 1")
    func emptyMatrix() throws {
        var c = try Cholesky(Matrix(rows: 0, columns: 0), conditionEstimate: true)
        #expect(c.dimension == 0 && c.attempts == 1 && c.damping == 0)
        #expect(c.logDeterminant == 0)
        #expect(c.reciprocalConditionNumber == 1)
        #expect(try c.inverse() == Matrix(rows: 0, columns: 0))
        #expect(c.lower == Matrix(rows: 0, columns: 0))
        var b: [Double] = []
        try c.solve(&b)
        try c.solveLower(&b)
        try c.solveLowerTransposed(&b)
        try c.multiplyLower(&b)
        #expect(b.isEmpty)
        var rhs = Matrix(rows: 0, columns: 3)
        try c.solve(&rhs)
        #expect(rhs.columns == 3)
        try c.refactor(Matrix(rows: 0, columns: 0), damping: 1)
        #expect(c.damping == 1)
    }

    @Test("n = 1: √a, 1/a, log a; a ≤ 0 fails at minor 1", arguments: [4.0, 1e-300, 1e300, 2.0])
    func oneByOne(a: Double) throws {
        let c = try Cholesky(Matrix(rows: [[a]]), conditionEstimate: true)
        // One correctly rounded square root; solve = two divisions by √a (≤ 2 ulp + 1 from √a).
        #expect(c.lower[0, 0] == a.squareRoot())
        let x = try c.solving([3])
        #expect(abs(x[0] - 3 / a) <= 4 * eps * (3 / a))
        #expect(abs(c.logDeterminant - log(a)) <= 4 * eps * abs(log(a)))
        #expect(abs(try #require(c.reciprocalConditionNumber) - 1) <= 4 * eps)
        let inv = try c.inverse()
        #expect(abs(inv[0, 0] - 1 / a) <= 4 * eps / a)
    }

    @Test("n = 1 non-positive: notPositiveDefinite(minor: 1)", arguments: [0.0, -1.0, -Double.leastNonzeroMagnitude])
    func oneByOneFailure(a: Double) {
        #expect(throws: LinearAlgebraError.notPositiveDefinite(minor: 1, damping: 0, attempts: 1)) {
            try Cholesky(Matrix(rows: [[a]]))
        }
    }

    // MARK: Random SPD matrices: backward error

    @Test("random SPD: backward error ≤ n·γ₃ₙ₊₁ + γₙ₊₁ (one and many right-hand sides)",
          arguments: [1, 2, 3, 17, 64, 200])
    func randomBackwardError(n: Int) throws {
        var g = SeededGenerator(seed: 0x5EED_0000 + UInt64(n))
        let a = randomSPD(n, shift: 0.1, using: &g)
        let c = try Cholesky(withUpperGarbage(a))
        let bound = choleskyBackwardBound(n)
        let b = randomGaussianVector(n, using: &g)
        let x = try c.solving(b)
        #expect(backwardError(a, x, b) <= bound)
        // Many right-hand sides: each column obeys the same bound, and the multi-RHS solve equals the
        // one-column solve of that column (dpotrs handles columns independently).
        let bs = randomGaussianMatrix(n, 5, using: &g)
        let xs = try c.solving(bs)
        for j in 0..<5 {
            #expect(backwardError(a, xs.column(j), bs.column(j)) <= bound)
        }
        // L Lᵀ reproduces A: |LLᵀ − A| ≤ γ₃ₙ₊₁|L||Lᵀ| entrywise (Higham Thm 10.3) ≤ γ₃ₙ₊₁·max aᵢᵢ.
        let l = c.lower
        let llt = BLAS.multiply(l, transposed: false, l, transposed: true)
        let maxDiag = a.diagonalElements.max() ?? 0
        for k in a.elements.indices { #expect(abs(llt.elements[k] - a.elements[k]) <= (gamma(3 * n + 1) + gamma(n)) * maxDiag) }
    }

    @Test("refactor reuses storage and gives the same bits as a fresh factorization")
    func refactorMatchesInit() throws {
        var g = SeededGenerator(seed: 11)
        let a1 = randomSPD(30, using: &g), a2 = randomSPD(30, using: &g)
        var c = try Cholesky(a1)
        try c.refactor(a2, damping: 0.5)
        let fresh = try Cholesky(a2, damping: 0.5)
        #expect(c.lower == fresh.lower && c.damping == 0.5)
        let b = randomGaussianVector(30, using: &g)
        var x = b
        try c.solve(&x)
        #expect(x == (try fresh.solving(b)))
        // A value copy is independent of later refactors (value semantics).
        let snapshot = c
        try c.refactor(a1)
        #expect(snapshot.lower == fresh.lower)
        #expect(c.lower == (try Cholesky(a1)).lower)
    }

    // MARK: Reference files

    @Test("spd_n5 and spd_n50_illcond: undamped and damped solutions vs 50-digit references",
          arguments: ["spd_n5", "spd_n50_illcond"])
    func spdReference(name: String) throws {
        let r = try ReferenceCase(name)
        let n = r.f.rows
        let c = try Cholesky(r.f)
        let d = try c.solving(r.g)
        // Tolerance: the forward-error bound above with the reference 2-norm condition number.
        // For κ = 1e2, n = 5: ≈ 4e-12; for κ = 1e10, n = 50: the bound is vacuous (> 1), so use
        // the reference's guidance 10·κ·ε·√n ≈ 1.6e-4 and check the backward error tightly instead.
        let measured = relativeError(d, r.columns["d"]!)
        let tol = min(forwardBound(n: n, condition: r.condition), 10 * r.condition * eps * Double(n).squareRoot())
        #expect(measured <= tol, "relative error \(measured) > \(tol)")
        #expect(backwardError(r.f, d, r.g) <= choleskyBackwardBound(n))
        for (key, lambda) in referenceLambdas {
            let damped = try Cholesky(r.f, damping: lambda)
            #expect(damped.damping == lambda && damped.attempts == 1)
            let x = try damped.solving(r.g)
            let kappa = r.dampedCondition(key)
            let tolDamped = min(forwardBound(n: n, condition: kappa), 10 * kappa * eps * Double(n).squareRoot())
            #expect(relativeError(x, r.columns["d_damped_fl_\(key)"]!) <= tolDamped, "λ = \(key)")
        }
    }

    @Test("indefinite_n5 fails at the stated minor, undamped and damped")
    func indefiniteReference() throws {
        let r = try ReferenceCase("indefinite_n5")
        let undamped = r.facts["cholesky"] as! [String: Any]
        let minor = undamped["failing_leading_minor_1based"] as! Int
        #expect(minor == 3)
        #expect(throws: LinearAlgebraError.notPositiveDefinite(minor: 3, damping: 0, attempts: 1)) {
            try Cholesky(r.f)
        }
        // The reference JSON states the failing minor of each fl(Fᵢᵢ + λ) matrix: 3, 3, 4.
        let damped = r.facts["cholesky_damped_fl"] as! [String: Any]
        for (key, lambda) in referenceLambdas {
            let expected = (damped[key] as! [String: Any])["failing_leading_minor_1based"] as! Int
            #expect(throws: LinearAlgebraError.notPositiveDefinite(minor: expected, damping: lambda, attempts: 1)) {
                try Cholesky(r.f, damping: lambda)
            }
        }
    }

    @Test("singular_psd_n5: fails at minor 3 undamped, every λ > 0 succeeds and matches d_damped_fl")
    func singularReference() throws {
        let r = try ReferenceCase("singular_psd_n5")
        #expect(throws: LinearAlgebraError.notPositiveDefinite(minor: 3, damping: 0, attempts: 1)) {
            try Cholesky(r.f)
        }
        for (key, lambda) in referenceLambdas {
            let c = try Cholesky(r.f, damping: lambda)
            let x = try c.solving(r.g)
            let kappa = r.dampedCondition(key)
            // Same tolerance rule as the SPD cases (κ up to 2.4e9 at λ = 1e-8).
            let tol = min(forwardBound(n: 5, condition: kappa), 10 * kappa * eps * 5.0.squareRoot())
            let err = relativeError(x, r.columns["d_damped_fl_\(key)"]!)
            #expect(err <= tol, "λ = \(key): \(err) > \(tol)")
        }
    }

    // MARK: Jitter

    @Test("without a jitter policy a failure is an error with attempts = 1")
    func noJitterByDefault() throws {
        let r = try ReferenceCase("singular_psd_n5")
        let error = #expect(throws: LinearAlgebraError.self) { try Cholesky(r.f) }
        #expect(error == .notPositiveDefinite(minor: 3, damping: 0, attempts: 1))
    }

    @Test("jitter on singular_psd_n5 follows the schedule: succeeds with the first λ that works")
    func jitterSingular() throws {
        let r = try ReferenceCase("singular_psd_n5")
        let c = try Cholesky(r.f, jitter: .standard)
        // Schedule (JitterPolicy docs): attempt k ≥ 2 uses ε·s·10^(k−2), s = mean diag = 39/5.
        let s = 39.0 / 5
        #expect(c.attempts >= 2)
        let expected = eps * s * pow(10, Double(c.attempts - 2))
        #expect(abs(c.damping - expected) <= 1e-14 * expected)
        // Minimality: the previous λ of the schedule (0 for attempt 2) fails.
        let previous = c.attempts == 2 ? 0 : c.damping / 10
        #expect(throws: LinearAlgebraError.self) { try Cholesky(r.f, damping: previous) }
        // The result really factors F + λI: backward error of a solve against that matrix.
        var damped = r.f
        damped.addToDiagonal(c.damping)
        let x = try c.solving(r.g)
        #expect(backwardError(damped, x, r.g) <= choleskyBackwardBound(5))
    }

    @Test("jitter on [[−1]]: λ = ε, 10ε, …, 10¹⁵ε all fail; the error reports the last λ and 17 attempts")
    func jitterExhausted() {
        // s = 1, cap = maximumRelativeDamping·s = 1; 10¹⁶ε ≈ 2.2 > 1 stops the schedule.
        let error = #expect(throws: LinearAlgebraError.self) {
            try Cholesky(Matrix(rows: [[-1]]), jitter: .standard)
        }
        guard case let .notPositiveDefinite(minor, damping, attempts)? = error else {
            Issue.record("unexpected \(String(describing: error))")
            return
        }
        #expect(minor == 1 && attempts == 17)
        #expect(abs(damping - 1e15 * eps) <= 1e-14 * damping)
    }

    @Test("jitter respects maximumAttempts and starts from the caller's λ")
    func jitterLimits() throws {
        let limited = JitterPolicy(maximumAttempts: 3)
        #expect(throws: LinearAlgebraError.self) { try Cholesky(Matrix(rows: [[-1]]), jitter: limited) }
        let error = #expect(throws: LinearAlgebraError.self) { try Cholesky(Matrix(rows: [[-1]]), jitter: limited) }
        if case let .notPositiveDefinite(_, damping, attempts)? = error {
            #expect(attempts == 3 && abs(damping - 10 * eps) <= 1e-14 * damping)
        } else { Issue.record("unexpected \(String(describing: error))") }
        // A caller λ₀ = 0.5 that fails for [[−1]] is followed by 10·λ₀ = 5 > cap max(λ₀, 1·s) = 1: one attempt.
        #expect(throws: LinearAlgebraError.notPositiveDefinite(minor: 1, damping: 0.5, attempts: 1)) {
            try Cholesky(Matrix(rows: [[-1]]), damping: 0.5, jitter: .standard)
        }
        // [[−1]] with λ₀ = 0.3 and a generous cap: attempt 2 uses 10·0.3 = 3 and succeeds.
        let c = try Cholesky(Matrix(rows: [[-1]]), damping: 0.3, jitter: JitterPolicy(maximumRelativeDamping: 10))
        #expect(c.attempts == 2 && abs(c.damping - 3) <= 4 * eps)
        // A zero matrix has scale 1: λ = ε succeeds at attempt 2.
        let z = try Cholesky(Matrix.zeros(3, 3), jitter: .standard)
        #expect(z.attempts == 2 && z.damping == eps)
        // Success on the first attempt reports λ₀ and attempts = 1.
        let ok = try Cholesky(Matrix.identity(3), damping: 0.25, jitter: .standard)
        #expect(ok.attempts == 1 && ok.damping == 0.25)
    }

    // MARK: Bad input

    @Test("NaN and ±∞ anywhere in A are reported with their position, in either triangle",
          arguments: [Double.nan, .infinity, -.infinity],
          [(0, 0), (2, 1), (1, 2), (3, 3), (0, 3)])
    func nonFiniteMatrix(value: Double, position: (Int, Int)) {
        var a = Matrix.identity(4)
        a[position.0, position.1] = value
        #expect(throws: LinearAlgebraError.nonFiniteMatrixEntry(row: position.0, column: position.1)) {
            try Cholesky(a)
        }
        #expect(throws: LinearAlgebraError.nonFiniteMatrixEntry(row: position.0, column: position.1)) {
            try Cholesky(a, damping: 1, jitter: .standard)
        }
        #expect(throws: LinearAlgebraError.nonFiniteMatrixEntry(row: position.0, column: position.1)) {
            try SymmetricEigendecomposition(a)
        }
    }

    @Test("a NaN pivot from overflow (finite input) is a failing minor, not a NaN factor")
    func nanPivotFromOverflow() {
        // l₃₁ = 1e300/1e-150 overflows to ∞ and l₂₁ = 0, so l₃₂ = (1 − ∞·0)/1 = NaN and pivot 3 is NaN.
        // OpenBLAS's dpotrf returns info = 0 here; LAPACK's convention (and ours) reports minor 3.
        let a = Matrix(rows: [[1e-300, 0, 1e300], [0, 1, 1], [1e300, 1, 1]])
        #expect(throws: LinearAlgebraError.notPositiveDefinite(minor: 3, damping: 0, attempts: 1)) {
            try Cholesky(a)
        }
    }

    @Test("Aᵢᵢ + λ overflowing is reported as a non-finite entry; bad λ is invalidDamping")
    func dampingEdgeCases() {
        let big = Matrix(rows: [[1.5e308, 0], [0, 1.5e308]])
        #expect(throws: LinearAlgebraError.nonFiniteMatrixEntry(row: 0, column: 0)) {
            try Cholesky(big, damping: 1e308)
        }
        for bad in [-1.0, -Double.leastNonzeroMagnitude, .nan, .infinity] {
            let expectedError = LinearAlgebraError.invalidDamping(bad)
            let error = #expect(throws: LinearAlgebraError.self) { try Cholesky(Matrix.identity(2), damping: bad) }
            if bad.isNaN {
                if case let .invalidDamping(v)? = error { #expect(v.isNaN) } else { Issue.record("\(String(describing: error))") }
            } else {
                #expect(error == expectedError)
            }
        }
    }

    @Test("NaN/±∞ in right-hand sides are reported with their index; b stays untouched on that error",
          arguments: [Double.nan, .infinity, -.infinity])
    func nonFiniteRightHandSide(value: Double) throws {
        let c = try Cholesky(Matrix(rows: [[4, 2], [2, 3]]))
        var b = [1, value]
        #expect(throws: LinearAlgebraError.nonFiniteVectorEntry(index: 1)) { try c.solve(&b) }
        #expect(b[0] == 1)
        for op in [c.solveLower, c.solveLowerTransposed, c.multiplyLower, c.multiplyLowerTransposed] as [(inout [Double]) throws(LinearAlgebraError) -> Void] {
            var v = [value, 0]
            #expect(throws: LinearAlgebraError.nonFiniteVectorEntry(index: 0)) { try op(&v) }
        }
        var m = Matrix(rows: [[1, 2], [3, value]])
        #expect(throws: LinearAlgebraError.nonFiniteVectorEntry(index: 3)) { try c.solve(&m) }
        #expect(throws: LinearAlgebraError.nonFiniteVectorEntry(index: 3)) { try c.solveLower(&m) }
        #expect(throws: LinearAlgebraError.nonFiniteVectorEntry(index: 3)) { try c.solveLowerTransposed(&m) }
        #expect(throws: LinearAlgebraError.nonFiniteVectorEntry(index: 1)) { try c.solving([0, value]) }
    }

    @Test("an overflowing solution is nonFiniteResult, never ±∞ or NaN")
    func overflowingSolution() throws {
        // A = diag(2.2e-310, 1) (subnormal): x = b/A and A⁻¹ overflow.
        let c = try Cholesky(Matrix.diagonal([Double.leastNormalMagnitude / 100, 1]))
        #expect(throws: LinearAlgebraError.nonFiniteResult) { try c.solving([1e10, 1]) }
        #expect(throws: LinearAlgebraError.nonFiniteResult) { try c.inverse() }
    }

    // MARK: Triangular operations, inverse, log-determinant

    @Test("whitening and sampling identities of L", arguments: [1, 4, 33])
    func triangularIdentities(n: Int) throws {
        var g = SeededGenerator(seed: 77 + UInt64(n))
        let a = randomSPD(n, using: &g)
        let c = try Cholesky(a)
        let l = c.lower
        let z = randomGaussianVector(n, using: &g)
        // L(L⁻¹z) = z and Lᵀ(L⁻ᵀz) = z: a triangular solve is backward stable with |ΔL| ≤ γₙ|L|
        // (Higham Thm 8.5), so ‖L x̂ − z‖∞ ≤ γₙ ‖|L||x̂|‖∞ (+ γₙ for the product).
        var w = z
        try c.solveLower(&w)
        let lw = l * w
        let bound1 = 2 * gamma(n + 1) * maxAbs(BLAS.multiply(absMatrix(l), Matrix(rows: n, columns: 1, columnMajor: w.map(abs))).elements)
        #expect(zip(lw, z).allSatisfy { abs($0 - $1) <= bound1 })
        var u = z
        try c.solveLowerTransposed(&u)
        let ltu = BLAS.multiply(l, transposed: true, Matrix(rows: n, columns: 1, columnMajor: u), transposed: false).elements
        let bound2 = 2 * gamma(n + 1) * maxAbs(BLAS.multiply(absMatrix(l), transposed: true, Matrix(rows: n, columns: 1, columnMajor: u.map(abs)), transposed: false).elements)
        #expect(zip(ltu, z).allSatisfy { abs($0 - $1) <= bound2 })
        // ‖L⁻¹b‖² = bᵀA⁻¹b (whitening), and L⁻ᵀL⁻¹b = A⁻¹b (two triangular solves = the full solve).
        let quad = BLAS.dot(w, w)
        let full = try c.solving(z)
        let reference = BLAS.dot(z, full)
        #expect(abs(quad - reference) <= 1e3 * Double(n) * eps * abs(reference))
        var twoStep = w
        try c.solveLowerTransposed(&twoStep)
        #expect(relativeError(twoStep, full) <= 1e3 * Double(n) * eps)
        // multiplyLower / multiplyLowerTransposed are products with L and Lᵀ (dtrmv), and
        // xᵀAx = ‖Lᵀx‖²: componentwise product bound γₙ|L||z|.
        var p = z
        try c.multiplyLower(&p)
        let ref = naiveProduct(l, false, Matrix(rows: n, columns: 1, columnMajor: z), false)
        #expect(worstRatio(Matrix(rows: n, columns: 1, columnMajor: p), ref.value, bound: ref.magnitude * (2 * gamma(n))) <= 1)
        var q = z
        try c.multiplyLowerTransposed(&q)
        let xAx = BLAS.dot(z, a * z)
        #expect(abs(BLAS.dot(q, q) - xAx) <= 1e3 * Double(n) * eps * abs(xAx))
        // Matrix forms equal the column-by-column vector forms.
        let zs = randomGaussianMatrix(n, 3, using: &g)
        var ys = zs
        try c.solveLower(&ys)
        var ts = zs
        try c.solveLowerTransposed(&ts)
        for j in 0..<3 {
            var col = zs.column(j)
            try c.solveLower(&col)
            #expect(relativeError(ys.column(j), col) <= 16 * Double(n) * eps)
            var colT = zs.column(j)
            try c.solveLowerTransposed(&colT)
            #expect(relativeError(ts.column(j), colT) <= 16 * Double(n) * eps)
        }
    }

    @Test("log det equals Σ log λᵢ from the eigendecomposition and log|det| of a diagonal closed form",
          arguments: [2, 10, 50])
    func logDeterminant(n: Int) throws {
        var g = SeededGenerator(seed: 404 + UInt64(n))
        let a = randomSPD(n, using: &g)
        let eig = try SymmetricEigendecomposition(a)
        let viaEigen = eig.eigenvalues.reduce(0) { $0 + log($1) }
        // Each eigenvalue is accurate to ~n·ε·‖A‖₂ absolute, i.e. n·ε·κ relative; log adds that.
        let kappa = eig.conditionNumber
        #expect(abs(try Cholesky(a).logDeterminant - viaEigen) <= 10 * Double(n * n) * eps * kappa)
        // diag(d): log det = Σ log dᵢ; each log dᵢ = 2 log √dᵢ has ~2ε relative error.
        let d = (0..<n).map { Double($0 + 1) * 0.37 }
        let exact = d.reduce(0) { $0 + log($1) }
        #expect(abs(try Cholesky(Matrix.diagonal(d)).logDeterminant - exact) <= 4 * Double(n) * eps * d.reduce(0) { $0 + abs(log($1)) })
    }

    @Test("inverse: A·A⁻¹ ≈ I within the backward bound, symmetric, equals column solves",
          arguments: [1, 7, 40])
    func inverse(n: Int) throws {
        var g = SeededGenerator(seed: 900 + UInt64(n))
        let a = randomSPD(n, using: &g)
        let c = try Cholesky(a)
        let inv = try c.inverse()
        #expect(inv == inv.transposed)
        let scale = infNorm(a) * infNorm(inv)
        #expect(infNorm(a * inv - Matrix.identity(n)) <= 4 * choleskyBackwardBound(n) * scale)
        let viaSolve = try c.solving(Matrix.identity(n))
        // Inverse via dpotri vs via dpotrs: both have forward error ≤ forwardBound(κ); κ from the eigenvalues.
        let kappa = try SymmetricEigendecomposition(a).conditionNumber
        #expect(inv.isApproximatelyEqual(to: viaSolve, relativeTolerance: 2 * forwardBound(n: n, condition: kappa)))
    }
}

/// |A| entrywise.
func absMatrix(_ a: Matrix) -> Matrix { Matrix(rows: a.rows, columns: a.columns, columnMajor: a.elements.map(abs)) }
