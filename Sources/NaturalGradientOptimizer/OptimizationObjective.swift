/// A model the natural-gradient optimizer can train: it supplies L(θ), ∇L(θ) and one curvature form.
///
/// Mini-batches: `evaluate` may move to a new batch (of any size) each time it is called; `loss(at:)`
/// and `fisherVectorProduct` must use the batch of the most recent `evaluate`, so that the reduction
/// ratio compares the loss on the same data at θ and θ + δ. `loss(at:)` must not change what
/// `fisherVectorProduct` computes: after a rejected step the optimizer solves again with the curvature
/// of the last `evaluate`.
public protocol OptimizationObjective {
    /// p, the length of θ.
    var parameterCount: Int { get }
    /// L(θ) on the current batch. NaN or ±∞ (θ outside the model's domain) makes the optimizer reject
    /// the trial step; it is never a crash.
    mutating func loss(at parameters: [Double]) -> Double
    /// L(θ) and C(θ), writing ∇L(θ) (length p) into `gradient`.
    mutating func evaluate(at parameters: [Double], gradient: inout [Double]) -> Evaluation
    /// Writes C·v into `result` (length p) for the θ of the last `evaluate`. Needed only when
    /// `evaluate` returns `.fisherVectorProduct`.
    mutating func fisherVectorProduct(_ v: [Double], into result: inout [Double])
}

extension OptimizationObjective {
    /// Objectives that never return `.fisherVectorProduct` need not implement products.
    public mutating func fisherVectorProduct(_ v: [Double], into result: inout [Double]) {
        preconditionFailure("evaluate returned .fisherVectorProduct but the objective implements no product")
    }
}
