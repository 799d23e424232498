import Testing
import TestSupport
@testable import GeneralizedLinearModels

/// Every family and link against statsmodels' tightly converged answers on the same seeded data.
@Suite("Agreement with statsmodels")
struct StatsmodelsAgreementTests {
    static func data(_ c: StatsmodelsCase) -> GLMData {
        let n = referenceX1.count
        return GLMData(features: Matrix(rows: n, columns: 2, columnMajor: referenceX1 + referenceX2),
                       featureNames: ["x1", "x2"], response: c.y, includeIntercept: c.includeIntercept,
                       trials: c.trials, weights: c.weights,
                       offset: c.offset, exposure: c.exposure)
    }

    @Test("coefficients, standard errors and fit statistics", arguments: statsmodelsCases.map(\.name))
    func agrees(name: String) throws {
        let c = statsmodelsCases.first { $0.name == name }!
        let fit = try GeneralizedLinearModel(family: c.family, link: c.link).fit(Self.data(c))
        #expect(fit.converged)
        // Coefficients: both sides solve the same score equation; ours stops at a relative deviance
        // change ≤ 1e-10 (coefficient error far below 1e-9 after quadratic or fast linear convergence),
        // statsmodels at 1e-15. 1e-8 relative to the largest coefficient is the target.
        #expect(relativeError(fit.estimates, c.coefficients) < 1e-8, "\(fit.estimates) vs \(c.coefficients)")
        // Standard errors: ours use the Fisher matrix at the final β, statsmodels' the one at its
        // previous iterate (a step of ≲ 1e-7 relative at its tolerance), so they differ by ~1e-7 at most.
        #expect(relativeError(fit.standardErrors, c.standardErrors) < 1e-6, "\(fit.standardErrors) vs \(c.standardErrors)")
        // Sums of n = 80 terms at the same optimum: the deviance is stationary in β (first-order
        // changes vanish), so 1e-9 relative is generous; the others move linearly with β (1e-7).
        #expect(Swift.abs(fit.deviance - c.deviance) <= 1e-9 * Swift.max(1, Swift.abs(c.deviance)))
        #expect(Swift.abs(fit.nullDeviance - c.nullDeviance) <= 1e-9 * Swift.max(1, Swift.abs(c.nullDeviance)))
        #expect(Swift.abs(fit.pearsonChi2 - c.pearsonChi2) <= 1e-7 * Swift.max(1, Swift.abs(c.pearsonChi2)))
        #expect(Swift.abs(fit.logLikelihood - c.logLikelihood) <= 1e-7 * Swift.max(1, Swift.abs(c.logLikelihood)))
        #expect(Swift.abs(fit.aic - c.aic) <= 1e-7 * Swift.max(1, Swift.abs(c.aic)))
        #expect(Swift.abs(fit.dispersion - c.dispersion) <= 1e-7 * Swift.max(1, c.dispersion))
        // Two-sided p-values 2(1 − Φ(|z|)) = erfc(|z|/√2). z = β/SE carries the SE's ≲ 1e-7 relative
        // difference; p moves by |dp/dz|·Δz = 2φ(z)·|z|·1e-7, which relative to p is ≤ (z² + 1)·1e-7
        // (the normal tail bound p ≥ 2φ(z)|z|/(z² + 1)): at most 1.3e-4 here (|z| ≤ 36 where p is a normal
        // number; one intercept has |z| ≈ 46 and p underflows to 0 on both sides, allowed up to the smallest
        // normal double). A one-sided p (half the value) is off by 0.5.
        #expect(fit.coefficients.count == c.pValues.count)
        for (coefficient, expected) in zip(fit.coefficients, c.pValues) {
            let z = coefficient.statistic
            let budget = Swift.max(1e-6, (z * z + 1) * 1e-7)
            #expect(Swift.abs(coefficient.pValue - expected) <= budget * expected + Double.leastNormalMagnitude,
                    "\(coefficient.name): p = \(coefficient.pValue), statsmodels \(expected)")
        }
    }
}
