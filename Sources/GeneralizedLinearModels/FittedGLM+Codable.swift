// The JSON form of a fitted model: a versioned object (issue 18's model format builds on it).

extension FittedGLM: Codable {
    enum CodingKeys: String, CodingKey {
        case version, family, alpha, power, link, coefficientNames, coefficients, covariance, covarianceType, dispersion,
             includesIntercept
    }

    /// Writes {"version": 1, "family": "negative-binomial", "alpha": 0.5 (negative binomial only), "power": 1.5 (Tweedie only), "link",
    /// "coefficientNames", "coefficients", "covariance" (rows, p arrays of p numbers), "covarianceType"
    /// ("nonrobust", "HC0", …, "cluster"), "dispersion", "includesIntercept"}. A non-finite number (an
    /// HC3 variance of a row with leverage 1) needs the encoder's non-conforming-float strategy.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(Self.formatVersion, forKey: .version)
        try c.encode(family.name, forKey: .family)
        if case let .negativeBinomial(alpha) = family { try c.encode(alpha, forKey: .alpha) }
        if case let .tweedie(power) = family { try c.encode(power, forKey: .power) }
        try c.encode(link.rawValue, forKey: .link)
        try c.encode(coefficientNames, forKey: .coefficientNames)
        try c.encode(coefficients, forKey: .coefficients)
        try c.encode(covariance.rowArrays, forKey: .covariance)
        try c.encode(covarianceType, forKey: .covarianceType)
        try c.encode(dispersion, forKey: .dispersion)
        try c.encode(includesIntercept, forKey: .includesIntercept)
    }

    /// Reads the form `encode(to:)` writes.
    /// - Throws: `DecodingError.dataCorrupted` for another version, an unknown family or link, a
    ///   negative binomial without a valid α, or shapes that disagree (names, coefficients, covariance).
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let version = try c.decode(Int.self, forKey: .version)
        guard version == Self.formatVersion else {
            throw DecodingError.dataCorruptedError(forKey: .version, in: c,
                debugDescription: "GLM model format version \(version); this NatGrad reads version \(Self.formatVersion)")
        }
        let familyName = try c.decode(String.self, forKey: .family)
        let family: GLMFamily
        switch familyName {
        case "gaussian": family = .gaussian
        case "binomial": family = .binomial
        case "poisson": family = .poisson
        case "gamma": family = .gamma
        case "inverse-gaussian": family = .inverseGaussian
        case "negative-binomial":
            let alpha = try c.decode(Double.self, forKey: .alpha)
            guard alpha > 0 && alpha.isFinite else {
                throw DecodingError.dataCorruptedError(forKey: .alpha, in: c, debugDescription: "negative binomial α = \(alpha) must be finite and > 0")
            }
            family = .negativeBinomial(alpha: alpha)
        case "tweedie":
            let power = try c.decode(Double.self, forKey: .power)
            guard power > 1 && power < 2 else {
                throw DecodingError.dataCorruptedError(forKey: .power, in: c, debugDescription: "Tweedie power p = \(power) must satisfy 1 < p < 2")
            }
            family = .tweedie(power: power)
        default:
            throw DecodingError.dataCorruptedError(forKey: .family, in: c, debugDescription: "unknown GLM family '\(familyName)'")
        }
        let linkName = try c.decode(String.self, forKey: .link)
        guard let link = GLMLink(rawValue: linkName) else {
            throw DecodingError.dataCorruptedError(forKey: .link, in: c, debugDescription: "unknown GLM link '\(linkName)'")
        }
        let names = try c.decode([String].self, forKey: .coefficientNames)
        let coefficients = try c.decode([Double].self, forKey: .coefficients)
        let rows = try c.decode([[Double]].self, forKey: .covariance)
        let includesIntercept = try c.decode(Bool.self, forKey: .includesIntercept)
        let p = coefficients.count
        guard names.count == p, rows.count == p, rows.allSatisfy({ $0.count == p }), !includesIntercept || p >= 1 else {
            throw DecodingError.dataCorruptedError(forKey: .covariance, in: c,
                debugDescription: "\(p) coefficients, \(names.count) names and a \(rows.count)-row covariance disagree")
        }
        guard coefficients.allSatisfy(\.isFinite) else {
            throw DecodingError.dataCorruptedError(forKey: .coefficients, in: c, debugDescription: "a coefficient is not finite")
        }
        self.init(family: family, link: link, coefficientNames: names, coefficients: coefficients,
                  covariance: p == 0 ? Matrix(rows: 0, columns: 0) : Matrix(rows: rows),
                  covarianceType: try c.decode(GLMCovarianceKind.self, forKey: .covarianceType),
                  dispersion: try c.decode(Double.self, forKey: .dispersion), includesIntercept: includesIntercept)
    }
}
