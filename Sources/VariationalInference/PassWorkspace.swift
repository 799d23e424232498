import RowPasses
import Synchronization

/// A pass's accumulators: one slot per group and the total, allocated once per model and shape.
final class PassWorkspace<A: RowAccumulator>: @unchecked Sendable {
    let slots: GroupSlots<A>
    var total: A
    /// The group sum of the one-thread path (`SerialRowExecutor`, whose closure is not escaping: no
    /// allocation per pass; it sums in the same order as `RowExecutor`, so the bits agree).
    var scratch: A
    /// The packed sums sent through a cross-process reduction.
    var packed: [Double]

    init(groups: Int, packedCount: Int, slot: () -> A, total: A) {
        slots = GroupSlots(count: groups, make: slot)
        scratch = slot()
        self.total = total
        packed = [Double](repeating: 0, count: packedCount)
    }
}

/// The workspaces of a model, reused by every call (a call takes one and gives it back; concurrent
/// calls on the same model each get their own).
final class WorkspaceCache: Sendable {
    private let full = Mutex<PassWorkspace<FullPassSums>?>(nil)
    private let diagonal = Mutex<PassWorkspace<DiagonalPassSums>?>(nil)

    func takeFull(_ make: () -> PassWorkspace<FullPassSums>) -> PassWorkspace<FullPassSums> {
        full.withLock { cached in
            let w = cached
            cached = nil
            return w
        } ?? make()
    }

    func give(_ w: PassWorkspace<FullPassSums>) { full.withLock { $0 = w } }

    func takeDiagonal(_ make: () -> PassWorkspace<DiagonalPassSums>) -> PassWorkspace<DiagonalPassSums> {
        diagonal.withLock { cached in
            let w = cached
            cached = nil
            return w
        } ?? make()
    }

    func give(_ w: PassWorkspace<DiagonalPassSums>) { diagonal.withLock { $0 = w } }
}
