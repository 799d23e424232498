/// Runs a pass over a `RowPartition` on the calling thread: for each group in order, the group's
/// accumulator is reset and every block of the group is added to it in order (`add`), then it is merged
/// into the total. A threaded or distributed executor runs the groups elsewhere and merges them in the
/// same order, so it computes the same sums (`RowExecutor` with one thread computes the same total).
///
/// A pass may stop early: when `add` returns false, the remaining blocks are skipped and `run` returns
/// false (the total is then unspecified).
package enum SerialRowExecutor {
    /// total ← Σ_groups (Σ_blocks add(block)), the group sums built in `scratch` (no allocation).
    @inline(__always)
    package static func run<A: RowAccumulator>(
        _ partition: RowPartition, total: inout A, scratch: inout A,
        add: (Range<Int>, inout A) -> Bool
    ) -> Bool {
        total.reset()
        for g in 0..<partition.groupCount {
            scratch.reset()
            for b in partition.blocks(ofGroup: g) {
                if !add(partition.block(b), &scratch) { return false }
            }
            total.merge(scratch)
        }
        return true
    }
}
