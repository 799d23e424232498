import RowPasses

/// The Gram product F = c·Σᵢ Wᵢxᵢxᵢᵀ being accumulated over row ranges of a `DenseDesign` (x the row of
/// [1 | features]), by one of the plan's two kernels (`FisherScoringPlan.GramKernel`):
/// - `.fusedAVX512`: the AVX-512 kernel adds c·Σᵢ Wᵢxᵢxᵢᵀ straight from X (`BLAS.accumulateWeightedGram`; the
///   weights multiply the columns as they are loaded: no scaled copy, no square roots);
/// - `.scaledCopySyrk`: the rows √(c·Wᵢ)·xᵢ are copied into the cache-sized `scaledBlock` (the intercept
///   column too), which syrk adds into the lower triangle whenever it is full, so no n × p copy of X is made.
/// The accumulator is (p rounded up to a multiple of 4)²: `scaledBlock` has that many columns, the extra ones
/// zero, because OpenBLAS's syrk runs ≈ 12 % faster at 52 columns than at 51 (its kernel works on 4-column
/// panels; measured 0.179 vs 0.204 ms per 2560-row block). F is its leading p × p.
struct WeightedGramAccumulator {
    let kernel: FisherScoringPlan.GramKernel
    /// p.
    let dimension: Int
    /// Rows of `scaledBlock`.
    let blockRows: Int
    /// √(c·Wᵢ) of the rows of one block.
    var rootWeights: [Double]
    /// √(c·Wᵢ)·xᵢⱼ for the rows of one block (allocated on first use: never with the fused kernel).
    var scaledBlock: Matrix
    /// The padded accumulator; its lower triangle holds the sum.
    var padded: Matrix
    /// Rows of `scaledBlock` holding scaled rows not yet added.
    var filled = 0
    /// Nothing has been added to `padded` yet (the first syrk overwrites it).
    var empty = true

    init(kernel: FisherScoringPlan.GramKernel, dimension p: Int, blockRows: Int) {
        self.kernel = kernel
        dimension = p
        self.blockRows = blockRows
        rootWeights = [Double](repeating: 0, count: blockRows)
        scaledBlock = Matrix(rows: 0, columns: 0)
        let paddedColumns = (p + 3) / 4 * 4
        padded = Matrix(rows: paddedColumns, columns: paddedColumns)
    }

    /// Starts a new sum.
    mutating func begin() {
        filled = 0
        empty = true
    }

    /// Adds c·Σ_{i ∈ rows} Wᵢxᵢxᵢᵀ (on the copy path, in pieces that fill the block's free rows).
    mutating func add(_ features: Matrix, intercept: Bool, rows: Range<Int>, weights: [Double], scale: Double) {
        let p = dimension
        if kernel == .fusedAVX512 {
            if empty {
                for j in 0..<p { for i in j..<p { padded[i, j] = 0 } }
                empty = false
            }
            if BLAS.accumulateWeightedGram(of: features, rows: rows, weights: weights, alpha: scale,
                                           intercept: intercept, into: &padded) {
                return
            }
        }
        ensureScaledBlock()
        let first = intercept ? 1 : 0
        var remaining = rows
        while !remaining.isEmpty {
            // As many rows as the block has free (all of them, unless a distributed fit's subsample chunk
            // straddles this process's first row).
            let filled = self.filled
            let part = remaining.lowerBound..<Swift.min(remaining.upperBound, remaining.lowerBound + blockRows - filled)
            for (t, i) in part.enumerated() { rootWeights[filled + t] = (scale * weights[i]).squareRoot() }
            BLAS.scaleRows(of: features, rows: part, by: rootWeights, factorStart: filled, into: &scaledBlock,
                           rowStart: filled, columnStart: first)
            if first == 1 { for t in 0..<part.count { scaledBlock[filled + t, 0] = rootWeights[filled + t] } }
            self.filled += part.count
            if self.filled == blockRows {
                BLAS.gramLowerTriangle(scaledBlock, beta: empty ? 0 : 1, into: &padded)
                empty = false
                self.filled = 0
            }
            remaining = part.upperBound..<remaining.upperBound
        }
    }

    /// Adds the partly filled last block (its unused rows, which still hold an earlier block, zeroed), then
    /// copies the leading p × p lower triangle into `fisher`, symmetrized.
    mutating func finish(into fisher: inout Matrix) {
        let p = dimension
        if filled > 0 || empty {
            ensureScaledBlock()
            for j in 0..<p { for r in filled..<blockRows { scaledBlock[r, j] = 0 } }
            BLAS.gramLowerTriangle(scaledBlock, beta: empty ? 0 : 1, into: &padded)
        }
        for j in 0..<p { for i in j..<p { fisher[i, j] = padded[i, j] } }
        fisher.symmetrizeFromLower()
    }

    /// Allocates the √W-scaled block (blockRows × p rounded up to 4) the first time the copy-and-syrk path
    /// needs it.
    mutating func ensureScaledBlock() {
        if scaledBlock.rows == 0 { scaledBlock = Matrix(rows: blockRows, columns: (dimension + 3) / 4 * 4) }
    }
}
