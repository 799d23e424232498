import RealModule

// The log-density of one observation under each family. This is the part of a GLM that is genuinely
// the distribution; it is written here only until the ExponentialFamilies module's Normal, Poisson,
// Binomial, Gamma, InverseGaussian and NegativeBinomial land in main, and should then call them.
// Conventions follow statsmodels (GLMResults.llf), so that AIC values agree with it.

extension GLMFamily {
    /// log p(y | μ, φ) of one observation, with φ the dispersion (scale) used for the log-likelihood.
    ///
    /// - gaussian: −(y − μ)²/(2φ) − ½ log(2πφ)
    /// - binomial (y = k/m, m trials): log C(m, k) + k log μ + (m − k) log(1 − μ)
    /// - poisson: y log μ − μ − log Γ(y + 1)
    /// - gamma (shape ν = 1/φ): ν log(νy/μ) − νy/μ − log Γ(ν) − log y
    /// - inverse Gaussian: −½[(y − μ)²/(φ y μ²) + log(φ y³) + log 2π]
    /// - negative binomial: y log(αμ) − (y + 1/α) log(1 + αμ) + log Γ(y + 1/α) − log Γ(1/α) − log Γ(y + 1)
    ///
    /// - Parameters:
    ///   - y: the response (a proportion for the binomial), inside the support.
    ///   - logMean, logComplement: log μ and log(1 − μ) (the latter used by the binomial only), passed
    ///     in so that fitted probabilities within ε of 0 or 1 keep their accuracy.
    ///   - trials: m for the binomial (1 otherwise, ignored).
    ///   - dispersion: φ > 0 (ignored by binomial, poisson and negative binomial).
    func logDensity(_ y: Double, mean mu: Double, logMean: Double, logComplement: Double,
                    trials: Double, dispersion phi: Double) -> Double {
        switch self {
        case .gaussian:
            let r = y - mu
            return -r * r / (2 * phi) - 0.5 * Double.log(2 * Double.pi * phi)
        case .binomial:
            let k = y * trials
            let logChoose = Double.logGamma(trials + 1) - Double.logGamma(k + 1) - Double.logGamma(trials - k + 1)
            let a = k == 0 ? 0 : k * logMean
            let b = trials - k == 0 ? 0 : (trials - k) * logComplement
            return logChoose + a + b
        case .poisson:
            return (y == 0 ? 0 : y * logMean) - mu - Double.logGamma(y + 1)
        case .gamma:
            let nu = 1 / phi
            return nu * Double.log(nu * y / mu) - nu * y / mu - Double.logGamma(nu) - Double.log(y)
        case .inverseGaussian:
            let r = y - mu
            return -0.5 * (r * r / (phi * y * mu * mu) + Double.log(phi * y * y * y) + Double.log(2 * Double.pi))
        case let .negativeBinomial(alpha):
            let r = 1 / alpha
            return (y == 0 ? 0 : y * Double.log(alpha * mu)) - (y + r) * Double.log(onePlus: alpha * mu)
                + Double.logGamma(y + r) - Double.logGamma(r) - Double.logGamma(y + 1)
        }
    }
}
