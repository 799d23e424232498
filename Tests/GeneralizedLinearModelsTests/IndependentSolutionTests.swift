import Foundation
import Testing
import TestSupport
@testable import GeneralizedLinearModels

/// Answers computed in the test by other means: closed-form least squares, and the score equation
/// Xᵀu(β̂) = 0 evaluated with plain loops and the textbook formulas.
@Suite("Independent solutions")
struct IndependentSolutionTests {
    static func design(_ n: Int) -> Matrix {
        Matrix(rows: n, columns: 2, columnMajor: Array(referenceX1.prefix(n)) + Array(referenceX2.prefix(n)))
    }

    /// β = (XᵀX)⁻¹Xᵀy by Gauss–Jordan elimination on the 3 × 3 normal equations, written out here.
    static func leastSquares(_ x1: [Double], _ x2: [Double], _ y: [Double]) -> [Double] {
        var a = [[Double]](repeating: [Double](repeating: 0, count: 4), count: 3)
        for i in y.indices {
            let row = [1, x1[i], x2[i]]
            for r in 0..<3 {
                for c in 0..<3 { a[r][c] += row[r] * row[c] }
                a[r][3] += row[r] * y[i]
            }
        }
        for k in 0..<3 {
            let pivot = a[k][k]
            for c in 0..<4 { a[k][c] /= pivot }
            for r in 0..<3 where r != k {
                let f = a[r][k]
                for c in 0..<4 { a[r][c] -= f * a[k][c] }
            }
        }
        return a.map { $0[3] }
    }

    @Test("Gaussian with identity link equals closed-form least squares")
    func gaussianIdentity() throws {
        let c = statsmodelsCases.first { $0.name == "gaussianIdentity" }!
        let fit = try GeneralizedLinearModel(family: .gaussian).fit(StatsmodelsAgreementTests.data(c))
        let exact = Self.leastSquares(referenceX1, referenceX2, c.y)
        // Normal equations of a well-conditioned 80 × 3 design (κ(XᵀX) ≈ 10): both solves lose ≲ 1e-14.
        #expect(relativeError(fit.estimates, exact) < 1e-12)
        // σ̂² = RSS/(n − p) and Var β̂ = σ̂²(XᵀX)⁻¹: the dispersion is the residual variance.
        var rss = 0.0
        for i in c.y.indices {
            let r = c.y[i] - exact[0] - exact[1] * referenceX1[i] - exact[2] * referenceX2[i]
            rss += r * r
        }
        #expect(Swift.abs(fit.dispersion - rss / Double(c.y.count - 3)) < 1e-12 * fit.dispersion)
        #expect(fit.fisherEvaluations == 1)  // the Fisher matrix of a Gaussian–identity model never changes
    }

    /// u = (y − μ)(dμ/dη)/V(μ) with the textbook formulas, evaluated independently of the solver.
    static func scoreNorm(_ family: GLMFamily, _ link: GLMLink, beta: [Double], y: [Double]) -> Double {
        var score = [0.0, 0.0, 0.0]
        for i in y.indices {
            let row = [1, referenceX1[i], referenceX2[i]]
            let eta = beta[0] + beta[1] * row[1] + beta[2] * row[2]
            let mu: Double, dmu: Double
            switch link {
            case .identity: (mu, dmu) = (eta, 1)
            case .log: (mu, dmu) = (exp(eta), exp(eta))
            case .logit: mu = 1 / (1 + exp(-eta)); dmu = mu * (1 - mu)
            case .probit: mu = 0.5 * erfc(-eta / 2.0.squareRoot()); dmu = exp(-eta * eta / 2) / (2 * Double.pi).squareRoot()
            case .cloglog: mu = 1 - exp(-exp(eta)); dmu = exp(eta) * exp(-exp(eta))
            case .inverse: (mu, dmu) = (1 / eta, -1 / (eta * eta))
            case .inverseSquared: (mu, dmu) = (1 / eta.squareRoot(), -0.5 * pow(eta, -1.5))
            }
            let v: Double
            switch family {
            case .gaussian: v = 1
            case .binomial: v = mu * (1 - mu)
            case .poisson: v = mu
            case .gamma: v = mu * mu
            case .inverseGaussian: v = mu * mu * mu
            case let .negativeBinomial(alpha): v = mu + alpha * mu * mu
            case let .tweedie(power): v = pow(mu, power)
            }
            let u = (y[i] - mu) * dmu / v
            for j in 0..<3 { score[j] += row[j] * u }
        }
        return score.map { Swift.abs($0) }.max()!
    }

    @Test("the score Xᵀu vanishes at the fitted coefficients", arguments: statsmodelsCases.filter {
        $0.weights == nil && $0.offset == nil && $0.exposure == nil && $0.trials == nil
    }.map(\.name))
    func scoreVanishes(name: String) throws {
        let c = statsmodelsCases.first { $0.name == name }!
        let fit = try GeneralizedLinearModel(family: c.family, link: c.link).fit(StatsmodelsAgreementTests.data(c))
        // At the optimum each score component is a sum of 80 terms of size |x·u| ≲ 10 that cancel;
        // rounding leaves ≲ 1e-12, an unconverged β would leave far more (the score is F·(β̂ − β)).
        // Scale: the score's size one step away from the optimum, measured at β = 0.9 β̂.
        let near = Self.scoreNorm(c.family, c.link, beta: fit.estimates.map { $0 * 0.99 }, y: c.y)
        let atFit = Self.scoreNorm(c.family, c.link, beta: fit.estimates, y: c.y)
        #expect(atFit < 1e-7 * near, "score \(atFit) at β̂, \(near) at 0.99 β̂")
    }
}
