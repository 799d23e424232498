import Foundation
import Testing
@testable import VariationalInference

/// Binomial expectations at predictor variances where Gauss–Hermite fails (v > 2.25).
///
/// References: identities that hold for the exact expectations — Stein's lemma ∂E[ℓ]/∂v = ½E[ℓ″]
/// (computed here from E[zℓ′] and from E[ℓ″] independently), E[σ(η)] = ½ at μ = 0 by symmetry, and
/// softplus(x) − softplus(−x) = x, so the y = 0 and y = 1 values differ by exactly −μ — and, at v = 3
/// where a 200-node Hermite rule is accurate (error ≈ exp(−π·20/√3) ≈ 2e-16), that rule.
@Suite("Wide-predictor quadrature (binomial, v > 2.25)")
struct WidePredictorQuadratureTests {
    static let logit = try! ObservationModel(family: .binomial, link: .logit, dispersion: 1)
    static let probit = try! ObservationModel(family: .binomial, link: .probit, dispersion: 1)

    @Test("identities at v = 3, 25, 100, 10⁴", arguments: [3.0, 25, 100, 1e4])
    func identities(v: Double) throws {
        let rule = try ExpectationRule(.standard, model: Self.logit)
        for model in [Self.logit, Self.probit] {
            for y in [0.0, 1.0] {
                for mu in [-2.0, 0.0, 1.3] {
                    let e = model.expectations(mean: mu, variance: v, response: y, rule: rule)
                    // Probit: ℓ″ = cA − A² cancels in the far tails (A ≈ c ≈ −η, ℓ″ → −1 from terms ≈ η²),
                    // a relative loss ≈ η² ≈ v at |η| ≈ √v: budget 5e-12·v there (5e-10 at v = 100), 1e-13 for the logit.
                    let budget = model.link == .probit ? 5e-12 * v : 1e-13
                    #expect(abs(e.varianceSlope - 0.5 * e.curvature) <= budget, "\(model.label) v = \(v), μ = \(mu), y = \(y)")
                }
            }
        }
        let half = Self.logit.expectations(mean: 0, variance: v, response: 1, rule: rule)
        #expect(abs(half.slope - 0.5) <= 1e-14, "E[1 − σ(η)] = ½ at μ = 0, v = \(v)")
        let mu = 1.3
        let a = Self.logit.expectations(mean: mu, variance: v, response: 0, rule: rule)
        let b = Self.logit.expectations(mean: mu, variance: v, response: 1, rule: rule)
        #expect(abs((b.value - a.value) - mu) <= 1e-13 * max(1, abs(a.value)), "v = \(v)")
    }

    @Test("equals a 200-node Hermite rule at v = 3")
    func againstHermite() throws {
        let wide = try ExpectationRule(.standard, model: Self.logit)
        var hermite = try ExpectationRule(.gaussHermite(nodes: 200), model: Self.logit)
        hermite.gaussHermite = false  // force the Hermite nodes
        for model in [Self.logit, Self.probit] {
            for (mu, y) in [(0.4, 1.0), (-1.5, 0.0), (2.5, 0.0)] {
                let a = model.expectations(mean: mu, variance: 3, response: y, rule: wide)
                let b = model.expectations(mean: mu, variance: 3, response: y, rule: hermite)
                #expect(abs(a.value - b.value) <= 1e-13 * max(1, abs(b.value)))
                #expect(abs(a.slope - b.slope) <= 1e-13)
                #expect(abs(a.curvature - b.curvature) <= 1e-13)
            }
        }
    }
}
