import LinearAlgebra

// JSON (any `Codable` format) for every family: an object with the family's name under "family" and its
// usual parameters under their names, e.g. {"family": "gamma", "shape": 2, "rate": 0.5}. Decoding goes
// through the validating initializer of the usual parameters, so a stored law that is outside its domain
// (a negative variance, probabilities that do not sum to 1, a covariance that is not positive definite)
// is a `DecodingError.dataCorrupted` naming the parameter, never a trap or an invalid value; a different
// "family" name is one too. A law built from its usual parameters decodes to the same values bit for bit
// (JSON numbers round-trip doubles exactly); one built from natural or mean parameters decodes to the law of
// its stored usual parameters (the natural parameters then agree to rounding, ≈ 1e-16 relative).

/// The keyed container of one family's JSON object.
struct FamilyCoding<Key: CodingKey> {
    let container: KeyedDecodingContainer<Key>

    /// Opens the object and checks that its "family" entry is `name`.
    init(_ decoder: any Decoder, family name: String, familyKey: Key) throws {
        container = try decoder.container(keyedBy: Key.self)
        let stored = try container.decode(String.self, forKey: familyKey)
        guard stored == name else {
            throw DecodingError.dataCorruptedError(forKey: familyKey, in: container,
                                                   debugDescription: "expected family \"\(name)\", found \"\(stored)\"")
        }
    }

    func callAsFunction<T: Decodable>(_ key: Key, as type: T.Type = T.self) throws -> T {
        try container.decode(T.self, forKey: key)
    }

    /// The law `make` builds from the decoded parameters; its domain error becomes a decoding error.
    func validated<F>(_ make: () throws(ExponentialFamilyError) -> F) throws -> F {
        do {
            return try make()
        } catch {
            throw DecodingError.dataCorrupted(DecodingError.Context(
                codingPath: container.codingPath, debugDescription: "invalid parameters: \(error)"))
        }
    }
}

extension Bernoulli: Codable {
    enum CodingKeys: String, CodingKey { case family, p }
    public init(from decoder: any Decoder) throws {
        let c = try FamilyCoding<CodingKeys>(decoder, family: "bernoulli", familyKey: .family)
        let p: Double = try c(.p)
        self = try c.validated { () throws(ExponentialFamilyError) in try Bernoulli(p: p) }
    }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode("bernoulli", forKey: .family)
        try c.encode(p, forKey: .p)
    }
}

extension Beta: Codable {
    enum CodingKeys: String, CodingKey { case family, alpha, beta }
    public init(from decoder: any Decoder) throws {
        let c = try FamilyCoding<CodingKeys>(decoder, family: "beta", familyKey: .family)
        let a: Double = try c(.alpha), b: Double = try c(.beta)
        self = try c.validated { () throws(ExponentialFamilyError) in try Beta(alpha: a, beta: b) }
    }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode("beta", forKey: .family)
        try c.encode(alpha, forKey: .alpha)
        try c.encode(beta, forKey: .beta)
    }
}

extension Binomial: Codable {
    enum CodingKeys: String, CodingKey { case family, trials, p }
    public init(from decoder: any Decoder) throws {
        let c = try FamilyCoding<CodingKeys>(decoder, family: "binomial", familyKey: .family)
        let n: Int = try c(.trials), p: Double = try c(.p)
        self = try c.validated { () throws(ExponentialFamilyError) in try Binomial(trials: n, p: p) }
    }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode("binomial", forKey: .family)
        try c.encode(trials, forKey: .trials)
        try c.encode(p, forKey: .p)
    }
}

extension Categorical: Codable {
    enum CodingKeys: String, CodingKey { case family, probabilities }
    public init(from decoder: any Decoder) throws {
        let c = try FamilyCoding<CodingKeys>(decoder, family: "categorical", familyKey: .family)
        let p: [Double] = try c(.probabilities)
        self = try c.validated { () throws(ExponentialFamilyError) in try Categorical(probabilities: p) }
    }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode("categorical", forKey: .family)
        try c.encode(probabilities, forKey: .probabilities)
    }
}

extension DiagonalNormal: Codable {
    enum CodingKeys: String, CodingKey { case family, mean, variances }
    public init(from decoder: any Decoder) throws {
        let c = try FamilyCoding<CodingKeys>(decoder, family: "diagonal-normal", familyKey: .family)
        let m: [Double] = try c(.mean), v: [Double] = try c(.variances)
        self = try c.validated { () throws(ExponentialFamilyError) in try DiagonalNormal(mean: m, variances: v) }
    }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode("diagonal-normal", forKey: .family)
        try c.encode(mean, forKey: .mean)
        try c.encode(variances, forKey: .variances)
    }
}

extension Dirichlet: Codable {
    enum CodingKeys: String, CodingKey { case family, alpha }
    public init(from decoder: any Decoder) throws {
        let c = try FamilyCoding<CodingKeys>(decoder, family: "dirichlet", familyKey: .family)
        let a: [Double] = try c(.alpha)
        self = try c.validated { () throws(ExponentialFamilyError) in try Dirichlet(alpha: a) }
    }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode("dirichlet", forKey: .family)
        try c.encode(alpha, forKey: .alpha)
    }
}

extension Exponential: Codable {
    enum CodingKeys: String, CodingKey { case family, rate }
    public init(from decoder: any Decoder) throws {
        let c = try FamilyCoding<CodingKeys>(decoder, family: "exponential", familyKey: .family)
        let r: Double = try c(.rate)
        self = try c.validated { () throws(ExponentialFamilyError) in try Exponential(rate: r) }
    }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode("exponential", forKey: .family)
        try c.encode(rate, forKey: .rate)
    }
}

extension Gamma: Codable {
    enum CodingKeys: String, CodingKey { case family, shape, rate }
    public init(from decoder: any Decoder) throws {
        let c = try FamilyCoding<CodingKeys>(decoder, family: "gamma", familyKey: .family)
        let k: Double = try c(.shape), b: Double = try c(.rate)
        self = try c.validated { () throws(ExponentialFamilyError) in try Gamma(shape: k, rate: b) }
    }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode("gamma", forKey: .family)
        try c.encode(shape, forKey: .shape)
        try c.encode(rate, forKey: .rate)
    }
}

extension Geometric: Codable {
    enum CodingKeys: String, CodingKey { case family, p }
    public init(from decoder: any Decoder) throws {
        let c = try FamilyCoding<CodingKeys>(decoder, family: "geometric", familyKey: .family)
        let p: Double = try c(.p)
        self = try c.validated { () throws(ExponentialFamilyError) in try Geometric(p: p) }
    }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode("geometric", forKey: .family)
        try c.encode(p, forKey: .p)
    }
}

extension InverseGaussian: Codable {
    enum CodingKeys: String, CodingKey { case family, mean, shape }
    public init(from decoder: any Decoder) throws {
        let c = try FamilyCoding<CodingKeys>(decoder, family: "inverse-gaussian", familyKey: .family)
        let m: Double = try c(.mean), s: Double = try c(.shape)
        self = try c.validated { () throws(ExponentialFamilyError) in try InverseGaussian(mean: m, shape: s) }
    }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode("inverse-gaussian", forKey: .family)
        try c.encode(mean, forKey: .mean)
        try c.encode(shape, forKey: .shape)
    }
}

extension LogNormal: Codable {
    enum CodingKeys: String, CodingKey { case family, logMean, logVariance }
    public init(from decoder: any Decoder) throws {
        let c = try FamilyCoding<CodingKeys>(decoder, family: "log-normal", familyKey: .family)
        let m: Double = try c(.logMean), v: Double = try c(.logVariance)
        self = try c.validated { () throws(ExponentialFamilyError) in try LogNormal(logMean: m, logVariance: v) }
    }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode("log-normal", forKey: .family)
        try c.encode(logarithm.mean, forKey: .logMean)
        try c.encode(logarithm.variance, forKey: .logVariance)
    }
}

extension MultivariateNormal: Codable {
    enum CodingKeys: String, CodingKey { case family, mean, covariance }
    public init(from decoder: any Decoder) throws {
        let c = try FamilyCoding<CodingKeys>(decoder, family: "multivariate-normal", familyKey: .family)
        let m: [Double] = try c(.mean), s: Matrix = try c(.covariance)
        self = try c.validated { () throws(ExponentialFamilyError) in try MultivariateNormal(mean: m, covariance: s) }
    }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode("multivariate-normal", forKey: .family)
        try c.encode(mean, forKey: .mean)
        try c.encode(covariance, forKey: .covariance)
    }
}

extension NegativeBinomial: Codable {
    enum CodingKeys: String, CodingKey { case family, r, p }
    public init(from decoder: any Decoder) throws {
        let c = try FamilyCoding<CodingKeys>(decoder, family: "negative-binomial", familyKey: .family)
        let r: Double = try c(.r), p: Double = try c(.p)
        self = try c.validated { () throws(ExponentialFamilyError) in try NegativeBinomial(r: r, p: p) }
    }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode("negative-binomial", forKey: .family)
        try c.encode(r, forKey: .r)
        try c.encode(p, forKey: .p)
    }
}

extension Normal: Codable {
    enum CodingKeys: String, CodingKey { case family, mean, variance }
    public init(from decoder: any Decoder) throws {
        let c = try FamilyCoding<CodingKeys>(decoder, family: "normal", familyKey: .family)
        let m: Double = try c(.mean), v: Double = try c(.variance)
        self = try c.validated { () throws(ExponentialFamilyError) in try Normal(mean: m, variance: v) }
    }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode("normal", forKey: .family)
        try c.encode(mean, forKey: .mean)
        try c.encode(variance, forKey: .variance)
    }
}

extension Poisson: Codable {
    enum CodingKeys: String, CodingKey { case family, rate }
    public init(from decoder: any Decoder) throws {
        let c = try FamilyCoding<CodingKeys>(decoder, family: "poisson", familyKey: .family)
        let r: Double = try c(.rate)
        self = try c.validated { () throws(ExponentialFamilyError) in try Poisson(rate: r) }
    }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode("poisson", forKey: .family)
        try c.encode(rate, forKey: .rate)
    }
}
