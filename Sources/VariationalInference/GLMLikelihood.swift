import GeneralizedLinearModels

/// The three GLMs of the first version of this module, kept as shorthands for a (family, link,
/// dispersion) of `GeneralizedLinearModels` (``BayesianGLM/init(design:response:family:link:dispersion:offset:weights:priorPrecision:execution:)``
/// takes any pair). Each is concave in a (ℓ″ ≤ 0), so −E[∇²ℓ] is positive semidefinite and every
/// Bayesian-learning-rule precision is positive definite.
///
/// - `gaussian(noisePrecision: β)`: Gaussian family, identity link, dispersion φ = 1/β:
///   ℓ(a) = ½ log(β/2π) − ½β(y − a)², ℓ′ = β(y − a), ℓ″ = −β; y ∈ ℝ.
/// - `bernoulliLogit`: binomial family, logit link: ℓ(a) = y·a − log(1 + eᵃ), ℓ′ = y − σ(a),
///   ℓ″ = −σ(a)σ(−a); y ∈ {0, 1}.
/// - `poissonLog`: Poisson family, log link: ℓ(a) = y·a − eᵃ − log y!, ℓ′ = y − eᵃ, ℓ″ = −eᵃ;
///   y ∈ {0, 1, 2, …}.
public enum GLMLikelihood: Sendable, Equatable {
    /// Gaussian with noise precision β: ℓ(a) = ½ log(β/2π) − ½β(y − a)².
    case gaussian(noisePrecision: Double)
    /// Bernoulli with logit link: ℓ(a) = y·a − log(1 + eᵃ).
    case bernoulliLogit
    /// Poisson with log link: ℓ(a) = y·a − eᵃ − log y!.
    case poissonLog

    /// "linear", "logistic" or "poisson" (the CLI's model names).
    public var modelName: String {
        switch self {
        case .gaussian: return "linear"
        case .bernoulliLogit: return "logistic"
        case .poissonLog: return "poisson"
        }
    }

    /// The family of `GeneralizedLinearModels`.
    public var family: GLMFamily {
        switch self {
        case .gaussian: return .gaussian
        case .bernoulliLogit: return .binomial
        case .poissonLog: return .poisson
        }
    }

    /// The (canonical) link.
    public var link: GLMLink { family.defaultLink }

    /// φ: 1/β for the Gaussian, 1 otherwise.
    public var dispersion: Double {
        if case let .gaussian(beta) = self { return 1 / beta }
        return 1
    }

    /// Checks the response `y` at position `index` (stricter than the families: 0/1 for the logistic
    /// model, integer counts for Poisson).
    /// - Throws: `.invalidResponse` for y outside the support.
    func validate(response y: Double, index: Int) throws(VariationalInferenceError) {
        guard y.isFinite else { throw .invalidResponse(index: index, value: y, requirement: "finite") }
        switch self {
        case .gaussian:
            break
        case .bernoulliLogit:
            guard y == 0 || y == 1 else { throw .invalidResponse(index: index, value: y, requirement: "0 or 1") }
        case .poissonLog:
            guard y >= 0, y == y.rounded() else {
                throw .invalidResponse(index: index, value: y, requirement: "a non-negative integer count")
            }
        }
    }
}
