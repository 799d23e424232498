import RowPasses

/// The sums over rows of a fit completed across processes: with a `RowSumReduction` (a distributed fit,
/// each process holding its own share of the rows) every sum a process computed over its rows becomes the
/// sum over all rows, identical on every process; without one (all the rows here) nothing happens.
///
/// Every call is a collective: each process makes the same calls with buffers of the same length, in the
/// same order, which holds because the fit's branches depend only on sums that went through here.
struct ProcessSums: Sendable {
    /// The cross-process sum, or nil (one process).
    let reduction: (any RowSumReduction)?

    /// values ← Σ_processes values (unchanged with one process).
    /// - Throws: `.reductionFailed` when the communication fails.
    @inline(__always)
    func sum(_ values: inout [Double]) throws(GLMError) {
        guard let reduction else { return }
        do { try reduction.sum(&values) } catch { throw .reductionFailed(error) }
    }

    /// values ← max_processes values (unchanged with one process).
    /// - Throws: `.reductionFailed` when the communication fails.
    func maximum(_ values: inout [Double]) throws(GLMError) {
        guard let reduction else { return }
        do { try reduction.maximum(&values) } catch { throw .reductionFailed(error) }
    }

    /// The sum of one number over the processes.
    func sum(_ value: Double) throws(GLMError) -> Double {
        guard reduction != nil else { return value }
        var buffer = [value]
        try sum(&buffer)
        return buffer[0]
    }

    /// A local error made collective: each process contributes whether its own step failed; a process
    /// whose step failed throws its error, the others `.otherProcessFailed` if any process failed.
    func agree(_ local: GLMError?) throws(GLMError) {
        guard reduction != nil else {
            if let local { throw local }
            return
        }
        let failures = try sum(local == nil ? 0 : 1)
        if let local { throw local }
        if failures > 0 { throw .otherProcessFailed }
    }
}
