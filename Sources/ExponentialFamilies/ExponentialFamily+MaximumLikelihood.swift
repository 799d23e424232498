// Maximum-likelihood constructors for the families without hyperparameters: `Gamma.maximumLikelihood(x)`
// instead of `Gamma(shape: 1, rate: 1).fitted(to: x)`. Each is the moment-matching estimate of a
// canonical exponential family, μ(θ̂) = (1/n)Σ T(xᵢ), via ``ExponentialFamily/fitted(to:)``; the families
// with hyperparameters (Binomial's trials, NegativeBinomial's r, Categorical's K, the multivariate
// dimensions) keep `fitted(to:)` on a member that carries them.

extension Gamma {
    /// The maximum-likelihood member for `data`: shape k and rate β with ψ(k) − log k = mean(log x) − log mean(x) (Newton).
    /// - Throws: `.maximumLikelihoodDoesNotExist` (no data, or the average statistic on the boundary of
    ///   the mean space), `.outsideSupport(index:…)` for an observation outside the support.
    public static func maximumLikelihood<S: Sequence>(_ data: S) throws(ExponentialFamilyError) -> Gamma
    where S.Element == Observation {
        try Gamma(shape: 1, rate: 1).fitted(to: data)
    }
}

extension Normal {
    /// The maximum-likelihood member for `data`: mean x̄ and variance (1/n)Σ(xᵢ − x̄)².
    /// - Throws: `.maximumLikelihoodDoesNotExist` (no data, or the average statistic on the boundary of
    ///   the mean space), `.outsideSupport(index:…)` for an observation outside the support.
    public static func maximumLikelihood<S: Sequence>(_ data: S) throws(ExponentialFamilyError) -> Normal
    where S.Element == Observation {
        try Normal(mean: 0, variance: 1).fitted(to: data)
    }
}

extension Poisson {
    /// The maximum-likelihood member for `data`: rate x̄.
    /// - Throws: `.maximumLikelihoodDoesNotExist` (no data, or the average statistic on the boundary of
    ///   the mean space), `.outsideSupport(index:…)` for an observation outside the support.
    public static func maximumLikelihood<S: Sequence>(_ data: S) throws(ExponentialFamilyError) -> Poisson
    where S.Element == Observation {
        try Poisson(rate: 1).fitted(to: data)
    }
}

extension Exponential {
    /// The maximum-likelihood member for `data`: rate 1/x̄.
    /// - Throws: `.maximumLikelihoodDoesNotExist` (no data, or the average statistic on the boundary of
    ///   the mean space), `.outsideSupport(index:…)` for an observation outside the support.
    public static func maximumLikelihood<S: Sequence>(_ data: S) throws(ExponentialFamilyError) -> Exponential
    where S.Element == Observation {
        try Exponential(rate: 1).fitted(to: data)
    }
}

extension Bernoulli {
    /// The maximum-likelihood member for `data`: p = x̄.
    /// - Throws: `.maximumLikelihoodDoesNotExist` (no data, or the average statistic on the boundary of
    ///   the mean space), `.outsideSupport(index:…)` for an observation outside the support.
    public static func maximumLikelihood<S: Sequence>(_ data: S) throws(ExponentialFamilyError) -> Bernoulli
    where S.Element == Observation {
        try Bernoulli(p: 0.5).fitted(to: data)
    }
}

extension Beta {
    /// The maximum-likelihood member for `data`: α, β matching mean(log x) and mean(log(1 − x)) (Newton).
    /// - Throws: `.maximumLikelihoodDoesNotExist` (no data, or the average statistic on the boundary of
    ///   the mean space), `.outsideSupport(index:…)` for an observation outside the support.
    public static func maximumLikelihood<S: Sequence>(_ data: S) throws(ExponentialFamilyError) -> Beta
    where S.Element == Observation {
        try Beta(alpha: 1, beta: 1).fitted(to: data)
    }
}

extension InverseGaussian {
    /// The maximum-likelihood member for `data`: mean x̄ and shape 1/(mean(1/x) − 1/x̄).
    /// - Throws: `.maximumLikelihoodDoesNotExist` (no data, or the average statistic on the boundary of
    ///   the mean space), `.outsideSupport(index:…)` for an observation outside the support.
    public static func maximumLikelihood<S: Sequence>(_ data: S) throws(ExponentialFamilyError) -> InverseGaussian
    where S.Element == Observation {
        try InverseGaussian(mean: 1, shape: 1).fitted(to: data)
    }
}

extension Geometric {
    /// The maximum-likelihood member for `data`: the p whose mean matches x̄.
    /// - Throws: `.maximumLikelihoodDoesNotExist` (no data, or the average statistic on the boundary of
    ///   the mean space), `.outsideSupport(index:…)` for an observation outside the support.
    public static func maximumLikelihood<S: Sequence>(_ data: S) throws(ExponentialFamilyError) -> Geometric
    where S.Element == Observation {
        try Geometric(p: 0.5).fitted(to: data)
    }
}

extension Poisson {
    /// The maximum-likelihood member for counts stored as `Double` (as GLM and VI responses are): each
    /// must be a finite whole number ≥ 0 (below 2⁵³, so it is exact), then rate x̄ as for `Int` counts.
    /// - Throws: `.outsideSupport(index: i, …)` for the first value that is not such a count (its message
    ///   counts from 1); `.maximumLikelihoodDoesNotExist` as for `Int` counts.
    public static func maximumLikelihood(counts data: [Double]) throws(ExponentialFamilyError) -> Poisson {
        var counts = [Int]()
        counts.reserveCapacity(data.count)
        for (i, x) in data.enumerated() {
            guard x.isFinite, x >= 0, x < 0x1p53, x == x.rounded(.towardZero) else {
                throw .outsideSupport(index: i, description: "x = \(x) is not a whole count ≥ 0")
            }
            counts.append(Int(x))
        }
        return try maximumLikelihood(counts)
    }
}
