import NaturalGradient

/// Why a run could not proceed at all, as a typed value (the optimizer never traps on data).
public enum OptimizerError: Error, Sendable, Equatable, CustomStringConvertible {
    /// L(θ₀) is NaN or ±∞.
    case nonFiniteInitialLoss(Double)
    /// Entry `index` of a gradient the objective returned is NaN or ±∞ (at `iteration`, 0 = θ₀).
    case nonFiniteGradient(iteration: Int, index: Int)
    /// The curvature solve failed and the damping schedule could not recover (fixed λ, or λmax hit).
    case curvatureSolveFailed(iteration: Int, damping: Double, underlying: NaturalGradientError)
    /// The objective returned a curvature of the wrong shape (an n × q matrix with q ≠ p, or a
    /// non-square Fisher): `rows` × `columns` for p = `parameters`.
    case curvatureShapeMismatch(rows: Int, columns: Int, parameters: Int)

    /// A one-line message naming the facts.
    public var description: String {
        switch self {
        case let .nonFiniteInitialLoss(value):
            return "the loss at the starting point is \(value)"
        case let .nonFiniteGradient(iteration, index):
            return "gradient entry \(index) is NaN or infinite (iteration \(iteration))"
        case let .curvatureSolveFailed(iteration, damping, underlying):
            return "the curvature solve failed at iteration \(iteration) with λ = \(damping): \(underlying)"
        case let .curvatureShapeMismatch(rows, columns, parameters):
            return "the curvature is \(rows)×\(columns), which does not fit \(parameters) parameters"
        }
    }
}
