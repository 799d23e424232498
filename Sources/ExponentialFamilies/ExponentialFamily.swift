@_exported import LinearAlgebra

/// A member of a canonical exponential family, p(x | θ) = h(x)·exp(θᵀT(x) − A(θ)).
///
/// The two parametrizations the natural-gradient engine needs are both available:
/// - natural parameters θ (``naturalParameters``), in which A is convex and the Fisher matrix is
///   F(θ) = ∇²A(θ) = Cov[T(x)] (``fisherInformation``, ``fisherVectorProduct(_:)``);
/// - mean parameters μ = ∇A(θ) = E[T(x)] (``meanParameters``).
///
/// Because F = ∂μ/∂θ, the chain rule gives ∇θL = F·∇μL, so the natural gradient F⁻¹∇θL equals ∇μL:
/// no matrix needs to be formed. Hyperparameters that are not estimated (Binomial trials, the number
/// of categories, the dimension of a Gaussian, NegativeBinomial r) are fixed per value, and
/// ``withNaturalParameters(_:)`` / ``withMeanParameters(_:)`` keep them.
///
/// Parameters are flat `[Double]` vectors; each family's file states its vectorization.
public protocol ExponentialFamily: Sendable {
    /// One observation x (a `Double`, an `Int` count or category, or a vector).
    associatedtype Observation: Sendable

    /// Number of natural (and mean) parameters.
    var dimension: Int { get }
    /// θ.
    var naturalParameters: [Double] { get }
    /// μ = ∇A(θ) = E[T(x)].
    var meanParameters: [Double] { get }
    /// A(θ), the log-partition (log-normalizer).
    var logPartition: Double { get }
    /// F(θ) = ∇²A(θ) = Cov[T(x)], symmetric positive (semi)definite, `dimension × dimension`.
    var fisherInformation: Matrix { get }
    /// F(θ)·v without forming F.
    func fisherVectorProduct(_ v: [Double]) -> [Double]

    /// A member with the same hyperparameters and natural parameters θ.
    /// - Throws: `ExponentialFamilyError` when θ is outside the natural domain or not finite.
    func withNaturalParameters(_ theta: [Double]) throws(ExponentialFamilyError) -> Self
    /// A member with the same hyperparameters and mean parameters μ (the inverse map μ → θ).
    /// - Throws: `ExponentialFamilyError` when μ is outside the interior of the mean space, not finite,
    ///   or (for families solved by Newton's method) when the solve does not converge.
    func withMeanParameters(_ mu: [Double]) throws(ExponentialFamilyError) -> Self

    /// T(x). - Throws: `.outsideSupport` when x is not in the support.
    func sufficientStatistics(_ x: Observation) throws(ExponentialFamilyError) -> [Double]
    /// log h(x). - Throws: `.outsideSupport` when x is not in the support.
    func logBaseMeasure(_ x: Observation) throws(ExponentialFamilyError) -> Double
    /// E_θ[log h(x)], needed for the entropy.
    var expectedLogBaseMeasure: Double { get }

    /// A draw x ~ p(· | θ).
    func sample<G: RandomNumberGenerator>(using generator: inout G) -> Observation

    // MARK: Customization points (each has a default in `ExponentialFamily+Derived.swift`)

    /// `true` when `other` has the same fixed hyperparameters (Binomial trials, NegativeBinomial r,
    /// number of categories, dimension), so that KL and cross-entropy between the two are defined.
    /// Default: equal ``dimension``.
    func hasSameHyperparameters(as other: Self) -> Bool

    /// KL(self ‖ q) = A(θq) − A(θp) − (θq − θp)·μp (the Bregman divergence of A), in nats.
    /// Default: the Bregman form, clamped at 0 (rounding can make it slightly negative). Families
    /// override it with a closed form free of cancellation when p ≈ q.
    /// - Precondition: `hasSameHyperparameters(as: q)`.
    func klDivergence(to q: Self) -> Double

    /// H(p) = −E[log p(x)] = A(θ) − θ·μ − E[log h(x)] (differential entropy for continuous families,
    /// with respect to the base measure stated in the family's file). Default: that formula.
    var entropy: Double { get }

    /// Adds T(x) to `sum` (the accumulator of ``fitted(to:)``, no allocation in the families that
    /// override it). Default: `sum += sufficientStatistics(x)`.
    /// - Throws: `.outsideSupport(index: nil, …)` when x is not in the support.
    func accumulateSufficientStatistics(_ x: Observation, into sum: inout [Double]) throws(ExponentialFamilyError)

    /// A human-readable reason why the average sufficient statistic `mu` of some data has no
    /// maximum-likelihood estimate (e.g. "every observation is 0"), or nil to let ``fitted(to:)`` use
    /// the error thrown by ``withMeanParameters(_:)``. Default: nil.
    func maximumLikelihoodObstruction(averageStatistics mu: [Double]) -> String?

    /// The maximum-likelihood member for i.i.d. data, with the same hyperparameters: μ̂ = (1/n)·Σ T(xᵢ),
    /// θ̂ = θ(μ̂). Default: that average (compensated summation) followed by ``withMeanParameters(_:)``.
    /// Families override it when a more accurate route exists (e.g. a two-pass variance).
    /// - Throws: `.maximumLikelihoodDoesNotExist` for no data or when μ̂ is not in the interior of the
    ///   mean space (with the reason); `.outsideSupport(index: i, …)` naming the first bad datum;
    ///   `.inverseMapDidNotConverge` from Newton families.
    func fitted<S: Sequence>(to data: S) throws(ExponentialFamilyError) -> Self where S.Element == Observation
}
