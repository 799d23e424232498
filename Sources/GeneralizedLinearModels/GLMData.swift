/// The data of a generalized linear model: a response, feature columns, and the optional prior
/// weights, binomial trials, offset and exposure.
///
/// The design matrix is [1 | features] with an intercept (its coefficient is named "intercept" and
/// comes first), or the features alone without. The linear predictor is
/// η = Xβ + offset + log(exposure).
///
/// - `weights` are frequency weights: a row with weight w counts as w identical rows (so integer
///   weights give exactly the fit of the replicated data, including the dispersion, the degrees of
///   freedom Σw − p and the log-likelihood). They must be ≥ 0; default 1.
/// - `trials` (binomial only) turns the response into successes out of `trials`: the GLM response
///   is the proportion y = successes/trials, with the trials as variance weights. Without it a
///   binomial response must be 0 or 1.
/// - `exposure` must be > 0; log(exposure) is added to the offset (a rate model for counts).
public struct GLMData: Sendable {
    /// n × k feature matrix (without the intercept column).
    public var features: Matrix
    /// k column names, used in results and error messages.
    public var featureNames: [String]
    /// n responses (successes when `trials` is given).
    public var response: [Double]
    /// Whether the design gets a leading column of ones.
    public var includeIntercept: Bool
    public var trials: [Double]?
    public var weights: [Double]?
    public var offset: [Double]?
    public var exposure: [Double]?

    /// - Precondition: every vector has `features.rows` entries; `featureNames` (default x1, x2, …)
    ///   has `features.columns`.
    public init(features: Matrix, featureNames: [String]? = nil, response: [Double], includeIntercept: Bool = true,
                trials: [Double]? = nil, weights: [Double]? = nil, offset: [Double]? = nil, exposure: [Double]? = nil) {
        let n = features.rows
        precondition(response.count == n, "GLMData: \(features.shapeDescription) features with \(response.count) responses")
        for (label, v) in [("trials", trials), ("weights", weights), ("offset", offset), ("exposure", exposure)] {
            if let v { precondition(v.count == n, "GLMData: \(features.shapeDescription) features with \(v.count) \(label)") }
        }
        let names = featureNames ?? (0..<features.columns).map { "x\($0 + 1)" }
        precondition(names.count == features.columns,
                     "GLMData: \(features.shapeDescription) features with \(names.count) feature names")
        self.features = features
        self.featureNames = names
        self.response = response
        self.includeIntercept = includeIntercept
        self.trials = trials
        self.weights = weights
        self.offset = offset
        self.exposure = exposure
    }

    /// Number of observations n.
    public var count: Int { response.count }

    /// Coefficient names in order: "intercept" first when included, then the feature names.
    public var coefficientNames: [String] { (includeIntercept ? ["intercept"] : []) + featureNames }
}
