import ExponentialFamilies

/// Why a natural-gradient direction or step could not be computed, as a typed, inspectable value.
///
/// Shape mismatches (a gradient whose length differs from the Fisher matrix) are programmer errors and
/// stop the program with a precondition naming both shapes; everything numerical input can cause is
/// one of these cases.
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
        case let .stepLeftDomain(lastStepSize, halvings, reason):
            return "the natural-gradient step left the parameter domain even at ρ = \(lastStepSize) after \(halvings) halvings: \(reason)"
        }
    }
}

/// What the Cholesky layer did to factor F + λI: the λ it used (the requested damping, or larger when
/// the opt-in jitter had to grow it) and how many factorizations it made (1 when the first succeeded).
public struct DampingReport: Sendable, Equatable, Hashable {
    /// λ actually added to the diagonal of F.
    public var damping: Double
    /// Factorizations made, including the first.
    public var attempts: Int

    public init(damping: Double, attempts: Int) {
        self.damping = damping
        self.attempts = attempts
    }
}

/// A natural-gradient direction (F + λI)⁻¹g with the damping that produced it.
public struct NaturalGradientSolution: Sendable, Equatable {
    /// (F + λI)⁻¹g.
    public var direction: [Double]
    /// The λ used and the number of factorizations.
    public var report: DampingReport

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
