/// How the optimizer chooses the damping λ in the step δ = −(C + λI)⁻¹g.
public enum DampingSchedule: Sendable, Equatable, Hashable {
    /// λ never changes (the hand-written loop the optimizer replaces). Steps are still rejected when
    /// the acceptance rule says so, but λ does not react.
    case fixed(Double)
    /// λ adapted from the reduction ratio ρ by ``LevenbergMarquardtRule``.
    case levenbergMarquardt(LevenbergMarquardtRule)

    /// The λ of the first iteration.
    public var initialDamping: Double {
        switch self {
        case let .fixed(lambda): return lambda
        case let .levenbergMarquardt(rule): return rule.initialDamping
        }
    }

    /// The λ after a step with reduction ratio ρ (unchanged for `.fixed`).
    public func nextDamping(after lambda: Double, ratio rho: Double) -> Double {
        switch self {
        case .fixed: return lambda
        case let .levenbergMarquardt(rule): return rule.nextDamping(after: lambda, ratio: rho)
        }
    }

    /// The λ after a failed factorization of C + λI (not positive definite): grown by the rule's
    /// increase factor for LM, or to the rule's minimum when λ was 0; `nil` for `.fixed` (no retry).
    func dampingAfterFactorizationFailure(_ lambda: Double) -> Double? {
        switch self {
        case .fixed: return nil
        case let .levenbergMarquardt(rule):
            let grown = Swift.max(lambda * rule.increaseFactor, rule.minimumDamping, 1e-12)
            return grown <= rule.maximumDamping ? grown : nil
        }
    }
}
