import Foundation
import Testing
@testable import GeneralizedLinearModels

@Suite("Links")
struct LinkTests {
    @Test("g(g⁻¹(η)) = η", arguments: GLMLink.allCases)
    func roundTrip(link: GLMLink) {
        // Upper tails of logit/probit/cloglog are excluded: there μ rounds towards 1 and g(μ) is ill
        // conditioned (1 − μ keeps only a few digits), a property of the function, not of the code.
        let etas: [Double] = link == .inverseSquared || link == .inverse ? [0.1, 0.5, 1, 3, 20] : [-8, -2, -0.3, 0, 0.4, 1.5]
        for eta in etas {
            let back = link.link(link.mean(eta))
            // Each of g⁻¹ and g is accurate to a few ulps; 1e-13 relative leaves room for their product.
            #expect(Swift.abs(back - eta) <= 1e-13 * Swift.max(1, Swift.abs(eta)), "\(link) at \(eta): \(back)")
        }
    }

    @Test("dμ/dη matches a central difference", arguments: GLMLink.allCases)
    func derivative(link: GLMLink) {
        for eta in [0.2, 0.7, 1.5, 3.0] {
            let h = 1e-5
            let numeric = (link.mean(eta + h) - link.mean(eta - h)) / (2 * h)
            let exact = link.meanDerivative(eta, mean: link.mean(eta))
            // Central difference error O(h²·μ‴) ≈ 1e-10 plus rounding ε/h ≈ 1e-11.
            #expect(Swift.abs(numeric - exact) <= 1e-8 * Swift.max(1, Swift.abs(exact)), "\(link) at \(eta)")
        }
    }

    @Test("Φ⁻¹ against values computed with mpmath (60 digits)")
    func normalQuantile() {
        // mpmath.mp.dps = 60; findroot(ncdf(x) − p) for p = the double nearest each literal, printed %.17g.
        let cases: [(Double, Double)] = [
            (0.5, 0), (0.975, 1.9599639845400538), (1e-10, -6.3613409024040566), (0.02, -2.053748910631823),
            (0.9999, 3.7190164854557084), (1e-300, -37.047096299361201),
        ]
        for (p, x) in cases {
            // Relative 1e-14: one Halley step from a 1e-9 start leaves ≈ (1e-9)³, below rounding.
            #expect(Swift.abs(standardNormalQuantile(p) - x) <= 1e-14 * Swift.max(1, Swift.abs(x)), "p = \(p)")
        }
    }
}
