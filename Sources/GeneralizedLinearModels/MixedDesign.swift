import LinearAlgebra

/// A categorical column of a design kept as level codes, never as one-hot columns: row i takes the
/// column `codes[i]` of the block's `levels` columns, or none when `codes[i] = −1` (the reference level of
/// treatment coding). Its one-hot form would be the n × L matrix Cᵢⱼ = [codes[i] = j].
public struct CategoricalBlock: Sendable, Equatable {
    /// The block's name (the table column), for messages.
    public var name: String
    /// The names of the L coded levels (the coefficient names, `col[T.level]`), in column order.
    public var levelNames: [String]
    /// n codes in −1 ..< L (−1: the reference level, no column).
    public var codes: [Int32]

    /// L.
    public var levels: Int { levelNames.count }

    /// Creates a block from its name, the L level names and n codes in −1 ..< L.
    public init(name: String, levelNames: [String], codes: [Int32]) {
        self.name = name
        self.levelNames = levelNames
        self.codes = codes
    }
}

/// A design X = [1 | D | C₁ | … | C_m] held as dense columns D (n × k) and categorical blocks Cᵦ kept as
/// level codes (`CategoricalBlock`), owning the products of a Fisher-scoring pass over a row range r:
///
///   η_r = β₀ + offset_r + D_r·β_D + Σᵦ β_{Cᵦ}[codeᵦ(i)],
///   Xᵀu = (Σᵢuᵢ, Dᵀu, per-level sums Σ_{i: codeᵦ(i) = ℓ} uᵢ),
///   XᵀWX by blocks (`MixedGramAccumulator`): [1 | D]ᵀW[1 | D] by a √W-scaled copy and syrk, Cᵦᵀ W D and
///   Cᵦᵀ W 1 by grouped sums Σ_{codeᵦ(i) = ℓ} Wᵢxᵢⱼ, Cₐᵀ W Cᵦ by the two-way table Σ_{codeₐ(i) = ℓ, codeᵦ(i) = m} Wᵢ,
///   and the diagonal blocks Cᵦᵀ W Cᵦ = diag(per-level weight sums).
///
/// Coefficient order: the intercept (if any), D's columns, then each block's levels. Memory is the n × k
/// dense matrix plus one 32-bit code per row and block: O(n·(k + m)), whatever the number of levels; the
/// one-hot matrix the products equal is never formed (XᵀWX costs n·(k² + k·m + m²) instead of n·p²).
public struct MixedDesign: Sendable {
    /// The dense columns D (n × k).
    public let dense: Matrix
    /// The names of D's columns.
    public let denseNames: [String]
    /// The categorical blocks, each with n codes.
    public let blocks: [CategoricalBlock]
    /// Whether the implicit column of ones comes first.
    public let hasIntercept: Bool
    /// The first coefficient index of each block.
    public let blockOffsets: [Int]
    /// p, the number of coefficients.
    public let columns: Int
    /// The codes of every block, row-major (n × m: row i's codes at i·m ..< (i + 1)·m), for the fused
    /// Gram pass (`MixedGramAccumulator`), which reads all of a row's codes together.
    let rowCodes: [Int32]

    /// n.
    public var rows: Int { dense.rows }
    /// k.
    public var denseCount: Int { dense.columns }
    /// The index of D's first coefficient.
    public var firstDense: Int { hasIntercept ? 1 : 0 }
    /// The coefficient names: `intercept`, D's names, then every block's level names.
    public var coefficientNames: [String] {
        (hasIntercept ? ["intercept"] : []) + denseNames + blocks.flatMap(\.levelNames)
    }

    /// A design from dense columns and categorical blocks.
    /// - Parameters:
    ///   - dense: n × k dense columns (k may be 0; n is then taken from the blocks).
    ///   - denseNames: k names (default x1, x2, …).
    ///   - blocks: categorical blocks with n codes each.
    ///   - intercept: whether the column of ones comes first.
    /// - Throws: `GLMError.shapeMismatch` (a block whose code count is not n, names that do not fit),
    ///   `.nonFiniteValue` (a dense entry NaN or ±∞), `.invalidLevelCode` (a code outside −1 ..< L),
    ///   `.unusedLevel` (a level no row takes: its column would be zero).
    public init(dense: Matrix, denseNames: [String]? = nil, blocks: [CategoricalBlock] = [],
                intercept: Bool = true) throws(GLMError) {
        let n = dense.columns == 0 && dense.rows == 0 ? (blocks.first?.codes.count ?? 0) : dense.rows
        let names = denseNames ?? (0..<dense.columns).map { "x\($0 + 1)" }
        guard names.count == dense.columns else {
            throw .shapeMismatch(variable: "dense column names", count: names.count, features: dense.shapeDescription)
        }
        self.dense = dense.rows == n ? dense : Matrix(rows: n, columns: 0)
        self.denseNames = names
        if let (r, c) = dense.firstNonFiniteEntry { throw .nonFiniteValue(variable: names[c], row: r) }
        for block in blocks {
            guard block.codes.count == n else {
                throw .shapeMismatch(variable: "codes of '\(block.name)'", count: block.codes.count, features: "\(n) rows")
            }
            var used = [Bool](repeating: false, count: block.levels)
            for (i, c) in block.codes.enumerated() {
                guard c >= -1 && Int(c) < block.levels else { throw .invalidLevelCode(block: block.name, row: i, code: Int(c)) }
                if c >= 0 { used[Int(c)] = true }
            }
            if let level = used.firstIndex(of: false) {
                throw .unusedLevel(block: block.name, level: level, name: block.levelNames[level])
            }
        }
        self.blocks = blocks
        hasIntercept = intercept
        var offsets = [Int]()
        var next = (intercept ? 1 : 0) + dense.columns
        for block in blocks {
            offsets.append(next)
            next += block.levels
        }
        blockOffsets = offsets
        columns = next
        let m = blocks.count
        var interleaved = [Int32](repeating: -1, count: n * m)
        for (b, block) in blocks.enumerated() { for i in 0..<n { interleaved[i * m + b] = block.codes[i] } }
        rowCodes = interleaved
    }

    /// A design with dense columns only (X = [1 | D] or D).
    public init(features: Matrix, names: [String]? = nil, intercept: Bool = true) throws(GLMError) {
        try self.init(dense: features, denseNames: names, blocks: [], intercept: intercept)
    }

    /// The equivalent one-hot design's feature matrix [D | C₁ | … | C_m] (n × (p − 1) with an intercept):
    /// what the dense path would hold. For tests and small problems; O(n·p) memory.
    public var oneHotFeatures: Matrix {
        let n = rows, k = denseCount, first = firstDense
        var m = Matrix(rows: n, columns: columns - first)
        for j in 0..<k { for i in 0..<n { m[i, j] = dense[i, j] } }
        for (b, block) in blocks.enumerated() {
            let start = blockOffsets[b] - first
            for i in 0..<n where block.codes[i] >= 0 { m[i, start + Int(block.codes[i])] = 1 }
        }
        return m
    }

    /// η[rows] ← offset[rows] (offset nil: 0) + X_rows·β, for the full coefficient vector β (p entries;
    /// `denseScratch` holds its k dense entries, to hand to gemv without allocating).
    @inline(__always)
    func linearPredictor(_ rows: Range<Int>, coefficients beta: [Double], offset: [Double]?,
                         denseScratch: inout [Double], into eta: inout [Double]) {
        let intercept = hasIntercept ? beta[0] : 0
        if let offset {
            for i in rows { eta[i] = offset[i] + intercept }
        } else {
            for i in rows { eta[i] = intercept }
        }
        let k = denseCount, first = firstDense
        if k > 0 && !rows.isEmpty {
            for j in 0..<k { denseScratch[j] = beta[first + j] }
            BLAS.gemv(dense, rows: rows, denseScratch, beta: 1, into: &eta, yStart: rows.lowerBound)
        }
        eta.withUnsafeMutableBufferPointer { e in
            beta.withUnsafeBufferPointer { b in
                for (index, block) in blocks.enumerated() {
                    let start = blockOffsets[index]
                    block.codes.withUnsafeBufferPointer { codes in
                        for i in rows {
                            let c = Int(codes[i])
                            if c >= 0 { e[i] += b[start + c] }
                        }
                    }
                }
            }
        }
    }

    /// score += X_rowsᵀ·u_rows (p entries, `u` indexed by row): Σuᵢ for the intercept, gemv for D, per-level
    /// sums for each block.
    @inline(__always)
    func addTransposedProduct(_ rows: Range<Int>, _ u: [Double], denseScratch: inout [Double], into score: inout [Double]) {
        if hasIntercept {
            var s = 0.0
            for i in rows { s += u[i] }
            score[0] += s
        }
        let k = denseCount, first = firstDense
        if k > 0 && !rows.isEmpty {
            for j in 0..<k { denseScratch[j] = 0 }
            BLAS.gemv(dense, rows: rows, transposed: true, u, xStart: rows.lowerBound, beta: 0, into: &denseScratch)
            for j in 0..<k { score[first + j] += denseScratch[j] }
        }
        // Per-level sums into four interleaved copies (row i into copy i mod 4, so consecutive rows at one
        // level do not wait on each other), added in order at the end.
        u.withUnsafeBufferPointer { uu in
            score.withUnsafeMutableBufferPointer { out in
                for (index, block) in blocks.enumerated() {
                    let start = blockOffsets[index], levels = block.levels
                    withUnsafeTemporaryAllocation(of: Double.self, capacity: 4 * levels) { lanes in
                        lanes.initialize(repeating: 0)
                        block.codes.withUnsafeBufferPointer { codes in
                            for i in rows {
                                let c = Int(codes[i])
                                if c >= 0 { lanes[(i & 3) * levels + c] += uu[i] }
                            }
                        }
                        for c in 0..<levels {
                            out[start + c] += ((lanes[c] + lanes[levels + c]) + lanes[2 * levels + c]) + lanes[3 * levels + c]
                        }
                    }
                }
            }
        }
    }
}
