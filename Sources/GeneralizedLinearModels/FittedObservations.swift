import RealModule

/// The per-row quantities of a GLM at given coefficients β, computed from the data alone (no solver
/// state), for the covariances, the residuals and the influence measures:
///   ηᵢ = xᵢᵀβ + offsetᵢ, μᵢ = g⁻¹(ηᵢ), dᵢ = dμ/dη, Vᵢ = V(μᵢ), pᵢ the prior weight (frequency weight ×
///   trials), and, with φ = 1 (the dispersion scales them all and cancels where they are used):
///   - the score factor uᵢ = pᵢ(yᵢ − μᵢ)dᵢ/Vᵢ (the score of row i is uᵢxᵢ),
///   - the expected-information weight Wᵢ = pᵢdᵢ²/Vᵢ,
///   - the observed-information weight Oᵢ = Wᵢ·(1 + (yᵢ − μᵢ)(Vᵢg''(μᵢ) + V'(μᵢ)g'(μᵢ))/(g'(μᵢ)Vᵢ)), so that
///     −∂²ℓ/∂β∂βᵀ = Σᵢ Oᵢxᵢxᵢᵀ (statsmodels' `hessian_factor(observed=True)`); Oᵢ = Wᵢ for canonical links.
struct FittedObservations {
    var eta: [Double]
    var mu: [Double]
    var score: [Double]
    var expectedWeight: [Double]
    var observedWeight: [Double]

    /// - Throws: `.nonFiniteValue(variable: "linear predictor", row:)` where μ leaves the mean space.
    init(_ data: PreparedData, coefficients beta: [Double], family: GLMFamily, link: GLMLink) throws(GLMError) {
        let n = data.response.count
        eta = designTimes(data.features, intercept: data.hasIntercept, beta)
        for i in 0..<n { eta[i] += data.offset[i] }
        mu = [Double](repeating: 0, count: n)
        score = mu
        expectedWeight = mu
        observedWeight = mu
        let canonical = link == family.defaultLink && family.defaultLinkIsCanonical
        for i in 0..<n {
            let e = eta[i], m = link.mean(e)
            let valid: Bool
            if case .binomial = family { valid = m >= 0 && m <= 1 } else { valid = family.isValidMean(m) }
            guard valid else { throw .nonFiniteValue(variable: "linear predictor", row: i) }
            mu[i] = m
            let p = data.priorWeights[i], d = link.meanDerivative(e, mean: m), v = family.variance(m)
            let r = data.response[i] - m
            guard v > 0, d != 0 else { continue }  // a probability that rounded to 0 or 1: no information
            score[i] = p * r * d / v
            let w = p * d * d / v
            expectedWeight[i] = w
            if canonical {
                observedWeight[i] = w
            } else {
                let gPrime = 1 / d
                let correction = r * (v * link.secondDerivative(m) + family.varianceDerivative(m) * gPrime) / (gPrime * v)
                observedWeight[i] = w * (1 + correction)
            }
        }
    }
}
