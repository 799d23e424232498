import Foundation
import Testing
import TestSupport
import RowPasses
@testable import GeneralizedLinearModels

/// Fits on 1, 2 and 7 threads give the same bits: the row partition and the order in which group sums
/// are merged depend on n and the plan only, never on the thread count (`RowExecutor`). Checked on every
/// output of a fit (coefficients, deviance, null deviance, standard errors, Pearson χ², log-likelihood)
/// with `==`, for the kernel paths (logistic, Poisson) and the scalar ones (Gaussian, Gamma); under
/// `NATGRAD_KERNELS=off` (scripts/test.sh) the same tests run every model on the scalar path.
@Suite("Threaded fits")
struct ThreadedFitTests {
    /// Seeded data of the model: n × k features N(0, 1), slopes 0.3/√k, intercept 0.2.
    static func data(_ model: String, n: Int, k: Int, seed: UInt64, offset: Bool = false) -> (GLMData, GLMFamily) {
        var g = SeededGenerator(seed: seed)
        let x = randomGaussianMatrix(n, k, using: &g)
        let slopes = (0..<k).map { _ in 0.3 * g.nextGaussian() / Double(k).squareRoot() }
        let offsets = offset ? (0..<n).map { _ in 0.1 * g.nextGaussian() } : nil
        var eta = offsets.map { $0.map { $0 + 0.2 } } ?? [Double](repeating: 0.2, count: n)
        BLAS.gemv(x, slopes, beta: 1, into: &eta)
        let y: [Double], family: GLMFamily
        switch model {
        case "logistic":
            y = eta.map { bernoulliResponse(eta: $0, using: &g) }; family = .binomial
        case "poisson":
            y = eta.map { poissonResponse(eta: $0, using: &g) }; family = .poisson
        case "gamma":
            // Gamma with shape 4 and mean e^η: a sum of 4 exponentials.
            y = eta.map { e in (0..<4).reduce(0.0) { s, _ in s - Foundation.log(Double.random(in: 1e-300..<1, using: &g)) } * Foundation.exp(e) / 4 }
            family = .gamma
        default:
            y = eta.map { $0 + g.nextGaussian() }; family = .gaussian
        }
        return (GLMData(features: x, response: y, offset: offsets), family)
    }

    static func expectIdentical(_ a: GLMFit, _ b: GLMFit, _ label: String) {
        #expect(a.estimates == b.estimates, "\(label): coefficients")
        #expect(a.standardErrors == b.standardErrors, "\(label): standard errors")
        #expect(a.deviance == b.deviance && a.nullDeviance == b.nullDeviance, "\(label): deviances")
        #expect(a.pearsonChi2 == b.pearsonChi2 && a.logLikelihood == b.logLikelihood, "\(label): statistics")
        #expect(a.iterations == b.iterations && a.fittedMeans == b.fittedMeans, "\(label): path, means")
    }

    @Test("1, 2 and 7 threads: bit-identical fits (several groups per partition)",
          arguments: ["logistic", "poisson", "gaussian", "gamma"])
    func threadCounts(model: String) throws {
        // k = 40: pass blocks of 819 rows, 16 per group: 70 000 rows are 6 groups (2 of the Fisher partition,
        // blocks of 3196 rows).
        let (data, family) = Self.data(model, n: 70_000, k: 40, seed: 31)
        let glm = try GeneralizedLinearModel(family: family, link: family == .gamma ? .log : nil)
        let one = try glm.fit(data, execution: RowExecution(threads: 1))
        #expect(one.converged)
        for threads in [2, 7] {
            Self.expectIdentical(try glm.fit(data, execution: RowExecution(threads: threads)), one,
                                 "\(model) \(threads) threads")
        }
    }

    @Test("1, 2 and 7 threads through the solver with many small groups (subsample and chord steps, offset)",
          arguments: ["logistic", "poisson", "gaussian", "gamma"])
    func manyGroups(model: String) throws {
        let (data, family) = Self.data(model, n: 20_000, k: 6, seed: 32, offset: true)
        let glm = try GeneralizedLinearModel(family: family, link: family == .gamma ? .log : nil)
        let prepared = try glm.prepare(data)
        let options = FisherScoringOptions(minimumWorkForShortcuts: 0)
        var plan = FisherScoringPlan.choose(family: family, link: glm.link, data: prepared, options: options)
        // Blocks of 100 (pass) and 1024 rows (Fisher, two subsample chunks), 3 blocks per group.
        plan.passPartition = RowPartition(rows: 20_000, blockRows: 100, blocksPerGroup: 3)
        plan.fisherPartition = RowPartition(rows: 20_000, blockRows: 1024, blocksPerGroup: 3)
        var results = [(ScoringOutcome, Matrix)]()
        for threads in [1, 2, 7] {
            var solver = FisherScoringSolver(family: family, link: glm.link, data: prepared, options: options,
                                             plan: plan, executor: RowExecutor(threads: threads))
            let outcome = try solver.run(progress: nil)
            results.append((outcome, try solver.finalInverseFisher()))
        }
        #expect(results[0].0.converged)
        for (outcome, inverse) in results.dropFirst() {
            #expect(outcome.coefficients == results[0].0.coefficients && outcome.deviance == results[0].0.deviance)
            #expect(inverse == results[0].1)
        }
    }

    @Test("the partitions have at most 64 groups (fewer Gram matrices for large p), from n and p only",
          arguments: [(1_000, 3), (1_000_000, 50), (10_000_000, 200), (100_000_000, 1000)])
    func boundedGroups(n: Int, k: Int) {
        let plan = FisherScoringPlan(observationKernel: .scalar, gramKernel: .scaledCopySyrk, fisher: .exact,
                                     reuse: .never, rows: n, featureCount: k, intercept: true)
        #expect(plan.passPartition.groupCount <= 64)
        let padded = (k + 1 + 3) / 4 * 4
        // The Gram matrices of the groups: at most 2²² doubles (32 MB), or 2 groups.
        #expect(plan.fisherPartition.groupCount <= Swift.max(2, (1 << 22) / (padded * padded)))
        #expect(plan.passPartition.blocksPerGroup >= FisherScoringPlan.blocksPerGroup)
    }

    @Test("threads below 1 are a typed error")
    func invalidThreads() throws {
        let (data, family) = Self.data("poisson", n: 100, k: 2, seed: 1)
        #expect(throws: GLMError.invalidThreadCount(-1)) {
            try GeneralizedLinearModel(family: family).fit(data, execution: RowExecution(threads: -1))
        }
    }
}
