#if MPI
import CMPI

/// The small collectives a distributed command needs besides the fit's sums: counts and offsets of each
/// process's rows, and byte messages (level sets, error texts).
extension MPIWorld {
    /// Returns once every rank has called it (`MPI_Barrier`).
    /// - Throws: `MPIError`.
    public func barrier() throws(MPIError) {
        guard size > 1 else { return }
        try MPIWorld.check(MPI_Barrier(natgrad_mpi_comm_world()), "MPI_Barrier")
    }

    /// Σ over the ranks below this one of `value` (`MPI_Exscan`; 0 on rank 0): where this rank's rows
    /// start in the global numbering when `value` is its row (or line) count.
    /// - Throws: `MPIError`.
    public func exclusivePrefixSum(_ value: Int) throws(MPIError) -> Int {
        guard size > 1 else { return 0 }
        var send = Int64(value), receive: Int64 = 0
        try MPIWorld.check(MPI_Exscan(&send, &receive, 1, natgrad_mpi_int64(), natgrad_mpi_sum(),
                                      natgrad_mpi_comm_world()), "MPI_Exscan")
        return rank == 0 ? 0 : Int(receive)
    }

    /// Σ_ranks values, elementwise, exact (64-bit integers; `MPI_Allreduce`).
    /// - Throws: `MPIError`.
    public func sum(_ values: [Int]) throws(MPIError) -> [Int] {
        guard size > 1, !values.isEmpty else { return values }
        var send = values.map { Int64($0) }
        var receive = [Int64](repeating: 0, count: values.count)
        let code = MPI_Allreduce(&send, &receive, MPIWorld.count(values.count), natgrad_mpi_int64(),
                                 natgrad_mpi_sum(), natgrad_mpi_comm_world())
        try MPIWorld.check(code, "MPI_Allreduce")
        return receive.map { Int($0) }
    }

    /// Every rank's bytes, indexed by rank (`MPI_Allgather` of the lengths, then `MPI_Allgatherv`).
    /// - Throws: `MPIError`.
    public func allGather(_ bytes: [UInt8]) throws(MPIError) -> [[UInt8]] {
        guard size > 1 else { return [bytes] }
        var length = Int64(bytes.count)
        var lengths = [Int64](repeating: 0, count: size)
        try MPIWorld.check(MPI_Allgather(&length, 1, natgrad_mpi_int64(), &lengths, 1, natgrad_mpi_int64(),
                                         natgrad_mpi_comm_world()), "MPI_Allgather")
        var counts = lengths.map { MPIWorld.count(Int($0)) }
        var offsets = [Int32](repeating: 0, count: size)
        var total = 0
        for r in 0..<size {
            offsets[r] = MPIWorld.count(total)
            total += Int(lengths[r])
        }
        var all = [UInt8](repeating: 0, count: total)
        let code = bytes.withUnsafeBufferPointer { send in
            all.withUnsafeMutableBufferPointer { receive in
                MPI_Allgatherv(send.baseAddress, MPIWorld.count(bytes.count), natgrad_mpi_byte(),
                               receive.baseAddress, &counts, &offsets, natgrad_mpi_byte(), natgrad_mpi_comm_world())
            }
        }
        try MPIWorld.check(code, "MPI_Allgatherv")
        return (0..<size).map { r in Array(all[Int(offsets[r])..<(Int(offsets[r]) + Int(counts[r]))]) }
    }

    /// `root`'s bytes on every rank (`MPI_Bcast` of the length, then of the bytes); other ranks' `bytes`
    /// are ignored.
    /// - Throws: `MPIError`.
    public func broadcast(_ bytes: [UInt8], from root: Int) throws(MPIError) -> [UInt8] {
        precondition(root >= 0 && root < size, "broadcast root \(root) outside 0..<\(size)")
        guard size > 1 else { return bytes }
        var length = Int64(rank == root ? bytes.count : 0)
        try MPIWorld.check(MPI_Bcast(&length, 1, natgrad_mpi_int64(), Int32(root), natgrad_mpi_comm_world()),
                           "MPI_Bcast")
        var buffer = rank == root ? bytes : [UInt8](repeating: 0, count: Int(length))
        if length > 0 {
            let code = buffer.withUnsafeMutableBufferPointer { b in
                MPI_Bcast(b.baseAddress, MPIWorld.count(b.count), natgrad_mpi_byte(), Int32(root), natgrad_mpi_comm_world())
            }
            try MPIWorld.check(code, "MPI_Bcast")
        }
        return buffer
    }
}
#endif
