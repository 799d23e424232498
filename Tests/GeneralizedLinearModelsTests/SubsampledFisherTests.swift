import Foundation
import Testing
import TestSupport
@testable import GeneralizedLinearModels

/// The subsampled Fisher preconditioner (large n) changes the path, not the answer.
@Suite("Subsampled Fisher preconditioner")
struct SubsampledFisherTests {
    /// n = 3000 rows, 3 features: large enough (n ≥ 128·p) for a stride-4 subsample.
    static func logisticData(rareColumn: Bool = false) -> GLMData {
        var g = SeededGenerator(seed: 11)
        let n = 3000
        var columns = (0..<3).map { _ in randomGaussianVector(n, using: &g) }
        if rareColumn {
            // Non-zero only on rows the stride-4 subsample skips: the subsample sees a zero column.
            columns[2] = (0..<n).map { $0 % 4 == 1 ? columns[2][$0] : 0 }
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
}
