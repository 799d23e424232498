import Foundation

/// Where the passes of a fit run: how many threads of this process sum row groups at once, and how the
/// sums of the processes of a distributed fit are combined (nil: one process holds all the rows).
///
/// Neither changes the result on one process: the groups of a `RowPartition` and their order of merging
/// are fixed by n and the plan, so 1, 2 or 7 threads give the same bits. Across processes each one sums its
/// own rows and the reduction adds the processes' sums, so a distributed fit agrees with the one-process
/// fit to rounding (≈ 1e-15 relative per pass), not bit for bit.
///
/// The thread-count independence assumes OpenBLAS itself runs one thread (`BLASThreading.setThreadCount(1)`
/// or `OPENBLAS_NUM_THREADS=1`, as `natgrad glm` and `natgrad vi` set): a block's BLAS products are
/// otherwise split across OpenBLAS's own threads by its rules, which can change the last bits between a
/// one-thread run and a threaded one (measured: n = 20 000, d = 41 Poisson, OpenBLAS at 2 threads). NatGrad
/// does not change the OpenBLAS count on its own (it is process-wide).
public struct RowExecution: Sendable {
    /// Worker threads (≥ 1).
    public var threads: Int
    /// The sum across processes (an MPI allreduce), or nil.
    public var reduction: (any RowSumReduction)?

    /// An execution with `threads` workers and an optional cross-process reduction.
    ///
    /// - Parameters:
    ///   - threads: worker threads; nil: the machine's active processors. Values below 1 are rejected
    ///     where a fit reads them (a typed error of the fit).
    ///   - reduction: the cross-process sum of a distributed fit, or nil.
    public init(threads: Int? = nil, reduction: (any RowSumReduction)? = nil) {
        self.threads = threads ?? ProcessInfo.processInfo.activeProcessorCount
        self.reduction = reduction
    }

    /// One thread, one process.
    public static let serial = RowExecution(threads: 1)

    /// The executor of this process's passes, or nil when `threads` < 1 (a caller's error to report).
    package var executor: RowExecutor? {
        threads >= 1 ? RowExecutor(threads: threads) : nil
    }
}
