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
/// The grouped sums are scatter-adds into small tables; row i adds into copy i mod 4 of each table
/// (`lanes`), so that consecutive rows at the same level do not wait on each other's store, and `finish`
/// adds the four copies in order (the lane is fixed by the row index, so any split of the rows into ranges
/// gives the same sums). Rows at a block's reference level (code −1) add nothing to that block's sums. The result equals the
/// one-hot design's XᵀWX up to the order of the floating-point additions (every entry is a sum of the same
/// products Wᵢxᵢⱼxᵢₗ, since one-hot entries are 0 or 1).
struct MixedGramAccumulator {
    /// Rows of the scaled copy (≈ 1 MB).
    let blockRows: Int
    /// k + 1 with an intercept, k without: the columns of the dense part Z = [1 | D].
    let denseDimension: Int
    /// √Wᵢ of the rows in `scaled`.
    var rootWeights: [Double]
    /// √Wᵢ·zᵢ for a block of rows (blockRows × denseDimension).
    var scaled: Matrix
    /// ZᵀWZ, lower triangle (denseDimension²).
    var denseGram: Matrix
    /// Copies of each grouped-sum table (row i adds into copy i mod `lanes`).
    static let lanes = 4
    /// Per block: the level weight sums aᵦ (Lᵦ), `lanes` copies one after the other.
    var levelWeights: [[Double]]
    /// Per block: Σ Wᵢdᵢⱼ by level, column-major Lᵦ × k, `lanes` copies.
    var denseCross: [[Double]]
    /// Per pair a < b (in order (0,1), (0,2), …, (1,2), …): the Lᵦ × Lₐ table, entry [ℓ + Lᵦ·m], `lanes` copies.
    var pairCross: [[Double]]
    /// Whether `denseGram` holds a sum yet (the first syrk overwrites).
    var empty = true

    /// - Parameter blockRows: the rows of the scaled copy, best the row blocks of the passes that call
    ///   `add` (a shorter range is zero-padded, so syrk always runs on `blockRows` rows).
    init(design: MixedDesign, blockRows: Int = 4096) {
        let z = design.denseCount + (design.hasIntercept ? 1 : 0)
        denseDimension = z
        self.blockRows = Swift.max(1, Swift.min(design.rows, blockRows))
        rootWeights = [Double](repeating: 0, count: blockRows)
        scaled = Matrix(rows: blockRows, columns: z)
        denseGram = Matrix(rows: z, columns: z)
        let k = design.denseCount
        let lanes = Self.lanes
        levelWeights = design.blocks.map { [Double](repeating: 0, count: lanes * $0.levels) }
        denseCross = design.blocks.map { [Double](repeating: 0, count: lanes * $0.levels * k) }
        var pairs = [[Double]]()
        for a in design.blocks.indices {
            for b in design.blocks.indices where b > a {
                pairs.append([Double](repeating: 0, count: lanes * design.blocks[a].levels * design.blocks[b].levels))
            }
        }
        pairCross = pairs
    }

    /// Starts a new sum.
    mutating func begin() {
        empty = true
        for b in levelWeights.indices {
            for t in levelWeights[b].indices { levelWeights[b][t] = 0 }
            for t in denseCross[b].indices { denseCross[b][t] = 0 }
        }
        for q in pairCross.indices { for t in pairCross[q].indices { pairCross[q][t] = 0 } }
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
        let lanes = Self.lanes
        weights.withUnsafeBufferPointer { w in
            for (b, block) in design.blocks.enumerated() {
                let levels = block.levels
                block.codes.withUnsafeBufferPointer { codes in
                    levelWeights[b].withUnsafeMutableBufferPointer { sums in
                        for i in rows {
                            let c = Int(codes[i])
                            if c >= 0 { sums[(i & (lanes - 1)) * levels + c] += w[i] }
                        }
                    }
                    if k > 0 {
                        design.dense.elements.withUnsafeBufferPointer { d in
                            denseCross[b].withUnsafeMutableBufferPointer { cross in
                                let n = design.rows, laneSize = levels * k
                                for j in 0..<k {
                                    let column = j * n, out = j * levels
                                    for i in rows {
                                        let c = Int(codes[i])
                                        if c >= 0 { cross[(i & (lanes - 1)) * laneSize + out + c] += w[i] * d[column + i] }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            // Two-way tables for every pair a < b.
            var pair = 0
            for a in design.blocks.indices {
                for b in design.blocks.indices where b > a {
                    let lb = design.blocks[b].levels, laneSize = design.blocks[a].levels * lb
                    design.blocks[a].codes.withUnsafeBufferPointer { codesA in
                        design.blocks[b].codes.withUnsafeBufferPointer { codesB in
                            pairCross[pair].withUnsafeMutableBufferPointer { table in
                                for i in rows {
                                    let ca = Int(codesA[i]), cb = Int(codesB[i])
                                    if ca >= 0 && cb >= 0 { table[(i & (lanes - 1)) * laneSize + cb + lb * ca] += w[i] }
                                }
                            }
                        }
                    }
                    pair += 1
                }
            }
        }
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
                let a = c * Self.laneSum(levelWeights[b], l, laneSize: levels)
                fisher[ob + l, ob + l] = a
                if design.hasIntercept { fisher[ob + l, 0] = a }
                for j in 0..<k {
                    fisher[ob + l, first + j] = c * Self.laneSum(denseCross[b], l + levels * j, laneSize: levels * k)
                }
            }
        }
        var pair = 0
        for a in design.blocks.indices {
            for b in design.blocks.indices where b > a {
                let oa = design.blockOffsets[a], ob = design.blockOffsets[b]
                let la = design.blocks[a].levels, lb = design.blocks[b].levels
                for m in 0..<la {
                    for l in 0..<lb { fisher[ob + l, oa + m] = c * Self.laneSum(pairCross[pair], l + lb * m, laneSize: la * lb) }
                }
                pair += 1
            }
        }
        fisher.symmetrizeFromLower()
    }

    /// ((t₀ + t₁) + t₂) + t₃ over the lane copies of entry `index`.
    @inline(__always)
    static func laneSum(_ table: [Double], _ index: Int, laneSize: Int) -> Double {
        var total = 0.0
        for lane in 0..<lanes { total += table[lane * laneSize + index] }
        return total
    }
}
