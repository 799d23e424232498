import Dispatch
import Synchronization

/// Runs a pass over a `RowPartition`: every group's sum is built in its own accumulator (its slot of a
/// `GroupSlots`: reset, then the group's blocks added in block order), and the total is the merge of the
/// group sums in group order. The tree of sums — rows within a block, blocks within a group, groups in
/// order — is fixed by the partition, so the total is bit for bit the same for any thread count; only
/// which thread computes a group changes.
///
/// With `threads` = 1 (or one group) the groups run on the calling thread; otherwise `threads` workers
/// (`DispatchQueue.concurrentPerform`, so at most the machine's cores run at once) take groups
/// w, w + T, w + 2T, … . `add` then runs concurrently on different row ranges: it must write only
/// the rows it is given and its accumulator.
///
/// A pass may stop early: when `add` returns false for a block, its group's remaining blocks are skipped
/// and `run` returns false (the total is then unspecified).
package struct RowExecutor: Sendable {
    /// Workers (≥ 1).
    package let threads: Int

    /// An executor with `threads` workers; fewer than 1 is treated as 1 (a caller's option is checked
    /// where it is read).
    package init(threads: Int) {
        self.threads = Swift.max(1, threads)
    }

    /// The serial executor.
    package static let serial = RowExecutor(threads: 1)

    /// total ← Σ_groups (Σ_blocks add(block)), the group sums in `slots` (one per group: no allocation).
    @inline(__always)
    package func run<A: RowAccumulator>(
        _ partition: RowPartition, total: inout A, slots: GroupSlots<A>,
        add: @Sendable (Range<Int>, inout A) -> Bool
    ) -> Bool {
        run(partition, total: &total, slots: slots) { rows, sum, _ in add(rows, &sum) }
    }

    /// The workers a pass over `partition` uses: min(threads, groups), at least 1. Worker indices passed
    /// to `add` are below it (scratch that a block needs only while it is added can be one per worker).
    package func workers(_ partition: RowPartition) -> Int {
        Swift.max(1, Swift.min(threads, partition.groupCount))
    }

    /// `run(_:total:slots:add:)` with the index of the worker adding the block (0 ..< `workers(partition)`)
    /// passed to `add`, for per-worker scratch.
    package func run<A: RowAccumulator>(
        _ partition: RowPartition, total: inout A, slots: GroupSlots<A>,
        add: @Sendable (Range<Int>, inout A, _ worker: Int) -> Bool
    ) -> Bool {
        let groups = partition.groupCount
        precondition(slots.count >= groups, "GroupSlots holds \(slots.count) groups, the partition \(groups)")
        let workers = Swift.min(threads, groups)
        if workers <= 1 {
            for g in 0..<groups where !Self.sum(group: g, partition, slots, worker: 0, add) {
                return false
            }
        } else {
            let failed = Atomic<Bool>(false)
            DispatchQueue.concurrentPerform(iterations: workers) { w in
                var g = w
                while g < groups {
                    if !Self.sum(group: g, partition, slots, worker: w, add) { failed.store(true, ordering: .relaxed) }
                    g += workers
                }
            }
            if failed.load(ordering: .relaxed) { return false }
        }
        total.reset()
        for g in 0..<groups { slots.read(g) { total.merge($0) } }
        return true
    }

    /// slots[g] ← Σ_{b ∈ group g} add(block b), in block order.
    @inline(__always)
    static func sum<A: RowAccumulator>(group g: Int, _ partition: RowPartition, _ slots: GroupSlots<A>,
                                      worker: Int, _ add: (Range<Int>, inout A, Int) -> Bool) -> Bool {
        slots.update(g) { sum in
            sum.reset()
            for b in partition.blocks(ofGroup: g) where !add(partition.block(b), &sum, worker) {
                return false
            }
            return true
        }
    }
}
