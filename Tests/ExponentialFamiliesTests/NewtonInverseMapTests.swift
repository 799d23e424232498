import Testing
import TestSupport
@testable import ExponentialFamilies

@Suite("NewtonInverseMap")
struct NewtonInverseMapTests {
    // The generic solver (explicit F, Cholesky steps, halving) on the 9-parameter Gaussian, whose
    // inverse map also has a closed form: an independent check. Start N(0, I), target the reference
    // point (mean ≈ (0.9, −4, 0.7)), several Newton steps away (any step that would leave the
    // negative-definite cone is halved). Tolerance: Newton stops at scaled residual 1e-12; ‖F⁻¹‖ ≤ 31
    // (fisher_inv), so θ agrees with the closed form to ≈ 31·1e-12·max|μ| ≈ 1e-9 relative.
    @Test("generic Newton on the multivariate normal reaches the closed-form θ from N(0, I)", arguments: [0, 1])
    func multivariateNormalFromFarStart(_ k: Int) throws {
        let r = try referencePoints("MultivariateNormal")[k]
        let solution = try NewtonInverseMap.standard.solve(meanParameters: r.mu, from: MultivariateNormal.standard(d: 3))
        let closedForm = try MultivariateNormal(d: 3, meanParameters: r.mu)
        #expect(maxRelativeError(solution.member.naturalParameters, closedForm.naturalParameters) <= 1e-9)
        #expect(maxRelativeError(solution.member.naturalParameters, r.theta) <= 1e-9)
        #expect(solution.residual <= 1e-12 * Swift.max(1, r.mu.map(Swift.abs).max()!))
        #expect(solution.iterations > 1)
    }

    // Beta from a start many orders of magnitude off (α = β = 1000 for a U-shaped Beta(0.01, 0.02)).
    @Test("generic Newton on Beta converges from a far start with halving")
    func betaFromFarStart() throws {
        let target = try Beta(alpha: 0.01, beta: 0.02)
        let solution = try NewtonInverseMap.standard.solve(meanParameters: target.meanParameters,
                                                          from: Beta(alpha: 1000, beta: 1000))
        #expect(Swift.abs(solution.member.alpha - 0.01) <= 1e-8 * 0.01)
        #expect(Swift.abs(solution.member.beta - 0.02) <= 1e-8 * 0.02)
    }

    @Test("a cap of 0 iterations reports the starting residual exactly")
    func zeroIterations() throws {
        let start = try Beta(alpha: 2, beta: 3)
        let target = try Beta(alpha: 4, beta: 1).meanParameters
        let startMu = start.meanParameters
        let expected = Swift.max(Swift.abs(startMu[0] - target[0]), Swift.abs(startMu[1] - target[1]))
        #expect(throws: ExponentialFamilyError.inverseMapDidNotConverge(iterations: 0, residual: expected)) {
            _ = try NewtonInverseMap(maximumIterations: 0).solve(meanParameters: target, from: start)
        }
    }

    @Test("a cap of 1 iteration reports 1 iteration and a smaller residual")
    func oneIteration() throws {
        let start = try Beta(alpha: 2, beta: 3)
        let target = try Beta(alpha: 4, beta: 1).meanParameters
        let startMu = start.meanParameters
        let startResidual = Swift.max(Swift.abs(startMu[0] - target[0]), Swift.abs(startMu[1] - target[1]))
        #expect {
            _ = try NewtonInverseMap(maximumIterations: 1).solve(meanParameters: target, from: start)
        } throws: { error in
            guard case let .inverseMapDidNotConverge(iterations, residual) = error as? ExponentialFamilyError else { return false }
            return iterations == 1 && residual < startResidual
        }
    }

    @Test("no acceptable step within the halving budget is reported, not returned")
    func halvingBudget() throws {
        // From α = β = 1000 toward Beta(0.01, 0.02) the full Newton step leaves the domain θ > −1;
        // with no halving allowed the solver must throw at iteration 0.
        let target = try Beta(alpha: 0.01, beta: 0.02).meanParameters
        #expect {
            _ = try NewtonInverseMap(maximumHalvings: 0).solve(meanParameters: target, from: Beta(alpha: 1000, beta: 1000))
        } throws: { error in
            guard case let .inverseMapDidNotConverge(iterations, _) = error as? ExponentialFamilyError else { return false }
            return iterations == 0
        }
    }

    @Test("non-finite targets are rejected by name")
    func nonFiniteTarget() throws {
        #expect(throws: ExponentialFamilyError.nonFinite(parameter: "mu[1]")) {
            _ = try NewtonInverseMap.standard.solve(meanParameters: [-1, .nan], from: Beta(alpha: 1, beta: 1))
        }
    }

    @Test("an already-converged start returns after 0 iterations")
    func alreadyConverged() throws {
        let p = try Dirichlet(alpha: [1, 2, 3])
        let solution = try NewtonInverseMap.standard.solve(meanParameters: p.meanParameters, from: p)
        #expect(solution.iterations == 0 && solution.residual == 0)
    }
}
