import RowPasses

/// The Gram product F = c·Σᵢ Wᵢxᵢxᵢᵀ over the rows added so far of a `DenseDesign` (x the row of
/// [1 | features]), by one of the plan's two kernels (`FisherScoringPlan.GramKernel`):
/// - `.fusedAVX512`: the AVX-512 kernel adds c·Σᵢ Wᵢxᵢxᵢᵀ straight from X (`BLAS.accumulateWeightedGram`; the
///   weights multiply the columns as they are loaded: no scaled copy, no square roots);
/// - `.scaledCopySyrk`: the rows √(c·Wᵢ)·xᵢ of the added range are copied into a worker's cache-sized
///   `GramScratch` (the intercept column too), which syrk adds into the lower triangle, so no n × p copy of
///   X is made; nothing is left pending between two `add`s.
/// One accumulator per group of the Fisher partition (`GroupSlots`): the group sums are merged in group
/// order, so the sum does not depend on the thread count. The accumulator is (p rounded up to a multiple
/// of 4)²: the scratch has that many columns, the extra ones zero, because OpenBLAS's syrk runs ≈ 12 %
/// faster at 52 columns than at 51 (its kernel works on 4-column panels; measured 0.179 vs 0.204 ms per
/// 2560-row block). F is its leading p × p.
struct WeightedGramAccumulator: RowAccumulator {
    let kernel: FisherScoringPlan.GramKernel
    /// p.
    let dimension: Int
    /// The padded accumulator; its lower triangle holds the sum (unless `empty`).
    var padded: Matrix
    /// Nothing has been added since `reset` (the lower triangle is stale: the first add overwrites it).
    var empty = true

    init(kernel: FisherScoringPlan.GramKernel, dimension p: Int) {
        self.kernel = kernel
        dimension = p
        let paddedColumns = (p + 3) / 4 * 4
        padded = Matrix(rows: paddedColumns, columns: paddedColumns)
    }

    /// Starts a new sum (the sum over no rows).
    mutating func reset() { empty = true }

    /// Starts a new sum.
    mutating func begin() { reset() }

    /// self ← self + other (lower triangles).
    mutating func merge(_ other: WeightedGramAccumulator) {
        guard !other.empty else { return }
        let p = dimension
        if empty {
            for j in 0..<p { for i in j..<p { padded[i, j] = other.padded[i, j] } }
            empty = false
        } else {
            for j in 0..<p { for i in j..<p { padded[i, j] += other.padded[i, j] } }
        }
    }

    /// Adds c·Σ_{i ∈ rows} Wᵢxᵢxᵢᵀ (`scratch`: the calling worker's, used by the copy path only).
    mutating func add(_ features: Matrix, intercept: Bool, rows: Range<Int>, weights: RowBuffer, scale: Double,
                      scratch: GramScratch) {
        guard !rows.isEmpty else { return }
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
        scratch.prepare(rows: Swift.min(rows.count, scratch.blockRows), columns: padded.columns)
        let first = intercept ? 1 : 0
        var remaining = rows
        while !remaining.isEmpty {
            let part = remaining.lowerBound..<Swift.min(remaining.upperBound, remaining.lowerBound + scratch.blockRows)
            BLAS.rootWeights(part, weights, scale: scale, into: &scratch.rootWeights, start: 0)
            BLAS.scaleRows(of: features, rows: part, by: scratch.rootWeights, into: &scratch.scaledBlock,
                           columnStart: first)
            if first == 1 { for t in 0..<part.count { scratch.scaledBlock[t, 0] = scratch.rootWeights[t] } }
            BLAS.gramLowerTriangle(scratch.scaledBlock, leadingRows: part.count, beta: empty ? 0 : 1, into: &padded)
            empty = false
            remaining = part.upperBound..<remaining.upperBound
        }
    }

    /// Copies the leading p × p lower triangle (zeros for the sum over no rows) into `fisher`, symmetrized.
    func finish(into fisher: inout Matrix) {
        let p = dimension
        for j in 0..<p { for i in j..<p { fisher[i, j] = empty ? 0 : padded[i, j] } }
        fisher.symmetrizeFromLower()
    }
}

/// The √W-scaled rows of the copy-and-syrk path, one per worker of a pass (a workspace: allocated on
/// first use, never with the fused kernel; only the worker that owns it writes it during a pass).
final class GramScratch: @unchecked Sendable {
    /// Rows of `scaledBlock` (the Fisher partition's block rows).
    let blockRows: Int
    /// √(c·Wᵢ) of the rows being copied.
    var rootWeights: [Double] = []
    /// √(c·Wᵢ)·xᵢⱼ, blockRows × (p rounded up to 4); columns beyond p stay zero.
    var scaledBlock = Matrix(rows: 0, columns: 0)

    init(blockRows: Int) {
        self.blockRows = Swift.max(1, blockRows)
    }

    /// Allocates the block the first time (all `blockRows` rows, so a later longer range needs no other).
    func prepare(rows: Int, columns: Int) {
        if scaledBlock.rows == 0 {
            rootWeights = [Double](repeating: 0, count: blockRows)
            scaledBlock = Matrix(rows: blockRows, columns: columns)
        }
    }
}
