import LinearAlgebra

/// XᵀWX = Σᵢ Wᵢxᵢxᵢᵀ of a `MixedDesign`, accumulated over row ranges by blocks:
///
/// | block of XᵀWX        | computed as                                                        | cost per row |
/// |----------------------|--------------------------------------------------------------------|--------------|
/// | [1 | D]ᵀW[1 | D]      | syrk on row blocks of √Wᵢ·(1, dᵢ) (a cache-sized scaled copy)      | (k + 1)²/2   |
/// | Cᵦᵀ W Cᵦ (diagonal)  | per-level weight sums aᵦ[ℓ] = Σ_{codeᵦ(i) = ℓ} Wᵢ                  | 1            |
/// | Cᵦᵀ W 1              | the same sums aᵦ                                                   | 0            |
/// | Cᵦᵀ W D              | grouped sums Σ_{codeᵦ(i) = ℓ} Wᵢdᵢⱼ (an Lᵦ × k table)             | k            |
/// | Cᵦᵀ W Cₐ (a < b)      | the two-way table Σ_{codeᵦ(i) = ℓ, codeₐ(i) = m} Wᵢ (Lᵦ × Lₐ)      | 1            |
///
/// The grouped sums are scatter-adds into small tables, all of a row's done together in one pass (its m
/// codes and k dense values read once). Row i adds into copy i mod `lanes` of the tables and `finish` adds
/// the copies in order (the lane is fixed by the row index, so any split of the rows into ranges gives the
/// same sums). `lanes` is 1: four copies, meant to keep consecutive rows at one level from waiting on each
/// other's store, measured slower in the fused pass (0.69 against 0.41 s for a Poisson fit at n = 600 000
/// and 322 columns, 0.35 against 0.26 s at 54: the copies push the two-way tables out of L1/L2).
/// Rows at a block's reference level (code −1) add nothing to that block's sums. The result equals the
/// one-hot design's XᵀWX up to the order of the floating-point additions (every entry is a sum of the same
/// products Wᵢxᵢⱼxᵢₗ, since one-hot entries are 0 or 1).
struct MixedGramAccumulator {
    /// Rows of the scaled copy.
    let blockRows: Int
    /// k + 1 with an intercept, k without: the columns of the dense part Z = [1 | D].
    let denseDimension: Int
    /// √Wᵢ of the rows in `scaled`.
    var rootWeights: [Double]
    /// √Wᵢ·zᵢ for a block of rows (blockRows × denseDimension).
    var scaled: Matrix
    /// ZᵀWZ, lower triangle (denseDimension²).
    var denseGram: Matrix
    /// Copies of the grouped-sum tables (row i adds into copy i mod `lanes`; a power of 2).
    static let lanes = 1
    /// Every grouped sum, `lanes` copies of `laneStride` entries. Within a copy: per block b the level
    /// weights (Lᵦ entries at `levelOffsets[b]`) and Σ Wᵢdᵢⱼ by level (column-major Lᵦ × k at
    /// `crossOffsets[b]`); per pair q = (a, b), a < b, in order (0,1), (0,2), …, (1,2), …, the Lᵦ × Lₐ
    /// table at `pairOffsets[q]`, entry ℓ + Lᵦ·m for codes (m, ℓ).
    var tables: [Double]
    let laneStride: Int
    let levelOffsets: [Int]
    let crossOffsets: [Int]
    let pairOffsets: [Int]
    /// Per pair: (a, b, Lᵦ).
    let pairs: [(a: Int, b: Int, levels: Int)]
    /// What the row loop reads, in one array: the blocks' level counts, `levelOffsets`, `crossOffsets`,
    /// `pairOffsets`, and the pairs' a, b and Lᵦ.
    let meta: [Int]
    /// Whether `denseGram` holds a sum yet (the first syrk overwrites).
    var empty = true

    /// - Parameter blockRows: the rows of the scaled copy, best the row blocks of the passes that call
    ///   `add` (a shorter range is zero-padded, so syrk always runs on `blockRows` rows).
    init(design: MixedDesign, blockRows: Int = 4096) {
        let z = design.denseCount + (design.hasIntercept ? 1 : 0)
        denseDimension = z
        self.blockRows = Swift.max(1, Swift.min(design.rows, blockRows))
        rootWeights = [Double](repeating: 0, count: self.blockRows)
        scaled = Matrix(rows: self.blockRows, columns: z)
        denseGram = Matrix(rows: z, columns: z)
        let k = design.denseCount
        var next = 0
        var levels = [Int](), cross = [Int](), pairOffsets = [Int](), pairs = [(a: Int, b: Int, levels: Int)]()
        for block in design.blocks {
            levels.append(next)
            next += block.levels
            cross.append(next)
            next += block.levels * k
        }
        for a in design.blocks.indices {
            for b in design.blocks.indices where b > a {
                pairOffsets.append(next)
                pairs.append((a, b, design.blocks[b].levels))
                next += design.blocks[a].levels * design.blocks[b].levels
            }
        }
        levelOffsets = levels
        crossOffsets = cross
        self.pairOffsets = pairOffsets
        self.pairs = pairs
        laneStride = next
        meta = design.blocks.map(\.levels) + levels + cross + pairOffsets + pairs.map(\.a) + pairs.map(\.b) + pairs.map(\.levels)
        tables = [Double](repeating: 0, count: Self.lanes * next)
    }

    /// Starts a new sum.
    mutating func begin() {
        empty = true
        tables.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
    }

    /// Adds Σ_{i ∈ rows} Wᵢxᵢxᵢᵀ (`weights` indexed by row), in chunks of `blockRows` rows.
    mutating func add(_ design: MixedDesign, rows: Range<Int>, weights: [Double]) {
        var start = rows.lowerBound
        while start < rows.upperBound {
            let end = Swift.min(rows.upperBound, start + blockRows)
            addChunk(design, rows: start..<end, weights: weights)
            start = end
        }
    }

    private mutating func addChunk(_ design: MixedDesign, rows: Range<Int>, weights: [Double]) {
        let z = denseDimension, k = design.denseCount, first = design.firstDense
        if z > 0 {
            let m = rows.count
            for (t, i) in rows.enumerated() { rootWeights[t] = weights[i].squareRoot() }
            if k > 0 {
                BLAS.scaleRows(of: design.dense, rows: rows, by: rootWeights, into: &scaled, columnStart: first)
            }
            let blockRows = self.blockRows, roots = rootWeights
            scaled.elements.withUnsafeMutableBufferPointer { block in
                if first == 1 { for t in 0..<m { block[t] = roots[t] } }
                if m < blockRows { for j in 0..<z { for t in m..<blockRows { block[j * blockRows + t] = 0 } } }
            }
            BLAS.gramLowerTriangle(scaled, beta: empty ? 0 : 1, into: &denseGram)
            empty = false
        }
        let blockCount = design.blocks.count
        guard blockCount > 0 else { return }
        let n = design.rows, stride = laneStride
        // Every offset and level count is read through a buffer pointer: the row loop does no bounds checks
        // or retains.
        let meta = self.meta
        let pairCount = pairs.count
        weights.withUnsafeBufferPointer { w in
        design.rowCodes.withUnsafeBufferPointer { codes in
        design.dense.elements.withUnsafeBufferPointer { d in
        meta.withUnsafeBufferPointer { mb in
        tables.withUnsafeMutableBufferPointer { t in
        withUnsafeTemporaryAllocation(of: Double.self, capacity: Swift.max(k, 1)) { values in
            let levels = mb.baseAddress!, levelAt = levels + blockCount, crossAt = levelAt + blockCount
            let pairAt = crossAt + blockCount, pairA = pairAt + pairCount, pairB = pairA + pairCount
            let pairLevels = pairB + pairCount
            for i in rows {
                let wi = w[i]
                if wi == 0 { continue }
                let base = (i & (Self.lanes - 1)) * stride, row = i * blockCount
                for j in 0..<k { values[j] = wi * d[j * n + i] }
                for b in 0..<blockCount {
                    let c = Int(codes[row + b])
                    if c < 0 { continue }
                    t[base + levelAt[b] + c] += wi
                    let cross = base + crossAt[b] + c, l = levels[b]
                    for j in 0..<k { t[cross + j * l] += values[j] }
                }
                for q in 0..<pairCount {
                    let ca = Int(codes[row + pairA[q]]), cb = Int(codes[row + pairB[q]])
                    if ca >= 0 && cb >= 0 { t[base + pairAt[q] + cb + pairLevels[q] * ca] += wi }
                }
            }
        }
        }
        }
        }
        }
        }
    }

    /// ((t₀ + t₁) + t₂) + t₃ over the lane copies of table entry `index`.
    @inline(__always)
    func laneSum(_ index: Int) -> Double {
        var total = 0.0
        for lane in 0..<Self.lanes { total += tables[lane * laneStride + index] }
        return total
    }

    /// Writes c·XᵀWX (p × p, symmetric) into `fisher`.
    func finish(_ design: MixedDesign, scale c: Double, into fisher: inout Matrix) {
        let p = design.columns, z = denseDimension, k = design.denseCount, first = design.firstDense
        precondition(fisher.rows == p && fisher.columns == p, "fisher is \(fisher.shapeDescription), the design has \(p) columns")
        for j in 0..<p { for i in 0..<p { fisher[i, j] = 0 } }
        if !empty {
            for j in 0..<z { for i in j..<z { fisher[i, j] = c * denseGram[i, j] } }
        }
        for (b, block) in design.blocks.enumerated() {
            let ob = design.blockOffsets[b], levels = block.levels
            for l in 0..<levels {
                let a = c * laneSum(levelOffsets[b] + l)
                fisher[ob + l, ob + l] = a
                if design.hasIntercept { fisher[ob + l, 0] = a }
                for j in 0..<k { fisher[ob + l, first + j] = c * laneSum(crossOffsets[b] + l + levels * j) }
            }
        }
        for (q, pair) in pairs.enumerated() {
            let oa = design.blockOffsets[pair.a], ob = design.blockOffsets[pair.b]
            let la = design.blocks[pair.a].levels, lb = pair.levels
            for m in 0..<la {
                for l in 0..<lb { fisher[ob + l, oa + m] = c * laneSum(pairOffsets[q] + l + lb * m) }
            }
        }
        fisher.symmetrizeFromLower()
    }
}
