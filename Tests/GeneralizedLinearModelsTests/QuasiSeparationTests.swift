import Testing
import TestSupport
@testable import GeneralizedLinearModels

/// Quasi-complete separation along a continuous column whose separated values span two decades, so
/// the count depends on the certificate's tolerance (1e-3·maxᵢ|sᵢ|, SeparationCheck.swift).
///
/// Reference: the construction. Rows with x > 0 all have y = 1 (x from 0.01 to 2), rows with x = 0
/// have mixed responses. Along d = (0, 1) (the x coefficient) sᵢ = xᵢ has the sign of yᵢ on every
/// row and is 0 exactly on the mixed rows: the data are quasi-separated, the x > 0 rows are the
/// separated ones (the likelihood increases without bound as βₓ → ∞ while the intercept converges to
/// the logit of the mixed rows' mean), and the MLE does not exist.
@Suite("Quasi-complete separation")
struct QuasiSeparationTests {
    /// x: 20 positive values 0.01, 0.02, 0.04, …, up to 2 (all y = 1), then 12 zeros (y mixed, 5 ones).
    static let positives: [Double] = [0.01, 0.012, 0.015, 0.02, 0.03, 0.04, 0.05, 0.07, 0.1, 0.13,
                                      0.17, 0.2, 0.3, 0.4, 0.5, 0.7, 0.9, 1.2, 1.6, 2.0]
    static let x = positives + [Double](repeating: 0, count: 12)
    static let y = [Double](repeating: 1, count: 20) + [1, 0, 0, 1, 0, 1, 0, 0, 1, 0, 0, 1]

    @Test("the error counts every separated row (x from 0.01 to 2) and names the column, in its message")
    func message() {
        let data = GLMData(features: Matrix(rows: Self.x.count, columns: 1, columnMajor: Self.x), featureNames: ["x"],
                           response: Self.y)
        do {
            let fit = try GeneralizedLinearModel(family: .binomial).fit(data)
            Issue.record("expected a separation error, got \(fit.estimates)")
        } catch {
            guard case let .separation(perfect, count, columns) = error else { Issue.record("got \(error)"); return }
            #expect(!perfect)
            // All 20 rows with x > 0, down to x = 0.01 = 0.5% of the largest: a tolerance of 1e-1·max
            // (instead of 1e-3) would drop the rows up to 0.2 and count 8.
            #expect(count == Self.positives.count)
            #expect(columns.first == "x")
            #expect(error.description == "quasi-complete separation: 20 observations are predicted exactly by a linear "
                    + "combination of " + columns.map { "'\($0)'" }.joined(separator: ", ")
                    + "; the maximum-likelihood estimate does not exist (coefficients diverge)",
                    "\(error.description)")
        }
    }

    @Test("zero-weight rows are not counted; the message says which rows are separated")
    func zeroWeightRowsAreIgnored() {
        // A zero weight on the three smallest positive rows: 17 separated rows remain.
        var weights = [Double](repeating: 1, count: Self.x.count)
        for i in 0..<3 { weights[i] = 0 }
        let data = GLMData(features: Matrix(rows: Self.x.count, columns: 1, columnMajor: Self.x), featureNames: ["x"],
                           response: Self.y, weights: weights)
        do {
            _ = try GeneralizedLinearModel(family: .binomial).fit(data)
            Issue.record("expected a separation error")
        } catch {
            guard case let .separation(perfect, count, _) = error else { Issue.record("got \(error)"); return }
            #expect(!perfect)
            #expect(count == 17)
            #expect(error.description.hasPrefix("quasi-complete separation: 17 observations are predicted exactly"), "\(error.description)")
        }
    }
}
