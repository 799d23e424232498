import Dispatch

/// Reads the blocks of a `RowBlockSource` one ahead of the pass that uses them: while the solver computes
/// on block b, block b + 1 is read (I/O, or copying from the page cache) on a Dispatch worker into a
/// second buffer, which is then swapped in. The blocks and their order are those of a plain loop, so the
/// results do not change; only the read overlaps the arithmetic. Memory: two blocks.
///
/// The source and the spare buffer are touched by one thread at a time: the worker between `schedule` and
/// `wait`, the solver otherwise (`wait` orders the two through the Dispatch group).
final class BlockPrefetcher<Source: RowBlockSource>: @unchecked Sendable {
    var source: Source
    /// The block being filled (or filled and not yet taken).
    var spare: RowBlock
    private var failure: Source.ReadError?
    private let group = DispatchGroup()
    /// A serial queue of its own: user-created queues get a thread even when the global pool is busy (with
    /// the lanes' workers waiting on their reads, a read queued on the global pool could wait for them).
    private let queue = DispatchQueue(label: "natgrad.streaming.read-ahead")
    private var pending = false
    /// The first row of the next block to schedule.
    private var nextStart = 0
    /// Whether reads run on a worker (false: on the calling thread, when the source is one block).
    let overlaps: Bool

    init(source: Source, capacity: Int, featureCount: Int) {
        self.source = source
        spare = RowBlock(capacity: capacity, featureCount: featureCount, columns: source.columns)
        overlaps = source.rowCount > capacity
    }

    deinit {
        // A pass that threw leaves its read ahead in flight; the job holds this object until it ends.
        if pending && overlaps { group.wait() }
    }

    /// Blocks between consecutive reads of a pass (1: every block; L for one of L lanes).
    private var stride = 1
    /// Whether the pass asks for the responses only (`RowBlockSource.readResponses`, falling back to `read`).
    private var responsesOnly = false

    /// Starts a pass at block `first`, then every `stride`-th block (waiting for a read left over from a
    /// pass that stopped early).
    func begin(first: Int = 0, stride: Int = 1, responsesOnly: Bool = false) {
        finishPending()
        failure = nil
        self.responsesOnly = responsesOnly
        self.stride = stride
        nextStart = first * spare.capacity
        scheduleNext()
    }

    /// Swaps the next block into `block` (its old buffer becomes the spare, filled next); false at the end.
    /// - Throws: the source's read error.
    func next(into block: inout RowBlock) throws(Source.ReadError) -> Bool {
        guard pending else { return false }
        finishPending()
        if let failure {
            self.failure = nil
            throw failure
        }
        swap(&block, &spare)
        scheduleNext()
        return true
    }

    private func finishPending() {
        if pending {
            if overlaps { group.wait() }
            pending = false
        }
    }

    private func scheduleNext() {
        let n = source.rowCount
        guard nextStart < n else { return }
        let rows = nextStart..<Swift.min(n, nextStart + spare.capacity)
        nextStart += stride * spare.capacity
        pending = true
        if overlaps {
            // The job (non-generic, so the Dispatch closure captures no generic metatype) holds this object
            // strongly until the read ends.
            let job = WorkerJob { [self] in self.fill(rows) }
            queue.async(group: group) { job.body() }
        } else {
            fill(rows)
        }
    }

    private func fill(_ rows: Range<Int>) {
        do {
            if responsesOnly, try source.readResponses(rows: rows, into: &spare) { return }
            try source.read(rows: rows, into: &spare)
        } catch {
            failure = error
        }
    }
}

/// A closure handed to a Dispatch worker (its owner guarantees that what it touches is touched by nothing
/// else until the worker is done), non-generic so that the Dispatch closure captures no generic metatype.
final class WorkerJob: @unchecked Sendable {
    let body: () -> Void
    init(_ body: @escaping () -> Void) { self.body = body }
}
