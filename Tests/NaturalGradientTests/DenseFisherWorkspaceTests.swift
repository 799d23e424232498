import Testing
import NaturalGradient
import TestSupport

@Suite("DenseFisherWorkspace (Cholesky path)")
struct DenseFisherWorkspaceTests {
    @Test("solve has a small backward error", arguments: [1, 2, 3, 17, 64])
    func backwardErrorIsSmall(n: Int) throws {
        var g = SeededGenerator(seed: 11 + UInt64(n))
        let f = randomSPD(n, using: &g)
        let rhs = randomGaussianVector(n, using: &g)
        var workspace = DenseFisherWorkspace(dimension: n)
        let solution = try workspace.solving(fisher: f, gradient: rhs)
        // Cholesky is backward stable: ‖Fx − g‖ ≤ c·n·ε·(‖F‖‖x‖ + ‖g‖); c = 4 covers dpotrf + dpotrs.
        #expect(backwardError(f, solution.direction, rhs) <= 4 * Double(n) * Double.ulpOfOne)
        #expect(solution.report.damping == 0 && solution.report.attempts == 1)
    }

    @Test("damping λ solves (F + λI)x = g and is reported")
    func dampingIsApplied() throws {
        var g = SeededGenerator(seed: 5)
        let f = randomSPD(9, using: &g)
        let rhs = randomGaussianVector(9, using: &g)
        let lambda = 0.37
        let solution = try NaturalGradient.solve(fisher: f, gradient: rhs, damping: lambda)
        var damped = f
        damped.addToDiagonal(lambda)
        // Same backward-error bound as above, against the explicitly damped matrix.
        #expect(backwardError(damped, solution.direction, rhs) <= 4 * 9 * Double.ulpOfOne)
        #expect(solution.report.damping == lambda && solution.report.attempts == 1)
    }

    @Test("a singular PSD Fisher fails without jitter and reports the jitter used with it")
    func jitterIsReported() throws {
        // F = vvᵀ (rank one, 3 × 3): PSD but singular, so dpotrf fails at minor 2.
        let v = [1.0, 2, 3]
        let f = Matrix(rows: v.map { a in v.map { a * $0 } })
        #expect(throws: NaturalGradientError.self) { try NaturalGradient.solve(fisher: f, gradient: [1, 1, 1]) }
        do throws(NaturalGradientError) {
            _ = try NaturalGradient.solve(fisher: f, gradient: [1, 1, 1])
        } catch {
            guard case .linearAlgebra(.notPositiveDefinite(_, let lambda, let attempts)) = error else {
                Issue.record("unexpected \(error)"); return
            }
            #expect(lambda == 0 && attempts == 1)
        }
        let solution = try NaturalGradient.solve(fisher: f, gradient: [1, 1, 1], jitter: .standard)
        // The schedule starts at ε·mean|Fᵢᵢ| = ε·14/3 and grows ×10: the λ used is one of those values.
        let start = Double.ulpOfOne * 14 / 3
        let k = solution.report.attempts - 2
        #expect(solution.report.attempts >= 2)
        // Repeated ×10 versus one power of 10 may differ in the last bits: relative 1e-14.
        #expect(abs(solution.report.damping - start * pow10(k)) <= 1e-14 * solution.report.damping)
        var damped = f
        damped.addToDiagonal(solution.report.damping)
        // The direction solves the *reported* damped system: the normwise backward error of a
        // Cholesky solve is ≤ c·n·ε whatever κ (here ~10¹⁴), with c = 4 as above.
        #expect(backwardError(damped, solution.direction, [1, 1, 1]) <= 4 * 3 * Double.ulpOfOne)
    }

    @Test("bad inputs are typed errors")
    func badInputs() {
        let f = Matrix.identity(2)
        #expect(throws: NaturalGradientError.invalidDamping(-1)) { try NaturalGradient.solve(fisher: f, gradient: [1, 1], damping: -1) }
        #expect(throws: NaturalGradientError.nonFiniteGradient(index: 1)) { try NaturalGradient.solve(fisher: f, gradient: [1, .nan]) }
        var bad = f
        bad[1, 0] = .infinity
        #expect(throws: NaturalGradientError.linearAlgebra(.nonFiniteMatrixEntry(row: 1, column: 0))) {
            try NaturalGradient.solve(fisher: bad, gradient: [1, 1])
        }
        let indefinite = Matrix(rows: [[1, 2], [2, 1]])
        #expect(throws: NaturalGradientError.linearAlgebra(.notPositiveDefinite(minor: 2, damping: 0, attempts: 1))) {
            try NaturalGradient.solve(fisher: indefinite, gradient: [1, 1])
        }
    }

    @Test("dimension 0 is a valid empty solve")
    func empty() throws {
        let solution = try NaturalGradient.solve(fisher: Matrix(rows: 0, columns: 0), gradient: [])
        #expect(solution.direction.isEmpty)
    }

    @Test("a reused workspace gives the same answers as fresh ones, after a failure too")
    func workspaceReuse() throws {
        var g = SeededGenerator(seed: 77)
        var workspace = DenseFisherWorkspace(dimension: 12)
        for round in 0..<5 {
            let f = randomSPD(12, using: &g)
            var x = randomGaussianVector(12, using: &g)
            let fresh = try NaturalGradient.solve(fisher: f, gradient: x).direction
            try workspace.solve(fisher: f, gradient: &x)
            // Same factorization and solve on the same data: bitwise equal.
            #expect(x == fresh, "round \(round)")
            if round == 2 {
                #expect(throws: NaturalGradientError.self) {
                    var y = x
                    try workspace.solve(fisher: -1 * f, gradient: &y)
                }
            }
        }
    }
}

func pow10(_ k: Int) -> Double { (0..<max(k, 0)).reduce(1.0) { r, _ in r * 10 } }
