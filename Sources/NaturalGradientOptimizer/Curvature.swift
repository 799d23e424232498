import LinearAlgebra

/// The curvature C an objective supplies with its gradient, in one of three forms.
///
/// The optimizer solves (C + λI)δ = −g with the matching method: Cholesky for `.fisher`, the
/// empirical Fisher C = GᵀG/n of the rows of G for `.sampleGradients` (dense or Woodbury, chosen by
/// flop count as `EmpiricalFisherWorkspace` does), conjugate gradient through the objective's
/// ``OptimizationObjective/fisherVectorProduct(_:into:)`` for `.fisherVectorProduct`, and per-block
/// damped Cholesky factors of A and G for `.kroneckerFactors` (K-FAC).
public enum Curvature: Sendable {
    /// A dense symmetric p × p matrix C (lower triangle read), e.g. the exact Fisher or Gauss–Newton.
    case fisher(Matrix)
    /// G, n × p: one per-sample gradient per row, C = GᵀG/n. n may change from call to call
    /// (mini-batches of varying size).
    case sampleGradients(Matrix)
    /// Only products C·v are available, through the objective.
    case fisherVectorProduct
    /// Block-diagonal C = diag(A₁ ⊗ G₁, A₂ ⊗ G₂, …), one ``KroneckerBlock`` per layer; the blocks must
    /// tile θ (offsets 0, r₁c₁, r₁c₁ + r₂c₂, …, ending at p). Solved with π-adjusted damping.
    case kroneckerFactors([KroneckerBlock])
}

/// What ``OptimizationObjective/evaluate(at:gradient:)`` returns: L(θ) and the curvature at θ.
public struct Evaluation: Sendable {
    /// L(θ).
    public var loss: Double
    /// C(θ) in one of its forms.
    public var curvature: Curvature

    /// L(θ) and C(θ).
    public init(loss: Double, curvature: Curvature) {
        self.loss = loss
        self.curvature = curvature
    }
}
