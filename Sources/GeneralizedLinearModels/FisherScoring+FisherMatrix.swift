// The Fisher matrix XᵀWX of Fisher scoring: accumulated over blocks of rows by syrk, full or from a
// systematic subsample of the rows, and factored by Cholesky.

extension FisherScoringSolver {
    /// Rows per chunk of the subsample: every k-th chunk of this many consecutive rows is used, so the
    /// subsample reads 1/k of X's memory (single sampled rows would touch every cache line; a chunk
    /// is one 4 KB page of each column).
    static var subsampleChunk: Int { 512 }

    /// F ← XᵀWX (or its subsampled estimate while `usingSubsample`) at the current working weights, and
    /// its Cholesky factorization.
    mutating func formAndFactorFisher() throws(GLMError) {
        accumulateFisher(stride: usingSubsample ? subsampleStride : 1)
        if !usingSubsample { fullFisherEvaluations += 1 }
        fisherEvaluations += 1
        try factorFisher()
    }

    /// The Cholesky factorization of the matrix in `fisher`. The first time, the pivots are checked for
    /// collinearity so that a rank-deficient design is reported by column name (a subsample that looks
    /// rank deficient, or fails to factor, falls back to the full matrix).
    mutating func factorFisher() throws(GLMError) {
        if fisherEvaluations == 1, let (column, involved) = firstDependentColumn(fisher) {
            if usingSubsample {
                usingSubsample = false
                fisherEvaluations = 0
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
        do {
            if cholesky == nil {
                cholesky = try Cholesky(fisher)
            } else {
                try cholesky!.refactor(fisher)
            }
        } catch {
            cholesky = nil
            if usingSubsample {
                usingSubsample = false
                return try formAndFactorFisher()
            }
            throw fisherFailure(error)
        }
    }

    /// F ← c·Σ_{i ∈ S} Wᵢxᵢxᵢᵀ over the rows S (k = 1: every row, c = 1, the exact XᵀWX; k > 1: the
    /// chunks of `subsampleChunk` rows whose index is a multiple of k, c = n/|S|), with xᵢ the row of
    /// the design [1 | features].
    mutating func accumulateFisher(stride k: Int) {
        fisherIsAtCurrentBeta = false
        if !weightsAreCurrent {
            recomputeWorkingWeights()
            weightsAreCurrent = true
        }
        let segment = k == 1 ? blockRows : Self.subsampleChunk
        var sampled = 0
        if k == 1 {
            sampled = n
        } else {
            var start = 0
            while start < n { sampled += Swift.min(segment, n - start); start += segment * k }
        }
        let scale = Double(n) / Double(sampled)
        var block = FisherBlock()
        var start = 0
        while start < n {
            appendToFisher(start..<Swift.min(n, start + segment), scale: scale, block: &block)
            start += segment * k
        }
        finishFisher(block)
    }

    /// Adds the rows √(c·Wᵢ)·xᵢ, i ∈ rows, to the Fisher matrix being accumulated: they are copied into
    /// the cache-sized `scaledBlock` (the intercept column implicitly), which syrk adds into the lower
    /// triangle of `paddedFisher` whenever it is full, so no n × p copy of X is made. `rows.count` must fit the
    /// block's free rows (a chunk, a whole block, or a pass block when the block is empty).
    /// With `fusedGram`, the AVX-512 kernel instead adds c·Σᵢ Wᵢxᵢxᵢᵀ straight from X (the weights multiply
    /// the columns as they are loaded: no scaled copy, no square roots).
    mutating func appendToFisher(_ rows: Range<Int>, scale: Double, block: inout FisherBlock) {
        if fusedGram {
            if block.empty {
                for j in 0..<p { for i in j..<p { paddedFisher[i, j] = 0 } }
                block.empty = false
            }
            if BLAS.accumulateWeightedGram(of: data.features, rows: rows, weights: workingWeights, alpha: scale,
                                           intercept: data.hasIntercept, into: &paddedFisher) {
                return
            }
        }
        ensureScaledBlock()
        let first = data.hasIntercept ? 1 : 0
        let filled = block.filled
        for (t, i) in rows.enumerated() { rootWeights[filled + t] = (scale * workingWeights[i]).squareRoot() }
        BLAS.scaleRows(of: data.features, rows: rows, by: rootWeights, factorStart: filled, into: &scaledBlock,
                       rowStart: filled, columnStart: first)
        if first == 1 { for t in 0..<rows.count { scaledBlock[filled + t, 0] = rootWeights[filled + t] } }
        block.filled += rows.count
        if block.filled == blockRows {
            BLAS.gramLowerTriangle(scaledBlock, beta: block.empty ? 0 : 1, into: &paddedFisher)
            block.empty = false
            block.filled = 0
        }
    }

    /// Adds the partly filled last block (its unused rows, which still hold an earlier block, zeroed), then
    /// copies the leading p × p lower triangle of the accumulator into `fisher`, symmetrized.
    mutating func finishFisher(_ block: FisherBlock) {
        if block.filled > 0 || block.empty {
            ensureScaledBlock()
            for j in 0..<p { for r in block.filled..<blockRows { scaledBlock[r, j] = 0 } }
            BLAS.gramLowerTriangle(scaledBlock, beta: block.empty ? 0 : 1, into: &paddedFisher)
        }
        for j in 0..<p { for i in j..<p { fisher[i, j] = paddedFisher[i, j] } }
        fisher.symmetrizeFromLower()
    }

    /// Allocates the √W-scaled block (blockRows × p rounded up to 4) the first time the copy-and-syrk
    /// path needs it (never with `fusedGram`).
    mutating func ensureScaledBlock() {
        if scaledBlock.rows == 0 { scaledBlock = Matrix(rows: blockRows, columns: (p + 3) / 4 * 4) }
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

/// The state of a Fisher matrix being accumulated block by block.
struct FisherBlock {
    /// Rows of `scaledBlock` holding scaled rows not yet added.
    var filled = 0
    /// Whether nothing has been added to `fisher` yet (the first syrk overwrites it).
    var empty = true
}
