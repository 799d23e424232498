/// What the solver's buffers hold between passes, as enums instead of mode flags (the plan, which does not
/// change, is `FisherScoringPlan`).

/// Which Fisher matrix the current factorization is of.
enum FisherSource: Equatable {
    /// The subsampled estimate (a preconditioner).
    case subsample
    /// The exact XᵀWX.
    case full
}

/// What the last evaluation pass left at its coefficients besides η, u and the score.
enum PassProducts: Equatable {
    /// Nothing else: W is stale (the fast paths skip it), recomputed from η before a Fisher matrix is formed.
    case score
    /// The working weights W.
    case weights
    /// W and the full XᵀWX in `fisher`, not yet factored.
    case weightsAndFisher
}

/// Whether a check is still to be made.
enum PendingCheck: Equatable {
    case pending
    case done
}

/// The age of the factorization a step used.
enum FactorAge: Equatable {
    /// Formed at this step's β (a Newton step, or on a subsample).
    case fresh
    /// Reused from an earlier β (a chord step).
    case reused
}

/// The observation loop of a (family, link) pair. The logistic and Poisson–log loops (scalar or AVX-512)
/// write only u while iterating: W when a Fisher matrix is formed from the same pass (else it is recomputed
/// from η, `recomputeWorkingWeights`), μ once after convergence (`finishObservations`); the general loop
/// writes μ, W and u at every pass.
enum ObservationLoop: Equatable {
    case logistic
    case poisson
    case general

    init(family: GLMFamily, link: GLMLink) {
        switch (family, link) {
        case (.binomial, .logit): self = .logistic
        case (.poisson, .log): self = .poisson
        default: self = .general
        }
    }
}
