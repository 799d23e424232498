import GeneralizedLinearModels
import LinearAlgebra
import RealModule

/// The posterior predictive of a GLM at new rows under a Gaussian q(w): for row x with offset o the
/// linear predictor is η = xᵀw + o ~ N(μ, v), μ = xᵀm + o, v = xᵀΣx, and
///
///     E[μ(η)]   = ∫ g⁻¹(η) N(η; μ, v) dη,
///     Var[y]    = E[φ·V(g⁻¹(η))] + Var[g⁻¹(η)]   (total variance of a new response, weight 1),
///
/// by Gauss–Hermite quadrature over the one-dimensional η. Credible intervals (equal-tailed, level
/// 1 − 2τ): η ∈ μ ± z·√v with z = Φ⁻¹(1 − τ), and for the mean response g⁻¹ of those bounds (every
/// link a Gaussian q can use is increasing, so the interval maps exactly).
public struct PosteriorPrediction: Sendable, Equatable {
    /// μᵢ = xᵢᵀm + oᵢ.
    public var linearPredictor: [Double]
    /// vᵢ = xᵢᵀΣxᵢ.
    public var linearPredictorVariance: [Double]
    /// Lower end of the η interval, μᵢ − z√vᵢ.
    public var linearPredictorLower: [Double]
    /// Upper end of the η interval, μᵢ + z√vᵢ.
    public var linearPredictorUpper: [Double]
    /// E[g⁻¹(η)], the posterior predictive mean of y.
    public var mean: [Double]
    /// Var[g⁻¹(η)], the posterior variance of the mean response.
    public var meanVariance: [Double]
    /// Lower end of the credible interval of the mean response, g⁻¹(μᵢ − z√vᵢ).
    public var meanLower: [Double]
    /// Upper end of the credible interval of the mean response, g⁻¹(μᵢ + z√vᵢ).
    public var meanUpper: [Double]
    /// Var[y] = E[φV(μ)] + Var[μ], the posterior predictive variance of a new response.
    public var responseVariance: [Double]
    /// The level of the intervals.
    public var level: Double
}

/// Computes ``PosteriorPrediction`` from the predictor means and variances of new rows.
/// - Parameters:
///   - family: the response distribution (the pairs of ``BayesianGLM``).
///   - link: the link (default: ``BayesianGLM/defaultLink(_:)``).
///   - dispersion: φ (ignored by the binomial, Poisson and negative binomial).
///   - means: μᵢ, offsets included.
///   - variances: vᵢ ≥ 0, as many as the means.
///   - level: of the intervals, in (0, 1).
///   - expectation: the quadrature (default 64-point Gauss–Hermite; closed forms are not used here).
/// - Throws: `.invalidParameter` (level, a variance < 0 or not finite), `.unsupportedLink`, and the
///   expectation method's errors; `.shapeMismatch` for lengths that differ.
public func posteriorPredictive(family: GLMFamily, link: GLMLink? = nil, dispersion: Double = 1,
                                means: [Double], variances: [Double], level: Double = 0.95,
                                expectation: ExpectationMethod = .standard) throws(VariationalInferenceError) -> PosteriorPrediction {
    guard means.count == variances.count else {
        throw .shapeMismatch(operation: "posteriorPredictive", expected: "\(means.count) variances", actual: "\(variances.count)")
    }
    guard level > 0 && level < 1 else { throw .invalidParameter(name: "level", value: level, requirement: "in (0, 1)") }
    let model = try ObservationModel(family: family, link: link ?? BayesianGLM.defaultLink(family), dispersion: dispersion)
    var method = expectation
    if method == .closedForm { method = .standard }
    let rule = try ExpectationRule(method, model: model)
    let z = GLMLink.probit.link(0.5 + 0.5 * level)
    let n = means.count
    var p = PosteriorPrediction(linearPredictor: means, linearPredictorVariance: variances,
                                linearPredictorLower: [Double](repeating: 0, count: n), linearPredictorUpper: [Double](repeating: 0, count: n),
                                mean: [Double](repeating: 0, count: n), meanVariance: [Double](repeating: 0, count: n),
                                meanLower: [Double](repeating: 0, count: n), meanUpper: [Double](repeating: 0, count: n),
                                responseVariance: [Double](repeating: 0, count: n), level: level)
    for i in 0..<n {
        let mu = means[i], v = variances[i]
        guard mu.isFinite else { throw .invalidParameter(name: "predictor mean \(i + 1)", value: mu, requirement: "finite") }
        guard v >= 0 && v.isFinite else { throw .invalidParameter(name: "predictor variance \(i + 1)", value: v, requirement: "finite and ≥ 0") }
        let s = v.squareRoot()
        var m1 = 0.0, m2 = 0.0, ev = 0.0
        for k in rule.nodes.indices {
            let r = model.link.mean(mu + s * rule.nodes[k])
            m1 += rule.weights[k] * r
            m2 += rule.weights[k] * r * r
            ev += rule.weights[k] * model.family.variance(r)
        }
        let varianceOfMean = Swift.max(0, m2 - m1 * m1)
        p.mean[i] = m1
        p.meanVariance[i] = varianceOfMean
        p.responseVariance[i] = model.dispersion * ev + varianceOfMean
        p.linearPredictorLower[i] = mu - z * s
        p.linearPredictorUpper[i] = mu + z * s
        p.meanLower[i] = model.link.mean(mu - z * s)
        p.meanUpper[i] = model.link.mean(mu + z * s)
    }
    return p
}

extension FullGaussianPosterior {
    /// For the rows of X* (k × d) with offsets o: μᵢ = x*ᵢᵀm + oᵢ and vᵢ = ‖L⁻¹x*ᵢ‖² (one triangular
    /// solve with k right-hand sides).
    /// - Throws: `.linearAlgebra` if the solve overflows. Precondition: X* has d columns.
    public func linearPredictor(_ features: Matrix, offset: [Double]? = nil) throws(VariationalInferenceError)
        -> (mean: [Double], variance: [Double])
    {
        precondition(features.columns == dimension, "rows of \(features.columns) features for a \(dimension)-dimensional posterior")
        let k = features.rows
        var mean = [Double](repeating: 0, count: k)
        BLAS.gemv(features, self.mean, into: &mean)
        if let offset { for i in 0..<k { mean[i] += offset[i] } }
        var w = features.transposed
        do { try cholesky.solveLower(&w) } catch { throw .linearAlgebra(error) }
        let variance = (0..<k).map { i in
            var s = 0.0
            for j in 0..<dimension { let t = w.elements[i * dimension + j]; s += t * t }
            return s
        }
        return (mean, variance)
    }

    /// `count` independent draws w = m + L⁻ᵀz, z ~ N(0, I), as the rows of a count × d matrix (one
    /// triangular solve with `count` right-hand sides).
    /// - Throws: `.samplingFailed` if a draw is not finite (the factor is too close to singular).
    public func samples<G: RandomNumberGenerator>(count: Int, using generator: inout G) throws(VariationalInferenceError) -> Matrix {
        precondition(count >= 0, "sample count must be ≥ 0, got \(count)")
        let d = dimension
        var z = Matrix(rows: d, columns: count)
        for k in z.elements.indices { z.elements[k] = standardNormalDraw(using: &generator) }
        do { try cholesky.solveLowerTransposed(&z) } catch {
            throw .samplingFailed(reason: "L⁻ᵀz is not finite (\(error))")
        }
        var out = Matrix(rows: count, columns: d)
        for r in 0..<count { for j in 0..<d { out[r, j] = z.elements[r * d + j] + mean[j] } }
        return out
    }
}

extension DiagonalGaussianPosterior {
    /// μᵢ = x*ᵢᵀm + oᵢ and vᵢ = Σⱼ x*ᵢⱼ²/sⱼ. Precondition: X* has d columns.
    public func linearPredictor(_ features: Matrix, offset: [Double]? = nil) -> (mean: [Double], variance: [Double]) {
        precondition(features.columns == dimension, "rows of \(features.columns) features for a \(dimension)-dimensional posterior")
        let k = features.rows
        var mean = [Double](repeating: 0, count: k), variance = mean
        BLAS.gemv(features, self.mean, into: &mean)
        if let offset { for i in 0..<k { mean[i] += offset[i] } }
        for j in 0..<dimension {
            let r = 1 / precisions[j]
            for i in 0..<k { let x = features.elements[j * k + i]; variance[i] += x * x * r }
        }
        return (mean, variance)
    }

    /// `count` draws wⱼ = mⱼ + zⱼ/√sⱼ as the rows of a count × d matrix.
    /// - Throws: `.samplingFailed` if a draw is not finite.
    public func samples<G: RandomNumberGenerator>(count: Int, using generator: inout G) throws(VariationalInferenceError) -> Matrix {
        precondition(count >= 0, "sample count must be ≥ 0, got \(count)")
        var out = Matrix(rows: count, columns: dimension)
        for r in 0..<count {
            for j in 0..<dimension { out[r, j] = mean[j] + standardNormalDraw(using: &generator) / precisions[j].squareRoot() }
        }
        if let (r, c) = out.firstNonFiniteEntry { throw .samplingFailed(reason: "draw \(r + 1), coefficient \(c + 1) is not finite") }
        return out
    }
}
