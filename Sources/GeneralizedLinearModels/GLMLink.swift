import RealModule

/// A link function g: the linear predictor is η = g(μ), so μ = g⁻¹(η).
///
/// | link              | η = g(μ)            | μ = g⁻¹(η)          | dμ/dη            |
/// |-------------------|---------------------|---------------------|------------------|
/// | `identity`        | μ                   | η                   | 1                |
/// | `log`             | log μ               | eᵑ                  | eᵑ               |
/// | `logit`           | log(μ/(1 − μ))      | 1/(1 + e⁻ᵑ)         | μ(1 − μ)         |
/// | `probit`          | Φ⁻¹(μ)              | Φ(η)                | φ(η)             |
/// | `cloglog`         | log(−log(1 − μ))    | 1 − exp(−eᵑ)        | exp(η − eᵑ)      |
/// | `inverse`         | 1/μ                 | 1/η                 | −1/η²            |
/// | `inverseSquared`  | 1/μ²                | η^(−1/2)            | −η^(−3/2)/2      |
///
/// Φ and φ are the standard normal distribution and density functions. `inverse` and
/// `inverseSquared` are defined for η > 0 only (`inverse` also for η < 0, where μ < 0 is outside every
/// positive family's mean space); the solver treats an η that leaves the domain as an invalid step.
public enum GLMLink: String, Sendable, CaseIterable, Hashable, CustomStringConvertible {
    /// g(μ) = μ.
    case identity
    /// g(μ) = log μ.
    case log
    /// g(μ) = log(μ/(1 − μ)).
    case logit
    /// g(μ) = Φ⁻¹(μ), Φ the standard normal distribution function.
    case probit
    /// g(μ) = log(−log(1 − μ)).
    case cloglog
    /// g(μ) = 1/μ.
    case inverse
    /// g(μ) = 1/μ² (spelled "inverse-squared").
    case inverseSquared = "inverse-squared"

    /// The kebab-case name used by the command line (`inverse-squared`, …).
    public var description: String { rawValue }

    /// η = g(μ). μ must be inside the link's domain (e.g. (0, 1) for logit); outside it the result
    /// is NaN or ±∞, which callers treat as invalid.
    public func link(_ mu: Double) -> Double {
        switch self {
        case .identity: return mu
        case .log: return Double.log(mu)
        case .logit: return Double.log(mu / (1 - mu))
        case .probit: return standardNormalQuantile(mu)
        case .cloglog: return Double.log(-Double.log(onePlus: -mu))
        case .inverse: return 1 / mu
        case .inverseSquared: return 1 / (mu * mu)
        }
    }

    /// μ = g⁻¹(η). Returns NaN when η is outside the domain of g⁻¹ (η ≤ 0 for `inverseSquared`).
    @inline(__always)
    public func mean(_ eta: Double) -> Double {
        switch self {
        case .identity: return eta
        case .log: return Double.exp(eta)
        case .logit: return logistic(eta)
        case .probit: return standardNormalCDF(eta)
        case .cloglog: return -Double.expMinusOne(-Double.exp(eta))
        case .inverse: return 1 / eta
        case .inverseSquared: return eta > 0 ? 1 / eta.squareRoot() : .nan
        }
    }

    /// dμ/dη at η (with μ = g⁻¹(η) already computed, to save an evaluation).
    @inline(__always)
    public func meanDerivative(_ eta: Double, mean mu: Double) -> Double {
        switch self {
        case .identity: return 1
        case .log: return mu
        case .logit:
            // μ(1 − μ) computed as e^(−|η|)/(1 + e^(−|η|))², which does not round to 0 for large |η|.
            return LogisticTerms(eta).variance
        case .probit: return standardNormalDensity(eta)
        case .cloglog:
            let e = Double.exp(eta)
            return Double.exp(eta - e)
        case .inverse: return -mu * mu
        case .inverseSquared: return -0.5 * mu * mu * mu
        }
    }

    /// g''(μ), the second derivative of η = g(μ) (for the observed information): identity 0, log −1/μ²,
    /// logit (2μ − 1)/(μ(1 − μ))², probit Φ⁻¹(μ)/φ(Φ⁻¹(μ))², cloglog (L − 1)/((1 − μ)L)² with
    /// L = −log(1 − μ), inverse 2/μ³, inverse-squared 6/μ⁴.
    func secondDerivative(_ mu: Double) -> Double {
        switch self {
        case .identity: return 0
        case .log: return -1 / (mu * mu)
        case .logit:
            let v = mu * (1 - mu)
            return (2 * mu - 1) / (v * v)
        case .probit:
            let eta = standardNormalQuantile(mu), density = standardNormalDensity(eta)
            return eta / (density * density)
        case .cloglog:
            let l = -Double.log(onePlus: -mu), q = (1 - mu) * l
            return (l - 1) / (q * q)
        case .inverse: return 2 / (mu * mu * mu)
        case .inverseSquared: return 6 / (mu * mu * mu * mu)
        }
    }

    /// log(dμ/dη) at η for the binomial links (logit, probit, cloglog), computed without forming dμ/dη,
    /// which underflows far in the tails: logit log μ + log(1 − μ) (from `logMeanAndComplement`), probit
    /// −η²/2 − log √(2π), cloglog η − eᵑ; other links log|dμ/dη|.
    @inline(__always)
    package func logMeanDerivative(_ eta: Double, mean mu: Double, logMean: Double, logComplement: Double) -> Double {
        switch self {
        case .logit: return logMean + logComplement
        case .probit: return -0.5 * eta * eta - 0.918_938_533_204_672_741_78
        case .cloglog: return eta - Double.exp(eta)
        default: return Double.log(Swift.abs(meanDerivative(eta, mean: mu)))
        }
    }

    /// (log μ, log(1 − μ)) at η, computed without forming 1 − μ where that would lose the answer
    /// (binomial log-likelihoods far in the tails).
    @inline(__always)
    package func logMeanAndComplement(_ eta: Double, mean mu: Double) -> (Double, Double) {
        switch self {
        case .logit:
            return (-softplus(-eta), -softplus(eta))
        case .probit:
            return (logStandardNormalCDF(eta), logStandardNormalCDF(-eta))
        case .cloglog:
            return (Double.log(mu), -Double.exp(eta))
        default:
            return (Double.log(mu), Double.log(onePlus: -mu))
        }
    }
}

/// 1/(1 + e⁻ˣ), evaluated without overflow for either sign.
@inline(__always)
func logistic(_ x: Double) -> Double {
    if x >= 0 { return 1 / (1 + Double.exp(-x)) }
    let e = Double.exp(x)
    return e / (1 + e)
}

/// log(1 + eˣ), accurate for all x.
@inline(__always)
func softplus(_ x: Double) -> Double {
    x > 0 ? x + Double.log(onePlus: Double.exp(-x)) : Double.log(onePlus: Double.exp(x))
}
