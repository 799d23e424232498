import ExponentialFamilies

/// The result of a natural-gradient descent step θ ← θ − ρ·∇μL.
public struct NaturalGradientStep<Family: ExponentialFamily>: Sendable {
    /// The family at the new natural parameters.
    public var updated: Family
    /// The ρ actually used: the requested step size divided by 2^``halvings``.
    public var stepSize: Double
    /// How many times the step was halved to stay in the natural-parameter domain.
    public var halvings: Int
}

// The fast path. For a canonical family F(θ) = ∇²A(θ) = ∂μ/∂θ, so ∇θL = F·∇μL by the chain rule and the
// natural gradient F⁻¹∇θL is ∇μL itself: no matrix is formed or factored. The DocC article
// "Natural gradients and the fast path" has the derivation.
/// The mean-parameter fast path of every exponential family: F(θ)⁻¹∇θL = ∇μL, no matrix formed.
extension ExponentialFamily {
    /// ∇θL = F(θ)·∇μL, through `fisherVectorProduct(_:)` (no p × p matrix): the gradient with respect
    /// to the natural parameters of a loss whose mean-parameter gradient is known.
    /// - Parameter meanGradient: ∇μL, length `dimension`.
    public func naturalParameterGradient(fromMeanGradient meanGradient: [Double]) -> [Double] {
        precondition(meanGradient.count == dimension,
                     "mean gradient of length \(meanGradient.count) for a family of dimension \(dimension)")
        return fisherVectorProduct(meanGradient)
    }

    /// ∇μL = F(θ)⁻¹∇θL by the Cholesky path (factor F(θ) + λI; λ = 0 by default): the inverse of
    /// ``naturalParameterGradient(fromMeanGradient:)``, and the natural gradient of L.
    /// - Parameters:
    ///   - gradient: ∇θL, length `dimension`.
    ///   - damping: λ ≥ 0; with λ > 0 the result is the damped direction (F + λI)⁻¹∇θL, not ∇μL.
    ///   - jitter: opt-in escalating damping for a numerically singular F(θ).
    /// - Returns: the direction and the λ used.
    /// - Throws: as ``DenseFisherWorkspace/solve(fisher:gradient:damping:jitter:)``.
    public func meanGradient(
        fromNaturalParameterGradient gradient: [Double], damping: Double = 0, jitter: JitterPolicy? = nil
    ) throws(NaturalGradientError) -> NaturalGradientSolution {
        try NaturalGradient.solve(family: self, naturalParameterGradient: gradient, damping: damping, jitter: jitter)
    }

    /// One natural-gradient descent step θ ← θ − ρ·∇μL, halving ρ while the new θ is outside the
    /// natural-parameter domain (e.g. a Gaussian precision that would stop being positive definite).
    ///
    /// Because ∇μL is the natural gradient, this is natural-gradient descent with no linear solve.
    /// With L = KL(q_θ‖p) (∇μL = θ − θ_p) and ρ = 1 the step lands exactly on p.
    /// - Parameters:
    ///   - meanGradient: ∇μL, length `dimension`, finite.
    ///   - stepSize: ρ > 0, finite.
    ///   - maximumHalvings: how many times ρ may be halved (default 30) before giving up.
    /// - Returns: the new member, the ρ used and the number of halvings.
    /// - Throws: `.nonFiniteGradient`, `.invalidStepSize`, and
    ///   `.stepLeftDomain(lastStepSize:halvings:reason:)` with the last ρ tried and the family's
    ///   objection when no ρ/2ᵏ, k ≤ `maximumHalvings`, gives a valid θ.
    public func naturalGradientStep(
        meanGradient: [Double], stepSize: Double, maximumHalvings: Int = 30
    ) throws(NaturalGradientError) -> NaturalGradientStep<Self> {
        guard meanGradient.count == dimension else {
            throw .shapeMismatch(operation: "natural-gradient step", expected: "a mean gradient of length \(dimension) (the family's dimension)",
                                 actual: "length \(meanGradient.count)")
        }
        precondition(maximumHalvings >= 0, "maximumHalvings must be ≥ 0, got \(maximumHalvings)")
        try requireFiniteGradient(meanGradient)
        guard stepSize > 0, stepSize.isFinite else { throw .invalidStepSize(stepSize) }
        let theta = naturalParameters
        var candidate = theta
        var rho = stepSize
        var halvings = 0
        while true {
            for i in candidate.indices { candidate[i] = theta[i] - rho * meanGradient[i] }
            do {
                let updated = try withNaturalParameters(candidate)
                return NaturalGradientStep(updated: updated, stepSize: rho, halvings: halvings)
            } catch {
                if halvings >= maximumHalvings {
                    throw .stepLeftDomain(lastStepSize: rho, halvings: halvings, reason: error)
                }
                halvings += 1
                rho *= 0.5
            }
        }
    }
}
