import Testing
import TestSupport
@testable import ExponentialFamilies

/// KL between Gaussians in the cancellation-free closed forms. Reference values: mpmath at 60 digits
/// from the exact doubles below (inputs printed with %.17g; 1 + 1e-7 = 1.0000001000000001 and
/// 2 + 1e-7 = 2.0000000999999998 as doubles).
@Suite("Gaussian KL divergence")
struct GaussianKLTests {
    // p ≈ q (relative perturbation 1e-7): KL ≈ 3.7e-15 while |A| ≈ 2, so the Bregman form's absolute
    // error ε·|A| ≈ 4e-16 is ≈ 10 % of the answer. The closed form's error is ≈ κ·ε relative to KL
    // (κ ≈ 2.5 for these covariances) plus the rounding of Σp − Σq (exact here: Sterbenz): 1e-9
    // relative is a generous, still failing-for-Bregman, tolerance.
    @Test("multivariate normal, nearly equal members")
    func nearlyEqual() throws {
        let p = try MultivariateNormal(mean: [1, 2], covariance: Matrix(rows: [[2, 0.5], [0.5, 1]]))
        let q = try MultivariateNormal(mean: [1.0000001000000001, 2], covariance: Matrix(rows: [[2.0000000999999998, 0.5], [0.5, 1]]))
        let reference = 3.673469162957921e-15
        #expect(Swift.abs(p.klDivergence(to: q) - reference) <= 1e-9 * reference)
        #expect(p.klDivergence(to: p) == 0)
    }

    // Well-separated members: both forms are accurate; closed form to ≈ κ·d·ε relative.
    @Test("multivariate normal, separated members, and agreement with the Bregman form")
    func separated() throws {
        let p = try MultivariateNormal(mean: [1, 2], covariance: Matrix(rows: [[2, 0.5], [0.5, 1]]))
        let q = try MultivariateNormal(mean: [0, 1], covariance: Matrix(rows: [[1, 0.2], [0.2, 3]]))
        let reference = 1.0195434969570298
        #expect(Swift.abs(p.klDivergence(to: q) - reference) <= 1e-14 * reference)
        #expect(Swift.abs(p.bregmanDivergence(to: q) - reference) <= 1e-13 * reference)
    }

    @Test("reference-file KL for the multivariate normal, closed form")
    func referenceFile() throws {
        let r = try referencePoints("MultivariateNormal")
        let p = try MultivariateNormal(naturalParameters: r[0].theta)
        let q = try MultivariateNormal(naturalParameters: r[1].theta)
        // The closed form does not share the Bregman cancellation; covariance condition numbers ≈ 4:
        // 1e-13 relative.
        #expect(Swift.abs(p.klDivergence(to: q) - r[0].klNext!) <= 1e-13 * r[0].klNext!)
    }

    // DiagonalNormal: every term is a φ or a square; relative error a few ε. KL = 2.0e-14 here.
    @Test("diagonal normal, nearly equal members")
    func diagonalNearlyEqual() throws {
        let p = try DiagonalNormal(mean: [1, -2], variances: [0.5, 2])
        let q = try DiagonalNormal(mean: [1.0000001000000001, -2], variances: [0.5 + 1e-7, 2])
        let reference = 1.9999995334484563e-14
        #expect(Swift.abs(p.klDivergence(to: q) - reference) <= 1e-9 * reference)
        // Against the full-covariance closed form on the same members.
        let pf = try MultivariateNormal(mean: p.mean, covariance: .diagonal(p.variances))
        let qf = try MultivariateNormal(mean: q.mean, covariance: .diagonal(q.variances))
        #expect(Swift.abs(pf.klDivergence(to: qf) - reference) <= 1e-9 * reference)
    }
}
