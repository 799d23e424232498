import BenchSupport
import NatGrad

/// The family rows; filled in as the families land in the library.
func familyRows(quick: Bool, plan: TimingPlan, progress: (String) -> Void) throws -> [ComparisonRow] {
    []
}
