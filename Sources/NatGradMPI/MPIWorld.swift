#if MPI
import CMPI

/// The processes of an MPI job (`MPI_COMM_WORLD`): this process's rank among them and their number.
///
/// `start()` initializes MPI once per process (thread level `MPI_THREAD_SERIALIZED`: a fit may call the
/// collectives from a worker thread, one call at a time) and makes every call on the world return its
/// error code (`MPI_ERRORS_RETURN`) instead of aborting, so a failure becomes a thrown `MPIError`.
/// A process that dies is noticed by `mpirun`, which ends the others (Open MPI's default), so no
/// collective waits forever on a dead peer.
///
/// Every collective method (`sum`, `maximum`, `exclusivePrefixSum`, `allGather`, `broadcast`,
/// `firstFailure`) must be called by every process, in the same order, with consistent arguments.
public struct MPIWorld: Sendable {
    /// This process's rank, 0 ..< size.
    public let rank: Int
    /// The number of processes (≥ 1).
    public let size: Int

    private init(rank: Int, size: Int) {
        self.rank = rank
        self.size = size
    }

    /// Initializes MPI (once per process; a second call returns the same world) and reads rank and size.
    /// Without `mpirun` the process is a world of one.
    /// - Throws: `MPIError` when initialization fails.
    public static func start() throws(MPIError) -> MPIWorld {
        var initialized: Int32 = 0
        MPI_Initialized(&initialized)
        if initialized == 0 {
            var provided: Int32 = 0
            try check(MPI_Init_thread(nil, nil, natgrad_mpi_thread_serialized(), &provided), "MPI_Init_thread")
            try check(MPI_Comm_set_errhandler(natgrad_mpi_comm_world(), natgrad_mpi_errors_return()),
                      "MPI_Comm_set_errhandler")
        }
        var rank: Int32 = 0, size: Int32 = 0
        try check(MPI_Comm_rank(natgrad_mpi_comm_world(), &rank), "MPI_Comm_rank")
        try check(MPI_Comm_size(natgrad_mpi_comm_world(), &size), "MPI_Comm_size")
        return MPIWorld(rank: Int(rank), size: Int(size))
    }

    /// Ends MPI for this process (every process calls it before exiting normally). A second call does nothing.
    public func finish() {
        var finalized: Int32 = 0
        MPI_Finalized(&finalized)
        if finalized == 0 { MPI_Finalize() }
    }

    /// Ends every process of the job with `code` (`MPI_Abort`): for a failure that the other processes
    /// cannot be told about through a collective (they may be waiting in a different one).
    public func abort(code: Int32) -> Never {
        MPI_Abort(natgrad_mpi_comm_world(), code)
        // MPI_Abort does not return; should it, the process still must not go on.
        fatalError("MPI_Abort returned")
    }

    /// Throws unless `code` is `MPI_SUCCESS`.
    static func check(_ code: Int32, _ call: String) throws(MPIError) {
        guard code != MPI_SUCCESS else { return }
        var text = [CChar](repeating: 0, count: Int(natgrad_mpi_max_error_string()) + 1)
        var length: Int32 = 0
        MPI_Error_string(code, &text, &length)
        throw MPIError(call: call, reason: String(decoding: text.prefix(Int(length)).map { UInt8(bitPattern: $0) },
                                                  as: UTF8.self))
    }

    /// `count` as an MPI element count. - Precondition: it fits in Int32 (MPI-3 counts are `int`).
    static func count(_ count: Int) -> Int32 {
        precondition(count <= Int(Int32.max), "an MPI message of \(count) elements exceeds MPI's int count")
        return Int32(count)
    }
}
#endif
