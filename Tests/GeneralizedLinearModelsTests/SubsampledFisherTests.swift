import Foundation
import Testing
import TestSupport
@testable import GeneralizedLinearModels

/// The subsampled Fisher preconditioner (large n) changes the path, not the answer.
@Suite("Subsampled Fisher preconditioner")
struct SubsampledFisherTests {
    /// n = 3000 rows, 3 features: large enough (n ≥ 128·p) for a stride-4 subsample.
    /// The subsample takes every 4th chunk of 512 rows: rows [0, 512) and [2048, 2560) here.
    static func sampled(_ i: Int) -> Bool { (i / 512) % 4 == 0 }

    static func logisticData(rareColumn: Bool = false, shrunkColumn: Bool = false) -> GLMData {
        var g = SeededGenerator(seed: 11)
        let n = 3000
        var columns = (0..<3).map { _ in randomGaussianVector(n, using: &g) }
        if rareColumn {
            // Non-zero only on rows the subsample skips: the subsample sees a zero column.
            columns[2] = (0..<n).map { sampled($0) ? 0 : columns[2][$0] }
        }
        if shrunkColumn {
            // 3× its size on the sampled rows: F̃ overestimates that column's information ≈ 3.7×, so
            // chord steps on F̃ fall short along it and contract at a rate ≈ 0.7 (the deviance still
            // decreases at every step, so no step is rejected).
            columns[2] = (0..<n).map { sampled($0) ? 3 * columns[2][$0] : columns[2][$0] }
        }
        var y = [Double](repeating: 0, count: n)
        for i in 0..<n {
            let eta = 0.3 + 0.8 * columns[0][i] - 0.5 * columns[1][i] + 0.4 * columns[2][i]
            y[i] = Double.random(in: 0..<1, using: &g) < 1 / (1 + exp(-eta)) ? 1 : 0
        }
        return GLMData(features: Matrix(rows: n, columns: 3, columnMajor: columns.flatMap { $0 }), response: y)
    }

    @Test("same coefficients and standard errors with and without the subsample")
    func sameAnswer() throws {
        let model = try GeneralizedLinearModel(family: .binomial)
        let data = Self.logisticData()
        let sub = try model.fit(data, options: FisherScoringOptions(minimumWorkForShortcuts: 0))
        let full = try model.fit(data, options: FisherScoringOptions(subsampleFisher: false))
        #expect(sub.subsampledFisherEvaluations > 0)
        #expect(full.subsampledFisherEvaluations == 0)
        // Both converge to within 1e-10 relative of the same root of Xᵀu = 0, and both standard
        // errors come from the full Fisher matrix at their final coefficients.
        #expect(relativeError(sub.estimates, full.estimates) < 1e-9)
        #expect(relativeError(sub.standardErrors, full.standardErrors) < 1e-9)
        #expect(Swift.abs(sub.deviance - full.deviance) <= 1e-12 * full.deviance)
    }

    @Test("a column the subsample cannot see falls back to the full Fisher matrix")
    func rareColumnFallsBack() throws {
        let model = try GeneralizedLinearModel(family: .binomial)
        let data = Self.logisticData(rareColumn: true)
        let sub = try model.fit(data, options: FisherScoringOptions(minimumWorkForShortcuts: 0))
        let full = try model.fit(data, options: FisherScoringOptions(subsampleFisher: false))
        #expect(relativeError(sub.estimates, full.estimates) < 1e-9)
    }

    @Test("slow chord steps on a poor subsample switch to the full Fisher matrix, same answer")
    func poorSubsampleSwitches() throws {
        let model = try GeneralizedLinearModel(family: .binomial)
        let data = Self.logisticData(shrunkColumn: true)
        let sub = try model.fit(data, options: FisherScoringOptions(minimumWorkForShortcuts: 0))
        let full = try model.fit(data, options: FisherScoringOptions(subsampleFisher: false))
        #expect(sub.converged)
        #expect(sub.subsampledFisherEvaluations > 0)
        #expect(sub.fisherEvaluations >= 2)  // one full matrix while iterating, one at the final β
        // Without the switch the chord steps on F̃ take 37 iterations here; with it 13 (the full matrix
        // is formed 2e-3 from the optimum in relative deviance and then reused while it contracts).
        #expect(sub.iterations < 20)
        #expect(relativeError(sub.estimates, full.estimates) < 1e-9)
        #expect(relativeError(sub.standardErrors, full.standardErrors) < 1e-9)
    }

    @Test("Poisson: chord steps on the subsample reach the full-Fisher answer")
    func poissonSameAnswer() throws {
        var g = SeededGenerator(seed: 5)
        let n = 4000
        let x = randomGaussianMatrix(n, 4, using: &g)
        var y = [Double](repeating: 0, count: n)
        for i in 0..<n {
            let rate = exp(0.5 + 0.3 * x[i, 0] - 0.2 * x[i, 1] + 0.1 * x[i, 3])
            // Inversion sampling of a Poisson count.
            let u = Double.random(in: 0..<1, using: &g)
            var k = 0.0, term = exp(-rate), cumulative = term
            while u > cumulative && k < 200 { k += 1; term *= rate / k; cumulative += term }
            y[i] = k
        }
        let model = try GeneralizedLinearModel(family: .poisson)
        let data = GLMData(features: x, response: y)
        let sub = try model.fit(data, options: FisherScoringOptions(minimumWorkForShortcuts: 0))
        let full = try model.fit(data, options: FisherScoringOptions(subsampleFisher: false))
        #expect(sub.subsampledFisherEvaluations > 0 && sub.fisherEvaluations == 1)
        #expect(relativeError(sub.estimates, full.estimates) < 1e-9)
        #expect(relativeError(sub.standardErrors, full.standardErrors) < 1e-9)
        #expect(Swift.abs(sub.logLikelihood - full.logLikelihood) <= 1e-12 * Swift.abs(full.logLikelihood))
    }

    /// Every family/link pair, with frequency weights and an offset, on the large-problem path (subsample,
    /// chord steps, fused passes) and on the plain one (a full Fisher matrix every step): the same root of
    /// Xᵀu = 0, so the same estimates, standard errors, deviance and log-likelihood.
    @Test("large-problem path equals the plain path for every family and link, with weights and offset",
          arguments: [("binomial", "logit"), ("binomial", "probit"), ("binomial", "cloglog"),
                      ("binomialTrials", "logit"), ("poisson", "log"), ("poisson", "identity"),
                      ("gamma", "log"), ("gamma", "inverse"), ("inverseGaussian", "log"),
                      ("negativeBinomial", "log"), ("gaussian", "identity"), ("gaussian", "log")])
    func everyFamily(familyName: String, linkName: String) throws {
        var g = SeededGenerator(seed: UInt64(familyName.count * 7 + linkName.count))
        let n = 4096
        let x = Matrix(rows: n, columns: 3, columnMajor: (0..<(3 * n)).map { _ in 0.5 * g.nextGaussian() })
        let link: GLMLink = ["logit": .logit, "probit": .probit, "cloglog": .cloglog, "log": .log,
                             "identity": .identity, "inverse": .inverse][linkName]!
        let family: GLMFamily = ["binomial": .binomial, "binomialTrials": .binomial, "poisson": .poisson,
                                 "gamma": .gamma, "inverseGaussian": .inverseGaussian,
                                 "negativeBinomial": .negativeBinomial(alpha: 0.5), "gaussian": .gaussian][familyName]!
        let weights = (0..<n).map { Double(1 + $0 % 3) }
        let offset = (0..<n).map { 0.05 * Double($0 % 5) }
        var trials: [Double]? = nil
        var y = [Double](repeating: 0, count: n)
        for i in 0..<n {
            let eta = offset[i] + 0.2 + 0.3 * x[i, 0] - 0.2 * x[i, 1] + 0.1 * x[i, 2]
            let u = Double.random(in: 0.001..<0.999, using: &g)
            switch (familyName, linkName) {
            case ("binomial", _), ("binomialTrials", _):
                let p = link == .probit ? 0.5 * erfc(-eta / 2.0.squareRoot()) : link == .cloglog ? 1 - exp(-exp(eta - 1)) : 1 / (1 + exp(-eta))
                y[i] = u < p ? 1 : 0
                if familyName == "binomialTrials" { y[i] = (u * 5).rounded(.down) }  // successes of 5 trials
            case ("poisson", "identity"):
                y[i] = (-log(1 - u) * (2 + eta)).rounded(.down)
            case ("poisson", _), ("negativeBinomial", _):
                y[i] = (-log(1 - u) * exp(eta)).rounded(.down)
            case ("gamma", "inverse"):
                y[i] = -log(1 - u) / (1 + 0.2 * eta)
            case ("gamma", _), ("inverseGaussian", _):
                y[i] = -log(1 - u) * exp(eta) + 0.01
            default:
                y[i] = (link == .log ? exp(eta) : eta) + 0.3 * g.nextGaussian()
            }
        }
        if familyName == "binomialTrials" { trials = [Double](repeating: 5, count: n) }
        if linkName == "log" && familyName == "gaussian" { for i in 0..<n { y[i] = Swift.abs(y[i]) + 0.1 } }
        let data = GLMData(features: x, response: y, trials: trials, weights: weights, offset: offset)
        let model = try GeneralizedLinearModel(family: family, link: link)
        let large = try model.fit(data, options: FisherScoringOptions(minimumWorkForShortcuts: 0))
        let plain = try model.fit(data, options: FisherScoringOptions(reuseFisherBelow: 0, subsampleFisher: false))
        #expect(large.subsampledFisherEvaluations > 0 || family == .gaussian && link == .identity)
        // Each fit stops within ≈ 1e-10 of the root (coefficientTolerance), so the two differ by a few 1e-10
        // at most (observed ≤ 5.5e-11); standard errors, the dispersion and the log-likelihood move to first
        // order with β (observed ≤ 5.3e-12 and 5.2e-13), the deviance only to second order plus rounding
        // (observed ≤ 5.1e-15).
        #expect(relativeError(large.estimates, plain.estimates) < 1e-9)
        #expect(relativeError(large.standardErrors, plain.standardErrors) < 1e-9)
        #expect(Swift.abs(large.deviance - plain.deviance) <= 1e-12 * plain.deviance)
        #expect(Swift.abs(large.logLikelihood - plain.logLikelihood) <= 1e-11 * Swift.abs(plain.logLikelihood))
    }

    /// Chord steps and the fused final Fisher matrix also run without a subsample (n < 256·p) and without
    /// an intercept (no implicit column in the Gram block).
    @Test("large-problem path without subsample or intercept equals the plain path",
          arguments: [(600, true), (600, false), (4096, false)])
    func withoutSubsampleOrIntercept(n: Int, intercept: Bool) throws {
        var g = SeededGenerator(seed: UInt64(n) + (intercept ? 1 : 2))
        let x = Matrix(rows: n, columns: 4, columnMajor: (0..<(4 * n)).map { _ in 0.5 * g.nextGaussian() + 0.2 })
        var y = [Double](repeating: 0, count: n)
        for i in 0..<n {
            let eta = (intercept ? 0.3 : 0) + 0.4 * x[i, 0] - 0.3 * x[i, 1] + 0.2 * x[i, 2] - 0.1 * x[i, 3]
            y[i] = Double.random(in: 0..<1, using: &g) < 1 / (1 + exp(-eta)) ? 1 : 0
        }
        let data = GLMData(features: x, response: y, includeIntercept: intercept)
        let model = try GeneralizedLinearModel(family: .binomial)
        let large = try model.fit(data, options: FisherScoringOptions(minimumWorkForShortcuts: 0))
        let plain = try model.fit(data, options: FisherScoringOptions(reuseFisherBelow: 0, subsampleFisher: false))
        #expect((large.subsampledFisherEvaluations > 0) == (n >= 256 * (intercept ? 5 : 4)))
        #expect(relativeError(large.estimates, plain.estimates) < 1e-9)
        #expect(relativeError(large.standardErrors, plain.standardErrors) < 1e-9)
        #expect(Swift.abs(large.deviance - plain.deviance) <= 1e-12 * plain.deviance)
    }
}
