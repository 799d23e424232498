import LinearAlgebra
import RealModule
import RowPasses

// The one pass per evaluated posterior: over the row blocks of the model's `RowPartition`, each block
// computes its observations' predictive means and variances, the one-dimensional expectations, and
// adds its part of the ELBO's likelihood sum and of the curvature and gradient sums; the groups'
// sums are merged in group order (`RowExecutor`), so the result does not depend on the thread count.
// Nothing per row survives a pass.

/// What a pass sums besides Σcᵢ E[ℓᵢ].
enum PassSums: Sendable {
    /// The Bayesian learning rule's: Xᵀdiag(−E[ℓ″])X and Xᵀ(E[ℓ′] − E[ℓ″]∘(Xm)) (full), or their
    /// diagonals (mean field: Σᵢ −E[ℓ″ᵢ]xᵢⱼ² and XᵀE[ℓ′]).
    case learningRule
    /// The reparametrization gradient's: Xᵀdiag(q)X with qᵢ = ∂E[ℓᵢ]/∂vᵢ, and XᵀE[ℓ′].
    case gradient
    /// The ELBO only.
    case value
}

/// The sums of a full-covariance pass over some rows, and the block scratch of the worker that owns it.
struct FullPassSums: RowAccumulator {
    /// Σ cᵢ(E[ℓᵢ] − kᵢ) and Σ |…|.
    var expected = 0.0
    var magnitude = 0.0
    /// The first row (smallest index) whose expectation is not finite, with its μ and v.
    var firstNonFinite: (row: Int, mean: Double, variance: Double)? = nil
    /// Lower triangle of Σ wᵢxᵢxᵢᵀ (d × d).
    var gram: Matrix
    /// Σ rᵢxᵢ (d).
    var shift: [Double]

    // Scratch of one block (b rows; empty in the total).
    /// The block's rows of X (b × d, rows past the block's end zero).
    var block: Matrix
    /// X_block·L⁻ᵀ (b × d): row t is (L⁻¹xₜ)ᵀ, whose squared norm is vₜ.
    var whitened: Matrix
    var means: [Double]
    var variances: [Double]
    var weights: [Double]
    var residuals: [Double]
    var gramScratch: Matrix
    var blockGram: Matrix

    init(dimension d: Int, blockRows b: Int) {
        gram = Matrix(rows: d, columns: d)
        shift = [Double](repeating: 0, count: d)
        block = Matrix(rows: b, columns: b > 0 ? d : 0)
        whitened = block
        means = [Double](repeating: 0, count: b)
        variances = means
        weights = means
        residuals = means
        gramScratch = block
        blockGram = b > 0 ? Matrix(rows: d, columns: d) : Matrix(rows: 0, columns: 0)
    }

    mutating func reset() {
        expected = 0
        magnitude = 0
        firstNonFinite = nil
        for k in gram.elements.indices { gram.elements[k] = 0 }
        for k in shift.indices { shift[k] = 0 }
    }

    mutating func merge(_ other: FullPassSums) {
        expected += other.expected
        magnitude += other.magnitude
        if let o = other.firstNonFinite, firstNonFinite.map({ o.row < $0.row }) ?? true { firstNonFinite = o }
        BLAS.axpy(1, other.gram.elements, &gram.elements)
        BLAS.axpy(1, other.shift, &shift)
    }
}

/// The sums of a mean-field pass over some rows, and the block scratch.
struct DiagonalPassSums: RowAccumulator {
    var expected = 0.0
    var magnitude = 0.0
    var firstNonFinite: (row: Int, mean: Double, variance: Double)? = nil
    /// Σᵢ wᵢxᵢⱼ² (d).
    var curvature: [Double]
    /// Σᵢ E[ℓ′ᵢ]xᵢ (d).
    var shift: [Double]
    var means: [Double]
    var variances: [Double]
    var slopes: [Double]
    var weights: [Double]

    init(dimension d: Int, blockRows b: Int) {
        curvature = [Double](repeating: 0, count: d)
        shift = curvature
        means = [Double](repeating: 0, count: b)
        variances = means
        slopes = means
        weights = means
    }

    mutating func reset() {
        expected = 0
        magnitude = 0
        firstNonFinite = nil
        for k in curvature.indices { curvature[k] = 0; shift[k] = 0 }
    }

    mutating func merge(_ other: DiagonalPassSums) {
        expected += other.expected
        magnitude += other.magnitude
        if let o = other.firstNonFinite, firstNonFinite.map({ o.row < $0.row }) ?? true { firstNonFinite = o }
        BLAS.axpy(1, other.curvature, &curvature)
        BLAS.axpy(1, other.shift, &shift)
    }
}

extension BayesianGLM {
    /// The likelihood constant Σcᵢkᵢ the ELBO adds to a pass's `expected`: this process's, or 0 when
    /// the passes go through a cross-process reduction, which adds every process's constant into the
    /// reduced sums (so every process holds the same bits; adding a local constant after the reduction
    /// could round differently on different processes and make them take different steps).
    var constantOutsidePasses: Double { execution.reduction == nil ? likelihoodConstant : 0 }

    /// A full-covariance workspace (cached, or new).
    func takeFullWorkspace() -> PassWorkspace<FullPassSums> {
        let d = dimension, b = partition.blockRows
        return workspaces.takeFull {
            PassWorkspace(groups: partition.groupCount, packedCount: 3 + d * d + d,
                          slot: { FullPassSums(dimension: d, blockRows: b) },
                          total: FullPassSums(dimension: d, blockRows: 0))
        }
    }

    /// A mean-field workspace (cached, or new).
    func takeDiagonalWorkspace() -> PassWorkspace<DiagonalPassSums> {
        let d = dimension, b = partition.blockRows
        return workspaces.takeDiagonal {
            PassWorkspace(groups: partition.groupCount, packedCount: 2 + 2 * d,
                          slot: { DiagonalPassSums(dimension: d, blockRows: b) },
                          total: DiagonalPassSums(dimension: d, blockRows: 0))
        }
    }

    /// One pass at q = N(m, (LLᵀ)⁻¹): ws.total ← the sums of `sums` over all rows (the Gram's lower
    /// triangle symmetrized), summed across processes when the execution has a reduction (then
    /// `expected` and `magnitude` include every process's likelihood constant: see
    /// `constantOutsidePasses`).
    /// - Throws: `.linearAlgebra` if a triangular solve overflows; `.reduction`.
    func fullPass(mean m: [Double], cholesky: Cholesky, rule: ExpectationRule, sums: PassSums,
                  workspace ws: PassWorkspace<FullPassSums>) throws(VariationalInferenceError) {
        let finished: Bool
        if executor.threads == 1 {
            finished = SerialRowExecutor.run(partition, total: &ws.total, scratch: &ws.scratch) { rows, acc in
                addFullBlock(rows, mean: m, cholesky: cholesky, rule: rule, sums: sums, into: &acc)
            }
        } else {
            let model = self
            finished = executor.run(partition, total: &ws.total, slots: ws.slots) { rows, acc in
                model.addFullBlock(rows, mean: m, cholesky: cholesky, rule: rule, sums: sums, into: &acc)
            }
        }
        if let reduction = execution.reduction {
            // The likelihood constant and the failure count travel with the sums, so every process
            // gets the global ELBO and stops together when any process's solve overflowed.
            let d = dimension
            ws.packed[0] = ws.total.expected + likelihoodConstant
            ws.packed[1] = ws.total.magnitude + Swift.abs(likelihoodConstant)
            for k in 0..<(d * d) { ws.packed[2 + k] = ws.total.gram.elements[k] }
            for j in 0..<d { ws.packed[2 + d * d + j] = ws.total.shift[j] }
            ws.packed[2 + d * d + d] = finished ? 0 : 1
            do { try reduction.sum(&ws.packed) } catch { throw .reduction(error) }
            guard ws.packed[2 + d * d + d] == 0 else { throw .linearAlgebra(.nonFiniteResult) }
            ws.total.expected = ws.packed[0]
            ws.total.magnitude = ws.packed[1]
            for k in 0..<(d * d) { ws.total.gram.elements[k] = ws.packed[2 + k] }
            for j in 0..<d { ws.total.shift[j] = ws.packed[2 + d * d + j] }
        } else {
            guard finished else { throw .linearAlgebra(.nonFiniteResult) }
        }
        if case .value = sums { return }
        ws.total.gram.symmetrizeFromLower()
    }

    /// The rows `rows` of a full-covariance pass: μᵢ = xᵢᵀm + oᵢ, vᵢ = ‖L⁻¹xᵢ‖², the expectations,
    /// and the block's part of the sums. Returns false if the solve overflowed.
    func addFullBlock(_ rows: Range<Int>, mean m: [Double], cholesky: Cholesky, rule: ExpectationRule,
                      sums: PassSums, into acc: inout FullPassSums) -> Bool {
        let b = acc.block.rows, count = rows.count, start = rows.lowerBound
        acc.block.setRows(rows, of: design)
        acc.whitened.setRows(0..<b, of: acc.block)
        BLAS.gemv(acc.block, m, into: &acc.means)
        do { try cholesky.solveLowerForRows(&acc.whitened) } catch { return false }
        acc.whitened.rowSquaredNorms(into: &acc.variances)
        for t in 0..<b {
            guard t < count else { acc.weights[t] = 0; acc.residuals[t] = 0; continue }
            let i = start + t
            let v = acc.variances[t]
            let mu = acc.means[t] + (offset?[i] ?? 0)
            let c = weights?[i] ?? 1
            let e = observation.expectations(mean: mu, variance: v, response: response[i], rule: rule)
            let value = c * e.value
            if !value.isFinite && acc.firstNonFinite.map({ i < $0.row }) ?? true { acc.firstNonFinite = (i, mu, v) }
            acc.expected += value
            acc.magnitude += Swift.abs(value)
            switch sums {
            case .learningRule:
                acc.weights[t] = -c * e.curvature
                acc.residuals[t] = c * (e.slope - e.curvature * acc.means[t])
            case .gradient:
                acc.weights[t] = c * e.varianceSlope
                acc.residuals[t] = c * e.slope
            case .value:
                break
            }
        }
        if case .value = sums { return true }
        BLAS.gemv(acc.block, transposed: true, acc.residuals, beta: 1, into: &acc.shift)
        if !BLAS.accumulateWeightedGram(of: acc.block, rows: 0..<count, weights: acc.weights, intercept: false, into: &acc.gram) {
            BLAS.weightedGram(acc.block, weights: acc.weights, into: &acc.blockGram, workspace: &acc.gramScratch)
            BLAS.axpy(1, acc.blockGram.elements, &acc.gram.elements)
        }
        return true
    }

    /// One mean-field pass at q = Πⱼ N(mⱼ, 1/sⱼ) (`reciprocal` = 1/s): ws.total ← the sums.
    /// - Throws: `.reduction`.
    func diagonalPass(mean m: [Double], reciprocal: [Double], rule: ExpectationRule, sums: PassSums,
                      workspace ws: PassWorkspace<DiagonalPassSums>) throws(VariationalInferenceError) {
        if executor.threads == 1 {
            _ = SerialRowExecutor.run(partition, total: &ws.total, scratch: &ws.scratch) { rows, acc in
                addDiagonalBlock(rows, mean: m, reciprocal: reciprocal, rule: rule, sums: sums, into: &acc)
            }
        } else {
            let model = self
            _ = executor.run(partition, total: &ws.total, slots: ws.slots) { rows, acc in
                model.addDiagonalBlock(rows, mean: m, reciprocal: reciprocal, rule: rule, sums: sums, into: &acc)
            }
        }
        if let reduction = execution.reduction {
            let d = dimension
            ws.packed[0] = ws.total.expected + likelihoodConstant
            ws.packed[1] = ws.total.magnitude + Swift.abs(likelihoodConstant)
            for j in 0..<d { ws.packed[2 + j] = ws.total.curvature[j]; ws.packed[2 + d + j] = ws.total.shift[j] }
            do { try reduction.sum(&ws.packed) } catch { throw .reduction(error) }
            ws.total.expected = ws.packed[0]
            ws.total.magnitude = ws.packed[1]
            for j in 0..<d { ws.total.curvature[j] = ws.packed[2 + j]; ws.total.shift[j] = ws.packed[2 + d + j] }
        }
    }

    /// The rows `rows` of a mean-field pass: μᵢ = xᵢᵀm + oᵢ, vᵢ = Σⱼxᵢⱼ²/sⱼ, the expectations, and the
    /// block's part of Σᵢ wᵢxᵢⱼ² and XᵀE[ℓ′].
    func addDiagonalBlock(_ rows: Range<Int>, mean m: [Double], reciprocal: [Double], rule: ExpectationRule,
                          sums: PassSums, into acc: inout DiagonalPassSums) -> Bool {
        let n = observationCount, d = dimension, count = rows.count, start = rows.lowerBound
        BLAS.gemv(design, rows: rows, m, into: &acc.means)
        let x = design.elements
        for t in 0..<count { acc.variances[t] = 0 }
        for j in 0..<d {
            let source = j * n + start, r = reciprocal[j]
            for t in 0..<count { let e = x[source + t]; acc.variances[t] += e * e * r }
        }
        for t in 0..<count {
            let i = start + t
            let mu = acc.means[t] + (offset?[i] ?? 0), v = acc.variances[t]
            let c = weights?[i] ?? 1
            let e = observation.expectations(mean: mu, variance: v, response: response[i], rule: rule)
            let value = c * e.value
            if !value.isFinite && acc.firstNonFinite.map({ i < $0.row }) ?? true { acc.firstNonFinite = (i, mu, v) }
            acc.expected += value
            acc.magnitude += Swift.abs(value)
            acc.slopes[t] = c * e.slope
            acc.weights[t] = sums == .gradient ? c * e.varianceSlope : -c * e.curvature
        }
        if sums == .value { return true }
        BLAS.gemv(design, rows: rows, transposed: true, acc.slopes, beta: 1, into: &acc.shift)
        for j in 0..<d {
            let source = j * n + start
            var s = 0.0
            for t in 0..<count { let e = x[source + t]; s += acc.weights[t] * e * e }
            acc.curvature[j] += s
        }
        return true
    }
}
