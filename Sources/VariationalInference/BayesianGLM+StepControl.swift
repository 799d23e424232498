/// The record of a Bayesian-learning-rule fit as it runs, shared by the full-covariance and mean-field
/// loops: the ELBO after each accepted step, the step sizes, the relative steps, and the stopping rule.
///
/// Each iteration forms the rule's targets at the current posterior q (they come with q's ELBO from
/// the same pass), then tries q′ = (1 − ρ)·q + ρ·target (in natural parameters) for ρ, ρ/2, … down to
/// `minimumStepSize`: a trial is accepted when it exists (for the full fit: the new precision is
/// positive definite) and its ELBO is finite and not below the current ELBO by more than the current
/// rounding slack. After an accepted step ρ doubles again (capped at `maximumStepSize`).
///
/// Stopping rule (``accept(elbo:previous:rho:step:options:)``): the step of an accepted iteration is
/// measured as the relative change of the mean and of the precision,
///
///     δ = max(‖m′ − m‖∞/‖m′‖∞, ‖S′ − S‖∞/‖S′‖∞) / ρ,
///
/// that is the relative size of the full fixed-point step (target − θ) in the precision and in the
/// mean. The fit has converged when δ ≤ `stepTolerance`. Near the optimum the map contracts linearly,
/// so the distance left is about δ/(1 − r) for contraction rate r; the ELBO, which changes with the
/// square of the distance, is not a usable stopping signal on its own (a relative ELBO change of 1e-10
/// leaves ≈ 1e-5 in the parameters). With `relativeTolerance` > 0 the fit also stops when
/// |ΔELBO| ≤ relativeTolerance·|ELBO|.
///
/// A stall also counts as converged: when 20 consecutive accepted steps each changed the ELBO by no
/// more than its rounding slack and the relative step did not even halve over those 20 steps, the
/// ELBO cannot tell the iterates apart, the iteration makes no progress, and the fixed point is not
/// resolvable with these expectations (for example logistic predictive variances so large that
/// Gauss–Hermite quadrature is inaccurate, where the discrete rule's Stein identity fails); the
/// reported `relativeStep` then stays above `stepTolerance`, which says so.
struct FitRecord {
    var elboHistory: [Double]
    var stepSizes: [Double] = []
    var relativeSteps: [Double] = []
    var iterations = 0
    var rejectedSteps = 0
    var termination = VariationalTermination.iterationLimit
    /// Consecutive accepted steps whose ELBO change was within the rounding slack.
    var flatSteps = 0

    init(start elbo: Double, options: VariationalOptions) {
        let capacity = Swift.min(options.maximumIterations, 4096)
        elboHistory = [elbo]
        elboHistory.reserveCapacity(capacity + 1)
        stepSizes.reserveCapacity(capacity)
        relativeSteps.reserveCapacity(capacity)
    }

    /// Records an accepted step; true when the fit has converged.
    mutating func accept(elbo: Double, previous: Double, slack: Double, rho: Double, step: Double,
                         options: VariationalOptions) -> Bool {
        iterations += 1
        elboHistory.append(elbo)
        stepSizes.append(rho)
        relativeSteps.append(step)
        let elboSettled = options.relativeTolerance > 0 && Swift.abs(elbo - previous) <= options.relativeTolerance * Swift.abs(elbo)
        flatSteps = Swift.abs(elbo - previous) <= slack ? flatSteps + 1 : 0
        let count = relativeSteps.count
        let stalled = flatSteps >= 20 && count > 20 && step >= 0.5 * relativeSteps[count - 21]
        if step <= options.stepTolerance || elboSettled || stalled {
            termination = .converged
            return true
        }
        return false
    }

    func fit<Posterior: Sendable>(_ posterior: Posterior) -> VariationalFit<Posterior> {
        VariationalFit(posterior: posterior, elbo: elboHistory.last!, elboHistory: elboHistory, stepSizes: stepSizes,
                       relativeSteps: relativeSteps, iterations: iterations, rejectedSteps: rejectedSteps,
                       termination: termination)
    }
}
