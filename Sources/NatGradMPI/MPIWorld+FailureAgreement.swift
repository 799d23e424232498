#if MPI
import CMPI

/// A step that may fail on some processes made into a collective decision: every process learns whether
/// any failed, and the message of the lowest-ranked one that did.
extension MPIWorld {
    /// The failure of the lowest rank that passes a message, the same on every rank: nil when no rank
    /// failed; an empty message when ranks failed but none passed one (each deferred to another's).
    ///
    /// The lowest rank is the one whose rows come first in the file, so its message names the first bad
    /// row; and with byte ranges its start is known to be a true row boundary (see `TableFileShare`), so
    /// its message is not a symptom of a split inside a quoted field.
    /// - Parameters:
    ///   - message: this rank's failure, or nil.
    ///   - failed: whether this rank failed (default: a message was given); true with a nil message
    ///     defers to another rank's message (a process that stopped because another did).
    /// - Returns: the failing rank (`size` when none passed a message) and its message, or nil.
    /// - Throws: `MPIError` when the communication itself fails.
    public func firstFailure(_ message: String?, failed: Bool? = nil) throws(MPIError) -> (rank: Int, message: String)? {
        let failed = failed ?? (message != nil)
        guard size > 1 else { return failed ? (rank, message ?? "") : nil }
        // min over ranks of: own rank (a message), size (failed without one), size + 1 (fine).
        var mine = Int64(message != nil ? rank : (failed ? size : size + 1)), lowest: Int64 = 0
        try MPIWorld.check(MPI_Allreduce(&mine, &lowest, 1, natgrad_mpi_int64(), natgrad_mpi_min(),
                                         natgrad_mpi_comm_world()), "MPI_Allreduce")
        if lowest > size { return nil }
        if lowest == size { return (size, "") }
        let text = try broadcast(Array((message ?? "").utf8), from: Int(lowest))
        return (Int(lowest), String(decoding: text, as: UTF8.self))
    }
}
#endif
