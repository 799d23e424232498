import LinearAlgebra
import TestSupport
import Testing
@testable import VariationalInference

/// ELBO step control: a step that lowers the ELBO is rejected, retried with ρ/2, and counted.
///
/// Reference: the ELBO itself, evaluated outside the fit loop. The accepted path is replayed with
/// `learningRuleStep` (ρ from `stepSizes`); wherever the step sizes show a rejection (the ρ tried first
/// is larger than the one accepted), the step with the ρ tried first is computed on its own and must
/// lower the ELBO (or not be a valid Gaussian). The step sizes also imply the number of rejections:
/// ρ starts at `initialStepSize`, halves on each rejection, and doubles (capped at 1) after each
/// accepted step, so `rejectedSteps` has to equal that count.
@Suite("Step control: rejected steps")
struct StepRejectionTests {
    /// The halvings implied by the accepted step sizes, and for each accepted step the ρ tried first.
    static func triedFirst(_ stepSizes: [Double], initial: Double = 1, maximum: Double = 1) -> (rejections: Int, first: [Double]) {
        var candidate = initial, count = 0, first = [Double]()
        for rho in stepSizes {
            first.append(candidate)
            while candidate > rho { candidate *= 0.5; count += 1 }
            candidate = Swift.min(maximum, 2 * rho)
        }
        return (count, first)
    }

    @Test("full covariance, logistic, from a start deep in the likelihood's flat tail: the ρ = 1 step lowers the ELBO and is rejected")
    func fullCovariance() throws {
        let model = try syntheticModel(.bernoulliLogit, n: 150, d: 4, alpha: 1, seed: 11)
        // m = ±4 on the intercept and three standard-normal features: linear predictors of typical size 7,
        // mostly on the wrong side, where the expected curvature is tiny: the rule's ρ = 1 step (a
        // Newton-like step on E_q[ℓ]) overshoots.
        let start = try FullGaussianPosterior(mean: [-4, 4, -4, 4], precision: Matrix.identity(4))
        let startELBO = try model.elbo(start)
        let overshoot = try model.elbo(model.learningRuleStep(from: start, stepSize: 1))
        #expect(overshoot < startELBO - 1, "ρ = 1 step: ELBO \(overshoot), start \(startELBO)")

        let fit = try model.fitFullCovariance(initial: start)
        #expect(fit.converged)
        #expect(fit.rejectedSteps >= 1)
        #expect(fit.stepSizes.first.map { $0 < 1 } == true, "\(fit.stepSizes)")
        let (rejections, first) = Self.triedFirst(fit.stepSizes)
        #expect(fit.rejectedSteps == rejections, "\(fit.rejectedSteps) rejections reported, \(rejections) implied by \(fit.stepSizes)")
        #expect(fit.elboHistory.first == startELBO)
        // Replay: every accepted step reproduces the recorded ELBO and does not lower it; every first
        // try that was not accepted lowers it (or is not positive definite).
        var q = start
        for (k, rho) in fit.stepSizes.enumerated() {
            let current = fit.elboHistory[k]
            if first[k] > rho {
                if let tried = try? model.learningRuleStep(from: q, stepSize: first[k]), let e = try? model.elbo(tried) {
                    #expect(e < current, "step \(k + 1): ρ = \(first[k]) was rejected, its ELBO \(e) ≥ \(current)")
                }
            }
            q = try model.learningRuleStep(from: q, stepSize: rho)
            let e = try model.elbo(q)
            #expect(abs(e - fit.elboHistory[k + 1]) <= 1e-12 * abs(e), "step \(k + 1)")
            #expect(e >= current - 1e-12 * abs(current), "step \(k + 1): the ELBO fell from \(current) to \(e)")
        }
    }

    @Test("mean field, Poisson, from a start whose later ρ = 1 steps overshoot: rejections counted, the ELBO never falls")
    func meanField() throws {
        let model = try syntheticModel(.poissonLog, n: 150, d: 4, alpha: 1, seed: 12)
        let start = try DiagonalGaussianPosterior(mean: [-0.5, 0.5, -0.5, 0.5], precisions: [1, 1, 1, 1])
        let fit = try model.fitDiagonal(options: VariationalOptions(maximumIterations: 5000, acceleration: 0), initial: start)
        #expect(fit.converged)
        #expect(fit.rejectedSteps >= 1)
        let (rejections, first) = Self.triedFirst(fit.stepSizes)
        #expect(fit.rejectedSteps == rejections, "\(fit.rejectedSteps) rejections reported, \(rejections) implied by \(fit.stepSizes)")
        var q = start
        var rejectedChecked = 0
        for (k, rho) in fit.stepSizes.enumerated() {
            let current = fit.elboHistory[k]
            if first[k] > rho {
                if let tried = try? model.learningRuleStep(from: q, stepSize: first[k]), let e = try? model.elbo(tried) {
                    #expect(e < current, "step \(k + 1): ρ = \(first[k]) was rejected, its ELBO \(e) ≥ \(current)")
                    rejectedChecked += 1
                }
            }
            q = try model.learningRuleStep(from: q, stepSize: rho)
            let e = try model.elbo(q)
            #expect(abs(e - fit.elboHistory[k + 1]) <= 1e-12 * abs(e), "step \(k + 1)")
            #expect(e >= current - 1e-12 * abs(current), "step \(k + 1): the ELBO fell from \(current) to \(e)")
        }
        #expect(rejectedChecked >= 1)
    }
}
