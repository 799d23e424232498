extension BayesianGLM {
    /// The Bayesian-learning-rule iteration with ELBO step control, shared by the full-covariance and
    /// mean-field fits.
    ///
    /// Each iteration forms the rule's targets at the current posterior q, then tries
    /// q′ = (1 − ρ)·q + ρ·target (in natural parameters) for ρ, ρ/2, … down to `minimumStepSize`: a trial
    /// is accepted when it exists (for the full fit: the new precision is positive definite) and its
    /// ELBO is finite and not below the current ELBO by more than the current rounding slack. After an
    /// accepted step ρ doubles again (capped at `maximumStepSize`). The fit stops when the relative ELBO
    /// change is ≤ `relativeTolerance` (`.converged`), when no ρ is accepted (`.stepSizeUnderflow`), or
    /// at `maximumIterations` (`.iterationLimit`).
    /// - Parameters:
    ///   - start: the starting posterior, with its finite ELBO and rounding slack.
    ///   - formTargets: computes the rule's targets at a posterior (into the caller's workspace).
    ///   - trial: the blended posterior at step size ρ with its ELBO and slack, or nil when the blend is
    ///     not a valid Gaussian or its ELBO cannot be evaluated.
    func iterateLearningRule<Posterior: Sendable>(
        from start: Posterior, elbo: Double, slack: Double, options: VariationalOptions,
        formTargets: (Posterior) -> Void,
        trial: (Posterior, Double) -> (posterior: Posterior, elbo: Double, slack: Double)?
    ) -> VariationalFit<Posterior> {
        var q = start
        var current = elbo
        var slack = slack
        var fit = VariationalFit(posterior: q, elbo: current, elboHistory: [current], stepSizes: [], iterations: 0,
                                 rejectedSteps: 0, termination: .iterationLimit)
        var rho = options.initialStepSize
        while fit.iterations < options.maximumIterations {
            formTargets(q)
            var accepted: (posterior: Posterior, elbo: Double, slack: Double)? = nil
            while rho >= options.minimumStepSize {
                if let candidate = trial(q, rho), candidate.elbo.isFinite, candidate.elbo >= current - slack {
                    accepted = candidate
                    break
                }
                fit.rejectedSteps += 1
                rho *= 0.5
            }
            guard let next = accepted else {
                fit.termination = .stepSizeUnderflow
                return fit
            }
            let change = Swift.abs(next.elbo - current)
            q = next.posterior
            current = next.elbo
            slack = next.slack
            fit.iterations += 1
            fit.posterior = q
            fit.elbo = current
            fit.elboHistory.append(current)
            fit.stepSizes.append(rho)
            if change <= options.relativeTolerance * Swift.abs(current) {
                fit.termination = .converged
                return fit
            }
            rho = Swift.min(options.maximumStepSize, 2 * rho)
        }
        fit.termination = .iterationLimit
        return fit
    }
}
