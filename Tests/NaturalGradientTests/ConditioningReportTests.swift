import LinearAlgebra
import NaturalGradient
import Testing
import TestSupport

/// The damping report carries the conditioning of the factored matrix, and a jitter policy can treat a
/// reciprocal condition estimate below a threshold as "not positive definite".
@Suite("Conditioning in the damping report")
struct ConditioningReportTests {
    /// F = XᵀX/n for X = [1 | x | 0.7x] (a duplicated, rescaled feature): singular in exact arithmetic.
    /// Measured on the project machine: dsyevd gives F an eigenvalue of −3.5e-15 and dpotrf *succeeds*
    /// (the case of the issue), with (min Lᵢᵢ/max Lᵢᵢ)² = 3.7e-16; an exact copy x makes dpotrf fail at
    /// minor 3 instead. The test accepts either outcome — both are reported — since another BLAS may
    /// round differently.
    static func duplicatedFeatureFisher() -> Matrix {
        let n = 50
        var x = Matrix(rows: n, columns: 3)
        for i in 0..<n {
            let t = 0.37 * Double(i) - 4.1 + 0.01 * Double(i * i % 7)
            x[i, 0] = 1
            x[i, 1] = t
            x[i, 2] = 0.7 * t
        }
        return EmpiricalFisherWorkspace.fisher(gradients: x)
    }

    @Test("pivot ratio (min Lᵢᵢ/max Lᵢᵢ)² ≥ λ_min/λ_max (dsyevd), on SPD matrices with κ up to ~1e13")
    func pivotRatioBoundsTheConditionNumber() throws {
        var rng = SeededGenerator(seed: 18)
        for shift in [1.0, 1e-3, 1e-6, 1e-9, 1e-12] {
            // GᵀG/n of a square Gaussian G has a smallest eigenvalue near 0, so κ ≈ (its largest)/shift.
            let a = randomSPD(12, shift: shift, using: &rng)
            let eigen = try SymmetricEigendecomposition(a)
            let exact = eigen.eigenvalues.min()! / eigen.eigenvalues.max()!
            let ratio = try Cholesky(a).pivotRatio
            #expect(ratio >= exact * (1 - 1e-6))
            #expect(ratio <= 1)
        }
        #expect(try Cholesky(Matrix.diagonal([4, 1, 16])).pivotRatio == 1.0 / 16)
    }

    @Test("the duplicated feature is reported: a failed pivot, or a pivot ratio near ε; the rcond policy then jitters")
    func duplicatedFeature() throws {
        let f = Self.duplicatedFeatureFisher()
        let g: [Double] = [1, 0.5, -0.25]
        var workspace = DenseFisherWorkspace(dimension: 3)
        var undamped = g
        do {
            let report = try workspace.solve(fisher: f, gradient: &undamped)
            // dpotrf succeeded on a matrix that is singular in exact arithmetic: the report says so.
            #expect(report.pivotRatio < 1e-12)
        } catch let error {
            guard case .linearAlgebra(.notPositiveDefinite(minor: 3, _, _)) = error else {
                Issue.record("unexpected error \(error)")
                return
            }
        }
        // With a threshold on 1/κ₁ the jitter engages until the estimate clears it.
        let policy = JitterPolicy(minimumReciprocalCondition: 1e-10)
        var direction = g
        let report = try workspace.solve(fisher: f, gradient: &direction, jitter: policy)
        #expect(report.attempts > 1 && report.damping > 0)
        let rcond = try #require(report.reciprocalCondition)
        #expect(rcond >= 1e-10)
        // The reported estimate is dpocon's for F + λI, factored independently.
        let check = try Cholesky(f, damping: report.damping, conditionEstimate: true)
        #expect(check.reciprocalConditionNumber == rcond)
        // The damped direction is bounded: ‖x‖ ≤ ‖g‖/λ.
        #expect(BLAS.norm(direction) <= BLAS.norm(g) / report.damping)
    }

    @Test("a threshold no damping in the schedule can meet is thrown as .illConditioned")
    func thresholdTooStrict() {
        // diag(1, 1e-20): 1/κ = 1e-20; the schedule's cap (λ ≤ mean |Aᵢᵢ| ≈ 0.5) gives at best 1/κ ≈ 1/3.
        let a = Matrix.diagonal([1, 1e-20])
        let policy = JitterPolicy(maximumRelativeDamping: 1e-3, minimumReciprocalCondition: 0.5)
        #expect {
            try Cholesky(a, jitter: policy)
        } throws: { error in
            guard case let .illConditioned(rcond, _, attempts)? = error as? LinearAlgebraError else { return false }
            return rcond < 0.5 && attempts > 1
        }
    }

    @Test("without a threshold, well-conditioned solves report no estimate and a pivot ratio")
    func defaultsReportPivotRatioOnly() throws {
        var workspace = DenseFisherWorkspace(dimension: 2)
        let report = try workspace.solving(fisher: Matrix.diagonal([4, 1]), gradient: [1, 1]).report
        #expect(report.reciprocalCondition == nil)
        #expect(report.pivotRatio == 0.25)
    }
}
