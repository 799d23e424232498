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
        accumulateFisher(stride: factorSource == .subsample ? plan.subsampleStride : 1)
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
                    if let (centredColumn, centredInvolved) = firstDependentCentredColumn(
                        data.features, weights: workingWeights) {
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
    /// c = n/|S|), with xᵢ the row of the design [1 | features].
    mutating func accumulateFisher(stride k: Int) {
        if products == .score { recomputeWorkingWeights() }
        products = .weights
        gram.begin()
        if k == 1 {
            let partition = plan.fisherPartition
            for b in 0..<partition.blockCount {
                design.addWeightedGram(partition.block(b), weights: workingWeights, scale: 1, into: &gram)
            }
        } else {
            let segment = Self.subsampleChunk
            var sampled = 0
            var start = 0
            while start < n { sampled += Swift.min(segment, n - start); start += segment * k }
            let scale = Double(n) / Double(sampled)
            start = 0
            while start < n {
                design.addWeightedGram(start..<Swift.min(n, start + segment), weights: workingWeights, scale: scale,
                                       into: &gram)
                start += segment * k
            }
        }
        gram.finish(into: &fisher)
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
