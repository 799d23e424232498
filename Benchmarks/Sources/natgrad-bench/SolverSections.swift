import BenchSupport
import NatGrad

/// Woodbury versus dense for the empirical Fisher (GᵀG/n + λI)⁻¹g with n ≪ p.
struct WoodburyRow: Codable, Sendable {
    var samples: Int
    var parameters: Int
    var damping: Double
    var denseSeconds: Double
    var woodburySeconds: Double
    var speedup: Double
    var automaticMethod: String
    var maxRelativeDifference: Double
}

/// Matrix-free conjugate gradient on the same empirical Fisher, through v ↦ Gᵀ(Gv)/n (two gemv, no
/// p × p matrix), against the dense Cholesky solve.
struct ConjugateGradientRow: Codable, Sendable {
    var samples: Int
    var parameters: Int
    var damping: Double
    var tolerance: Double
    var iterations: Int
    var relativeResidual: Double
    var denseSeconds: Double
    var conjugateGradientSeconds: Double
    var speedup: Double
    var maxRelativeDifference: Double
}

/// G (n × p) with independent N(0, 1) entries and a N(0, 1) right-hand side, from a fixed seed.
func empiricalProblem(samples n: Int, parameters p: Int, seed: UInt64) -> (Matrix, [Double]) {
    var rng = Xoshiro256(seed: seed)
    let g = Matrix(rows: n, columns: p, columnMajor: (0..<(n * p)).map { _ in standardNormal(using: &rng) })
    let rhs = (0..<p).map { _ in standardNormal(using: &rng) }
    return (g, rhs)
}

func woodburyRow(samples n: Int, parameters p: Int, damping: Double, plan: TimingPlan) throws -> WoodburyRow {
    let (g, rhs) = empiricalProblem(samples: n, parameters: p, seed: 2024)
    var denseWorkspace = EmpiricalFisherWorkspace(samples: n, parameters: p)
    var woodburyWorkspace = EmpiricalFisherWorkspace(samples: n, parameters: p)
    var dense = rhs, woodbury = rhs
    var failure: NaturalGradientError?
    let times = plan.medians([
        {
            dense = rhs
            do throws(NaturalGradientError) { try denseWorkspace.solve(gradients: g, gradient: &dense, damping: damping, method: .dense) } catch { failure = error }
        },
        {
            woodbury = rhs
            do throws(NaturalGradientError) { try woodburyWorkspace.solve(gradients: g, gradient: &woodbury, damping: damping, method: .woodbury) } catch { failure = error }
        },
    ])
    if let failure { throw failure }
    return WoodburyRow(samples: n, parameters: p, damping: damping, denseSeconds: times[0], woodburySeconds: times[1],
                       speedup: times[0] / times[1],
                       automaticMethod: EmpiricalFisherWorkspace.preferredMethod(samples: n, parameters: p, damping: damping).rawValue,
                       maxRelativeDifference: relativeDifference(woodbury, dense))
}

func conjugateGradientRow(samples n: Int, parameters p: Int, damping: Double, tolerance: Double,
                          plan: TimingPlan) throws -> ConjugateGradientRow {
    let (g, rhs) = empiricalProblem(samples: n, parameters: p, seed: 2025)
    var denseWorkspace = EmpiricalFisherWorkspace(samples: n, parameters: p)
    var cg = ConjugateGradientWorkspace(dimension: p)
    var projected = [Double](repeating: 0, count: n)
    var dense = rhs
    var x = [Double](repeating: 0, count: p)
    var report = ConjugateGradientReport(iterations: 0, relativeResidual: 0)
    var failure: NaturalGradientError?
    let scale = 1 / Double(n)
    let times = plan.medians([
        {
            dense = rhs
            do throws(NaturalGradientError) { try denseWorkspace.solve(gradients: g, gradient: &dense, damping: damping, method: .dense) } catch { failure = error }
        },
        {
            for i in x.indices { x[i] = 0 }
            do throws(NaturalGradientError) {
                report = try cg.solve(gradient: rhs, solution: &x, damping: damping, tolerance: tolerance) { v, out in
                    BLAS.gemv(g, v, into: &projected)                                  // Gv
                    BLAS.gemv(g, transposed: true, projected, alpha: scale, into: &out) // Gᵀ(Gv)/n
                }
            } catch { failure = error }
        },
    ])
    if let failure { throw failure }
    return ConjugateGradientRow(samples: n, parameters: p, damping: damping, tolerance: tolerance,
                                iterations: report.iterations, relativeResidual: report.relativeResidual,
                                denseSeconds: times[0], conjugateGradientSeconds: times[1], speedup: times[0] / times[1],
                                maxRelativeDifference: relativeDifference(x, dense))
}
