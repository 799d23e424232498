import Testing
import NaturalGradient
import TestSupport

/// The automatic dense/Woodbury choice on both sides of the documented crossover.
///
/// Reference: the documented flop counts (EmpiricalFisherWorkspace), dense n·p² + p³/3 and Woodbury
/// 2n²p + n³/3, compared exactly in integers (×3: 3np² + p³ against 6n²p + n³) by a one-off Python
/// loop over n; the crossover ratio n/p ≈ 0.67 (the root of 2x² + x³/3 = x + 1/3) is the doc's
/// "about 0.7·p". The last n with Woodbury cheaper:
///
///     p:    8   30   100   250
///     n*:   5   20    67   168
///
/// so n* picks Woodbury and n* + 1 dense. A Woodbury cost of n²p (half the documented one) would move
/// the crossover to n = p and pick the slower path for n*+1 … p − 1 (68–99 at p = 100).
@Suite("EmpiricalFisherWorkspace: the dense/Woodbury crossover")
struct EmpiricalFisherCrossoverTests {
    static let crossovers: [(p: Int, lastWoodbury: Int)] = [(8, 5), (30, 20), (100, 67), (250, 168)]

    @Test("n* is Woodbury and n* + 1 is dense; far from the crossover the choice is clear",
          arguments: crossovers.map { [$0.p, $0.lastWoodbury] })
    func choice(_ pair: [Int]) {
        let p = pair[0], last = pair[1]
        #expect(EmpiricalFisherWorkspace.preferredMethod(samples: last, parameters: p, damping: 0.1) == .woodbury)
        #expect(EmpiricalFisherWorkspace.preferredMethod(samples: last + 1, parameters: p, damping: 0.1) == .dense)
        #expect(EmpiricalFisherWorkspace.preferredMethod(samples: 1, parameters: p, damping: 0.1) == .woodbury)
        #expect(EmpiricalFisherWorkspace.preferredMethod(samples: p, parameters: p, damping: 0.1) == .dense)
        #expect(EmpiricalFisherWorkspace.preferredMethod(samples: (last + p) / 2, parameters: p, damping: 0.1) == .dense)
    }

    @Test("solving at n* and n* + 1 (p = 100): the automatic method is the cheaper one and solves the system")
    func solvesOnBothSides() throws {
        let p = 100, lambda = 0.05
        for (n, method) in [(67, EmpiricalFisherMethod.woodbury), (68, .dense)] {
            var g = SeededGenerator(seed: UInt64(n))
            let gm = randomGaussianMatrix(n, p, using: &g)
            let rhs = randomGaussianVector(p, using: &g)
            var workspace = EmpiricalFisherWorkspace(samples: n, parameters: p)
            var x = rhs
            let report = try workspace.solve(gradients: gm, gradient: &x, damping: lambda)
            #expect(report.method == method, "n = \(n)")
            // The same answer as the other method, forced: both solve (GᵀG/n + λI)x = g, whose condition
            // number is ≤ (‖G‖²/n + λ)/λ ≈ (1 + √(p/n))²/λ ≈ 100 here; 1e-10 relative leaves ample room.
            var other = rhs
            let otherMethod: EmpiricalFisherMethod = method == .dense ? .woodbury : .dense
            var fresh = EmpiricalFisherWorkspace(samples: n, parameters: p)
            _ = try fresh.solve(gradients: gm, gradient: &other, damping: lambda, method: otherMethod)
            #expect(relativeError(x, other) <= 1e-10, "n = \(n)")
            // Residual of the system itself, formed as GᵀG x/n + λx with plain loops.
            var gx = [Double](repeating: 0, count: n)
            for i in 0..<n { for j in 0..<p { gx[i] += gm[i, j] * x[j] } }
            var residual = [Double](repeating: 0, count: p)
            for j in 0..<p {
                var s = 0.0
                for i in 0..<n { s += gm[i, j] * gx[i] }
                residual[j] = s / Double(n) + lambda * x[j] - rhs[j]
            }
            #expect(relativeError(residual, [Double](repeating: 0, count: p), floor: BLAS.norm(rhs)) <= 1e-11, "n = \(n)")
        }
    }
}
