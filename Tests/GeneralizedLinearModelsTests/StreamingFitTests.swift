import Testing
import TestSupport
@testable import GeneralizedLinearModels

/// `GLMData` as a `RowBlockSource` with a chosen block size (the CLI's `.ngb` source reads files; this one
/// serves arrays, so the streaming solver can be compared with the in-memory one on the same rows).
struct ArrayBlockSource: RowBlockSource {
    enum ReadError: Error, Equatable { case failed(row: Int) }
    let data: GLMData
    let blockRows: Int
    /// A row whose read fails (to test that source errors pass through).
    var failingRow: Int?

    var rowCount: Int { data.count }
    var featureNames: [String] { data.featureNames }
    var columns: RowBlockColumns {
        var c: RowBlockColumns = []
        if data.weights != nil { c.insert(.weights) }
        if data.trials != nil { c.insert(.trials) }
        if data.offset != nil { c.insert(.offset) }
        if data.exposure != nil { c.insert(.exposure) }
        return c
    }

    func read(rows: Range<Int>, into block: inout RowBlock) throws(ReadError) {
        if let failingRow, rows.contains(failingRow) { throw .failed(row: failingRow) }
        let k = data.features.columns
        for (t, i) in rows.enumerated() {
            for j in 0..<k { block.features[t, j] = data.features[i, j] }
            block.response[t] = data.response[i]
            if let w = data.weights { block.weights[t] = w[i] }
            if let c = data.trials { block.trials[t] = c[i] }
            if let o = data.offset { block.offset[t] = o[i] }
            if let e = data.exposure { block.exposure[t] = e[i] }
            block.rowNumbers[t] = i
        }
        block.count = rows.count
    }
}

@Suite("Streaming Fisher scoring")
struct StreamingFitTests {
    static func relative(_ a: Double, _ b: Double) -> Double { Swift.abs(a - b) / Swift.max(Swift.abs(b), 1e-300) }

    /// On every statsmodels reference problem the streaming fit equals the in-memory fit of the same rows to
    /// 1e-10 relative. Both run Newton steps from the same start with the same stopping rule (the in-memory
    /// solver's shortcuts are off below n·p² = 1e7), so they take the same iterates; what differs is the
    /// order of the sums (blocks of 7 or 80 rows against the in-memory partition), ≈ n·ε ≈ 1e-14 relative
    /// in each sum, amplified by the conditioning of XᵀWX (≈ 10 here) in β: far below 1e-10.
    @Test("equals the in-memory fit on the statsmodels problems", arguments: statsmodelsCases.map(\.name))
    func equalsInMemory(name: String) throws {
        let c = statsmodelsCases.first { $0.name == name }!
        let data = StatsmodelsAgreementTests.data(c)
        let model = try GeneralizedLinearModel(family: c.family, link: c.link)
        let reference = try model.fit(data)
        for blockRows in [7, 80, 1000] {
            let fit = try model.fit(streaming: ArrayBlockSource(data: data, blockRows: blockRows), includeIntercept: c.includeIntercept)
            #expect(fit.converged)
            #expect(fit.coefficients.map(\.name) == reference.coefficients.map(\.name))
            #expect(relativeError(fit.estimates, reference.estimates) <= 1e-10, "\(name), B = \(blockRows): \(fit.estimates) vs \(reference.estimates)")
            #expect(relativeError(fit.standardErrors, reference.standardErrors) <= 1e-10, "\(name), B = \(blockRows)")
            #expect(Self.relative(fit.deviance, reference.deviance) <= 1e-10, "\(name): deviance \(fit.deviance) vs \(reference.deviance)")
            #expect(Self.relative(fit.nullDeviance, reference.nullDeviance) <= 1e-10, "\(name): null \(fit.nullDeviance) vs \(reference.nullDeviance)")
            #expect(Self.relative(fit.pearsonChi2, reference.pearsonChi2) <= 1e-10, "\(name): Pearson")
            #expect(Self.relative(fit.logLikelihood, reference.logLikelihood) <= 1e-10, "\(name): log-likelihood")
            #expect(Self.relative(fit.aic, reference.aic) <= 1e-10, "\(name): AIC")
            #expect(Self.relative(fit.dispersion, reference.dispersion) <= 1e-10, "\(name): dispersion")
            #expect(fit.observationCount == reference.observationCount)
            #expect(fit.weightedObservationCount == reference.weightedObservationCount)
            #expect(fit.residualDegreesOfFreedom == reference.residualDegreesOfFreedom)
            #expect(fit.iterations == reference.iterations, "\(name): \(fit.iterations) vs \(reference.iterations) iterations")
        }
    }

    /// The lanes fix the tree of sums (even blocks, odd blocks, lane 0 + lane 1), so the thread count
    /// cannot change a bit of the result.
    @Test("1, 2 and 7 threads give bit-identical fits", arguments: ["poissonExposureWeights", "binomialTrialsLogit", "gammaLog", "gaussianIdentity", "negativeBinomialOffset"])
    func threadsDoNotChangeBits(name: String) throws {
        let c = statsmodelsCases.first { $0.name == name }!
        let data = StatsmodelsAgreementTests.data(c)
        let model = try GeneralizedLinearModel(family: c.family, link: c.link)
        let fits = try [1, 2, 7].map { threads in
            try model.fit(streaming: ArrayBlockSource(data: data, blockRows: 9), includeIntercept: c.includeIntercept,
                          threads: threads)
        }
        for fit in fits.dropFirst() {
            #expect(fit.estimates.map(\.bitPattern) == fits[0].estimates.map(\.bitPattern), "\(name)")
            #expect(fit.standardErrors.map(\.bitPattern) == fits[0].standardErrors.map(\.bitPattern), "\(name)")
            #expect(fit.deviance.bitPattern == fits[0].deviance.bitPattern && fit.logLikelihood.bitPattern == fits[0].logLikelihood.bitPattern)
            #expect(fit.nullDeviance.bitPattern == fits[0].nullDeviance.bitPattern)
        }
    }

    static func poissonData(n: Int = 40) -> GLMData {
        var x = Matrix(rows: n, columns: 2)
        var y = [Double](repeating: 0, count: n)
        for i in 0..<n {
            x[i, 0] = Double(i % 7) / 7 - 0.4
            x[i, 1] = Double((i * 5) % 11) / 11 - 0.5
            y[i] = Double((i * 3) % 5)
        }
        return GLMData(features: x, featureNames: ["a", "b"], response: y)
    }

    @Test("input errors name the source's row, as the in-memory checks do")
    func inputErrors() throws {
        let model = try GeneralizedLinearModel(family: .poisson)
        var data = Self.poissonData()
        data.response[17] = -1
        #expect(throws: StreamingFitError<ArrayBlockSource.ReadError>.self) {
            _ = try model.fit(streaming: ArrayBlockSource(data: data, blockRows: 8))
        }
        do {
            _ = try model.fit(streaming: ArrayBlockSource(data: data, blockRows: 8))
        } catch {
            guard case let .model(.responseOutsideSupport(row, value, _, _)) = error else { Issue.record("\(error)"); return }
            #expect(row == 17 && value == -1)
        }
        data = Self.poissonData()
        data.features[23, 1] = .nan
        do {
            _ = try model.fit(streaming: ArrayBlockSource(data: data, blockRows: 8))
            Issue.record("a NaN feature was accepted")
        } catch {
            guard case let .model(.nonFiniteValue(variable, row)) = error else { Issue.record("\(error)"); return }
            #expect(variable == "b" && row == 23)
        }
        data = Self.poissonData()
        data.exposure = [Double](repeating: 1, count: data.count)
        data.exposure![5] = 0
        do {
            _ = try model.fit(streaming: ArrayBlockSource(data: data, blockRows: 8))
            Issue.record("a zero exposure was accepted")
        } catch {
            guard case let .model(.nonPositiveExposure(row, _)) = error else { Issue.record("\(error)"); return }
            #expect(row == 5)
        }
        data = Self.poissonData()
        data.response = [Double](repeating: 0, count: data.count)
        do {
            _ = try model.fit(streaming: ArrayBlockSource(data: data, blockRows: 8))
            Issue.record("all-zero counts were accepted")
        } catch {
            guard case .model(.degenerateResponse) = error else { Issue.record("\(error)"); return }
        }
    }

    @Test("a read error of the source passes through")
    func sourceError() throws {
        let model = try GeneralizedLinearModel(family: .poisson)
        do {
            _ = try model.fit(streaming: ArrayBlockSource(data: Self.poissonData(), blockRows: 8, failingRow: 30))
            Issue.record("the read error was swallowed")
        } catch {
            guard case .source(.failed(row: 30)) = error else { Issue.record("\(error)"); return }
        }
    }

    @Test("a collinear design is reported by column name")
    func collinear() throws {
        var data = Self.poissonData()
        var x = Matrix(rows: data.count, columns: 3)
        for i in 0..<data.count {
            x[i, 0] = data.features[i, 0]
            x[i, 1] = data.features[i, 1]
            x[i, 2] = 2 * data.features[i, 0] - data.features[i, 1]
        }
        data = GLMData(features: x, featureNames: ["a", "b", "c"], response: data.response)
        let model = try GeneralizedLinearModel(family: .poisson)
        do {
            _ = try model.fit(streaming: ArrayBlockSource(data: data, blockRows: 16))
            Issue.record("a collinear design was fitted")
        } catch {
            guard case let .model(.collinearColumns(column, _)) = error else { Issue.record("\(error)"); return }
            #expect(column == "c")
        }
    }
}
