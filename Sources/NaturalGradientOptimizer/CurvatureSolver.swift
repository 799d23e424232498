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
        }
    }
}
