import GeneralizedLinearModels
import RealModule

/// The log-likelihood of one observation as a function of its linear predictor η = xᵀw + o, for a
/// GLM family (from `GeneralizedLinearModels`), a link and a dispersion φ, weighted by a case weight c:
///
///     cᵢ·ℓ(yᵢ | ηᵢ) = −cᵢ·d(yᵢ, μᵢ)/(2φ) + cᵢ·k(yᵢ, φ),   μᵢ = g⁻¹(ηᵢ),
///
/// with d the family's unit deviance and k(y, φ) the part that does not depend on μ (log p(y | μ, φ) +
/// d(y, μ)/(2φ) at any valid μ; the canonical pairs' closed forms below keep other μ-free parts in
/// ℓ − k, and k is always log p(y | μ₀, φ) − (ℓ − k)(g(μ₀)) at one valid μ₀). The binomial response is a proportion in [0, 1], and the binomial
/// k = 0 (log C(m, k) is left out of the ELBO; it does not depend on w).
///
/// Derivatives in η, with μ′ = dμ/dη, μ″ = d²μ/dη², V the variance function:
///
///     ℓ′ = (y − μ)μ′/(φV),   ℓ″ = [−μ′²/V + (y − μ)(μ″/V − μ′²V′/V²)]/φ.
///
/// For the binomial they are evaluated from log μ, log(1 − μ) and log μ′ (A = μ′/μ, B = μ′/(1 − μ),
/// c = μ″/μ′): ℓ′ = yA − (1 − y)B, ℓ″ = y(cA − A²) − (1 − y)(cB + B²), exact far in the tails where
/// μ(1 − μ) underflows. The canonical pairs (Gaussian–identity, binomial–logit, Poisson–log) have
/// closed forms used directly.
///
/// Links: the Gaussian family takes identity, log, logit, probit or cloglog; the binomial logit,
/// probit or cloglog; Poisson, Gamma, inverse Gaussian and negative binomial the log link. These are
/// the pairs whose inverse link maps all of ℝ into the family's mean space: a Gaussian q puts mass on
/// every η, so `inverse` and `inverse-squared` (defined for η > 0 only) cannot be used.
struct ObservationModel: Sendable, Equatable {
    enum Kind: Sendable, Equatable { case gaussianIdentity, binomialLogit, poissonLog, general }

    let family: GLMFamily
    let link: GLMLink
    /// φ > 0 (1 for the binomial, Poisson and negative binomial).
    let dispersion: Double
    let kind: Kind

    /// - Throws: `.unsupportedLink` for a pair outside the list above; `.invalidParameter` for φ not
    ///   finite and > 0.
    init(family: GLMFamily, link: GLMLink, dispersion: Double) throws(VariationalInferenceError) {
        let allowed: [GLMLink]
        switch family {
        case .gaussian: allowed = [.identity, .log, .logit, .probit, .cloglog]
        case .binomial: allowed = [.logit, .probit, .cloglog]
        default: allowed = [.log]
        }
        guard allowed.contains(link) else {
            throw .unsupportedLink(family: family.name, link: link.rawValue,
                                   supported: allowed.map(\.rawValue).joined(separator: ", "))
        }
        guard dispersion > 0 && dispersion.isFinite else {
            throw .invalidParameter(name: "dispersion", value: dispersion, requirement: "finite and > 0")
        }
        self.family = family
        self.link = link
        switch family {
        case .binomial, .poisson, .negativeBinomial: self.dispersion = 1
        default: self.dispersion = dispersion
        }
        switch (family, link) {
        case (.gaussian, .identity): kind = .gaussianIdentity
        case (.binomial, .logit): kind = .binomialLogit
        case (.poisson, .log): kind = .poissonLog
        default: kind = .general
        }
    }

    /// Whether closed-form Gaussian expectations exist (Gaussian–identity and Poisson–log).
    var hasClosedForm: Bool { kind == .gaussianIdentity || kind == .poissonLog }

    /// The CLI's model name for the three shorthand pairs ("linear", "logistic", "poisson"), else
    /// "family/link" ("binomial/probit", …).
    var label: String {
        switch kind {
        case .gaussianIdentity: return "linear"
        case .binomialLogit: return "logistic"
        case .poissonLog: return "poisson"
        case .general: return "\(family.name)/\(link.rawValue)"
        }
    }

    /// k(y, φ) (see the type's documentation), for one observation of weight 1.
    func constant(response y: Double) -> Double {
        if case .binomial = family { return 0 }
        let mu0 = family.isValidMean(y) ? y : 1
        let (logMean, logComplement) = (Double.log(mu0), Double.log(onePlus: -Swift.min(mu0, 0.5)))
        guard let density = try? family.logDensity(y, mean: mu0, logMean: logMean, logComplement: logComplement,
                                                   trials: 1, dispersion: dispersion) else { return 0 }
        return density - derivatives(at: link.link(mu0), response: y).value
    }

    /// d log μ′/dη = μ″/μ′ of the links in use.
    @inline(__always)
    func meanCurvatureRatio(_ eta: Double, mean mu: Double) -> Double {
        switch link {
        case .identity: return 0
        case .log: return 1
        case .logit: return 1 - 2 * mu
        case .probit: return -eta
        case .cloglog: return 1 - Double.exp(eta)
        case .inverse, .inverseSquared: return .nan
        }
    }

    /// (ℓ(η) − k, ℓ′(η), ℓ″(η)) for weight 1, without overflow for every finite η where μ is finite.
    @inline(__always)
    func derivatives(at eta: Double, response y: Double) -> (value: Double, slope: Double, curvature: Double) {
        switch kind {
        case .gaussianIdentity:
            let r = y - eta, beta = 1 / dispersion
            return (-0.5 * beta * r * r, beta * r, -beta)
        case .binomialLogit:
            // softplus(η) = max(η, 0) + log(1 + e^−|η|); σ(η) from e^−|η| ≤ 1.
            let t = Double.exp(-Swift.abs(eta))
            let softplus = Swift.max(eta, 0) + Double.log(onePlus: t)
            let sigma = eta >= 0 ? 1 / (1 + t) : t / (1 + t)
            let complement = eta >= 0 ? t / (1 + t) : 1 / (1 + t)
            return (y * eta - softplus, y - sigma, -sigma * complement)
        case .poissonLog:
            let rate = Double.exp(eta)
            return (y * eta - rate, y - rate, -rate)
        case .general:
            return generalDerivatives(at: eta, response: y)
        }
    }

    func generalDerivatives(at eta: Double, response y: Double) -> (value: Double, slope: Double, curvature: Double) {
        let mu = link.mean(eta)
        let c = meanCurvatureRatio(eta, mean: mu)
        if case .binomial = family {
            let (logMean, logComplement) = link.logMeanAndComplement(eta, mean: mu)
            let logSlope = link.logMeanDerivative(eta, mean: mu, logMean: logMean, logComplement: logComplement)
            let a = Double.exp(logSlope - logMean), b = Double.exp(logSlope - logComplement)
            let value = (y == 0 ? 0 : y * logMean) + (y == 1 ? 0 : (1 - y) * logComplement)
            let slope = (y == 0 ? 0 : y * a) - (y == 1 ? 0 : (1 - y) * b)
            let curvature = (y == 0 ? 0 : y * (c * a - a * a)) - (y == 1 ? 0 : (1 - y) * (c * b + b * b))
            return (value, slope, curvature)
        }
        let d1 = link.meanDerivative(eta, mean: mu)
        let d2 = c * d1
        let v = family.variance(mu), dv = family.varianceDerivative(mu)
        let r = y - mu
        let value = -0.5 * family.unitDeviance(y, mu) / dispersion
        let slope = r * d1 / (dispersion * v)
        let curvature = (-d1 * d1 / v + r * (d2 / v - d1 * d1 * dv / (v * v))) / dispersion
        return (value, slope, curvature)
    }

    /// The expected-Fisher weight μ′²/(φV(μ)) at η (≥ 0), the start's curvature.
    func fisherWeight(at eta: Double) -> Double {
        let mu = link.mean(eta)
        let d1 = link.meanDerivative(eta, mean: mu)
        return d1 * d1 / (dispersion * family.variance(mu))
    }

    /// Closed forms of (E[ℓ] − k, E[ℓ′], E[ℓ″], ∂E[ℓ]/∂v) for η ~ N(μ, v), or nil.
    ///
    /// Gaussian–identity: E[ℓ] = −½β((y − μ)² + v), E[ℓ′] = β(y − μ), E[ℓ″] = −β, ∂/∂v = −β/2 (β = 1/φ).
    /// Poisson–log: with r = exp(μ + v/2), E[ℓ] = yμ − r, E[ℓ′] = y − r, E[ℓ″] = −r, ∂/∂v = −r/2.
    @inline(__always)
    func closedFormExpectations(mean mu: Double, variance v: Double, response y: Double)
        -> (value: Double, slope: Double, curvature: Double, varianceSlope: Double)?
    {
        switch kind {
        case .gaussianIdentity:
            let r = y - mu, beta = 1 / dispersion
            return (-0.5 * beta * (r * r + v), beta * r, -beta, -0.5 * beta)
        case .poissonLog:
            let rate = Double.exp(mu + 0.5 * v)
            return (y * mu - rate, y - rate, -rate, -0.5 * rate)
        default:
            return nil
        }
    }

    /// E over η ~ N(μ, v) of (ℓ − k, ℓ′, ℓ″) and ∂E[ℓ]/∂v = E[z·ℓ′(μ + √v z)]/(2√v) (the
    /// reparametrization gradient, ½E[ℓ″] by Stein's lemma), for weight 1.
    @inline(__always)
    func expectations(mean mu: Double, variance: Double, response y: Double, rule: ExpectationRule)
        -> (value: Double, slope: Double, curvature: Double, varianceSlope: Double)
    {
        let v = Swift.max(variance, 0)
        if rule.closedForm, let c = closedFormExpectations(mean: mu, variance: v, response: y) { return c }
        if rule.gaussHermite && v > WidePredictorQuadrature.threshold, case .binomial = family {
            return WidePredictorQuadrature.expectations(self, mean: mu, variance: v, response: y)
        }
        let s = v.squareRoot()
        var e = 0.0, g = 0.0, h = 0.0, zg = 0.0
        for k in rule.nodes.indices {
            let z = rule.nodes[k], w = rule.weights[k]
            let d = derivatives(at: mu + s * z, response: y)
            e += w * d.value
            g += w * d.slope
            h += w * d.curvature
            zg += w * z * d.slope
        }
        return (e, g, h, s > 0 ? zg / (2 * s) : 0.5 * h)
    }
}
