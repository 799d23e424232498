/// The elastic-net penalty of a penalized GLM, with glum's parametrization:
///
///   P(β) = λ·r·‖β‖₁ + ½·λ·(1 − r)·‖β‖₂²   over the non-intercept coefficients,
///
/// added to the scaled deviance D(β)/(2·Σsᵢ) (s the frequency weights), so the objective is
///
///   f(β) = D(β)/(2·Σsᵢ) + P(β)
///
/// (glum's `alpha` is λ and its `l1_ratio` is r; glmnet's objective for the Gaussian family is the same).
/// r = 0 is ridge (smooth: Newton/Fisher steps with Cholesky), r = 1 the lasso, 0 < r < 1 the elastic net
/// (both by coordinate descent). The intercept is never penalized. λ = 0 is the unpenalized fit.
public struct GLMPenalty: Sendable, Hashable, CustomStringConvertible {
    /// λ ≥ 0.
    public let lambda: Double
    /// r ∈ [0, 1].
    public let l1Ratio: Double

    /// Creates the penalty λr‖β‖₁ + ½λ(1 − r)‖β‖₂² (r = 0, ridge, by default).
    ///
    /// - Throws: `GLMError.invalidPenalty` unless λ is finite and ≥ 0 and r ∈ [0, 1].
    public init(lambda: Double, l1Ratio: Double = 0) throws(GLMError) {
        guard lambda >= 0 && lambda.isFinite && l1Ratio >= 0 && l1Ratio <= 1 else {
            throw .invalidPenalty(lambda: lambda, l1Ratio: l1Ratio)
        }
        self.lambda = lambda
        self.l1Ratio = l1Ratio
    }

    /// No penalty (λ = 0).
    public static let none = try! GLMPenalty(lambda: 0)

    /// The L1 weight λr.
    public var l1: Double { lambda * l1Ratio }
    /// The L2 weight λ(1 − r).
    public var l2: Double { lambda * (1 - l1Ratio) }
    /// Whether the penalty is smooth (no L1 part): the inner problem is then one linear solve.
    public var isSmooth: Bool { l1 == 0 }

    public var description: String {
        l1Ratio == 0 ? "ridge (λ = \(lambda))" : l1Ratio == 1 ? "lasso (λ = \(lambda))"
            : "elastic net (λ = \(lambda), L1 ratio \(l1Ratio))"
    }

    /// P(β) over the coefficients from `firstPenalized` on.
    public func value(_ beta: [Double], firstPenalized: Int) -> Double {
        var absolute = 0.0, squares = 0.0
        for j in firstPenalized..<beta.count {
            absolute += Swift.abs(beta[j])
            squares += beta[j] * beta[j]
        }
        return l1 * absolute + 0.5 * l2 * squares
    }

    /// The largest violation of the optimality (KKT) conditions of f at β, given g = ∇[D/(2Σs)](β):
    /// - unpenalized j (the intercept): |gⱼ|;
    /// - βⱼ ≠ 0: |gⱼ + λr·sign(βⱼ) + λ(1 − r)βⱼ|;
    /// - βⱼ = 0: max(0, |gⱼ| − λr) (0 ∈ gⱼ + λr·[−1, 1]).
    /// It is 0 exactly at the minimizer (f is convex in β for a canonical link; a stationary point otherwise).
    public func optimalityViolation(gradient g: [Double], coefficients beta: [Double], firstPenalized: Int) -> Double {
        var worst = 0.0
        for j in beta.indices {
            let v: Double
            if j < firstPenalized {
                v = Swift.abs(g[j])
            } else if beta[j] != 0 {
                v = Swift.abs(g[j] + (beta[j] > 0 ? l1 : -l1) + l2 * beta[j])
            } else {
                v = Swift.max(0, Swift.abs(g[j]) - l1)
            }
            worst = Swift.max(worst, v)
        }
        return worst
    }
}
