// The Fisher matrix XᵀWX of Fisher scoring: accumulated over blocks of rows by syrk, full or from a
// systematic subsample of the rows, and factored by Cholesky.

extension FisherScoringSolver {
    /// Rows per chunk of the subsample: every k-th chunk of this many consecutive rows is used, so the
    /// subsample reads 1/k of X's memory (single sampled rows would touch every cache line; a chunk
    /// is one 4 KB page of each column).
    static var subsampleChunk: Int { 512 }

    /// F ← XᵀWX (or its subsampled estimate while `usingSubsample`) at the current working weights, and
    /// its Cholesky factorization. The first time, the pivots are checked for collinearity so that a
    /// rank-deficient design is reported by column name (a subsample that looks rank deficient falls
    /// back to the full matrix).
    mutating func formAndFactorFisher() throws(GLMError) {
        accumulateFisher(stride: usingSubsample ? subsampleStride : 1)
        if !usingSubsample { fullFisherEvaluations += 1 }
        fisherEvaluations += 1
        if fisherEvaluations == 1, let (column, involved) = firstDependentColumn(fisher) {
            if usingSubsample {
                usingSubsample = false
                fisherEvaluations = 0
                return try formAndFactorFisher()
            }
            throw .collinearColumns(column: data.names[column], involved: involved.map { data.names[$0] })
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
    /// the design [1 | features]. Rows √(c·Wᵢ)·xᵢ are copied into a cache-sized block (the intercept
    /// column implicitly) and added by syrk into the lower triangle, so no n × p copy of X is made;
    /// rows past the end of the last block are zero and add nothing.
    mutating func accumulateFisher(stride k: Int) {
        let first = data.hasIntercept ? 1 : 0
        let b = blockRows
        let segment = k == 1 ? b : Self.subsampleChunk
        var sampled = 0
        if k == 1 {
            sampled = n
        } else {
            var start = 0
            while start < n { sampled += Swift.min(segment, n - start); start += segment * k }
        }
        let scale = Double(n) / Double(sampled)
        var filled = 0, empty = true
        var start = 0
        while start < n {
            let rows = start..<Swift.min(n, start + segment)
            for (t, i) in rows.enumerated() { rootWeights[filled + t] = (scale * workingWeights[i]).squareRoot() }
            BLAS.scaleRows(of: data.features, rows: rows, by: rootWeights, factorStart: filled, into: &scaledBlock,
                           rowStart: filled, columnStart: first)
            if first == 1 { for t in 0..<rows.count { scaledBlock[filled + t, 0] = rootWeights[filled + t] } }
            filled += rows.count
            if filled == b {
                BLAS.gramLowerTriangle(scaledBlock, beta: empty ? 0 : 1, into: &fisher)
                empty = false
                filled = 0
            }
            start += segment * k
        }
        if filled > 0 {
            // The rows past `filled` still hold an earlier block: zero them.
            for j in 0..<p { for r in filled..<b { scaledBlock[r, j] = 0 } }
            BLAS.gramLowerTriangle(scaledBlock, beta: empty ? 0 : 1, into: &fisher)
        }
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
