import Foundation
import Testing
import TestSupport
@testable import GeneralizedLinearModels

/// Independent pieces for the penalized tests: the one-hot design [1 | D | C] of the reference data, and the
/// gradient and observed Hessian of D/(2Σs) for the log link with V(μ) = μᵖ (Poisson p = 1, Tweedie, gamma
/// p = 2), written from the unit deviance's derivatives in η = log μ:
///   ∂d/∂η = −2(y − μ)μ¹⁻ᵖ,   ∂²d/∂η² = 2μ¹⁻ᵖ[μ − (1 − p)(y − μ)].
enum PenalizedReference {
    static var design: MixedDesign {
        let n = penalizedCodes.count
        var d = Matrix(rows: n, columns: 4)
        for j in 0..<4 { for i in 0..<n { d[i, j] = penalizedDense[j][i] } }
        return try! MixedDesign(dense: d, denseNames: ["d1", "d2", "d3", "d4"],
                                blocks: [CategoricalBlock(name: "c", levelNames: ["c[T.1]", "c[T.2]", "c[T.3]"], codes: penalizedCodes)])
    }

    /// Rows of [1 | D | one-hot C].
    static var rows: [[Double]] {
        let n = penalizedCodes.count
        return (0..<n).map { i in
            var r = [1.0] + (0..<4).map { penalizedDense[$0][i] } + [0, 0, 0]
            if penalizedCodes[i] >= 0 { r[5 + Int(penalizedCodes[i])] = 1 }
            return r
        }
    }

    /// (gradient, observed Hessian) of D/(2Σs) at β for the log link and power p; `offset` per row.
    static func derivatives(_ beta: [Double], y: [Double], s: [Double], offset: [Double], power p: Double) -> ([Double], Matrix) {
        let x = rows, k = beta.count
        let total = s.reduce(0, +)
        var g = [Double](repeating: 0, count: k)
        var h = Matrix(rows: k, columns: k)
        for i in x.indices {
            var eta = offset[i]
            for j in 0..<k { eta += x[i][j] * beta[j] }
            let mu = exp(eta), a = pow(mu, 1 - p)
            let first = -2 * (y[i] - mu) * a, second = 2 * a * (mu - (1 - p) * (y[i] - mu))
            for j in 0..<k {
                g[j] += s[i] * first * x[i][j] / (2 * total)
                for l in 0..<k { h[j, l] += s[i] * second * x[i][j] * x[i][l] / (2 * total) }
            }
        }
        return (g, h)
    }

    /// Newton's method on the ridge objective D/(2Σs) + ½λ‖β′‖² with the observed Hessian (not Fisher
    /// scoring), to a gradient below 1e-14.
    static func ridgeNewton(y: [Double], s: [Double], offset: [Double], power: Double, lambda: Double) throws -> [Double] {
        var beta = [Double](repeating: 0, count: 8)
        beta[0] = log(zip(y, s).map { $0 * $1 }.reduce(0, +) / s.reduce(0, +))
        for _ in 0..<100 {
            var (g, h) = derivatives(beta, y: y, s: s, offset: offset, power: power)
            for j in 1..<8 { g[j] += lambda * beta[j]; h[j, j] += lambda }
            if g.map(Swift.abs).max()! < 1e-14 { break }
            var step = g
            try Cholesky(h).solve(&step)
            for j in 0..<8 { beta[j] -= step[j] }
        }
        return beta
    }
}

@Suite("Penalized GLMs")
struct PenalizedGLMTests {
    static let n = penalizedCodes.count
    static let ones = [Double](repeating: 1, count: n)
    static let zeros = [Double](repeating: 0, count: n)

    @Test("ridge, Gaussian identity: the closed form (XᵀX/n + λI′)β = Xᵀy/n", arguments: [0.0, 0.01, 0.3, 5.0])
    func ridgeGaussianClosedForm(lambda: Double) throws {
        let y = penalizedGammaResponse
        let fit = try PenalizedGeneralizedLinearModel(family: .gaussian, penalty: GLMPenalty(lambda: lambda))
            .fit(PenalizedGLMData(design: PenalizedReference.design, response: y))
        let x = PenalizedReference.rows
        var a = Matrix(rows: 8, columns: 8)
        var b = [Double](repeating: 0, count: 8)
        for i in x.indices {
            for j in 0..<8 {
                b[j] += x[i][j] * y[i] / Double(Self.n)
                for l in 0..<8 { a[j, l] += x[i][j] * x[i][l] / Double(Self.n) }
            }
        }
        for j in 1..<8 { a[j, j] += lambda }
        try Cholesky(a).solve(&b)
        // One Cholesky solve each of an 8 × 8 system with κ ≲ 1e2: agreement to 1e-12.
        #expect(relativeError(fit.coefficients, b) < 1e-12, "\(fit.coefficients) vs \(b)")
        #expect(fit.nonZeroCount == 7)
    }

    @Test("ridge, log link: a Newton solve of the penalized objective",
          arguments: [("poisson", 1.0), ("tweedie", 1.5), ("gamma", 2.0)])
    func ridgeNewton(name: String, power: Double) throws {
        let family: GLMFamily = power == 1 ? .poisson : power == 2 ? .gamma : .tweedie(power: power)
        let y = power == 1 ? penalizedPoissonResponse : power == 2 ? penalizedGammaResponse : tweedieResponse
        let lambda = 0.05
        let fit = try PenalizedGeneralizedLinearModel(family: family, link: .log, penalty: GLMPenalty(lambda: lambda))
            .fit(PenalizedGLMData(design: PenalizedReference.design, response: y, weights: penalizedWeights),
                 options: PenalizedFitOptions(tolerance: 1e-12))
        let reference = try PenalizedReference.ridgeNewton(y: y, s: penalizedWeights, offset: Self.zeros, power: power, lambda: lambda)
        // Both stop at gradients ≤ 1e-12 of a strongly convex objective (Hessian eigenvalues ≥ λ = 0.05):
        // coefficient differences ≤ 1e-12/0.05 = 2e-11.
        #expect(relativeError(fit.coefficients, reference) < 1e-10, "\(fit.coefficients) vs \(reference)")
    }

    /// KKT per coefficient, from the independent gradient: β_j = 0 ⇒ |g_j| ≤ λr; β_j ≠ 0 ⇒
    /// g_j + λr·sign β_j + λ(1 − r)β_j = 0; the intercept's g_0 = 0.
    func checkOptimality(_ beta: [Double], gradient g: [Double], lambda: Double, l1Ratio r: Double, tolerance: Double) {
        #expect(Swift.abs(g[0]) <= tolerance, "intercept gradient \(g[0])")
        for j in 1..<beta.count {
            if beta[j] == 0 {
                #expect(Swift.abs(g[j]) <= lambda * r + tolerance, "coefficient \(j): |g| = \(Swift.abs(g[j])) > λr")
            } else {
                let residual = g[j] + lambda * r * (beta[j] > 0 ? 1 : -1) + lambda * (1 - r) * beta[j]
                #expect(Swift.abs(residual) <= tolerance, "coefficient \(j): stationarity residual \(residual)")
            }
        }
    }

    @Test("lasso and elastic net: glum's solution, the same zeros, and the KKT conditions per coefficient",
          arguments: glumReferences.map(\.name))
    func glumAgreement(name: String) throws {
        let c = glumReferences.first { $0.name == name }!
        let family: GLMFamily, y: [Double], power: Double
        var weights = Self.ones, offset = Self.zeros, exposure: [Double]? = nil, lambda = c.lambda
        switch name {
        case "poissonLasso": (family, y, power) = (.poisson, penalizedPoissonResponse, 1)
        case "poissonExposureLasso":
            (family, y, power) = (.poisson, penalizedPoissonResponse, 1)
            weights = penalizedWeights
            exposure = penalizedExposure
            offset = penalizedExposure.map { log($0) }
            // glum fitted y/e with weights e·w: the same problem at λ = alpha·Σ(e·w)/Σw (see the script).
            lambda = c.lambda * zip(penalizedExposure, penalizedWeights).map { $0 * $1 }.reduce(0, +) / penalizedWeights.reduce(0, +)
        case "gammaElasticNet": (family, y, power) = (.gamma, penalizedGammaResponse, 2)
        default: (family, y, power) = (.tweedie(power: 1.5), tweedieResponse, 1.5)
        }
        let fit = try PenalizedGeneralizedLinearModel(family: family, link: .log, penalty: GLMPenalty(lambda: lambda, l1Ratio: c.l1Ratio))
            .fit(PenalizedGLMData(design: PenalizedReference.design, response: y, weights: weights, exposure: exposure),
                 options: PenalizedFitOptions(tolerance: 1e-12))
        #expect(fit.converged && fit.optimalityViolation <= 1e-12)
        // glum stops at a gradient ≤ 1e-14 (in its own scaling) but does not polish the last CD sweep: the
        // coefficients agree to ≈ 1e-9; 1e-7 leaves room for its inner tolerance.
        #expect(relativeError(fit.coefficients, c.coefficients) < 1e-7, "\(fit.coefficients) vs \(c.coefficients)")
        #expect(fit.coefficients.map { $0 == 0 } == c.coefficients.map { $0 == 0 }, "zero sets differ")
        let (g, _) = PenalizedReference.derivatives(fit.coefficients, y: y, s: weights, offset: offset, power: power)
        checkOptimality(fit.coefficients, gradient: g, lambda: lambda, l1Ratio: c.l1Ratio, tolerance: 1e-11)
    }

    @Test("λ ≥ λ_max gives all zeros; just below it one coefficient enters", arguments: [1.0, 0.5])
    func maximumLambda(l1Ratio: Double) throws {
        let data = PenalizedGLMData(design: PenalizedReference.design, response: penalizedPoissonResponse)
        let path = try RegularizationPath(family: .poisson, l1Ratio: l1Ratio, count: 5)
        let lambdaMax = try path.maximumLambda(data)
        for factor in [1.0, 1.5, 10] {
            let fit = try PenalizedGeneralizedLinearModel(family: .poisson, penalty: GLMPenalty(lambda: lambdaMax * factor, l1Ratio: l1Ratio)).fit(data)
            #expect(fit.nonZeroCount == 0)
            // The intercept-only model: β₀ = log ȳ.
            let mean = penalizedPoissonResponse.reduce(0, +) / Double(Self.n)
            #expect(Swift.abs(fit.coefficients[0] - log(mean)) < 1e-10)
        }
        let below = try PenalizedGeneralizedLinearModel(family: .poisson, penalty: GLMPenalty(lambda: lambdaMax * 0.99, l1Ratio: l1Ratio)).fit(data)
        #expect(below.nonZeroCount >= 1)
    }

    @Test("a 10-value path: λ decreasing geometrically to λ_max·1e-3, warm-started, each point optimal")
    func path() throws {
        let data = PenalizedGLMData(design: PenalizedReference.design, response: penalizedPoissonResponse)
        let path = try RegularizationPath(family: .poisson, l1Ratio: 1, count: 10)
        let fits = try path.fit(data)
        #expect(fits.count == 10)
        #expect(fits[0].nonZeroCount == 0)
        let ratio = fits[9].penalty.lambda / fits[0].penalty.lambda
        #expect(Swift.abs(ratio - 1e-3) < 1e-15)
        for fit in fits {
            let (g, _) = PenalizedReference.derivatives(fit.coefficients, y: penalizedPoissonResponse, s: Self.ones,
                                                        offset: Self.zeros, power: 1)
            // The default stopping rule: the largest violation ≤ 1e-7 (the independent gradient agrees with the
            // solver's to rounding, far below the margin).
            #expect(fit.optimalityViolation <= 1e-7)
            checkOptimality(fit.coefficients, gradient: g, lambda: fit.penalty.lambda, l1Ratio: 1, tolerance: 1.01e-7)
        }
        #expect(fits[9].nonZeroCount == 7)
        // At λ_max·1e-3 the deviance is near the unpenalized one.
        let unpenalized = try PenalizedGeneralizedLinearModel(family: .poisson, penalty: .none).fit(data)
        #expect(fits[9].deviance >= unpenalized.deviance && fits[9].deviance < unpenalized.deviance * 1.01)
    }

    @Test("λ = 0 reproduces the unpenalized Fisher-scoring fit")
    func unpenalizedMatchesFisherScoring() throws {
        let design = PenalizedReference.design
        let data = PenalizedGLMData(design: design, response: penalizedGammaResponse)
        let fit = try PenalizedGeneralizedLinearModel(family: .gamma, link: .log, penalty: .none)
            .fit(data, options: PenalizedFitOptions(tolerance: 1e-13))
        let reference = try GeneralizedLinearModel(family: .gamma, link: .log)
            .fit(GLMData(features: design.oneHotFeatures, response: penalizedGammaResponse))
        #expect(relativeError(fit.coefficients, reference.estimates) < 1e-9)
        #expect(Swift.abs(fit.deviance - reference.deviance) < 1e-10 * reference.deviance)
    }

    @Test("invalid penalties are rejected")
    func invalidPenalty() {
        let cases: [(Double, Double)] = [(-1, 0), (1, -0.1), (1, 1.5), (.nan, 0.5), (.infinity, 0)]
        for (lambda, ratio) in cases {
            #expect(throws: GLMError.self) { try GLMPenalty(lambda: lambda, l1Ratio: ratio) }
        }
    }
}
