import Foundation
import LinearAlgebra
import TestSupport
import Testing
@testable import VariationalInference

/// The claims example (examples/claims.csv, n = 240): columns claims, years, age (18–79), vehicle_age, urban.
struct ClaimsData {
    let columns: [String: [Double]]

    init() throws {
        let here = URL(fileURLWithPath: #filePath)
        let path = here.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("examples/claims.csv")
        columns = parseNamedColumns(try String(contentsOf: path, encoding: .utf8))
    }

    /// An intercept column followed by the named features, unscaled.
    func model(_ likelihood: GLMLikelihood, response: String, features: [String]) throws -> BayesianGLM {
        let y = columns[response]!
        let rows = y.indices.map { i in [1.0] + features.map { columns[$0]![i] } }
        return try BayesianGLM(design: Matrix(rows: rows), response: y, likelihood: likelihood, priorPrecision: 1)
    }
}

/// The default start αI + XᵀD₀X (see `BayesianGLM.curvatureInformedStart()`), checked against
/// independent computations, and fits on unscaled real data that the prior start made impossible.
@Suite("Curvature-informed start")
struct StartTests {
    @Test("linear model: the start's precision is the exact posterior precision αI + βXᵀX (reference)")
    func linearStartIsPosteriorPrecision() throws {
        let ref = try ReferenceRegression()
        let start = try ref.model.curvatureInformedStart()
        // The reference design has no all-ones column, so m₀ = 0.
        #expect(start.mean == [Double](repeating: 0, count: 5))
        // Same budget as the other reference comparisons (a Gram sum of 200 terms, rounding ≈ 1e-14).
        #expect(start.precision.isApproximatelyEqual(to: ref.matrix(ref.json["posterior_precision"]), relativeTolerance: 1e-11))
        let diagonal = try ref.model.curvatureInformedDiagonalStart()
        #expect(maxRelative(diagonal.precisions, ref.matrix(ref.json["posterior_precision"]).diagonalElements) <= 1e-11)
    }

    @Test("intercept at the link of ȳ and S₀ = αI + D₀XᵀX, against a direct sum",
          arguments: [GLMLikelihood.poissonLog, .bernoulliLogit, .gaussian(noisePrecision: 2)])
    func startFormula(likelihood: GLMLikelihood) throws {
        let claims = try ClaimsData()
        let response = likelihood == .bernoulliLogit ? "urban" : "claims"
        let model = try claims.model(likelihood, response: response, features: ["age", "years"])
        let y = claims.columns[response]!
        let average = y.reduce(0, +) / Double(y.count)
        let (c, curvature): (Double, Double)
        switch likelihood {
        case .poissonLog: (c, curvature) = (log(average), average)
        case .bernoulliLogit: (c, curvature) = (log(average / (1 - average)), average * (1 - average))
        case let .gaussian(beta): (c, curvature) = (average, beta)
        }
        let start = try model.curvatureInformedStart()
        // m₀ and D₀ are one log/division each: a few ulps.
        #expect(abs(start.mean[0] - c) <= 4 * Double.ulpOfOne * abs(c))
        #expect(start.mean[1...].allSatisfy { $0 == 0 })
        // S₀ by a naive triple loop (entries up to D₀·Σ age² ≈ 6e5; summation error ≈ nε): 1e-12.
        let x = model.design
        var expected = Matrix(rows: 3, columns: 3)
        for j in 0..<3 {
            for k in 0..<3 {
                var s = 0.0
                for i in 0..<x.rows { s += curvature * x[i, j] * x[i, k] }
                expected[j, k] = s + (j == k ? 1 : 0)
            }
        }
        #expect(start.precision.isApproximatelyEqual(to: expected, relativeTolerance: 1e-12))
        let diagonal = try model.curvatureInformedDiagonalStart()
        #expect(diagonal.mean == start.mean)
        #expect(maxRelative(diagonal.precisions, expected.diagonalElements) <= 1e-12)
    }

    @Test("from the prior the Poisson ELBO overflows, and the error names the observation")
    func priorStartOverflowIsExplained() throws {
        let model = try ClaimsData().model(.poissonLog, response: "claims", features: ["age", "urban"])
        let prior = try FullGaussianPosterior.prior(dimension: 3, precision: 1)
        // Row 0 is (1, 76, 1): under the prior a₀ ~ N(0, 1 + 76² + 1 = 5778) exactly, E[eᵃ] = e^2889.
        #expect(throws: VariationalInferenceError.nonFiniteExpectedLogLikelihood(observation: 0, predictorMean: 0, predictorVariance: 5778)) {
            _ = try model.fitFullCovariance(initial: prior)
        }
        let diagonalPrior = try DiagonalGaussianPosterior.prior(dimension: 3, precision: 1)
        #expect(throws: VariationalInferenceError.nonFiniteExpectedLogLikelihood(observation: 0, predictorMean: 0, predictorVariance: 5778)) {
            _ = try model.fitDiagonal(initial: diagonalPrior)
        }
    }

    static let cases: [(GLMLikelihood, String, [String])] = [
        (.poissonLog, "claims", ["age", "urban"]),
        (.bernoulliLogit, "urban", ["age"]),
    ]

    @Test("claims data, full covariance: converges from the default start to a certified optimum", arguments: 0..<2)
    func claimsFullCovariance(index: Int) throws {
        let (likelihood, response, features) = Self.cases[index]
        let model = try ClaimsData().model(likelihood, response: response, features: features)
        let start = try model.curvatureInformedStart()
        let fit = try model.fitFullCovariance(options: ConvergenceTests.tight)
        #expect(fit.converged)
        #expect(fit.iterations < 50)
        // Certified as in ConvergenceTests: ρ = 1 fixed point after polishing, and ∇θELBO (whose
        // formula ConvergenceTests checks against central differences) ≤ 1e-7 of its size at the start.
        var q = fit.posterior
        for _ in 0..<10 { q = try model.learningRuleStep(from: q, stepSize: 1) }
        let polished = try model.learningRuleStep(from: q, stepSize: 1)
        #expect(maxRelative(polished.naturalParameters, q.naturalParameters) <= 1e-12)
        #expect(maxRelative(q.mean, fit.posterior.mean) <= 1e-6)
        let startNorm = BLAS.norm(try model.naturalCoordinateGradient(start))
        #expect(BLAS.norm(try model.naturalCoordinateGradient(q)) <= 1e-7 * startNorm)
        // The age coefficient is resolved (posterior sd far below the prior's 1).
        #expect(try q.covariance()[1, 1].squareRoot() < 0.1)
    }

    @Test("claims data, diagonal: converges from the default start to the mean-field optimum", arguments: 0..<2)
    func claimsDiagonal(index: Int) throws {
        let (likelihood, response, features) = Self.cases[index]
        let model = try ClaimsData().model(likelihood, response: response, features: features)
        let start = try model.curvatureInformedDiagonalStart()
        let fit = try model.fitDiagonal(options: VariationalOptions(relativeTolerance: 1e-15, maximumIterations: 5000))
        #expect(fit.converged)
        // Mean-field updates converge linearly (like Jacobi); on these unscaled, correlated columns
        // (intercept and age) slowly, and the ELBO is flat to second order, so ELBO-based step control
        // cannot resolve the optimum beyond ≈ √(rounding of the ELBO): a stop at a relative ELBO change
        // of 1e-15 leaves the gradient at ≈ 3e-6 of its size at the (already good) start. Polish with
        // plain steps of the mean-field map, which contract to rounding without looking at the ELBO.
        // The mean-field map is a damped Jacobi iteration on the (locally quadratic) ELBO: it converges
        // for ρ < 2/λmax(D⁻¹H) and λmax(D⁻¹H) ≤ tr(D^(−½)HD^(−½)) = d = 3, so ρ = ½ is safe (ρ = 1
        // oscillates on the Poisson case). Its fixed points are those of the ρ = 1 map.
        var q = fit.posterior
        var polishSteps = 0
        while polishSteps < 5000 {
            let next = try model.learningRuleStep(from: q, stepSize: 0.5)
            polishSteps += 1
            let change = max(maxRelative(next.mean, q.mean, floor: 1e-3), maxRelative(next.precisions, q.precisions))
            q = next
            if change <= 1e-14 { break }
        }
        #expect(polishSteps < 5000)  // measured 462 (Poisson) and 490 (logistic)
        // The polished ELBO differs from the fit's by ≈ the fit's distance to the optimum (measured 6e-12).
        #expect(abs(try model.elbo(q) - fit.elbo) <= 1e-12 * abs(fit.elbo))
        // Fixed point of the mean-field map and vanishing central differences in (mⱼ, log sⱼ), relative
        // to the same derivatives at the start, as in ConvergenceTests.diagonalOptimum.
        let again = try model.learningRuleStep(from: q, stepSize: 1)
        #expect(maxRelative(again.mean, q.mean, floor: 1e-3) <= 1e-9)
        #expect(maxRelative(again.precisions, q.precisions) <= 1e-9)
        // Steps in mⱼ scaled by the posterior sd (the age coefficient's sd is ≈ 2e-3), the same scales at
        // both points; h = 1e-5 keeps the rounding error ε|ELBO|/h ≈ 5e-9 far below the bound.
        let scales = q.precisions.map { 1 / $0.squareRoot() }
        func gradient(_ q: DiagonalGaussianPosterior) throws -> [Double] {
            let logS = q.precisions.map { log($0) }
            func elbo(_ m: [Double], _ l: [Double]) throws -> Double {
                try model.elbo(DiagonalGaussianPosterior(mean: m, precisions: l.map { exp($0) }))
            }
            var g: [Double] = []
            let h = 1e-5
            for j in 0..<q.dimension {
                var mp = q.mean, mm = q.mean
                mp[j] += h * scales[j]; mm[j] -= h * scales[j]
                g.append((try elbo(mp, logS) - elbo(mm, logS)) / (2 * h))
            }
            for j in 0..<q.dimension {
                var sp = logS, sm = logS
                sp[j] += h; sm[j] -= h
                g.append((try elbo(q.mean, sp) - elbo(q.mean, sm)) / (2 * h))
            }
            return g
        }
        // Measured 2e-8 (Poisson) and 4e-8 (logistic): the finite differences' own error.
        #expect(BLAS.norm(try gradient(q)) <= 1e-6 * BLAS.norm(try gradient(start)))
        let full = try model.fitFullCovariance(options: ConvergenceTests.tight)
        #expect(fit.elbo <= full.elbo + 1e-12 * abs(full.elbo))
    }
}
