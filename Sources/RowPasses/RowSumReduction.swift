/// Sums the partial results of a pass across the processes of a distributed fit, each process having
/// summed over its own rows (an MPI allreduce: NatGradMPI). The serial fit has none.
///
/// Every process must call `sum` with buffers of the same length in the same order (a collective), and
/// receives the same sums, bit for bit (so every process takes the same decisions: a reduction to one
/// process followed by a broadcast guarantees it where an allreduce might not).
public protocol RowSumReduction: Sendable {
    /// The number of processes taking part (≥ 1).
    var processCount: Int { get }
    /// values ← Σ_processes values, elementwise.
    func sum(_ values: inout [Double]) throws(RowReductionError)
}

/// A reduction that could not complete (a process failed or the communication broke down).
public struct RowReductionError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What failed, for the user.
    public let message: String

    /// An error with the message shown to the user.
    public init(message: String) {
        self.message = message
    }

    /// The message.
    public var description: String { message }
}
