import Testing
import NaturalGradient
import TestSupport

@Suite("EmpiricalFisherWorkspace (dense and Woodbury)")
struct EmpiricalFisherWorkspaceTests {
    /// Independent reference: F = GᵀG/n built entry by entry in Swift (no BLAS), F + λI, Cholesky solve.
    func reference(_ gm: Matrix, _ rhs: [Double], _ lambda: Double) throws -> [Double] {
        let n = gm.rows, p = gm.columns
        var f = Matrix(rows: p, columns: p)
        for i in 0..<p {
            for j in 0..<p {
                var s = 0.0
                for k in 0..<n { s += gm[k, i] * gm[k, j] }
                f[i, j] = s / Double(n)
            }
        }
        f.addToDiagonal(lambda)
        return try Cholesky(f).solving(rhs)
    }

    @Test("Woodbury equals the dense solve", arguments: [(1, 7), (5, 40), (16, 64), (3, 3)])
    func woodburyMatchesDense(n: Int, p: Int) throws {
        var g = SeededGenerator(seed: UInt64(100 * n + p))
        let gm = randomGaussianMatrix(n, p, using: &g)
        let rhs = randomGaussianVector(p, using: &g)
        let lambda = 0.25
        let expected = try reference(gm, rhs, lambda)
        var workspace = EmpiricalFisherWorkspace(samples: n, parameters: p)
        for method in EmpiricalFisherMethod.allCases {
            var x = rhs
            let report = try workspace.solve(gradients: gm, gradient: &x, damping: lambda, method: method)
            #expect(report.method == method)
            #expect(report.damping.damping == lambda && report.damping.attempts == 1)
            // κ(GᵀG/n + λI) ≤ (‖G‖²/n + λ)/λ ≲ 4(1 + √(p/n))²: at most ~400 here; the Woodbury
            // subtraction g − Gᵀv loses another factor of that order. 1e-10 leaves 10⁴ε·κ² of room.
            #expect(relativeError(x, expected) <= 1e-10, "\(method)")
        }
    }

    @Test("the method is chosen by cost")
    func automaticChoice() throws {
        #expect(EmpiricalFisherWorkspace.preferredMethod(samples: 64, parameters: 4096, damping: 1e-3) == .woodbury)
        #expect(EmpiricalFisherWorkspace.preferredMethod(samples: 100, parameters: 100, damping: 1e-3) == .dense)
        #expect(EmpiricalFisherWorkspace.preferredMethod(samples: 1000, parameters: 10, damping: 1e-3) == .dense)
        // Without damping Woodbury is impossible (it divides by λ).
        #expect(EmpiricalFisherWorkspace.preferredMethod(samples: 4, parameters: 4096, damping: 0) == .dense)
        var g = SeededGenerator(seed: 3)
        let gm = randomGaussianMatrix(4, 50, using: &g)
        var x = randomGaussianVector(50, using: &g)
        var workspace = EmpiricalFisherWorkspace(samples: 4, parameters: 50)
        #expect(try workspace.solve(gradients: gm, gradient: &x, damping: 0.1).method == .woodbury)
    }

    @Test("λ = 0 with n < p is a typed singular-Fisher error; with n ≥ p it is solved densely")
    func zeroDamping() throws {
        var g = SeededGenerator(seed: 9)
        let wide = randomGaussianMatrix(3, 8, using: &g)
        var x = randomGaussianVector(8, using: &g)
        var workspace = EmpiricalFisherWorkspace(samples: 3, parameters: 8)
        #expect(throws: NaturalGradientError.singularEmpiricalFisher(samples: 3, parameters: 8)) {
            try workspace.solve(gradients: wide, gradient: &x, damping: 0)
        }
        let tall = randomGaussianMatrix(40, 6, using: &g)
        let rhs = randomGaussianVector(6, using: &g)
        var y = rhs
        var tallWorkspace = EmpiricalFisherWorkspace(samples: 40, parameters: 6)
        let report = try tallWorkspace.solve(gradients: tall, gradient: &y, damping: 0)
        #expect(report.method == .dense && report.damping.damping == 0)
        // κ(GᵀG/40) for a 40 × 6 Gaussian G is ≲ 10: 1e-12 is ~50κε.
        #expect(relativeError(y, try reference(tall, rhs, 0)) <= 1e-12)
    }

    @Test("Woodbury jitter on a singular n × n system is reported as the λ of GᵀG/n + λI")
    func woodburyJitter() throws {
        // Rows 0 and 1 of G are equal, so GGᵀ (3 × 3) is singular; with λ = 1e-300, nλI + GGᵀ still fails
        // to factor. The jitter schedule on the n × n system starts at ε·mean(GGᵀ)ᵢᵢ and grows ×10;
        // the reported λ must be that kernel damping divided by n.
        let row = [1.0, -2, 0.5, 3, 1, 0, -1, 2]
        let gm = Matrix(rows: [row, row, [0.5, 1, -1, 0, 2, 1, 1, -0.5]])
        var x = [Double](repeating: 1, count: 8)
        var workspace = EmpiricalFisherWorkspace(samples: 3, parameters: 8)
        #expect(throws: NaturalGradientError.self) { try workspace.solve(gradients: gm, gradient: &x, damping: 1e-300) }
        x = [Double](repeating: 1, count: 8)
        let report = try workspace.solve(gradients: gm, gradient: &x, damping: 1e-300, jitter: .standard)
        #expect(report.method == .woodbury)
        #expect(report.damping.attempts >= 2)
        let rowNorm = row.reduce(0) { $0 + $1 * $1 }
        let third = [0.5, 1, -1, 0, 2, 1, 1, -0.5].reduce(0) { $0 + $1 * $1 }
        let start = Double.ulpOfOne * (2 * rowNorm + third) / 3
        let expected = start * pow10(report.damping.attempts - 2) / 3
        // Repeated ×10 versus one power of 10, then /n: relative 1e-14.
        #expect(abs(report.damping.damping - expected) <= 1e-14 * expected)
        #expect(x.allSatisfy { $0.isFinite })
    }

    @Test("the builder forms GᵀG/n")
    func builder() {
        let gm = Matrix(rows: [[1, 2], [3, 4]])
        // GᵀG = [[10, 14], [14, 20]]; /2. Exact in binary floating point.
        #expect(EmpiricalFisherWorkspace.fisher(gradients: gm) == Matrix(rows: [[5, 7], [7, 10]]))
    }

    @Test("a reused workspace matches fresh solves (both methods)")
    func reuse() throws {
        var g = SeededGenerator(seed: 21)
        var workspace = EmpiricalFisherWorkspace(samples: 6, parameters: 30)
        for _ in 0..<4 {
            let gm = randomGaussianMatrix(6, 30, using: &g)
            let rhs = randomGaussianVector(6 * 5, using: &g)
            for method in EmpiricalFisherMethod.allCases {
                var fresh = EmpiricalFisherWorkspace(samples: 6, parameters: 30)
                var a = rhs, b = rhs
                try workspace.solve(gradients: gm, gradient: &a, damping: 0.5, method: method)
                try fresh.solve(gradients: gm, gradient: &b, damping: 0.5, method: method)
                #expect(a == b)
            }
        }
    }
}
