import Foundation
import Testing
@testable import VariationalInference

@Suite("Gauss–Hermite rule")
struct GaussHermiteRuleTests {
    @Test("3-point rule equals the closed form: nodes 0, ±√3, weights 2/3, 1/6")
    func threePoint() throws {
        let rule = try GaussHermiteRule(nodeCount: 3)
        // Roots of He₃ = z³ − 3z; the weights 1/(3·He₂(z)²)·3! give 1/6, 2/3, 1/6. A few ulps of
        // eigensolver + Newton rounding are allowed.
        #expect(abs(rule.nodes[0] + 3.0.squareRoot()) <= 4 * Double.ulpOfOne * 2)
        #expect(rule.nodes[1] == 0)
        #expect(abs(rule.nodes[2] - 3.0.squareRoot()) <= 4 * Double.ulpOfOne * 2)
        #expect(abs(rule.weights[0] - 1.0 / 6) <= 4 * Double.ulpOfOne)
        #expect(abs(rule.weights[1] - 2.0 / 3) <= 4 * Double.ulpOfOne)
        #expect(abs(rule.weights[2] - 1.0 / 6) <= 4 * Double.ulpOfOne)
    }

    @Test("n-point rule integrates zᵏ exactly for k ≤ 2n − 1: E[z²ʲ] = (2j − 1)!!", arguments: [1, 2, 5, 17, 64, 200])
    func moments(n: Int) throws {
        let rule = try GaussHermiteRule(nodeCount: n)
        #expect(rule.nodes == rule.nodes.sorted())
        #expect(rule.weights.allSatisfy { $0 > 0 })
        // Check even moments up to min(2n − 2, 20) (higher ones are huge and cancel badly in sums).
        var doubleFactorial = 1.0
        for j in 0...min(n - 1, 10) {
            if j > 0 { doubleFactorial *= Double(2 * j - 1) }
            let value = rule.expectation { pow($0, Double(2 * j)) }
            // Σ wₖ zₖ²ʲ has positive terms: relative rounding ≈ n·ε, plus node errors (a few ulps,
            // amplified by 2j): budget 64·(n + 2j)·ε.
            #expect(abs(value - doubleFactorial) <= 64 * Double(n + 2 * j) * Double.ulpOfOne * doubleFactorial,
                    "n = \(n), E[z^\(2 * j)] = \(value), expected \(doubleFactorial)")
            // Odd moments vanish: the rule is exactly symmetric, so only the rounding of the
            // left-to-right sum remains, bounded by n·ε·Σ wₖ|zₖ|^(2j+1) ≤ n·ε·E[z^(2j+2)] + n·ε.
            let odd = rule.expectation { pow($0, Double(2 * j + 1)) }
            #expect(abs(odd) <= 4 * Double(n) * Double.ulpOfOne * (doubleFactorial * Double(2 * j + 1) + 1),
                    "n = \(n), E[z^\(2 * j + 1)] = \(odd)")
        }
    }

    @Test("64 points give E[cos z] = e^(−1/2) and E[eᶻ] = e^(1/2) to machine precision")
    func analyticIntegrands() throws {
        let rule = try GaussHermiteRule(nodeCount: 64)
        // Entire integrands: the Gauss–Hermite error is far below ε at 64 nodes; allow 8 ulps of rounding.
        #expect(abs(rule.expectation(cos) - exp(-0.5)) <= 8 * Double.ulpOfOne)
        #expect(abs(rule.expectation(exp) - exp(0.5)) <= 8 * Double.ulpOfOne * exp(0.5))
    }

    @Test("node counts outside 1…200 throw", arguments: [0, -3, 201])
    func invalidCounts(n: Int) {
        #expect(throws: VariationalInferenceError.self) { _ = try GaussHermiteRule(nodeCount: n) }
    }
}
