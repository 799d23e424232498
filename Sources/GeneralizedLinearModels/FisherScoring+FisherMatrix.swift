import RowPasses

// The Fisher matrix XᵀWX of Fisher scoring: accumulated over blocks of rows by syrk, full or from a
// systematic subsample of the rows, and factored by Cholesky.

extension FisherScoringSolver {
    /// Rows per chunk of the subsample: every k-th chunk of this many consecutive rows is used, so the
    /// subsample reads 1/k of X's memory (single sampled rows would touch every cache line; a chunk
    /// is one 4 KB page of each column).
    static var subsampleChunk: Int { 512 }

    /// F ← XᵀWX (or its subsampled estimate while `factorSource` is `.subsample`) at the current working
    /// weights, and its Cholesky factorization.
    mutating func formAndFactorFisher() throws(GLMError) {
        try accumulateFisher(stride: factorSource == .subsample ? plan.subsampleStride : 1)
        if factorSource == .full { fullFisherEvaluations += 1 }
        fisherEvaluations += 1
        try factorFisher()
    }

    /// The Cholesky factorization of the matrix in `fisher`. The first time, the pivots are checked for
    /// collinearity so that a rank-deficient design is reported by column name (a subsample that looks
    /// rank deficient, or fails to factor, falls back to the full matrix).
    mutating func factorFisher() throws(GLMError) {
        if collinearityCheck == .pending {
            collinearityCheck = .done
            if let (column, involved) = firstDependentColumn(fisher) {
                if factorSource == .subsample {
                    factorSource = .full
                    collinearityCheck = .pending
                    return try formAndFactorFisher()
                }
                // With an intercept, the uncentred test also flags features whose spread is small relative to
                // their mean (Unix timestamps, YYYYMMDD dates): decide on the centred columns instead.
                if data.hasIntercept {
                    if let (centredColumn, centredInvolved) = try firstDependentCentredColumn(
                        data.features, weights: workingWeights.array, sums: sums) {
                        throw .collinearColumns(column: data.names[centredColumn],
                                                involved: centredInvolved.map { data.names[$0] })
                    }
                } else {
                    throw .collinearColumns(column: data.names[column], involved: involved.map { data.names[$0] })
                }
            }
        }
        do {
            if cholesky == nil {
                cholesky = try Cholesky(fisher)
            } else {
                try cholesky!.refactor(fisher)
            }
        } catch {
            cholesky = nil
            if factorSource == .subsample {
                factorSource = .full
                return try formAndFactorFisher()
            }
            throw fisherFailure(error)
        }
    }

    /// F ← c·Σ_{i ∈ S} Wᵢxᵢxᵢᵀ over the rows S (k = 1: every row, c = 1, the exact XᵀWX, by the blocks of
    /// `plan.fisherPartition`; k > 1: the chunks of `subsampleChunk` rows whose index is a multiple of k,
    /// c = n/|S|, `subsampleScale`), with xᵢ the row of the design [1 | features]; summed over the
    /// processes of a distributed fit (`completeFisher`).
    mutating func accumulateFisher(stride k: Int) throws(GLMError) {
        // W at the current η first where the last pass skipped it (every row of each block, so that W is
        // current everywhere afterwards), fused with the Gram product of the block.
        let recompute = products == .score
        products = .weights
        let pass = rows, design = self.design, scratch = gramScratch
        let scale = k == 1 ? 1 : subsampleScale, offset = data.rowOffset
        _ = executor.run(plan.fisherPartition, total: &fisherTotal, slots: fisherSlots) { rows, sums, worker in
            if recompute { pass.recomputeWorkingWeights(rows) }
            if k == 1 {
                design.addWeightedGram(rows, weights: pass.workingWeights, scale: 1, into: &sums.gram,
                                       scratch: scratch[worker])
            } else {
                Self.forEachSubsampledRange(stride: k, within: rows, rowOffset: offset) { piece in
                    design.addWeightedGram(piece, weights: pass.workingWeights, scale: scale, into: &sums.gram,
                                           scratch: scratch[worker])
                }
            }
            return true
        }
        fisherTotal.gram.finish(into: &fisher)
        try completeFisher()
    }

    /// The rows of this process (local indices) in the subsample of stride k: the global rows of the chunks
    /// c·k·chunk ..< c·k·chunk + chunk (c = 0, 1, …; chunk = `subsampleChunk`), of which this process holds
    /// the global rows rowOffset ..< rowOffset + n; in row order.
    func forEachSubsampledRange(stride k: Int, _ body: (Range<Int>) -> Void) {
        Self.forEachSubsampledRange(stride: k, within: 0..<n, rowOffset: data.rowOffset, body)
    }

    /// The subsampled rows (local indices) among the local rows `block`, this process's first row being the
    /// global row `rowOffset`.
    @inline(__always)
    static func forEachSubsampledRange(stride k: Int, within block: Range<Int>, rowOffset offset: Int,
                                       _ body: (Range<Int>) -> Void) {
        let chunk = subsampleChunk, period = chunk * k
        let first = offset + block.lowerBound, last = offset + block.upperBound
        var start = first / period * period
        while start < last {
            let lower = Swift.max(start, first), upper = Swift.min(start + chunk, last)
            if lower < upper { body((lower - offset)..<(upper - offset)) }
            start += period
        }
    }

    /// fisher ← Σ_processes fisher (its lower triangle summed, then symmetrized); nothing on one process.
    mutating func completeFisher() throws(GLMError) {
        guard sums.reduction != nil else { return }
        var t = 0
        for j in 0..<p { for i in j..<p { fisherBuffer[t] = fisher[i, j]; t += 1 } }
        try sums.sum(&fisherBuffer)
        t = 0
        for j in 0..<p { for i in j..<p { fisher[i, j] = fisherBuffer[t]; t += 1 } }
        fisher.symmetrizeFromLower()
    }

    /// Turns a Cholesky failure during the iterations into the most telling error.
    mutating func fisherFailure(_ error: LinearAlgebraError) -> GLMError {
        if isBinomial, let separation = detectSeparation(direction: step) { return separation }
        if case let .notPositiveDefinite(minor, _, _) = error, minor >= 1, minor <= p {
            return .collinearColumns(column: data.names[minor - 1], involved: [])
        }
        return .linearAlgebra(error)
    }
}
