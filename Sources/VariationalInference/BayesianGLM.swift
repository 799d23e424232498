import GeneralizedLinearModels
import LinearAlgebra
import RealModule
import RowPasses

/// A Bayesian generalized linear model: prior w ~ N(0, α⁻¹I) on the coefficients w ∈ ℝᵈ, and
/// independent observations yᵢ with case weights cᵢ ≥ 0 and log-likelihood cᵢ·ℓ(yᵢ | ηᵢ), ηᵢ = xᵢᵀw + oᵢ
/// (rows xᵢᵀ of the design X, offsets oᵢ), ℓ given by a GLM family, link and dispersion
/// (see `ObservationModel.swift`).
///
/// The variational objective for a Gaussian q(w) = N(m, Σ) is the evidence lower bound
///
///     ELBO(q) = Σᵢ cᵢ·E_q[ℓ(yᵢ | ηᵢ)] − KL(q ‖ N(0, α⁻¹I)),
///     KL = ½[α·tr Σ + α·mᵀm − d − d·log α − log det Σ],
///
/// where ηᵢ ~ N(μᵢ, vᵢ) with μᵢ = xᵢᵀm + oᵢ and vᵢ = xᵢᵀΣxᵢ, so each expectation is one-dimensional.
/// Every sum over observations is one pass over row blocks (`BayesianGLM+RowPasses.swift`), run by the
/// model's ``execution``. The fits live in `BayesianGLM+FullCovariance.swift` and
/// `BayesianGLM+Diagonal.swift`.
public struct BayesianGLM: Sendable {
    /// X, n × d (an intercept, if wanted, is a column of ones supplied by the caller). Held once.
    public let design: Matrix
    /// y, n entries in the family's support (a proportion in [0, 1] for the binomial).
    public let response: [Double]
    /// The response distribution.
    public let family: GLMFamily
    /// The link g, ηᵢ = g(μᵢ).
    public let link: GLMLink
    /// φ (1 for the binomial, Poisson and negative binomial).
    public let dispersion: Double
    /// oᵢ, or nil (all 0).
    public let offset: [Double]?
    /// cᵢ ≥ 0, or nil (all 1).
    public let weights: [Double]?
    /// α > 0, the prior precision.
    public let priorPrecision: Double
    /// Where the passes over rows run (threads; the cross-process sum of a distributed fit).
    public let execution: RowExecution

    /// The per-observation log-likelihood.
    let observation: ObservationModel
    /// Σᵢ cᵢ·k(yᵢ) (the η-independent parts: ½ log(β/2π), −log yᵢ!, …).
    let likelihoodConstant: Double
    /// The fixed row blocks of every pass (a function of n and d only).
    let partition: RowPartition
    /// The pass workspaces, kept between calls.
    let workspaces: WorkspaceCache
    /// The executor of `execution`.
    let executor: RowExecutor

    /// Number of observations n.
    public var observationCount: Int { design.rows }
    /// Number of coefficients d.
    public var dimension: Int { design.columns }

    /// The shorthand this model was made from, when it is one (Gaussian–identity, binomial–logit with
    /// 0/1 responses, Poisson–log), else nil.
    public var likelihood: GLMLikelihood? {
        switch (family, link) {
        case (.gaussian, .identity): return .gaussian(noisePrecision: 1 / dispersion)
        case (.binomial, .logit): return .bernoulliLogit
        case (.poisson, .log): return .poissonLog
        default: return nil
        }
    }

    /// A model with one of the three shorthand likelihoods (see ``GLMLikelihood``).
    /// - Parameters:
    ///   - design: X (n × d), every entry finite, n ≥ 1, d ≥ 1.
    ///   - response: y (n entries), in the likelihood's support (0/1 for logistic, counts for Poisson).
    ///   - likelihood: the GLM; for `.gaussian(noisePrecision: β)` β must be finite and > 0.
    ///   - priorPrecision: α, finite and > 0.
    ///   - execution: where the row passes run (default: one thread).
    /// - Throws: `.shapeMismatch` (response length ≠ design rows), `.emptyData`,
    ///   `.nonFiniteDesign(row:column:)`, `.invalidResponse(index:value:requirement:)`,
    ///   `.invalidParameter` (α or β), `.invalidThreadCount`.
    public init(design: Matrix, response: [Double], likelihood: GLMLikelihood, priorPrecision: Double,
                execution: RowExecution = .serial) throws(VariationalInferenceError) {
        if case let .gaussian(beta) = likelihood, !(beta > 0 && beta.isFinite) {
            throw .invalidParameter(name: "noise precision", value: beta, requirement: "finite and > 0")
        }
        if response.count == design.rows {
            for (i, y) in response.enumerated() { try likelihood.validate(response: y, index: i) }
        }
        try self.init(design: design, response: response, family: likelihood.family, link: likelihood.link,
                      dispersion: likelihood.dispersion, priorPrecision: priorPrecision, execution: execution)
    }

    /// A model with any GLM family and link of `GeneralizedLinearModels` that a Gaussian q can use
    /// (see `ObservationModel.swift`: Gaussian with identity, log, logit, probit or cloglog; binomial with
    /// logit, probit or cloglog; Poisson, Gamma, inverse Gaussian, negative binomial with log).
    /// - Parameters:
    ///   - design: X (n × d), every entry finite, n ≥ 1, d ≥ 1.
    ///   - response: y (n entries) in the family's support.
    ///   - family: the response distribution.
    ///   - link: the link (default: the family's default link, or log for the Gamma and inverse Gaussian
    ///     families, whose canonical links are not defined on all of ℝ).
    ///   - dispersion: φ > 0 for the Gaussian, Gamma and inverse Gaussian families (fixed, not
    ///     estimated; default 1); ignored by the others.
    ///   - offset: oᵢ (finite), or nil.
    ///   - weights: case weights cᵢ (finite, ≥ 0) multiplying each log-likelihood, or nil.
    ///   - priorPrecision: α, finite and > 0.
    ///   - execution: where the row passes run (default: one thread).
    /// - Throws: `.shapeMismatch` (a length ≠ n), `.emptyData`, `.nonFiniteDesign`,
    ///   `.invalidResponse` (outside the support, or a non-finite offset or weight, or a negative
    ///   weight), `.invalidParameter` (α, φ), `.unsupportedLink`, `.invalidThreadCount`.
    public init(design: Matrix, response: [Double], family: GLMFamily, link: GLMLink? = nil, dispersion: Double = 1,
                offset: [Double]? = nil, weights: [Double]? = nil, priorPrecision: Double,
                execution: RowExecution = .serial) throws(VariationalInferenceError) {
        let n = design.rows
        guard response.count == n else {
            throw .shapeMismatch(operation: "BayesianGLM", expected: "\(n) responses (the design is \(design.shapeDescription))",
                                 actual: "\(response.count) responses")
        }
        if let offset, offset.count != n {
            throw .shapeMismatch(operation: "BayesianGLM", expected: "\(n) offsets", actual: "\(offset.count) offsets")
        }
        if let weights, weights.count != n {
            throw .shapeMismatch(operation: "BayesianGLM", expected: "\(n) weights", actual: "\(weights.count) weights")
        }
        guard n >= 1 && design.columns >= 1 else { throw .emptyData(rows: n, columns: design.columns) }
        if let (r, c) = design.firstNonFiniteEntry { throw .nonFiniteDesign(row: r, column: c) }
        guard priorPrecision > 0 && priorPrecision.isFinite else {
            throw .invalidParameter(name: "prior precision", value: priorPrecision, requirement: "finite and > 0")
        }
        guard execution.threads >= 1 else { throw .invalidThreadCount(execution.threads) }
        let model = try ObservationModel(family: family, link: link ?? Self.defaultLink(family), dispersion: dispersion)
        var constant = 0.0
        for i in 0..<n {
            let y = response[i]
            guard y.isFinite && family.isInSupport(y) else {
                throw .invalidResponse(index: i, value: y, requirement: family.supportDescription)
            }
            if let offset, !offset[i].isFinite {
                throw .invalidResponse(index: i, value: offset[i], requirement: "an offset that is finite")
            }
            let c = weights?[i] ?? 1
            guard c >= 0 && c.isFinite else { throw .invalidResponse(index: i, value: c, requirement: "a weight that is finite and ≥ 0") }
            if c > 0 { constant += c * model.constant(response: y) }
        }
        self.design = design
        self.response = response
        self.family = family
        self.link = model.link
        self.dispersion = model.dispersion
        self.offset = offset
        self.weights = weights
        self.priorPrecision = priorPrecision
        self.execution = execution
        observation = model
        likelihoodConstant = constant
        partition = Self.partition(rows: n, columns: design.columns)
        workspaces = WorkspaceCache()
        executor = execution.executor ?? .serial
    }

    /// The family's default link when a Gaussian q can use it, else log (Gamma, inverse Gaussian).
    public static func defaultLink(_ family: GLMFamily) -> GLMLink {
        switch family {
        case .gamma, .inverseGaussian: return .log
        default: return family.defaultLink
        }
    }

    /// Rows per block ≈ 16384/d (a block of X is ≤ 128 KB, in cache for the pass's second read), at
    /// least 16 and at most 1024; blocks in about 8 groups (so up to 8 threads share a pass). Depends
    /// on n and d only, so every thread count gives the same sums.
    static func partition(rows n: Int, columns d: Int) -> RowPartition {
        let blockRows = Swift.max(16, Swift.min(1024, 16_384 / Swift.max(d, 1)))
        let blocks = (n + blockRows - 1) / blockRows
        return RowPartition(rows: n, blockRows: blockRows, blocksPerGroup: Swift.max(1, (blocks + 7) / 8))
    }

    /// The same model with another execution (the workspaces are not shared).
    /// - Throws: `.invalidThreadCount`.
    public func with(execution: RowExecution) throws(VariationalInferenceError) -> BayesianGLM {
        try BayesianGLM(design: design, response: response, family: family, link: link, dispersion: dispersion,
                        offset: offset, weights: weights, priorPrecision: priorPrecision, execution: execution)
    }

    // MARK: One-dimensional expectations (serial, for studies and the Euclidean baseline)

    /// Fills, for every observation i with ηᵢ ~ N(μᵢ, vᵢ) (μᵢ including the offset):
    /// value[i] = cᵢ(E[ℓᵢ] − kᵢ), slope[i] = cᵢE[ℓ′ᵢ], curvature[i] = cᵢE[ℓ″ᵢ] and
    /// varianceSlope[i] = cᵢ∂E[ℓᵢ]/∂vᵢ computed *without* second derivatives, as E[z·ℓ′(μ + √v z)]/(2√v)
    /// (the reparametrization gradient; it equals ½E[ℓ″] by Stein's lemma).
    /// Returns Σᵢ cᵢE[ℓᵢ] (with constants) and Σᵢ |cᵢE[ℓᵢ]| (for the rounding slack).
    func expectedTerms(means mu: [Double], variances v: [Double], rule: ExpectationRule,
                       into terms: inout ExpectedTerms) -> (sum: Double, magnitude: Double) {
        var total = 0.0, magnitude = 0.0
        for i in 0..<observationCount {
            let c = weights?[i] ?? 1
            let t = observation.expectations(mean: mu[i], variance: v[i], response: response[i], rule: rule)
            terms.value[i] = c * t.value
            terms.slope[i] = c * t.slope
            terms.curvature[i] = c * t.curvature
            terms.varianceSlope[i] = c * t.varianceSlope
            total += c * t.value
            magnitude += Swift.abs(c * t.value)
        }
        return (total + likelihoodConstant, magnitude + Swift.abs(likelihoodConstant))
    }
}

/// Per-observation expectations (the serial helpers' output).
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
