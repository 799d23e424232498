import RealModule

/// A fitted generalized linear model as a value that needs no training data: what prediction, the
/// residual diagnostics and a saved model file need. `Codable` (a versioned JSON object, see
/// `encode(to:)`); every `Double` is encoded as a JSON number in Swift's shortest round-trip form, so
/// that encode → decode gives back the same bits (and the same predictions).
///
/// ```swift
/// let fit = try GeneralizedLinearModel(family: .poisson).fit(data, covariance: .hc1)
/// let model = fit.model
/// let p = try model.predict(features: newRows, exposure: newYears)   // μ, se(μ), interval per row
/// ```
public struct FittedGLM: Sendable, Equatable {
    /// The version written by `encode(to:)` and the only one `init(from:)` accepts.
    public static let formatVersion = 1

    /// The response distribution of the model.
    public var family: GLMFamily
    /// The link g with g(μ) = η.
    public var link: GLMLink
    /// "intercept" first when `includesIntercept`, then the feature names, in coefficient order.
    public var coefficientNames: [String]
    /// The estimates β̂, in the order of `coefficientNames`.
    public var coefficients: [Double]
    /// The covariance of the coefficients (p × p) of type `covarianceType`.
    public var covariance: Matrix
    /// Which covariance `covariance` is (nonrobust, HC0…HC3, cluster).
    public var covarianceType: GLMCovarianceKind
    /// φ (1 for the families with a fixed dispersion).
    public var dispersion: Double
    /// Whether the first coefficient is an intercept (a column of ones not among the features).
    public var includesIntercept: Bool

    /// Creates a fitted model from its parts.
    ///
    /// - Precondition: `coefficients` and `coefficientNames` have p entries, `covariance` is p × p, and
    ///   p ≥ 1 when `includesIntercept` (programmer errors: a fit or a decoded file always satisfies them).
    public init(family: GLMFamily, link: GLMLink, coefficientNames: [String], coefficients: [Double],
                covariance: Matrix, covarianceType: GLMCovarianceKind, dispersion: Double, includesIntercept: Bool) {
        let p = coefficients.count
        precondition(coefficientNames.count == p && covariance.rows == p && covariance.columns == p && (!includesIntercept || p >= 1),
                     "FittedGLM: \(p) coefficients, \(coefficientNames.count) names, \(covariance.shapeDescription) covariance")
        self.family = family
        self.link = link
        self.coefficientNames = coefficientNames
        self.coefficients = coefficients
        self.covariance = covariance
        self.covarianceType = covarianceType
        self.dispersion = dispersion
        self.includesIntercept = includesIntercept
    }

    /// The feature names (the coefficient names without the intercept).
    public var featureNames: [String] { Array(coefficientNames.dropFirst(includesIntercept ? 1 : 0)) }

    /// Checks that `features` has the model's feature columns.
    func checkFeatures(_ features: Matrix) throws(GLMError) {
        let k = coefficients.count - (includesIntercept ? 1 : 0)
        guard features.columns == k else { throw .featureCountMismatch(expected: k, got: features.columns) }
    }
}

extension GLMFit {
    /// The fitted model as a value: coefficients, covariance (of `covarianceType`), dispersion, family,
    /// link and names, without the data.
    public var model: FittedGLM {
        FittedGLM(family: family, link: link, coefficientNames: coefficients.map(\.name), coefficients: estimates,
                  covariance: covariance, covarianceType: covarianceType, dispersion: dispersion,
                  includesIntercept: includesIntercept)
    }
}
