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
    /// Binomial trials per row (n entries), or nil for 0/1 responses.
    public var trials: [Double]?
    /// Frequency weights wᵢ ≥ 0 (n entries), or nil for all 1.
    public var weights: [Double]?
    /// A known term added to the linear predictor (n entries), or nil for 0.
    public var offset: [Double]?
    /// Exposures > 0 (n entries) whose logarithms are added to the offset, or nil.
    public var exposure: [Double]?

    /// Stores the data as given; it never traps. The lengths are checked by ``validateShapes()``,
    /// which ``GeneralizedLinearModel/fit(_:covariance:level:options:execution:progress:)`` calls first, so a response, weight,
    /// offset, exposure or trials vector whose length differs from `features.rows` (or a
    /// `featureNames` whose count differs from `features.columns`) is a thrown
    /// ``GLMError/shapeMismatch(variable:count:features:)``, not a crash.
    /// - Parameters:
    ///   - features: the n × k feature matrix, without the intercept column.
    ///   - featureNames: k names (default x1, x2, …).
    ///   - response: n responses (successes when `trials` is given).
    ///   - includeIntercept: whether the design gets a leading column of ones (default true).
    ///   - trials: binomial trials per row, or nil.
    ///   - weights: frequency weights ≥ 0, or nil for all 1.
    ///   - offset: a known term added to the linear predictor, or nil.
    ///   - exposure: exposures > 0 whose logarithms join the offset, or nil.
    public init(features: Matrix, featureNames: [String]? = nil, response: [Double], includeIntercept: Bool = true,
                trials: [Double]? = nil, weights: [Double]? = nil, offset: [Double]? = nil, exposure: [Double]? = nil) {
        let names = featureNames ?? (0..<features.columns).map { "x\($0 + 1)" }
        self.features = features
        self.featureNames = names
        self.response = response
        self.includeIntercept = includeIntercept
        self.trials = trials
        self.weights = weights
        self.offset = offset
        self.exposure = exposure
    }

    /// Throws ``GLMError/shapeMismatch(variable:count:features:)`` for the first vector (in the order
    /// response, trials, weights, offset, exposure, feature names) whose length does not fit the
    /// n × k feature matrix.
    public func validateShapes() throws(GLMError) {
        let n = features.rows
        let shape = features.shapeDescription
        if response.count != n { throw .shapeMismatch(variable: "response", count: response.count, features: shape) }
        for (label, v) in [("trials", trials), ("weights", weights), ("offset", offset), ("exposure", exposure)] {
            if let v, v.count != n { throw .shapeMismatch(variable: label, count: v.count, features: shape) }
        }
        if featureNames.count != features.columns {
            throw .shapeMismatch(variable: "feature names", count: featureNames.count, features: shape)
        }
    }

    /// Number of observations n.
    public var count: Int { response.count }

    /// Coefficient names in order: "intercept" first when included, then the feature names.
    public var coefficientNames: [String] { (includeIntercept ? ["intercept"] : []) + featureNames }
}
