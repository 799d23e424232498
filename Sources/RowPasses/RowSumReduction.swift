/// Sums the partial results of a pass across the processes of a distributed fit, each process having
/// summed over its own rows (an MPI allreduce: NatGradMPI). The serial fit has none.
///
/// Every process must call `sum` (and `maximum`) with buffers of the same length in the same order (a
/// collective), and receives the same results, bit for bit (so every process takes the same decisions: a
/// reduction to one process followed by a broadcast guarantees it where an allreduce might not).
public protocol RowSumReduction: Sendable {
    /// The number of processes taking part (≥ 1).
    var processCount: Int { get }
    /// This process's index among them, 0 ..< processCount (the MPI rank): it orders the processes'
    /// rows (process r holds the rows after those of processes 0 ..< r, so errors name global rows and
    /// the subsampled Fisher matrix uses the global chunks) and places this process's slice in the
    /// gather of `maximum`. The default, 0, serves only reductions whose processes are interchangeable
    /// (a test that doubles every sum); a reduction over distinct processes must give its rank.
    var processIndex: Int { get }
    /// values ← Σ_processes values, elementwise.
    func sum(_ values: inout [Double]) throws(RowReductionError)
    /// values ← max_processes values, elementwise (NaN-free values). The default gathers every process's
    /// values by one `sum` of a processCount-times longer buffer (each process fills its own slice, the
    /// others zero: the sums are exact) and takes the maxima; an implementation may use a native max.
    func maximum(_ values: inout [Double]) throws(RowReductionError)
}

extension RowSumReduction {
    /// 0 (see the requirement: distinct processes must give their rank).
    public var processIndex: Int { 0 }

    public func maximum(_ values: inout [Double]) throws(RowReductionError) {
        let m = values.count, processes = processCount
        var gathered = [Double](repeating: 0, count: m * processes)
        for j in 0..<m { gathered[processIndex * m + j] = values[j] }
        try sum(&gathered)
        for j in 0..<m {
            var largest = gathered[j]
            for r in 1..<Swift.max(1, processes) { largest = Swift.max(largest, gathered[r * m + j]) }
            values[j] = largest
        }
    }
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
