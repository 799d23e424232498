import RealModule

/// A decreasing geometric path of penalties with warm starts (glmnet's and glum's scheme).
///
/// λ_max is the smallest λ at which every penalized coefficient is 0: with β̂₀ the intercept-only fit
/// (all penalized coefficients 0) and g its gradient of D/(2Σs), the optimality conditions at β = (β̂₀, 0)
/// read |gⱼ| ≤ λr for every penalized j, so λ_max = maxⱼ |gⱼ| / r. For ridge (r = 0) no finite λ gives
/// exact zeros; λ_max then uses r = 10⁻³ (as glmnet does), where the coefficients are already small.
/// The path is λₖ = λ_max·ρ^(k/(K − 1)), k = 0 … K − 1, with ρ = `minimumRatio` (default 10⁻³), each fit
/// started from the previous solution, whose evaluation pass it reuses, and its first step taken with the
/// previous fit's last Hessian (a pass saved per λ; the line search guards the step).
public struct RegularizationPath: Sendable {
    /// The response distribution of the fits.
    public var family: GLMFamily
    /// The link g with g(μ) = η (the family's default link when none was given).
    public var link: GLMLink
    /// r ∈ [0, 1].
    public var l1Ratio: Double
    /// K ≥ 1 values.
    public var count: Int
    /// λ_min/λ_max.
    public var minimumRatio: Double

    /// Creates a path of K penalties from λ_max down to λ_max·ρ (ρ = 10⁻³ by default).
    ///
    /// - Throws: `.invalidAlpha`, `.invalidTweediePower`, `.invalidPenalty` (r outside [0, 1], K < 1 or a
    ///   ratio outside (0, 1]).
    public init(family: GLMFamily, link: GLMLink? = nil, l1Ratio: Double, count: Int,
                minimumRatio: Double = 1e-3) throws(GLMError) {
        let model = try GeneralizedLinearModel(family: family, link: link)
        guard l1Ratio >= 0 && l1Ratio <= 1, count >= 1, minimumRatio > 0 && minimumRatio <= 1 else {
            throw .invalidPenalty(lambda: minimumRatio, l1Ratio: l1Ratio)
        }
        self.family = model.family
        self.link = model.link
        self.l1Ratio = l1Ratio
        self.count = count
        self.minimumRatio = minimumRatio
    }

    /// λ_max for `data` (see the type's doc).
    public func maximumLambda(_ data: PenalizedGLMData, options: PenalizedFitOptions = PenalizedFitOptions()) throws(GLMError) -> Double {
        var solver = try PenalizedFisherScoringSolver(family: family, link: link, data: data)
        return try Self.maximumLambda(&solver, l1Ratio: l1Ratio, options: options).lambda
    }

    /// λ_max and the intercept-only coefficients it is attained at.
    static func maximumLambda(_ solver: inout PenalizedFisherScoringSolver, l1Ratio: Double,
                              options: PenalizedFitOptions) throws(GLMError) -> (lambda: Double, start: [Double]) {
        // A lasso penalty large enough to hold every penalized coefficient at 0 fits the intercept alone.
        let hold = try GLMPenalty(lambda: 1e300, l1Ratio: 1)
        let null = try solver.fit(penalty: hold, start: nil, options: options)
        var gradient = [Double](repeating: 0, count: solver.design.columns)
        _ = solver.evaluate(null.coefficients, gradient: &gradient)
        var largest = 0.0
        for j in solver.firstPenalized..<gradient.count { largest = Swift.max(largest, Swift.abs(gradient[j])) }
        return (largest / Swift.max(l1Ratio, 1e-3), null.coefficients)
    }

    /// The λ values of the path for a given λ_max.
    public func lambdas(maximum: Double) -> [Double] {
        guard count > 1 else { return [maximum] }
        return (0..<count).map { k in maximum * Double.pow(minimumRatio, Double(k) / Double(count - 1)) }
    }

    /// Fits the whole path, largest λ first, each fit warm-started from the previous one.
    /// - Returns: one fit per λ (`fit.penalty.lambda` is the λ).
    /// - Throws: as `PenalizedGeneralizedLinearModel.fit`.
    public func fit(_ data: PenalizedGLMData, options: PenalizedFitOptions = PenalizedFitOptions()) throws(GLMError) -> [PenalizedGLMFit] {
        var solver = try PenalizedFisherScoringSolver(family: family, link: link, data: data)
        let (maximum, null) = try Self.maximumLambda(&solver, l1Ratio: l1Ratio, options: options)
        var start = null
        var fits = [PenalizedGLMFit]()
        for (k, lambda) in lambdas(maximum: maximum).enumerated() {
            let fit = try solver.fit(penalty: GLMPenalty(lambda: lambda, l1Ratio: l1Ratio), start: start, options: options,
                                     firstHessian: k == 0 ? .fresh : .previous)
            start = fit.coefficients
            fits.append(fit)
        }
        return fits
    }
}
