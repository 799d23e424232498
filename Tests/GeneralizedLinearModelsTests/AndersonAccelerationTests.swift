import Foundation
import Testing
import LinearAlgebra
import TestSupport
@testable import GeneralizedLinearModels

// Anderson acceleration on linear fixed-point maps, where its behaviour is known exactly: with memory
// m ≥ p on a p-dimensional affine map the iterates are GMRES's, so the residual vanishes (to rounding)
// after at most p + 1 evaluations; with a smaller memory it still beats the plain iteration. And whole
// GLM fits with and without it reach the same coefficients.

@Suite("Anderson acceleration")
struct AndersonAccelerationTests {
    /// r(β) = M(β* − β) for M = I − E with ‖E‖ = ρ: the plain iteration β ← β + r contracts at ρ.
    static func residual(_ beta: [Double], _ m: Matrix, _ target: [Double]) -> [Double] {
        var difference = zip(target, beta).map { $0 - $1 }
        var out = [Double](repeating: 0, count: beta.count)
        BLAS.gemv(m, difference, into: &out)
        difference = out
        return difference
    }

    static func problem(p: Int, rho: Double, seed: UInt64) -> (Matrix, [Double]) {
        var g = SeededGenerator(seed: seed)
        // M = I − E, E symmetric with eigenvalues spread in [−ρ, ρ] (a subsample preconditioner's error).
        let q = randomGaussianMatrix(p, p, using: &g)
        var m = Matrix(rows: p, columns: p)
        var e = Matrix(rows: p, columns: p)
        for i in 0..<p { e[i, i] = rho * (2 * Double(i) / Double(max(1, p - 1)) - 1) }
        // Orthogonalize q by Gram–Schmidt for a similarity transform.
        var basis = [[Double]]()
        for j in 0..<p {
            var v = (0..<p).map { q[$0, j] }
            for b in basis { let d = zip(b, v).map(*).reduce(0, +); for i in 0..<p { v[i] -= d * b[i] } }
            let norm = v.map { $0 * $0 }.reduce(0, +).squareRoot()
            basis.append(v.map { $0 / norm })
        }
        for i in 0..<p {
            for j in 0..<p {
                var s = 0.0
                for k in 0..<p { s += basis[k][i] * e[k, k] * basis[k][j] }
                m[i, j] = (i == j ? 1 : 0) - s
            }
        }
        let target = (0..<p).map { _ in g.nextGaussian() }
        return (m, target)
    }

    static func iterate(p: Int, memory: Int, rho: Double, steps: Int) -> [Double] {
        let (m, target) = problem(p: p, rho: rho, seed: 3)
        var anderson = AndersonAcceleration(dimension: p, memory: memory)
        var beta = [Double](repeating: 0, count: p)
        var errors = [Double]()
        for _ in 0..<steps {
            var step = residual(beta, m, target)
            errors.append(zip(beta, target).map { abs($0 - $1) }.max()!)
            _ = anderson.accelerate(beta: beta, step: &step)
            for i in 0..<p { beta[i] += step[i] }
        }
        return errors
    }

    @Test("memory ≥ p on a p-dimensional affine map: exact (to rounding) after p + 1 evaluations")
    func finiteTermination() {
        let errors = Self.iterate(p: 3, memory: 3, rho: 0.5, steps: 6)
        #expect(errors[0] > 0.1)
        #expect(errors[4] <= 1e-12 * errors[0], "errors \(errors)")
    }

    // With the spectrum of E spread evenly over [−ρ, ρ] the plain iteration gains log₁₀(1/ρ) = 1 digit per
    // evaluation, GMRES at best log₁₀((√κ + 1)/(√κ − 1)) ≈ 1.3 (κ = 1.1/0.9); memory 3 gets most of it.
    @Test("memory 3 at ρ = 0.1 in 40 dimensions: ≥ 1.1× the digits per evaluation of the plain iteration")
    func fasterThanPlain() {
        let plain = Self.iterate(p: 40, memory: 0, rho: 0.1, steps: 8)
        let accelerated = Self.iterate(p: 40, memory: 3, rho: 0.1, steps: 8)
        let plainDigits = log10(plain[0] / plain[7]), acceleratedDigits = log10(accelerated[0] / accelerated[7])
        #expect(plainDigits > 5 && plainDigits < 8)  // ≈ 7 evaluations at ρ ≤ 0.1
        #expect(acceleratedDigits >= 1.1 * plainDigits, "plain \(plain), accelerated \(accelerated)")
    }

    @Test("repeated or dependent differences are left out: finite steps, never NaN")
    func degenerateHistory() {
        var anderson = AndersonAcceleration(dimension: 2, memory: 3)
        let beta = [1.0, 2.0]
        for _ in 0..<4 {
            var step = [0.5, -0.25]
            _ = anderson.accelerate(beta: beta, step: &step)  // the same point each time: ΔR = 0
            #expect(step == [0.5, -0.25])
        }
        anderson.reset()
        var step = [0.0, 0.0]
        #expect(!anderson.accelerate(beta: [0, 0], step: &step))
    }

    @Test("fits with and without acceleration agree; acceleration saves passes", arguments: [GLMFamily.binomial, .poisson])
    func fitsAgree(family: GLMFamily) throws {
        var g = SeededGenerator(seed: 8)
        let n = 60_000, k = 20
        let x = randomGaussianMatrix(n, k, using: &g)
        let truth = (0..<k).map { _ in 0.25 * g.nextGaussian() }
        var eta = [Double](repeating: 0.1, count: n)
        BLAS.gemv(x, truth, beta: 1, into: &eta)
        let y: [Double] = eta.map { e in
            if case .binomial = family { return bernoulliResponse(eta: e, using: &g) }
            return poissonResponse(eta: e, using: &g)
        }
        let data = try GLMData(features: x, response: y)
        let model = try GeneralizedLinearModel(family: family)
        let accelerated = try model.fit(data)
        let plain = try model.fit(data, options: FisherScoringOptions(andersonMemory: 0))
        #expect(accelerated.iterations < plain.iterations)
        let scale = plain.coefficients.map { abs($0.estimate) }.max()!
        for (a, b) in zip(accelerated.coefficients, plain.coefficients) {
            #expect(abs(a.estimate - b.estimate) <= 1e-10 * scale)
            #expect(abs(a.standardError - b.standardError) <= 1e-9 * b.standardError)
        }
        #expect(abs(accelerated.deviance - plain.deviance) <= 1e-12 * plain.deviance)
    }
}
