#if MPI
import CMPI
import RowPasses

/// The cross-process sum of a distributed fit: each process passes the sums over its own rows and gets
/// the sums over all rows.
///
/// Reduce-then-broadcast (`MPI_Reduce` to rank 0, then `MPI_Bcast` of rank 0's result) rather than
/// `MPI_Allreduce`: an allreduce may add in a different order on different ranks, and then two processes
/// could hold sums that differ in the last bit and take different branches of the fit. Here every process
/// receives the same bits. The order of addition (Open MPI's reduction tree for this size and count) is
/// fixed for a given number of processes, so a run repeats bit for bit; it differs from the one-process
/// order, so a distributed fit agrees with the one-process fit to rounding.
extension MPIWorld: RowSumReduction {
    public var processCount: Int { size }
    public var processIndex: Int { rank }

    /// values ← Σ_ranks values, elementwise, identical on every rank.
    /// - Throws: `RowReductionError` naming the failed MPI call.
    public func sum(_ values: inout [Double]) throws(RowReductionError) {
        do { try reduceThenBroadcast(&values, operation: natgrad_mpi_sum()) } catch {
            throw RowReductionError(message: error.description)
        }
    }

    /// values ← max_ranks values, elementwise, identical on every rank (NaN-free values).
    /// - Throws: `RowReductionError` naming the failed MPI call.
    public func maximum(_ values: inout [Double]) throws(RowReductionError) {
        do { try reduceThenBroadcast(&values, operation: natgrad_mpi_max()) } catch {
            throw RowReductionError(message: error.description)
        }
    }

    private func reduceThenBroadcast(_ values: inout [Double], operation: MPI_Op) throws(MPIError) {
        guard size > 1, !values.isEmpty else { return }
        let n = MPIWorld.count(values.count)
        var result = [Double](repeating: 0, count: values.count)
        let reduced = values.withUnsafeBufferPointer { send in
            result.withUnsafeMutableBufferPointer { receive in
                MPI_Reduce(send.baseAddress, receive.baseAddress, n, natgrad_mpi_double(), operation, 0,
                           natgrad_mpi_comm_world())
            }
        }
        try MPIWorld.check(reduced, "MPI_Reduce")
        let broadcast = result.withUnsafeMutableBufferPointer { buffer in
            MPI_Bcast(buffer.baseAddress, n, natgrad_mpi_double(), 0, natgrad_mpi_comm_world())
        }
        try MPIWorld.check(broadcast, "MPI_Bcast")
        values = result
    }
}
#endif
