import ExponentialFamilies

/// Why a natural-gradient direction or step could not be computed, as a typed, inspectable value.
///
/// Everything input data can cause is one of these cases, shape mismatches included (a gradient whose
/// length differs from the Fisher matrix: ``shapeMismatch(operation:expected:actual:)`` names both
/// shapes). Preconditions remain only for misuse no data can cause: a negative workspace dimension, a
/// negative iteration cap or tolerance passed as a literal option.
public enum NaturalGradientError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The Cholesky layer failed: F + λI is not positive definite (with the last λ tried and the
    /// failing leading minor), an entry of F is NaN or ±∞, or the solution overflowed.
    case linearAlgebra(LinearAlgebraError)
    /// Entry `index` of the gradient (right-hand side) is NaN or ±∞.
    case nonFiniteGradient(index: Int)
    /// A damping λ that is negative, NaN or ±∞.
    case invalidDamping(Double)
    /// The empirical Fisher GᵀG/n of `samples` per-sample gradients in `parameters` dimensions has
    /// rank ≤ samples < parameters, so with λ = 0 it is singular and F⁻¹g does not exist. Pass λ > 0
    /// (Levenberg–Marquardt damping), which also enables the Woodbury solve.
    case singularEmpiricalFisher(samples: Int, parameters: Int)
    /// Conjugate gradient reached its iteration cap with ‖r‖/‖b‖ = `relativeResidual` above
    /// `tolerance`. The solution buffer holds the last iterate.
    case conjugateGradientDidNotConverge(iterations: Int, relativeResidual: Double, tolerance: Double)
    /// Conjugate gradient met a search direction p with pᵀ(F + λI)p = `curvature` ≤ 0 or not finite at
    /// `iteration` (1-based): the operator is not positive definite. The solution buffer holds the
    /// last iterate.
    case conjugateGradientBreakdown(iteration: Int, curvature: Double)
    /// A step size ρ that is not finite and > 0.
    case invalidStepSize(Double)
    /// The shapes of the inputs do not fit: `operation` names the call, `expected` the shape the
    /// workspace or Fisher matrix requires, `actual` the shape supplied.
    case shapeMismatch(operation: String, expected: String, actual: String)
    /// The empirical Fisher needs at least one per-sample gradient (G has 0 rows).
    case noSamples
    /// The Woodbury solve divides by λ: forcing ``EmpiricalFisherMethod/woodbury`` needs damping > 0.
    case woodburyNeedsDamping(Double)
    /// θ − ρ·∇μL stayed outside the natural-parameter domain after `halvings` halvings of the step;
    /// `lastStepSize` is the last ρ tried and `reason` the family's objection to that θ.
    case stepLeftDomain(lastStepSize: Double, halvings: Int, reason: ExponentialFamilyError)

    public var description: String {
        switch self {
        case let .linearAlgebra(error):
            return error.description
        case let .nonFiniteGradient(index):
            return "gradient entry \(index) is NaN or infinite"
        case let .invalidDamping(value):
            return "damping λ = \(value) is invalid: it must be finite and ≥ 0"
        case let .singularEmpiricalFisher(samples, parameters):
            return "the empirical Fisher of \(samples) samples in \(parameters) dimensions is singular (rank ≤ \(samples)): use damping λ > 0"
        case let .conjugateGradientDidNotConverge(iterations, residual, tolerance):
            return "conjugate gradient did not converge: relative residual \(residual) > \(tolerance) after \(iterations) iterations"
        case let .conjugateGradientBreakdown(iteration, curvature):
            return "conjugate gradient broke down at iteration \(iteration): curvature pᵀ(F + λI)p = \(curvature) (the operator is not positive definite)"
        case let .invalidStepSize(value):
            return "step size ρ = \(value) is invalid: it must be finite and > 0"
        case let .shapeMismatch(operation, expected, actual):
            return "\(operation): expected \(expected), got \(actual)"
        case .noSamples:
            return "the empirical Fisher needs at least one per-sample gradient (G has no rows)"
        case let .woodburyNeedsDamping(value):
            return "the Woodbury solve divides by λ and needs damping λ > 0, got \(value)"
        case let .stepLeftDomain(lastStepSize, halvings, reason):
            return "the natural-gradient step left the parameter domain even at ρ = \(lastStepSize) after \(halvings) halvings: \(reason)"
        }
    }
}

/// What the Cholesky layer did to factor F + λI: the λ it used (the requested damping, or larger when
/// the opt-in jitter had to grow it), how many factorizations it made (1 when the first succeeded),
/// and how well conditioned the factored matrix was.
public struct DampingReport: Sendable, Equatable, Hashable {
    /// λ actually added to the diagonal of F.
    public var damping: Double
    /// Factorizations made, including the first.
    public var attempts: Int
    /// (min Lᵢᵢ / max Lᵢᵢ)² of the final factor F + λI = LLᵀ (O(n), always reported; see
    /// `Cholesky.pivotRatio`): ≥ 1/κ₂(F + λI), so a value near ε ≈ 2e-16 proves the
    /// system numerically singular and the direction mostly rounding noise. 1 for the Woodbury path's
    /// n × n system when n = 0.
    public var pivotRatio: Double
    /// 1/κ₁(F + λI) from dpocon (O(n²)) when the jitter policy set a
    /// `JitterPolicy.minimumReciprocalCondition`; nil otherwise.
    public var reciprocalCondition: Double?

    /// A report of the damping a solve used.
    ///
    /// - Parameters:
    ///   - damping: the λ used.
    ///   - attempts: the factorizations made.
    ///   - pivotRatio: (min Lᵢᵢ / max Lᵢᵢ)² of the final factor (default 1).
    ///   - reciprocalCondition: 1/κ₁ when it was estimated (default nil).
    public init(damping: Double, attempts: Int, pivotRatio: Double = 1, reciprocalCondition: Double? = nil) {
        self.damping = damping
        self.attempts = attempts
        self.pivotRatio = pivotRatio
        self.reciprocalCondition = reciprocalCondition
    }

    /// The report of a successful factorization.
    init(_ factor: Cholesky, damping: Double? = nil) {
        self.init(damping: damping ?? factor.damping, attempts: factor.attempts, pivotRatio: factor.pivotRatio,
                  reciprocalCondition: factor.reciprocalConditionNumber)
    }
}

/// A natural-gradient direction (F + λI)⁻¹g with the damping that produced it.
public struct NaturalGradientSolution: Sendable, Equatable {
    /// (F + λI)⁻¹g.
    public var direction: [Double]
    /// The λ used and the number of factorizations.
    public var report: DampingReport

    /// A solution with its damping report.
    public init(direction: [Double], report: DampingReport) {
        self.direction = direction
        self.report = report
    }
}

/// Throws `.nonFiniteGradient` for the first NaN/±∞ entry.
@inline(__always)
func requireFiniteGradient(_ g: [Double]) throws(NaturalGradientError) {
    for i in g.indices where !g[i].isFinite { throw .nonFiniteGradient(index: i) }
}

/// Throws `.invalidDamping` unless λ is finite and ≥ 0.
@inline(__always)
func requireValidDamping(_ lambda: Double) throws(NaturalGradientError) {
    guard lambda >= 0, lambda.isFinite else { throw .invalidDamping(lambda) }
}
