import Foundation
import Testing
import TestSupport
@testable import GeneralizedLinearModels

/// The Tweedie family (p = 1.5, log link) against statsmodels' `Tweedie(var_power=1.5)` on seeded data
/// (Support/make_penalized_references.py).
@Suite("Tweedie family")
struct TweedieTests {
    static var features: Matrix {
        let n = penalizedCodes.count
        var x = Matrix(rows: n, columns: 7)
        for j in 0..<4 { for i in 0..<n { x[i, j] = penalizedDense[j][i] } }
        for i in 0..<n where penalizedCodes[i] >= 0 { x[i, 4 + Int(penalizedCodes[i])] = 1 }
        return x
    }

    @Test("coefficients, deviance, Pearson χ² and dispersion agree with statsmodels")
    func agreesWithStatsmodels() throws {
        let model = try GeneralizedLinearModel(family: .tweedie(power: 1.5))
        #expect(model.link == .log)
        let fit = try model.fit(GLMData(features: Self.features, response: tweedieResponse))
        // Both solve the same score equation tightly (statsmodels at tol 1e-15): the 1e-8.
        #expect(relativeError(fit.estimates, tweedieReference.coefficients) < 1e-8, "\(fit.estimates)")
        // Standard errors: φ(XᵀWX)⁻¹ at (nearly) the same β and φ.
        #expect(relativeError(fit.standardErrors, tweedieReference.standardErrors) < 1e-6)
        #expect(Swift.abs(fit.deviance - tweedieReference.deviance) <= 1e-9 * tweedieReference.deviance)
        #expect(Swift.abs(fit.pearsonChi2 - tweedieReference.pearsonChi2) <= 1e-7 * tweedieReference.pearsonChi2)
        #expect(Swift.abs(fit.dispersion - tweedieReference.dispersion) <= 1e-7 * tweedieReference.dispersion)
        // No closed-form density: the log-likelihood and AIC are NaN (null in JSON).
        #expect(fit.logLikelihood.isNaN && fit.aic.isNaN)
    }

    @Test("exposure and frequency weights agree with statsmodels")
    func exposureAndWeights() throws {
        let fit = try GeneralizedLinearModel(family: .tweedie(power: 1.5)).fit(
            GLMData(features: Self.features, response: tweedieExposureResponse, weights: penalizedWeights,
                    exposure: penalizedExposure))
        #expect(relativeError(fit.estimates, tweedieExposureReference.coefficients) < 1e-8, "\(fit.estimates)")
        #expect(Swift.abs(fit.deviance - tweedieExposureReference.deviance) <= 1e-9 * tweedieExposureReference.deviance)
        #expect(Swift.abs(fit.dispersion - tweedieExposureReference.dispersion) <= 1e-7 * tweedieExposureReference.dispersion)
    }

    @Test("the unit deviance is the closed form, 2μ²⁻ᵖ/(2 − p) at y = 0, and 0 at y = μ")
    func unitDeviance() {
        let family = GLMFamily.tweedie(power: 1.5)
        // p = 1.5: d = 2[y^½/(−½·½) − y·μ^(−½)/(−½) + μ^½/½] = 2[−4√y + 2y/√μ + 2√μ].
        for (y, mu) in [(0.0, 2.0), (1.0, 3.0), (4.0, 0.5), (2.5, 2.5)] {
            let expected = 2 * (-4 * y.squareRoot() + 2 * y / mu.squareRoot() + 2 * mu.squareRoot())
            #expect(Swift.abs(family.unitDeviance(y, mu) - expected) <= 1e-14 * Swift.max(1, expected))
        }
        #expect(Swift.abs(family.unitDeviance(2.5, 2.5)) < 1e-14)
        #expect(family.variance(4) == 8)
    }

    @Test("powers outside (1, 2) are rejected", arguments: [1.0, 2.0, 0.5, 3.0, Double.nan])
    func invalidPower(power: Double) {
        #expect(throws: GLMError.self) { try GeneralizedLinearModel(family: .tweedie(power: power)) }
    }

    @Test("a negative response is outside the support; zeros are inside")
    func support() throws {
        var y = tweedieResponse
        y[3] = -1
        #expect(throws: GLMError.self) {
            try GeneralizedLinearModel(family: .tweedie(power: 1.5)).fit(GLMData(features: Self.features, response: y))
        }
        #expect(tweedieResponse.contains(0))
    }
}
