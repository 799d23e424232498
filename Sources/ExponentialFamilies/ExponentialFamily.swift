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
}
