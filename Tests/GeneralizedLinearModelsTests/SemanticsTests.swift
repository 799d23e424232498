import Foundation
import Testing
import TestSupport
@testable import GeneralizedLinearModels

/// Weights, exposure, offset and intercept mean what the documentation says.
@Suite("Weights, offset, exposure, intercept")
struct SemanticsTests {
    static let n = 40
    static var x1: [Double] { Array(referenceX1.prefix(n)) }
    static var x2: [Double] { Array(referenceX2.prefix(n)) }
    static var counts: [Double] { Array(statsmodelsCases.first { $0.name == "poissonLog" }!.y.prefix(n)) }
    static var binary: [Double] { Array(statsmodelsCases.first { $0.name == "binomialLogit" }!.y.prefix(n)) }
    static var positive: [Double] { Array(statsmodelsCases.first { $0.name == "gammaLog" }!.y.prefix(n)) }

    static func features(_ a: [Double], _ b: [Double]) -> Matrix {
        Matrix(rows: a.count, columns: 2, columnMajor: a + b)
    }

    /// Same coefficients, standard errors, deviance, log-likelihood and dispersion to 1e-10 relative:
    /// the two fits solve identical equations and differ only in summation order.
    static func expectSameFit(_ a: GLMFit, _ b: GLMFit) {
        #expect(relativeError(a.estimates, b.estimates) < 1e-10)
        #expect(relativeError(a.standardErrors, b.standardErrors) < 1e-9)
        #expect(Swift.abs(a.deviance - b.deviance) <= 1e-10 * Swift.max(1, b.deviance))
        #expect(Swift.abs(a.nullDeviance - b.nullDeviance) <= 1e-10 * Swift.max(1, b.nullDeviance))
        #expect(Swift.abs(a.logLikelihood - b.logLikelihood) <= 1e-10 * Swift.max(1, Swift.abs(b.logLikelihood)))
        #expect(Swift.abs(a.dispersion - b.dispersion) <= 1e-10 * b.dispersion)
        #expect(Swift.abs(a.aic - b.aic) <= 1e-10 * Swift.max(1, Swift.abs(b.aic)))
    }

    @Test("integer weights equal replicated rows", arguments: [GLMFamily.poisson, .binomial, .gamma, .gaussian])
    func weightsReplicate(family: GLMFamily) throws {
        let y: [Double]
        switch family {
        case .poisson: y = Self.counts
        case .binomial: y = Self.binary
        default: y = Self.positive
        }
        let w = (0..<Self.n).map { Double($0 % 3) }  // 0, 1, 2: dropped, once, twice
        var rx1 = [Double](), rx2 = [Double](), ry = [Double]()
        for i in 0..<Self.n { for _ in 0..<Int(w[i]) { rx1.append(Self.x1[i]); rx2.append(Self.x2[i]); ry.append(y[i]) } }
        let model = try GeneralizedLinearModel(family: family)
        let weighted = try model.fit(GLMData(features: Self.features(Self.x1, Self.x2), response: y, weights: w))
        let replicated = try model.fit(GLMData(features: Self.features(rx1, rx2), response: ry))
        Self.expectSameFit(weighted, replicated)
        #expect(weighted.weightedObservationCount == Double(ry.count))
    }

    @Test("exposure is a log offset")
    func exposureIsLogOffset() throws {
        let exposure = (0..<Self.n).map { 0.5 + Double($0 % 5) }
        let model = try GeneralizedLinearModel(family: .poisson)
        let a = try model.fit(GLMData(features: Self.features(Self.x1, Self.x2), response: Self.counts, exposure: exposure))
        let b = try model.fit(GLMData(features: Self.features(Self.x1, Self.x2), response: Self.counts,
                                      offset: exposure.map { log($0) }))
        Self.expectSameFit(a, b)
    }

    @Test("an offset equal to a multiple of a feature shifts that coefficient")
    func offsetShiftsCoefficient() throws {
        // η = β₀ + β₁x₁ + β₂x₂ + 0.7x₁: the fit with the offset has β₁ smaller by exactly 0.7.
        let model = try GeneralizedLinearModel(family: .poisson)
        let plain = try model.fit(GLMData(features: Self.features(Self.x1, Self.x2), response: Self.counts))
        let shifted = try model.fit(GLMData(features: Self.features(Self.x1, Self.x2), response: Self.counts,
                                            offset: Self.x1.map { 0.7 * $0 }))
        #expect(Swift.abs(shifted.estimates[1] - (plain.estimates[1] - 0.7)) < 1e-9)
        #expect(Swift.abs(shifted.estimates[0] - plain.estimates[0]) < 1e-9)
        #expect(Swift.abs(shifted.deviance - plain.deviance) < 1e-9 * plain.deviance)
    }

    @Test("without an intercept the coefficients are the features'; a ones column restores the intercept model")
    func noIntercept() throws {
        let model = try GeneralizedLinearModel(family: .poisson)
        let with = try model.fit(GLMData(features: Self.features(Self.x1, Self.x2), response: Self.counts))
        let ones = [Double](repeating: 1, count: Self.n)
        let without = try model.fit(GLMData(features: Matrix(rows: Self.n, columns: 3, columnMajor: ones + Self.x1 + Self.x2),
                                            featureNames: ["one", "x1", "x2"], response: Self.counts, includeIntercept: false))
        #expect(without.coefficients.map(\.name) == ["one", "x1", "x2"])
        #expect(with.coefficients.map(\.name) == ["intercept", "x1", "x2"])
        Self.expectSameFit(without, with)
    }

    @Test("binomial trials equal expanded 0/1 rows")
    func trialsExpand() throws {
        let trials = (0..<Self.n).map { Double(1 + $0 % 4) }
        let successes = (0..<Self.n).map { Double($0 % Int(trials[$0] + 1)) }
        var rx1 = [Double](), rx2 = [Double](), ry = [Double]()
        for i in 0..<Self.n {
            for t in 0..<Int(trials[i]) { rx1.append(Self.x1[i]); rx2.append(Self.x2[i]); ry.append(Double(t) < successes[i] ? 1 : 0) }
        }
        let model = try GeneralizedLinearModel(family: .binomial)
        let grouped = try model.fit(GLMData(features: Self.features(Self.x1, Self.x2), response: successes, trials: trials))
        let expanded = try model.fit(GLMData(features: Self.features(rx1, rx2), response: ry))
        // Same likelihood up to the constant Σ log C(m, k), so same coefficients, errors and deviance
        // differences; the deviance itself differs (saturated models differ), so compare β and SE only.
        #expect(relativeError(grouped.estimates, expanded.estimates) < 1e-10)
        #expect(relativeError(grouped.standardErrors, expanded.standardErrors) < 1e-9)
    }

    @Test("pure Fisher scoring and Fisher reuse reach the same answer")
    func reuseDoesNotChangeAnswer() throws {
        for c in statsmodelsCases {
            let model = try GeneralizedLinearModel(family: c.family, link: c.link)
            let data = StatsmodelsAgreementTests.data(c)
            let reuse = try model.fit(data, options: FisherScoringOptions(subsampleFisher: false, minimumWorkForShortcuts: 0))
            let pure = try model.fit(data, options: FisherScoringOptions(reuseFisherBelow: 0))
            // Both stop within a relative deviance change of 1e-10 of the same optimum.
            #expect(relativeError(reuse.estimates, pure.estimates) < 1e-8, "\(c.name)")
            #expect(relativeError(reuse.standardErrors, pure.standardErrors) < 1e-8, "\(c.name)")
        }
    }
}
