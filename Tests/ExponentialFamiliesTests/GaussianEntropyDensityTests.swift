import Testing
import TestSupport
@testable import ExponentialFamilies

/// Entropy and log density of the vector Gaussians far from the origin. The generic forms
/// A − θ·μ − E[log h] and log h + θ·T(x) − A subtract terms of size ½mᵀPm ≈ 10¹² here to leave O(1),
/// so they carry absolute errors ≈ 10⁻⁴; the closed forms (½·log det, the whitened residual) do not
/// depend on m. Reference values: mpmath at 50 digits from the exact doubles below
/// (1e6 + 0.3 = 1000000.3 and −2e6 − 0.1 = −2000000.1000000001 as doubles).
@Suite("Gaussian entropy and log density far from the origin")
struct GaussianEntropyDensityTests {
    static let mean = [1e6, -2e6]
    static let x = [1000000.3, -2000000.1000000001]

    // Closed forms: log det from the Cholesky factor (a few ulps, κ ≈ 4) and a residual x − m that is
    // exact (Sterbenz) — 1e-14 relative.
    @Test("multivariate normal")
    func multivariate() throws {
        let p = try MultivariateNormal(mean: Self.mean, covariance: Matrix(rows: [[2, 0.5], [0.5, 1]]))
        #expect(Swift.abs(p.entropy - 3.1176849603770567) <= 1e-14 * 3.1176849603770567)
        #expect(Swift.abs(try p.logDensity(Self.x) - -2.1576849604049966) <= 1e-14 * 2.1576849604049966)
    }

    @Test("diagonal normal")
    func diagonal() throws {
        let p = try DiagonalNormal(mean: Self.mean, variances: [2, 0.5])
        #expect(Swift.abs(p.entropy - 2.8378770664093453) <= 1e-14 * 2.8378770664093453)
        #expect(Swift.abs(try p.logDensity(Self.x) - -1.8703770664349568) <= 1e-14 * 1.8703770664349568)
    }

    // x − m = −2e308 overflows: the density underflows, and the answer is −∞ (not NaN, not a throw).
    @Test("an overflowing residual gives log density −∞")
    func overflowingResidual() throws {
        let p = try MultivariateNormal(mean: [1e308], covariance: Matrix(rows: [[1]]))
        #expect(try p.logDensity([-1e308]) == -.infinity)
        let q = try DiagonalNormal(mean: [1e308], variances: [1])
        #expect(try q.logDensity([-1e308]) == -.infinity)
    }

    @Test("dimension 0: entropy 0, log density 0")
    func empty() throws {
        let p = MultivariateNormal.standard(d: 0)
        #expect(p.entropy == 0)
        #expect(try p.logDensity([]) == 0)
    }
}
