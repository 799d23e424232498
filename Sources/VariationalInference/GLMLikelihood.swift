import RealModule

/// The log-likelihood of one observation y given its linear predictor a = xᵀw, for the three GLMs of
/// this module. Each is concave in a (ℓ″ ≤ 0), so −E[∇²ℓ] is positive semidefinite and every
/// Bayesian-learning-rule precision is positive definite.
///
/// - `gaussian(noisePrecision: β)`: ℓ(a) = ½ log(β/2π) − ½β(y − a)², ℓ′ = β(y − a), ℓ″ = −β; y ∈ ℝ.
/// - `bernoulliLogit`: ℓ(a) = y·a − log(1 + eᵃ), ℓ′ = y − σ(a), ℓ″ = −σ(a)σ(−a); y ∈ {0, 1}.
/// - `poissonLog`: ℓ(a) = y·a − eᵃ − log y!, ℓ′ = y − eᵃ, ℓ″ = −eᵃ; y ∈ {0, 1, 2, …}.
public enum GLMLikelihood: Sendable, Equatable {
    case gaussian(noisePrecision: Double)
    case bernoulliLogit
    case poissonLog

    /// "linear", "logistic" or "poisson" (the CLI's model names).
    public var modelName: String {
        switch self {
        case .gaussian: return "linear"
        case .bernoulliLogit: return "logistic"
        case .poissonLog: return "poisson"
        }
    }

    /// Checks the hyperparameter β (Gaussian) and response `y` at position `index`.
    /// - Throws: `.invalidParameter` for β ≤ 0 or non-finite; `.invalidResponse` for y outside the support.
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

    /// The part of ℓ that does not depend on a: ½ log(β/2π), 0, or −log y!.
    func constant(response y: Double) -> Double {
        switch self {
        case let .gaussian(beta): return 0.5 * Double.log(beta / (2 * Double.pi))
        case .bernoulliLogit: return 0
        case .poissonLog: return -Double.logGamma(y + 1)
        }
    }

    /// (ℓ(a) − constant, ℓ′(a), ℓ″(a)), evaluated without overflow for every finite a
    /// (the Poisson terms overflow to −∞ only when eᵃ does, a ≳ 709).
    @inline(__always)
    func derivatives(at a: Double, response y: Double) -> (value: Double, slope: Double, curvature: Double) {
        switch self {
        case let .gaussian(beta):
            let r = y - a
            return (-0.5 * beta * r * r, beta * r, -beta)
        case .bernoulliLogit:
            // softplus(a) = max(a, 0) + log(1 + e^−|a|); σ(a) = 1/(1 + e^−a) computed from e^−|a| ≤ 1.
            let t = Double.exp(-Swift.abs(a))
            let softplus = Swift.max(a, 0) + Double.log(onePlus: t)
            let sigma = a >= 0 ? 1 / (1 + t) : t / (1 + t)
            let sigmaComplement = a >= 0 ? t / (1 + t) : 1 / (1 + t)
            return (y * a - softplus, y - sigma, -sigma * sigmaComplement)
        case .poissonLog:
            let rate = Double.exp(a)
            return (y * a - rate, y - rate, -rate)
        }
    }

    /// Closed forms of (E[ℓ(a)] − constant, E[ℓ′], E[ℓ″], ∂E[ℓ]/∂v) for a ~ N(μ, v), or nil (logistic).
    ///
    /// Gaussian: E[ℓ] = −½β((y − μ)² + v), E[ℓ′] = β(y − μ), E[ℓ″] = −β, ∂/∂v = −β/2.
    /// Poisson: with r = exp(μ + v/2) (the log-normal mean), E[ℓ] = yμ − r, E[ℓ′] = y − r,
    /// E[ℓ″] = −r, ∂/∂v = −r/2.
    @inline(__always)
    func closedFormExpectations(mean mu: Double, variance v: Double, response y: Double)
        -> (value: Double, slope: Double, curvature: Double, varianceSlope: Double)?
    {
        switch self {
        case let .gaussian(beta):
            let r = y - mu
            return (-0.5 * beta * (r * r + v), beta * r, -beta, -0.5 * beta)
        case .bernoulliLogit:
            return nil
        case .poissonLog:
            let rate = Double.exp(mu + 0.5 * v)
            return (y * mu - rate, y - rate, -rate, -0.5 * rate)
        }
    }
}
