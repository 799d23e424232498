import Foundation
import LinearAlgebra
import TestSupport
import Testing
@testable import VariationalInference

/// The posterior predictive by quadrature against Monte Carlo over posterior draws (fixed seed).
///
/// Reference: N = 200 000 draws w ~ q (batch sampling), η = X*w + o, μ = g⁻¹(η): sample moments and
/// interval coverage. Each comparison allows 5 Monte Carlo standard errors (estimated from the same
/// draws), so a correct implementation fails with probability < 1e-6 per check; the seed is fixed, so
/// the test is deterministic.
@Suite("Posterior predictive and batch sampling")
struct PosteriorPredictionTests {
    func fitted(_ name: String) throws -> (BayesianGLM, FullGaussianPosterior, DiagonalGaussianPosterior) {
        let ref = referenceOptima.first { $0.name == name }!
        var x = Matrix(rows: ref.rows, columns: ref.columns)
        for i in 0..<ref.rows { for j in 0..<ref.columns { x[i, j] = ref.design[i * ref.columns + j] } }
        let model = try BayesianGLM(design: x, response: ref.response,
                                    likelihood: ref.model == "logistic" ? .bernoulliLogit : .poissonLog, priorPrecision: 1)
        return (model, try model.fitFullCovariance().posterior, try model.fitDiagonal().posterior)
    }

    func newRows(_ model: BayesianGLM) -> Matrix {
        var x = Matrix(rows: 4, columns: model.dimension)
        for i in 0..<4 { for j in 0..<model.dimension { x[i, j] = model.design[3 * i, j] * (j == 0 ? 1 : 1.5) } }
        return x
    }

    func check(_ model: BayesianGLM, draws w: Matrix, rows x: Matrix, offset: [Double], prediction p: PosteriorPrediction) {
        let n = w.rows
        var eta = Matrix(rows: x.rows, columns: n)
        BLAS.gemm(x, transposed: false, w, transposed: true, into: &eta)
        for i in 0..<x.rows {
            var s1 = 0.0, s2 = 0.0, m1 = 0.0, m2 = 0.0, m4 = 0.0, v1 = 0.0, inside = 0.0
            var samples = [Double](repeating: 0, count: n)
            for r in 0..<n {
                let e = eta[i, r] + offset[i]
                s1 += e; s2 += e * e
                let mu = model.link.mean(e)
                samples[r] = mu
                m1 += mu; m2 += mu * mu
                v1 += model.family.variance(mu)
                if e >= p.linearPredictorLower[i] && e <= p.linearPredictorUpper[i] { inside += 1 }
            }
            let N = Double(n)
            let etaMean = s1 / N, etaVariance = s2 / N - etaMean * etaMean
            let meanMC = m1 / N, varianceMC = m2 / N - meanMC * meanMC
            for r in 0..<n { let c = samples[r] - meanMC; m4 += c * c * c * c }
            let seMean = (varianceMC / N).squareRoot()
            let seVariance = ((m4 / N - varianceMC * varianceMC) / N).squareRoot()
            #expect(abs(etaMean - p.linearPredictor[i]) <= 5 * (p.linearPredictorVariance[i] / N).squareRoot())
            #expect(abs(etaVariance - p.linearPredictorVariance[i]) <= 5 * p.linearPredictorVariance[i] * (2 / N).squareRoot())
            #expect(abs(meanMC - p.mean[i]) <= 5 * seMean)
            #expect(abs(varianceMC - p.meanVariance[i]) <= 5 * seVariance)
            let responseMC = v1 / N + varianceMC
            #expect(abs(responseMC - p.responseVariance[i]) <= 5 * (seVariance + responseMC / N.squareRoot()))
            #expect(abs(inside / N - p.level) <= 5 * (p.level * (1 - p.level) / N).squareRoot())
            // The mean interval is g⁻¹ of the η interval: its coverage of μ(η) is the same.
            #expect(p.meanLower[i] < p.mean[i] && p.mean[i] < p.meanUpper[i])
        }
    }

    @Test("quadrature predictive = Monte Carlo over posterior draws (full and diagonal)",
          arguments: ["logistic-200x6", "poisson-200x4"])
    func againstMonteCarlo(name: String) throws {
        let (model, full, diagonal) = try fitted(name)
        let x = newRows(model)
        let offset = [0.0, 0.2, -0.3, 0.1]
        var g = SeededGenerator(seed: 2027)
        let (mf, vf) = try full.linearPredictor(x, offset: offset)
        let pf = try posteriorPredictive(family: model.family, link: model.link, means: mf, variances: vf, level: 0.9)
        check(model, draws: try full.samples(count: 200_000, using: &g), rows: x, offset: offset, prediction: pf)
        let (md, vd) = diagonal.linearPredictor(x, offset: offset)
        let pd = try posteriorPredictive(family: model.family, link: model.link, means: md, variances: vd, level: 0.9)
        check(model, draws: try diagonal.samples(count: 200_000, using: &g), rows: x, offset: offset, prediction: pd)
    }

    @Test("batch draws have the posterior's mean and covariance; single draws are finite and reproducible")
    func batchSampling() throws {
        let (_, full, _) = try fitted("poisson-200x4")
        var g = SeededGenerator(seed: 7)
        let n = 100_000
        let w = try full.samples(count: n, using: &g)
        let sigma = try full.covariance()
        let d = full.dimension
        for j in 0..<d {
            var mean = 0.0
            for r in 0..<n { mean += w[r, j] }
            mean /= Double(n)
            #expect(abs(mean - full.mean[j]) <= 5 * (sigma[j, j] / Double(n)).squareRoot())
            for k in 0...j {
                var c = 0.0
                for r in 0..<n { c += (w[r, j] - full.mean[j]) * (w[r, k] - full.mean[k]) }
                c /= Double(n)
                let se = ((sigma[j, j] * sigma[k, k] + sigma[j, k] * sigma[j, k]) / Double(n)).squareRoot()
                #expect(abs(c - sigma[j, k]) <= 5 * se)
            }
        }
        var a = SeededGenerator(seed: 1), b = SeededGenerator(seed: 1)
        #expect(try full.sample(using: &a) == full.sample(using: &b))
    }
}
