import RealModule

/// The response distribution of a generalized linear model, as the GLM sees it: a variance function
/// V(μ), a unit deviance d(y, μ), a mean space, a support and a canonical (default) link.
///
/// | family                      | support          | mean space | V(μ)        | unit deviance d(y, μ)                                  | default link     |
/// |-----------------------------|------------------|------------|-------------|--------------------------------------------------------|------------------|
/// | `gaussian`                  | ℝ                | ℝ          | 1           | (y − μ)²                                               | identity         |
/// | `binomial`                  | y ∈ [0, 1]       | (0, 1)     | μ(1 − μ)    | 2[y log(y/μ) + (1 − y) log((1 − y)/(1 − μ))]          | logit            |
/// | `poisson`                   | y ≥ 0            | (0, ∞)     | μ           | 2[y log(y/μ) − (y − μ)]                                | log              |
/// | `gamma`                     | y > 0            | (0, ∞)     | μ²          | 2[(y − μ)/μ − log(y/μ)]                                | inverse          |
/// | `inverseGaussian`           | y > 0            | (0, ∞)     | μ³          | (y − μ)²/(y μ²)                                        | inverse-squared  |
/// | `negativeBinomial(alpha:)`  | y ≥ 0            | (0, ∞)     | μ + αμ²     | 2[y log(y/μ) − (y + 1/α) log((1 + αy)/(1 + αμ))]      | log              |
/// | `tweedie(power:)`, 1<p<2    | y ≥ 0            | (0, ∞)     | μᵖ          | 2[y²⁻ᵖ/((1−p)(2−p)) − yμ¹⁻ᵖ/(1−p) + μ²⁻ᵖ/(2−p)]        | log              |
///
/// (0·log 0 = 0.) Binomial responses are proportions of successes: y = successes/trials, with the
/// trials acting as prior weights (a 0/1 response has one trial). The negative binomial's dispersion α
/// is known (not estimated); its canonical link log(αμ/(1 + αμ)) is rarely used and not offered, so its
/// default is log, as in statsmodels and glum. The Tweedie family (a compound Poisson–gamma law for
/// 1 < p < 2: a point mass at 0 plus a continuous positive part) likewise defaults to log rather than its
/// canonical link μ¹⁻ᵖ/(1 − p); its power p is known, and at y = 0 the deviance is 2μ²⁻ᵖ/(2 − p). The
/// dispersion φ is estimated (Pearson χ²/(n − p), as statsmodels does) for `gaussian`, `gamma`,
/// `inverseGaussian` and `tweedie`, and is 1 for the others.
public enum GLMFamily: Sendable, Hashable, CustomStringConvertible {
    /// Normal: V(μ) = 1, d(y, μ) = (y − μ)², canonical link identity.
    case gaussian
    /// Binomial proportions y ∈ [0, 1]: V(μ) = μ(1 − μ), canonical link logit.
    case binomial
    /// Poisson counts y ≥ 0: V(μ) = μ, canonical link log.
    case poisson
    /// Gamma, y > 0: V(μ) = μ², canonical link inverse.
    case gamma
    /// Inverse Gaussian, y > 0: V(μ) = μ³, canonical link inverse-squared.
    case inverseGaussian
    /// Negative binomial with known dispersion α > 0 (Var y = μ + αμ²).
    case negativeBinomial(alpha: Double)
    /// Tweedie with known power 1 < p < 2 (Var y = φμᵖ); `GeneralizedLinearModel` rejects other powers.
    case tweedie(power: Double)

    /// The kebab-case name used by the command line (`inverse-gaussian`, `negative-binomial`, …).
    public var name: String {
        switch self {
        case .gaussian: return "gaussian"
        case .binomial: return "binomial"
        case .poisson: return "poisson"
        case .gamma: return "gamma"
        case .inverseGaussian: return "inverse-gaussian"
        case .negativeBinomial: return "negative-binomial"
        case .tweedie: return "tweedie"
        }
    }

    public var description: String {
        if case let .negativeBinomial(alpha) = self { return "negative-binomial(α = \(alpha))" }
        if case let .tweedie(power) = self { return "tweedie(p = \(power))" }
        return name
    }

    /// The default link: the canonical one, except log for the negative binomial (see the type's doc).
    public var defaultLink: GLMLink {
        switch self {
        case .gaussian: return .identity
        case .binomial: return .logit
        case .poisson, .negativeBinomial, .tweedie: return .log
        case .gamma: return .inverse
        case .inverseGaussian: return .inverseSquared
        }
    }

    /// Whether `defaultLink` is the canonical link (so observed and expected information agree there):
    /// false for the negative binomial and Tweedie, whose default is log (see the type's doc).
    public var defaultLinkIsCanonical: Bool {
        switch self {
        case .negativeBinomial, .tweedie: return false
        default: return true
        }
    }

    /// Whether the dispersion φ is estimated (Pearson χ²/(n − p)) rather than fixed at 1.
    public var estimatesDispersion: Bool {
        switch self {
        case .gaussian, .gamma, .inverseGaussian, .tweedie: return true
        default: return false
        }
    }

    /// V(μ). For the binomial this plain form loses accuracy when μ is within ε of 0 or 1; the solver
    /// evaluates it from log μ and log(1 − μ) there.
    @inline(__always)
    public func variance(_ mu: Double) -> Double {
        switch self {
        case .gaussian: return 1
        case .binomial: return mu * (1 - mu)
        case .poisson: return mu
        case .gamma: return mu * mu
        case .inverseGaussian: return mu * mu * mu
        case let .negativeBinomial(alpha): return mu + alpha * mu * mu
        case let .tweedie(power): return Double.pow(mu, power)
        }
    }

    /// V'(μ), the derivative of the variance function: gaussian 0, binomial 1 − 2μ, poisson 1, gamma 2μ,
    /// inverse Gaussian 3μ², negative binomial 1 + 2αμ, Tweedie pμᵖ⁻¹.
    package func varianceDerivative(_ mu: Double) -> Double {
        switch self {
        case .gaussian: return 0
        case .binomial: return 1 - 2 * mu
        case .poisson: return 1
        case .gamma: return 2 * mu
        case .inverseGaussian: return 3 * mu * mu
        case let .negativeBinomial(alpha): return 1 + 2 * alpha * mu
        case let .tweedie(power): return power * Double.pow(mu, power - 1)
        }
    }

    /// Whether μ lies in the family's mean space (finite; in (0, 1) for the binomial; > 0 for the
    /// positive families).
    @inline(__always)
    public func isValidMean(_ mu: Double) -> Bool {
        switch self {
        case .gaussian: return mu.isFinite
        case .binomial: return mu > 0 && mu < 1
        default: return mu > 0 && mu.isFinite
        }
    }

    /// d(y, μ), the unit deviance (see the table in the type's doc). μ must be a valid mean.
    @inline(__always)
    public func unitDeviance(_ y: Double, _ mu: Double) -> Double {
        switch self {
        case .gaussian:
            let r = y - mu
            return r * r
        case .binomial:
            return binomialUnitDeviance(y, logMean: Double.log(mu), logComplement: Double.log(onePlus: -mu))
        case .poisson:
            return 2 * (xLogXOverY(y, mu) - (y - mu))
        case .gamma:
            return 2 * ((y - mu) / mu - Double.log(y / mu))
        case .inverseGaussian:
            let r = y - mu
            return r * r / (y * mu * mu)
        case let .negativeBinomial(alpha):
            return 2 * (xLogXOverY(y, mu) - (y + 1 / alpha) * Double.log((1 + alpha * y) / (1 + alpha * mu)))
        case let .tweedie(power):
            return tweedieUnitDeviance(y, mu, power: power)
        }
    }

    /// The IRLS starting mean μ₀ for one observation: (y + ȳ)/2 (ȳ the weighted mean response) for
    /// every family but the binomial, which uses (m·y + ½)/(m + 1) with m trials; both are inside the
    /// mean space whenever y is in the support.
    @inline(__always)
    func startingMean(_ y: Double, meanResponse: Double, trials: Double) -> Double {
        switch self {
        case .binomial: return (trials * y + 0.5) / (trials + 1)
        default: return 0.5 * (y + meanResponse)
        }
    }

    /// The family's support, stated for messages.
    package var supportDescription: String {
        switch self {
        case .gaussian: return "a finite number"
        case .binomial: return "0 or 1 (or successes between 0 and the trials)"
        case .poisson, .negativeBinomial: return "a count ≥ 0"
        case .tweedie: return "≥ 0"
        case .gamma, .inverseGaussian: return "> 0"
        }
    }

    /// Whether y is in the support (binomial: y is the proportion successes/trials in [0, 1]).
    package func isInSupport(_ y: Double) -> Bool {
        switch self {
        case .gaussian: return y.isFinite
        case .binomial: return y >= 0 && y <= 1
        case .poisson, .negativeBinomial, .tweedie: return y >= 0 && y.isFinite
        case .gamma, .inverseGaussian: return y > 0 && y.isFinite
        }
    }
}

/// 2[y log(y/μ) + (1 − y) log((1 − y)/(1 − μ))] from log μ and log(1 − μ), with 0·log 0 = 0.
@inline(__always)
func binomialUnitDeviance(_ y: Double, logMean: Double, logComplement: Double) -> Double {
    if y == 1 { return -2 * logMean }
    if y == 0 { return -2 * logComplement }
    return 2 * (y * (Double.log(y) - logMean) + (1 - y) * (Double.log(onePlus: -y) - logComplement))
}

/// The Tweedie unit deviance for 1 < p < 2,
///   d(y, μ) = 2[y²⁻ᵖ/((1 − p)(2 − p)) − y·μ¹⁻ᵖ/(1 − p) + μ²⁻ᵖ/(2 − p)],
/// which is 2μ²⁻ᵖ/(2 − p) at y = 0 (the first two terms vanish).
@inline(__always)
func tweedieUnitDeviance(_ y: Double, _ mu: Double, power p: Double) -> Double {
    let muTwo = Double.pow(mu, 2 - p) / (2 - p)
    if y == 0 { return 2 * muTwo }
    return 2 * (Double.pow(y, 2 - p) / ((1 - p) * (2 - p)) - y * Double.pow(mu, 1 - p) / (1 - p) + muTwo)
}

/// y·log(y/μ), with 0·log 0 = 0.
@inline(__always)
func xLogXOverY(_ y: Double, _ mu: Double) -> Double {
    y == 0 ? 0 : y * Double.log(y / mu)
}
