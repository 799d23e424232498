import LinearAlgebra
import NaturalGradient

/// Solves (C + λI)x = g for each curvature form and evaluates the model's curvature term xᵀCx, with
/// storage kept across calls (no allocation once shapes are stable).
struct CurvatureSolver {
    let parameters: Int
    private var factor: Cholesky?
    private var formedFisher: Matrix?
    /// Woodbury workspaces by sample count (at most four kept: mini-batches usually come in one or two sizes).
    private var empirical: [Int: EmpiricalFisherWorkspace] = [:]
    private var conjugateGradient: ConjugateGradientWorkspace
    private var sampleProduct: [Double] = []
    /// Per-block factors of A + π√λI and G + (√λ/π)I, and r × c / c × r work matrices.
    private var kroneckerFactors: [(a: Cholesky, g: Cholesky)] = []
    private var blockBuffers: [(w: Matrix, t: Matrix, ga: Matrix, wa: Matrix)] = []
    private var product: [Double]

    init(parameters: Int) {
        self.parameters = parameters
        conjugateGradient = ConjugateGradientWorkspace(dimension: parameters)
        product = [Double](repeating: 0, count: parameters)
    }

    /// Overwrites `x` (holding g on entry) with (C + λI)⁻¹g.
    mutating func solve<Objective: OptimizationObjective>(
        _ curvature: Curvature, _ x: inout [Double], damping: Double, cgTolerance: Double,
        objective: inout Objective
    ) throws(NaturalGradientError) -> ConditioningReport {
        switch curvature {
        case let .fisher(c):
            let rcond = try solveDense(c, &x, damping: damping)
            return ConditioningReport(damping: damping, reciprocalCondition: rcond, factorizationFailures: 0,
                                      conjugateGradientIterations: 0)
        case let .sampleGradients(g):
            let method = EmpiricalFisherWorkspace.preferredMethod(samples: g.rows, parameters: parameters, damping: damping)
            if damping == 0 && g.rows < parameters {
                throw .singularEmpiricalFisher(samples: g.rows, parameters: parameters)
            }
            switch method {
            case .dense:
                if formedFisher == nil { formedFisher = Matrix(rows: parameters, columns: parameters) }
                BLAS.gram(g, alpha: g.rows == 0 ? 0 : 1 / Double(g.rows), into: &formedFisher!)
                let rcond = try solveDense(formedFisher!, &x, damping: damping)
                return ConditioningReport(damping: damping, reciprocalCondition: rcond, factorizationFailures: 0,
                                          conjugateGradientIterations: 0)
            case .woodbury:
                if empirical[g.rows] == nil {
                    if empirical.count >= 4 { empirical.removeAll() }
                    empirical[g.rows] = EmpiricalFisherWorkspace(samples: g.rows, parameters: parameters)
                }
                let report = try empirical[g.rows]!.solve(gradients: g, gradient: &x, damping: damping, method: .woodbury)
                return ConditioningReport(damping: report.damping.damping, reciprocalCondition: nil,
                                          factorizationFailures: report.damping.attempts - 1,
                                          conjugateGradientIterations: 0)
            }
        case let .kroneckerFactors(blocks):
            return try solveKronecker(blocks, &x, damping: damping)
        case .fisherVectorProduct:
            let rhs = x
            for i in x.indices { x[i] = 0 }
            let report = try conjugateGradient.solve(gradient: rhs, solution: &x, damping: damping, tolerance: cgTolerance) { v, out in
                objective.fisherVectorProduct(v, into: &out)
            }
            return ConditioningReport(damping: damping, reciprocalCondition: nil, factorizationFailures: 0,
                                      conjugateGradientIterations: report.iterations)
        }
    }

    private mutating func solveDense(_ c: Matrix, _ x: inout [Double], damping: Double) throws(NaturalGradientError) -> Double? {
        do {
            if factor == nil {
                factor = try Cholesky(c, damping: damping, conditionEstimate: true)
            } else {
                try factor!.refactor(c, damping: damping, conditionEstimate: true)
            }
            try factor!.solve(&x)
        } catch {
            throw .linearAlgebra(error)
        }
        return factor!.reciprocalConditionNumber
    }

    /// Each block: W ← (G + (√λ/π)I)⁻¹ W (A + π√λI)⁻¹ on the r × c reshaping of its slice of x. The
    /// reported 1/κ is the smallest over all factors.
    private mutating func solveKronecker(_ blocks: [KroneckerBlock], _ x: inout [Double], damping: Double) throws(NaturalGradientError) -> ConditioningReport {
        if blockBuffers.count != blocks.count || zip(blockBuffers, blocks).contains(where: { $0.w.rows != $1.outputFactor.rows || $0.w.columns != $1.inputFactor.rows }) {
            blockBuffers = blocks.map { b in
                let r = b.outputFactor.rows, c = b.inputFactor.rows
                return (Matrix(rows: r, columns: c), Matrix(rows: c, columns: r), Matrix(rows: r, columns: c), Matrix(rows: r, columns: c))
            }
            kroneckerFactors = []
        }
        var rcond = 1.0
        let s = damping.squareRoot()
        for (k, b) in blocks.enumerated() {
            let pi = b.pi
            do {
                if kroneckerFactors.count <= k {
                    kroneckerFactors.append((try Cholesky(b.inputFactor, damping: pi * s, conditionEstimate: true),
                                             try Cholesky(b.outputFactor, damping: s / pi, conditionEstimate: true)))
                } else {
                    try kroneckerFactors[k].a.refactor(b.inputFactor, damping: pi * s, conditionEstimate: true)
                    try kroneckerFactors[k].g.refactor(b.outputFactor, damping: s / pi, conditionEstimate: true)
                }
                rcond = Swift.min(rcond, kroneckerFactors[k].a.reciprocalConditionNumber ?? 1,
                                  kroneckerFactors[k].g.reciprocalConditionNumber ?? 1)
                let r = b.outputFactor.rows, c = b.inputFactor.rows
                copySlice(x, from: b.offset, into: &blockBuffers[k].w.elements)
                try kroneckerFactors[k].g.solve(&blockBuffers[k].w)
                transposeInto(blockBuffers[k].w.elements, rows: r, columns: c, &blockBuffers[k].t.elements)
                try kroneckerFactors[k].a.solve(&blockBuffers[k].t)
                transposeInto(blockBuffers[k].t.elements, rows: c, columns: r, &blockBuffers[k].w.elements)
                writeSlice(blockBuffers[k].w.elements, at: b.offset, into: &x)
            } catch {
                throw .linearAlgebra(error)
            }
        }
        return ConditioningReport(damping: damping, reciprocalCondition: rcond, factorizationFailures: 0,
                                  conjugateGradientIterations: 0)
    }

    /// δᵀCδ for the curvature of the last solve.
    mutating func curvatureTerm<Objective: OptimizationObjective>(
        _ curvature: Curvature, _ delta: [Double], objective: inout Objective
    ) -> Double {
        switch curvature {
        case let .fisher(c):
            BLAS.symv(c, delta, into: &product)
            return BLAS.dot(delta, product)
        case let .sampleGradients(g):
            if sampleProduct.count != g.rows { sampleProduct = [Double](repeating: 0, count: g.rows) }
            BLAS.gemv(g, delta, into: &sampleProduct)
            return g.rows == 0 ? 0 : BLAS.dot(sampleProduct, sampleProduct) / Double(g.rows)
        case .fisherVectorProduct:
            objective.fisherVectorProduct(delta, into: &product)
            return BLAS.dot(delta, product)
        case let .kroneckerFactors(blocks):
            // vec(V)ᵀ(A ⊗ G)vec(V) = ⟨GV, VA⟩ per block.
            var total = 0.0
            for (k, b) in blocks.enumerated() {
                copySlice(delta, from: b.offset, into: &blockBuffers[k].w.elements)
                BLAS.gemm(b.outputFactor, blockBuffers[k].w, into: &blockBuffers[k].ga)
                BLAS.gemm(blockBuffers[k].w, b.inputFactor, into: &blockBuffers[k].wa)
                total += BLAS.dot(blockBuffers[k].ga.elements, blockBuffers[k].wa.elements)
            }
            return total
        }
    }
}

/// y = x[offset ..< offset + y.count].
private func copySlice(_ x: [Double], from offset: Int, into y: inout [Double]) {
    for k in 0..<y.count { y[k] = x[offset + k] }
}

/// x[offset ..< offset + y.count] = y.
private func writeSlice(_ y: [Double], at offset: Int, into x: inout [Double]) {
    for k in 0..<y.count { x[offset + k] = y[k] }
}

/// y = xᵀ for an r × c column-major x.
private func transposeInto(_ x: [Double], rows r: Int, columns c: Int, _ y: inout [Double]) {
    for j in 0..<c { for i in 0..<r { y[j + i * c] = x[i + j * r] } }
}
