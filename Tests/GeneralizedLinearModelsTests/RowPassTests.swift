import Foundation
import Testing
import TestSupport
@testable import GeneralizedLinearModels

/// Fits run from plans built directly, and the plans' partitions (the executors: RowPassesTests).
@Suite("Row passes and plans")
struct RowPassTests {
    @Test("the partition of a plan depends on n and the design only")
    func planPartition() throws {
        let a = FisherScoringPlan(observationKernel: .scalar, gramKernel: .scaledCopySyrk, fisher: .exact, reuse: .never,
                                  rows: 100_000, featureCount: 50, intercept: true)
        let b = FisherScoringPlan(observationKernel: .scalar, gramKernel: .scaledCopySyrk, fisher: .exact, reuse: .never,
                                  rows: 100_000, featureCount: 50, intercept: true)
        #expect(a.passPartition == b.passPartition && a.fisherPartition == b.fisherPartition)
        #expect(a.passPartition.blockRows == 32_768 / 50)
        #expect(a.fisherPartition.blockRows == 131_072 / 51)
        let sub = FisherScoringPlan(observationKernel: .scalar, gramKernel: .scaledCopySyrk, fisher: .subsampled(stride: 4),
                                    reuse: .never, rows: 100_000, featureCount: 50, intercept: true)
        #expect(sub.fisherPartition.blockRows % FisherScoringSolver.subsampleChunk == 0)
    }

    @Test("the chosen plans: constant Fisher for Gaussian–identity, subsample and reuse for large problems only")
    func chosenPlans() throws {
        var g = SeededGenerator(seed: 5)
        let n = 3000
        let x = randomGaussianMatrix(n, 3, using: &g)
        let y = (0..<n).map { _ in g.nextGaussian() }
        let gaussian = try GeneralizedLinearModel(family: .gaussian)
        let prepared = try gaussian.prepare(GLMData(features: x, response: y))
        let constant = FisherScoringPlan.choose(family: .gaussian, link: .identity, data: prepared,
                                                options: FisherScoringOptions(minimumWorkForShortcuts: 0),
                                                kernelsAvailable: false)
        #expect(constant.fisher == .constant && constant.observationKernel == .scalar
                && constant.gramKernel == .scaledCopySyrk)
        let small = FisherScoringPlan.choose(family: .poisson, link: .log, data: prepared, options: FisherScoringOptions(),
                                             kernelsAvailable: true)
        #expect(small.fisher == .exact && small.reuse == .never && small.observationKernel == .poissonAVX512)
        let large = FisherScoringPlan.choose(family: .poisson, link: .log, data: prepared,
                                             options: FisherScoringOptions(minimumWorkForShortcuts: 0),
                                             kernelsAvailable: true)
        #expect(large.fisher == .subsampled(stride: 4))  // min(4, 3000/(128·4))
        #expect(large.reuse == .chord(below: 5e-2, andersonMemory: 3))
    }

    @Test("every Fisher strategy and reuse policy, built directly, reaches the same maximum-likelihood fit",
          arguments: ["exact-never", "exact-chord", "subsampled-chord"])
    func directPlans(name: String) throws {
        var g = SeededGenerator(seed: 17)
        let n = 4000, k = 5
        let x = randomGaussianMatrix(n, k, using: &g)
        let truth = (0..<k).map { _ in 0.3 * g.nextGaussian() }
        var eta = [Double](repeating: 0.1, count: n)
        BLAS.gemv(x, truth, beta: 1, into: &eta)
        let y = eta.map { bernoulliResponse(eta: $0, using: &g) }
        let model = try GeneralizedLinearModel(family: .binomial)
        let prepared = try model.prepare(GLMData(features: x, response: y))
        let options = FisherScoringOptions()
        let fisher: FisherScoringPlan.FisherStrategy = name.hasPrefix("subsampled") ? .subsampled(stride: 4) : .exact
        let reuse: FisherScoringPlan.FactorReuse = name.hasSuffix("never") ? .never : .chord(below: 5e-2, andersonMemory: 3)
        let plan = FisherScoringPlan(observationKernel: .scalar, gramKernel: .scaledCopySyrk, fisher: fisher, reuse: reuse,
                                     rows: n, featureCount: k, intercept: true)
        var solver = FisherScoringSolver(family: .binomial, link: .logit, data: prepared, options: options, plan: plan)
        let outcome = try solver.run(progress: nil)
        #expect(outcome.converged)
        // The maximum-likelihood estimate solves the score equations Xᵀ(y − μ) = 0 (an identity, independent of
        // the solver's path): check them at the returned coefficients, relative to Σ|xᵢⱼ(yᵢ − μᵢ)|.
        var fitted = [Double](repeating: outcome.coefficients[0], count: n)
        BLAS.gemv(x, Array(outcome.coefficients[1...]), beta: 1, into: &fitted)
        let residual = zip(y, fitted).map { $0 - 1 / (1 + Foundation.exp(-$1)) }
        var interceptScore = 0.0, interceptSize = 0.0
        for r in residual { interceptScore += r; interceptSize += abs(r) }
        #expect(abs(interceptScore) <= 1e-7 * interceptSize)
        for j in 0..<k {
            var s = 0.0, size = 0.0
            for i in 0..<n { s += x[i, j] * residual[i]; size += abs(x[i, j] * residual[i]) }
            #expect(abs(s) <= 1e-7 * size, "score of column \(j)")
        }
    }
}
