import ExponentialFamilies

/// How the one-dimensional expectations E[ℓ(aᵢ)], E[ℓ′(aᵢ)], E[ℓ″(aᵢ)] over aᵢ ~ N(μᵢ, vᵢ) are computed.
///
/// Every GLM expectation in the ELBO and in its natural gradient is one-dimensional in the linear
/// predictor aᵢ = xᵢᵀw, so a rule {(zₖ, ωₖ)} for the standard normal gives all of them as
/// E[f(aᵢ)] ≈ Σₖ ωₖ f(μᵢ + √vᵢ·zₖ).
public enum ExpectationMethod: Sendable, Equatable, Hashable {
    /// Gauss–Hermite quadrature with `nodes` points (1…200): deterministic, exact for polynomials of
    /// degree ≤ 2·nodes − 1. The Gaussian and Poisson integrands are entire and converge to rounding
    /// at any moderate vᵢ; the logistic ones have poles at a = ±iπ, so the error decays like
    /// exp(−π√(2n)/√vᵢ): with 64 nodes it is ≤ 3e-14 for vᵢ ≤ 2.25 but 2e-10 at vᵢ = 4 (128 nodes:
    /// 1e-14). For the binomial likelihoods a predictor variance above 2.25 switches to composite
    /// Gauss–Legendre quadrature in η (`WidePredictorQuadrature.swift`), accurate at any variance.
    case gaussHermite(nodes: Int)
    /// A sample-average approximation: `samples` standard-normal draws z₁…z_S from a Xoshiro256
    /// generator seeded with `seed`, drawn once and shared by every observation and iteration
    /// (common random numbers), weights 1/S. Reproducible for a given seed; its error is O(1/√S).
    case monteCarlo(samples: Int, seed: UInt64)
    /// The exact closed forms (Gaussian and Poisson likelihoods only; see
    /// ``GLMLikelihood``). Used as the reference for the quadrature.
    case closedForm

    /// The default: 64-point Gauss–Hermite.
    public static let standard = ExpectationMethod.gaussHermite(nodes: 64)

    /// "gauss-hermite(64)", "monte-carlo(1000, seed 7)", "closed-form".
    public var label: String {
        switch self {
        case let .gaussHermite(n): return "gauss-hermite(\(n))"
        case let .monteCarlo(s, seed): return "monte-carlo(\(s), seed \(seed))"
        case .closedForm: return "closed-form"
        }
    }
}

/// A resolved rule: nodes and weights for E over N(0, 1), or the closed-form marker.
struct ExpectationRule: Sendable {
    let nodes: [Double]
    let weights: [Double]
    let closedForm: Bool
    /// Whether this is a Gauss–Hermite rule (binomial expectations at v > 2.25 then use
    /// `WidePredictorQuadrature.swift`).
    var gaussHermite = false

    /// The rule for one of the shorthand likelihoods.
    init(_ method: ExpectationMethod, likelihood: GLMLikelihood) throws(VariationalInferenceError) {
        let model = try ObservationModel(family: likelihood.family, link: likelihood.link, dispersion: likelihood.dispersion)
        try self.init(method, model: model)
    }

    init(_ method: ExpectationMethod, model: ObservationModel) throws(VariationalInferenceError) {
        switch method {
        case let .gaussHermite(n):
            let rule = try GaussHermiteRule(nodeCount: n)
            nodes = rule.nodes
            weights = rule.weights
            closedForm = false
            gaussHermite = true
        case let .monteCarlo(samples, seed):
            guard samples >= 1 && samples <= 1_000_000 else {
                throw .invalidParameter(name: "Monte Carlo sample count", value: Double(samples),
                                        requirement: "in 1…1000000")
            }
            var generator = Xoshiro256(seed: seed)
            nodes = (0..<samples).map { _ in standardNormal(using: &generator) }
            weights = [Double](repeating: 1 / Double(samples), count: samples)
            closedForm = false
        case .closedForm:
            guard model.hasClosedForm else {
                throw .unsupportedExpectation(likelihood: model.label, method: method.label)
            }
            nodes = []
            weights = []
            closedForm = true
        }
    }
}
