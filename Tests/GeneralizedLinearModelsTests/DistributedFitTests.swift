import Foundation
import Testing
import TestSupport
import RowPasses
@testable import GeneralizedLinearModels

/// The cross-process hook of `GeneralizedLinearModel.fit(_:execution:)` exercised in one process: the rows
/// of a data set are split into shards, each shard is fitted on its own thread with a `RowSumReduction`
/// that sums across the shards (a barrier and shared slots), and the result must agree with the
/// one-process fit of all the rows. The two fits sum the same numbers in a different order (per shard,
/// then across shards), so they agree to rounding: 1e-12 relative (the references here are well
/// conditioned; a few ulps per sum, amplified by κ(XᵀWX) ≲ 1e2).
@Suite("Distributed fits (in-process shards)")
struct DistributedFitTests {
    /// Rows lower ..< upper of `data`.
    static func shard(_ data: GLMData, _ rows: Range<Int>) -> GLMData {
        let k = data.features.columns
        var x = [Double]()
        for j in 0..<k { for i in rows { x.append(data.features[i, j]) } }
        func slice(_ v: [Double]?) -> [Double]? { v.map { Array($0[rows]) } }
        return GLMData(features: Matrix(rows: rows.count, columns: k, columnMajor: x), featureNames: data.featureNames,
                       response: Array(data.response[rows]), includeIntercept: data.includeIntercept,
                       trials: slice(data.trials), weights: slice(data.weights), offset: slice(data.offset),
                       exposure: slice(data.exposure))
    }

    /// Fits every shard on its own thread with a shared `ShardReduction`; the results in shard order.
    static func fitShards(_ model: GeneralizedLinearModel, _ data: GLMData, shards: Int,
                          options: FisherScoringOptions = FisherScoringOptions(),
                          covariance: GLMCovarianceType = .nonrobust) -> [Result<GLMFit, GLMError>] {
        let n = data.count
        let bounds = (0...shards).map { $0 * n / shards }
        let group = ShardGroup(parties: shards)
        let results = ResultSlots<Result<GLMFit, GLMError>>(count: shards)
        let done = DispatchGroup()
        for r in 0..<shards {
            let part = shard(data, bounds[r]..<bounds[r + 1])
            done.enter()
            let thread = Thread {
                let reduction = ShardReduction(group: group, index: r)
                do throws(GLMError) {
                    let fit = try model.fit(part, covariance: covariance, options: options,
                                            execution: RowExecution(threads: 1, reduction: reduction))
                    results.set(r, .success(fit))
                } catch {
                    group.abandon()
                    results.set(r, .failure(error))
                }
                done.leave()
            }
            thread.stackSize = 8 << 20
            thread.start()
        }
        done.wait()
        return (0..<shards).map { results.get($0)! }
    }

    static func expectAgreement(_ fit: GLMFit, _ reference: GLMFit, tolerance: Double = 1e-12,
                                _ label: String) {
        #expect(relativeError(fit.estimates, reference.estimates) <= tolerance,
                "\(label): \(fit.estimates) vs \(reference.estimates)")
        #expect(relativeError(fit.standardErrors, reference.standardErrors) <= tolerance, "\(label) se")
        for (a, b, name) in [(fit.deviance, reference.deviance, "deviance"),
                             (fit.nullDeviance, reference.nullDeviance, "null deviance"),
                             (fit.pearsonChi2, reference.pearsonChi2, "Pearson χ²"),
                             (fit.logLikelihood, reference.logLikelihood, "log-likelihood"),
                             (fit.dispersion, reference.dispersion, "dispersion")] {
            #expect(Swift.abs(a - b) <= tolerance * Swift.max(1, Swift.abs(b)), "\(label) \(name): \(a) vs \(b)")
        }
        #expect(fit.observationCount == reference.observationCount)
        #expect(fit.weightedObservationCount == reference.weightedObservationCount)
        #expect(fit.residualDegreesOfFreedom == reference.residualDegreesOfFreedom)
    }

    @Test("every statsmodels reference case, in 2 and 3 shards, agrees with the one-process fit",
          arguments: statsmodelsCases.map(\.name), [2, 3])
    func referenceCases(name: String, shards: Int) throws {
        let c = statsmodelsCases.first { $0.name == name }!
        let model = try GeneralizedLinearModel(family: c.family, link: c.link)
        let data = StatsmodelsAgreementTests.data(c)
        let reference = try model.fit(data, execution: .serial)
        let fits = Self.fitShards(model, data, shards: shards)
        for (r, result) in fits.enumerated() {
            let fit = try result.get()
            Self.expectAgreement(fit, reference, "\(name) shard \(r)/\(shards)")
            // Every process gets the same bits (the reduction returns the same sums everywhere).
            #expect(fit.estimates == (try fits[0].get()).estimates)
        }
    }

    @Test("a large Poisson fit with an offset, subsampled Fisher matrix and chord steps, in 3 shards")
    func subsampledShards() throws {
        var g = SeededGenerator(seed: 41)
        let n = 30_000, k = 4
        let x = randomGaussianMatrix(n, k, using: &g)
        let offset = (0..<n).map { _ in 0.2 * g.nextGaussian() }
        var eta = offset.map { $0 + 0.5 }
        BLAS.gemv(x, [0.3, -0.2, 0.1, 0.05], beta: 1, into: &eta)
        let y = eta.map { poissonResponse(eta: $0, using: &g) }
        let data = GLMData(features: x, response: y, offset: offset)
        let model = try GeneralizedLinearModel(family: .poisson)
        let options = FisherScoringOptions(minimumWorkForShortcuts: 0)
        let reference = try model.fit(data, options: options, execution: .serial)
        for (r, result) in Self.fitShards(model, data, shards: 3, options: options).enumerated() {
            // The same subsample (global chunks) and the same steps: rounding only. The chord iteration's
            // stopping point depends on the rounding of its last steps, ≲ 1e-10 relative here.
            Self.expectAgreement(try result.get(), reference, tolerance: 1e-10, "shard \(r)")
        }
    }

    @Test("a row error in one shard stops every shard: that shard's error names the global row")
    func rowErrorInOneShard() throws {
        let c = statsmodelsCases.first { $0.name == "poissonLog" }!
        var data = StatsmodelsAgreementTests.data(c)
        data.response[60] = .nan  // in shard 1 of 2 (rows 40 ..< 80)
        let model = try GeneralizedLinearModel(family: c.family, link: c.link)
        let fits = Self.fitShards(model, data, shards: 2)
        #expect(throws: GLMError.otherProcessFailed) { try fits[0].get() }
        #expect(throws: GLMError.nonFiniteValue(variable: "response", row: 60)) { try fits[1].get() }
    }

    @Test("robust covariances and threads below 1 are typed errors")
    func rejectedOptions() throws {
        let c = statsmodelsCases.first { $0.name == "poissonLog" }!
        let model = try GeneralizedLinearModel(family: c.family, link: c.link)
        let data = StatsmodelsAgreementTests.data(c)
        #expect(throws: GLMError.invalidThreadCount(0)) { try model.fit(data, execution: RowExecution(threads: 0)) }
        let fits = Self.fitShards(model, data, shards: 2, covariance: .hc1)
        #expect(throws: GLMError.covarianceNeedsAllRows(kind: "HC1")) { try fits[0].get() }
    }
}

/// The shards' rendezvous: `parties` threads each deposit a buffer, wait for all, and read the sum of the
/// deposits in shard order (so every shard gets the same bits); a second wait keeps the slots until every
/// shard has read them. A shard that stops early `abandon`s the group: the others' waits then fail
/// (no hang), as would a collective whose process died. Waits give up after 60 s.
final class ShardGroup: @unchecked Sendable {
    let parties: Int
    private let condition = NSCondition()
    private var arrived = 0
    private var generation = 0
    private var abandoned = false
    private var slots: [[Double]]

    init(parties: Int) {
        self.parties = parties
        slots = Array(repeating: [], count: parties)
    }

    func abandon() {
        condition.lock()
        abandoned = true
        condition.broadcast()
        condition.unlock()
    }

    private func wait() throws(RowReductionError) {
        // Called with the lock held.
        let current = generation
        arrived += 1
        if arrived == parties {
            arrived = 0
            generation += 1
            condition.broadcast()
            return
        }
        let deadline = Date().addingTimeInterval(60)
        while generation == current {
            if abandoned { throw RowReductionError(message: "a shard stopped") }
            if !condition.wait(until: deadline) { throw RowReductionError(message: "timed out") }
        }
    }

    func sum(_ values: inout [Double], index: Int) throws(RowReductionError) {
        condition.lock()
        defer { condition.unlock() }
        slots[index] = values
        try wait()
        for j in values.indices {
            var total = slots[0][j]
            for r in 1..<parties { total += slots[r][j] }
            values[j] = total
        }
        try wait()
    }
}

/// One shard's view of a `ShardGroup`.
struct ShardReduction: RowSumReduction {
    let group: ShardGroup
    let index: Int
    var processCount: Int { group.parties }
    var processIndex: Int { index }
    func sum(_ values: inout [Double]) throws(RowReductionError) { try group.sum(&values, index: index) }
}

/// Results written by several threads, one slot each.
final class ResultSlots<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [T?]
    init(count: Int) { values = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ value: T) { lock.lock(); values[i] = value; lock.unlock() }
    func get(_ i: Int) -> T? { lock.lock(); defer { lock.unlock() }; return values[i] }
}

@Suite("Distributed fits: the checks")
struct DistributedCheckTests {
    @Test("separated data: every shard reports the separation of the one-process fit")
    func separation() throws {
        var g = SeededGenerator(seed: 8)
        let n = 300
        let x = randomGaussianMatrix(n, 2, using: &g)
        let y = (0..<n).map { x[$0, 0] + 0.5 * x[$0, 1] > 0 ? 1.0 : 0.0 }
        let data = GLMData(features: x, response: y)
        let model = try GeneralizedLinearModel(family: .binomial)
        var reference: GLMError?
        do { _ = try model.fit(data, execution: .serial) } catch { reference = error }
        guard case .separation = reference else { Issue.record("expected separation, got \(String(describing: reference))"); return }
        for result in DistributedFitTests.fitShards(model, data, shards: 3) {
            #expect(throws: reference!) { try result.get() }
        }
    }

    @Test("collinear columns (a feature = 2·another + 3): every shard names them as the one-process fit")
    func collinearity() throws {
        var g = SeededGenerator(seed: 9)
        let n = 200
        let z = randomGaussianMatrix(n, 2, using: &g)
        var x = Matrix(rows: n, columns: 3)
        for i in 0..<n {
            x[i, 0] = z[i, 0]
            x[i, 1] = z[i, 1]
            x[i, 2] = 2 * z[i, 0] + 3
        }
        let y = (0..<n).map { _ in g.nextGaussian() }
        let data = GLMData(features: x, response: y)
        let model = try GeneralizedLinearModel(family: .gaussian)
        var reference: GLMError?
        do { _ = try model.fit(data, execution: .serial) } catch { reference = error }
        guard case .collinearColumns = reference else { Issue.record("expected collinearity, got \(String(describing: reference))"); return }
        for result in DistributedFitTests.fitShards(model, data, shards: 2) {
            #expect(throws: reference!) { try result.get() }
        }
    }
}
