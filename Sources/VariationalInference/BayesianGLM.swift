import LinearAlgebra
import RealModule

/// A Bayesian generalized linear model: prior w ~ N(0, α⁻¹I) on the coefficients w ∈ ℝᵈ, and
/// independent observations yᵢ with log-likelihood ℓ(yᵢ | aᵢ), aᵢ = xᵢᵀw (rows xᵢᵀ of the design X).
///
/// The variational objective for a Gaussian q(w) = N(m, Σ) is the evidence lower bound
///
///     ELBO(q) = Σᵢ E_q[ℓ(yᵢ | aᵢ)] − KL(q ‖ N(0, α⁻¹I)),
///     KL = ½[α·tr Σ + α·mᵀm − d − d·log α − log det Σ],
///
/// where aᵢ ~ N(μᵢ, vᵢ) with μᵢ = xᵢᵀm and vᵢ = xᵢᵀΣxᵢ, so each expectation is one-dimensional.
/// The fits live in `BayesianGLM+FullCovariance.swift` and `BayesianGLM+Diagonal.swift`.
public struct BayesianGLM: Sendable {
    /// X, n × d (an intercept, if wanted, is a column of ones supplied by the caller).
    public let design: Matrix
    /// y, n entries in the likelihood's support.
    public let response: [Double]
    /// ℓ(y | a).
    public let likelihood: GLMLikelihood
    /// α > 0, the prior precision.
    public let priorPrecision: Double

    /// Xᵀ (d × n), the right-hand side of the batched triangular solve L⁻¹Xᵀ.
    let designTransposed: Matrix
    /// X∘X (entrywise squares), for the mean-field variances vᵢ = Σⱼ xᵢⱼ²/sⱼ.
    let designSquared: Matrix
    /// Σᵢ of the a-independent parts of ℓ (½ log(β/2π), −log yᵢ!).
    let likelihoodConstant: Double

    /// Number of observations n.
    public var observationCount: Int { design.rows }
    /// Number of coefficients d.
    public var dimension: Int { design.columns }

    /// Validates and stores a model.
    /// - Parameters:
    ///   - design: X (n × d), every entry finite, n ≥ 1, d ≥ 1.
    ///   - response: y (n entries), in the likelihood's support.
    ///   - likelihood: the GLM; for `.gaussian(noisePrecision: β)` β must be finite and > 0.
    ///   - priorPrecision: α, finite and > 0.
    /// - Throws: `.shapeMismatch` (response length ≠ design rows), `.emptyData`,
    ///   `.nonFiniteDesign(row:column:)`, `.invalidResponse(index:value:requirement:)`,
    ///   `.invalidParameter` (α or β).
    public init(design: Matrix, response: [Double], likelihood: GLMLikelihood, priorPrecision: Double) throws(VariationalInferenceError) {
        guard response.count == design.rows else {
            throw .shapeMismatch(operation: "BayesianGLM", expected: "\(design.rows) responses (the design is \(design.shapeDescription))",
                                 actual: "\(response.count) responses")
        }
        guard design.rows >= 1 && design.columns >= 1 else { throw .emptyData(rows: design.rows, columns: design.columns) }
        if let (r, c) = design.firstNonFiniteEntry { throw .nonFiniteDesign(row: r, column: c) }
        guard priorPrecision > 0 && priorPrecision.isFinite else {
            throw .invalidParameter(name: "prior precision", value: priorPrecision, requirement: "finite and > 0")
        }
        if case let .gaussian(beta) = likelihood, !(beta > 0 && beta.isFinite) {
            throw .invalidParameter(name: "noise precision", value: beta, requirement: "finite and > 0")
        }
        var constant = 0.0
        for (i, y) in response.enumerated() {
            try likelihood.validate(response: y, index: i)
            constant += likelihood.constant(response: y)
        }
        self.design = design
        self.response = response
        self.likelihood = likelihood
        self.priorPrecision = priorPrecision
        designTransposed = design.transposed
        designSquared = Matrix(rows: design.rows, columns: design.columns, columnMajor: design.elements.map { $0 * $0 })
        likelihoodConstant = constant
    }

    // MARK: One-dimensional expectations

    /// Fills, for every observation i with aᵢ ~ N(μᵢ, vᵢ):
    /// value[i] = E[ℓᵢ] − constantᵢ, slope[i] = E[ℓ′ᵢ], curvature[i] = E[ℓ″ᵢ] and
    /// varianceSlope[i] = ∂E[ℓᵢ]/∂vᵢ computed *without* second derivatives, as E[z·ℓ′(μ + √v z)]/(2√v)
    /// (the reparametrization gradient; it equals ½E[ℓ″] by Stein's lemma, which the generic
    /// natural-gradient path relies on to be an independent check of the Price-based fast path).
    /// Returns Σᵢ E[ℓᵢ] (with constants) and Σᵢ |E[ℓᵢ]|-scale terms for the rounding slack.
    func expectedTerms(means mu: [Double], variances v: [Double], rule: ExpectationRule,
                       into terms: inout ExpectedTerms) -> (sum: Double, magnitude: Double) {
        let n = observationCount
        var total = 0.0, magnitude = 0.0
        for i in 0..<n {
            let y = response[i]
            let variance = Swift.max(v[i], 0)
            var e = 0.0, g = 0.0, h = 0.0, q = 0.0
            if rule.closedForm, let c = likelihood.closedFormExpectations(mean: mu[i], variance: variance, response: y) {
                (e, g, h, q) = c
            } else {
                let s = variance.squareRoot()
                var zg = 0.0
                for k in rule.nodes.indices {
                    let z = rule.nodes[k], w = rule.weights[k]
                    let d = likelihood.derivatives(at: mu[i] + s * z, response: y)
                    e += w * d.value
                    g += w * d.slope
                    h += w * d.curvature
                    zg += w * z * d.slope
                }
                q = s > 0 ? zg / (2 * s) : 0.5 * h
            }
            terms.value[i] = e
            terms.slope[i] = g
            terms.curvature[i] = h
            terms.varianceSlope[i] = q
            total += e
            magnitude += Swift.abs(e)
        }
        return (total + likelihoodConstant, magnitude + Swift.abs(likelihoodConstant))
    }
}

/// Per-observation expectations, reused across iterations (no per-iteration allocation).
struct ExpectedTerms: Sendable {
    var value: [Double]
    var slope: [Double]
    var curvature: [Double]
    var varianceSlope: [Double]
    init(count n: Int) {
        value = [Double](repeating: 0, count: n)
        slope = value
        curvature = value
        varianceSlope = value
    }
}
