import ExponentialFamilies
import RealModule

// The log-density of one observation: the part of a GLM that is genuinely the distribution, taken
// from the ExponentialFamilies module (Normal, Binomial, Poisson, Gamma, InverseGaussian,
// NegativeBinomial). The GLM supplies the parameters from μ and the dispersion φ; conventions follow
// statsmodels (GLMResults.llf), so that AIC values agree with it.

extension GLMFamily {
    /// log p(y | μ, φ) of one observation, with φ the dispersion (scale) used for the log-likelihood.
    ///
    /// - gaussian: `Normal(mean: μ, variance: φ)`
    /// - binomial (y = k/m, m trials): `Binomial(trials: m, θ = log μ − log(1 − μ))` at k
    /// - poisson: `Poisson(rate: μ)`
    /// - gamma: `Gamma(shape: 1/φ, rate: 1/(φμ))` (mean μ, variance φμ²)
    /// - inverse Gaussian: `InverseGaussian(mean: μ, shape: 1/φ)` (variance φμ³)
    /// - negative binomial: `NegativeBinomial(r: 1/α, θ = log(αμ/(1 + αμ)))` (mean μ, variance μ + αμ²)
    /// - Tweedie: NaN. The compound Poisson–gamma density has no closed form (only an infinite series,
    ///   not implemented), so the fit's log-likelihood and AIC are NaN, written as null in JSON.
    ///
    /// Poisson and negative-binomial responses that are not integers (allowed by the GLM, as in
    /// statsmodels) use the same formula with log Γ(y + 1) in place of log y!.
    ///
    /// - Parameters:
    ///   - y: the response (a proportion for the binomial), inside the support.
    ///   - logMean, logComplement: log μ and log(1 − μ) (the latter for the binomial only), passed in
    ///     so that fitted probabilities within ε of 0 or 1 keep their accuracy.
    ///   - trials: m for the binomial (1 otherwise, ignored).
    ///   - dispersion: φ > 0 (ignored by binomial, poisson and negative binomial).
    /// - Throws: `.exponentialFamily` if a parameter is outside the family's domain (cannot happen for a
    ///   converged fit: μ is in the mean space and φ > 0).
    package func logDensity(_ y: Double, mean mu: Double, logMean: Double, logComplement: Double,
                    trials: Double, dispersion phi: Double) throws(GLMError) -> Double {
        do {
            switch self {
            case .gaussian:
                return try Normal(mean: mu, variance: phi).logDensity(y)
            case .binomial:
                let k = (y * trials).rounded()
                return try Binomial(trials: Int(trials), naturalParameters: [logMean - logComplement]).logDensity(Int(k))
            case .poisson:
                if let count = exactCount(y) { return try Poisson(rate: mu).logDensity(count) }
                return y * logMean - mu - Double.logGamma(y + 1)
            case .gamma:
                return try Gamma(shape: 1 / phi, rate: 1 / (phi * mu)).logDensity(y)
            case .inverseGaussian:
                return try InverseGaussian(mean: mu, shape: 1 / phi).logDensity(y)
            case let .negativeBinomial(alpha):
                let r = 1 / alpha
                if let count = exactCount(y) {
                    let theta = Double.log(alpha * mu) - Double.log(onePlus: alpha * mu)
                    return try NegativeBinomial(r: r, naturalParameters: [theta]).logDensity(count)
                }
                return y * Double.log(alpha * mu) - (y + r) * Double.log(onePlus: alpha * mu)
                    + Double.logGamma(y + r) - Double.logGamma(r) - Double.logGamma(y + 1)
            case .tweedie:
                return .nan
            }
        } catch {
            throw .exponentialFamily(error)
        }
    }
}

/// log k! for counts k: a table of the first 256 (filled on first use, from log Γ), log Γ(k + 1) above.
struct LogFactorialTable {
    private var table: [Double] = []

    subscript(k: Int) -> Double {
        mutating get {
            if k >= 256 { return Double.logGamma(Double(k) + 1) }
            if table.isEmpty { table = (0..<256).map { Double.logGamma(Double($0) + 1) } }
            return table[k]
        }
    }
}

/// y as an `Int` when it is a non-negative integer that fits, else nil.
func exactCount(_ y: Double) -> Int? {
    // Truncation by conversion (one instruction) rather than `rounded()` (a libm call on baseline x86-64).
    y >= 0 && y < 9.0e15 && Double(Int(y)) == y ? Int(y) : nil
}
