import Testing
import TestSupport
@testable import GeneralizedLinearModels

/// The ordinary fits that used to be refused (issue 12): exact Gaussian fits, features with a large
/// mean, and the probit on nearly separated data. References: closed forms, exact rational least squares
/// and statsmodels (InferenceReferences.swift, made by Support/make_inference_references.py).
@Suite("Formerly failing fits")
struct FormerlyFailingFitsTests {
    static func oneFeature(_ x: [Double], _ y: [Double]) -> GLMData {
        GLMData(features: Matrix(rows: x.count, columns: 1, columnMajor: x), featureNames: ["x"], response: y)
    }

    @Test("an exact Gaussian fit y = 2 + 3x is a valid fit with zero standard errors and log-likelihood +∞")
    func exactLine() throws {
        let x: [Double] = [0.5, 1.5, -0.2, 0.9, 2.1, -1.0, 1.7, -0.6, 0.3, 2.4]
        let fit = try GeneralizedLinearModel(family: .gaussian).fit(Self.oneFeature(x, x.map { 2 + 3 * $0 }))
        #expect(fit.converged && fit.isExactFit)
        // The normal equations of an exact fit are solved to rounding: a few ulps of the coefficients.
        #expect(Swift.abs(fit.estimates[0] - 2) <= 1e-14 && Swift.abs(fit.estimates[1] - 3) <= 1e-14, "\(fit.estimates)")
        #expect(fit.standardErrors == [0, 0])
        #expect(fit.dispersion == 0)
        #expect(fit.logLikelihood == .infinity && fit.aic == -.infinity)
        #expect(fit.coefficients.allSatisfy { $0.pValue == 0 })
    }

    @Test("a constant Gaussian response is fitted exactly: intercept the constant, slopes 0")
    func constantResponse() throws {
        let x: [Double] = [0, 1, 2, 3, 4.5]
        let fit = try GeneralizedLinearModel(family: .gaussian).fit(Self.oneFeature(x, [Double](repeating: 3.25, count: 5)))
        #expect(fit.isExactFit)
        #expect(Swift.abs(fit.estimates[0] - 3.25) <= 1e-14 && Swift.abs(fit.estimates[1]) <= 1e-14, "\(fit.estimates)")
        #expect(fit.standardErrors == [0, 0])
        #expect(fit.logLikelihood == .infinity)
        let gamma = try GeneralizedLinearModel(family: .gamma, link: .log).fit(Self.oneFeature(x, [Double](repeating: 2, count: 5)))
        #expect(gamma.isExactFit && gamma.logLikelihood == .infinity)
        #expect(Swift.abs(gamma.estimates[0] - Double.log(2)) <= 1e-12 && Swift.abs(gamma.estimates[1]) <= 1e-12)
    }

    @Test("features with a large mean: Unix timestamps and YYYYMMDD dates fit as exact least squares does",
          arguments: ["timestamps", "dates"])
    func largeMean(_ name: String) throws {
        let (x, y, b, se) = name == "timestamps"
            ? (timestampX, timestampY, timestampCoefficients, timestampStandardErrors)
            : (dateX, dateY, dateCoefficients, dateStandardErrors)
        let fit = try GeneralizedLinearModel(family: .gaussian).fit(Self.oneFeature(x, y))
        #expect(fit.converged)
        // [1, t] has condition ≈ 5e14 (timestamps), so XᵀX ≈ 2.5e29: iterative refinement of the normal
        // equations recovers β to ≈ 1e-10 (the score's rounding, ε·t̄/sd(t) relative); the covariance
        // comes from the centred columns, as accurate as the dispersion (1e-9).
        #expect(relativeError(fit.estimates, b) < 1e-9, "\(fit.estimates) vs \(b)")
        #expect(relativeError(fit.standardErrors, se) < 1e-8, "\(fit.standardErrors) vs \(se)")
    }

    @Test("a Poisson rate in Unix timestamps matches statsmodels")
    func timestampPoisson() throws {
        let fit = try GeneralizedLinearModel(family: .poisson).fit(Self.oneFeature(timestampX, timestampCounts))
        #expect(fit.converged)
        // Both fits are limited by the conditioning of [1, t] (≈ 5e14): 1e-6 relative.
        #expect(relativeError(fit.estimates, timestampPoissonCoefficients) < 1e-6, "\(fit.estimates)")
        #expect(relativeError(fit.standardErrors, timestampPoissonStandardErrors) < 1e-4, "\(fit.standardErrors)")
    }

    @Test("centred rank check: a feature affine in another, or constant with a large mean, is still rank deficient")
    func centredCollinearity() throws {
        let t = timestampX
        let data = GLMData(features: Matrix(rows: t.count, columns: 2, columnMajor: t + t.map { 2 * $0 + 5 }),
                           featureNames: ["t", "u"], response: timestampY)
        #expect(throws: GLMError.collinearColumns(column: "u", involved: ["intercept", "t"])) {
            try GeneralizedLinearModel(family: .gaussian).fit(data)
        }
        let sum = GLMData(features: Matrix(rows: t.count, columns: 3, columnMajor: t + dateX + zip(t, dateX).map { $0 + $1 }),
                          featureNames: ["t", "d", "s"], response: timestampY)
        #expect(throws: GLMError.collinearColumns(column: "s", involved: ["t", "d"])) {
            try GeneralizedLinearModel(family: .gaussian).fit(sum)
        }
        let constant = [Double](repeating: 1.7e9, count: t.count)
        let flat = GLMData(features: Matrix(rows: t.count, columns: 2, columnMajor: t + constant), featureNames: ["t", "c"],
                           response: timestampY)
        #expect(throws: GLMError.collinearColumns(column: "c", involved: ["intercept"])) {
            try GeneralizedLinearModel(family: .gaussian).fit(flat)
        }
    }

    @Test("probit on nearly separated data converges to statsmodels' finite MLE")
    func probitNearSeparation() throws {
        let fit = try GeneralizedLinearModel(family: .binomial, link: .probit).fit(Self.oneFeature(probitX, probitY))
        #expect(fit.converged)
        #expect(relativeError(fit.estimates, probitCoefficients) < 1e-8, "\(fit.estimates) vs \(probitCoefficients)")
        #expect(relativeError(fit.standardErrors, probitStandardErrors) < 1e-6, "\(fit.standardErrors)")
        #expect(Swift.abs(fit.deviance - probitDeviance) <= 1e-10 * probitDeviance)
    }
}
