import Testing
import TestSupport
@testable import GeneralizedLinearModels

/// Every bad input is a typed error, never a NaN fit.
@Suite("Bad inputs")
struct BadInputTests {
    static let n = 30
    static var x1: [Double] { Array(referenceX1.prefix(n)) }
    static var x2: [Double] { Array(referenceX2.prefix(n)) }
    static var counts: [Double] { Array(statsmodelsCases.first { $0.name == "poissonLog" }!.y.prefix(n)) }
    static var binary: [Double] { Array(statsmodelsCases.first { $0.name == "binomialLogit" }!.y.prefix(n)) }

    static func fit(_ family: GLMFamily, link: GLMLink? = nil, columns: [[Double]], names: [String]? = nil, y: [Double],
                    trials: [Double]? = nil, weights: [Double]? = nil, offset: [Double]? = nil,
                    exposure: [Double]? = nil, options: FisherScoringOptions = FisherScoringOptions()) throws(GLMError) -> GLMFit {
        let rows = y.count
        let data = GLMData(features: Matrix(rows: rows, columns: columns.count, columnMajor: columns.flatMap { $0 }),
                           featureNames: names, response: y, trials: trials, weights: weights, offset: offset, exposure: exposure)
        return try GeneralizedLinearModel(family: family, link: link).fit(data, options: options)
    }

    @Test("a column that is a combination of others is named with the columns involved")
    func collinear() {
        let x3 = zip(Self.x1, Self.x2).map { $0 + 2 * $1 }
        #expect(throws: GLMError.collinearColumns(column: "x3", involved: ["x1", "x2"])) {
            try Self.fit(.poisson, columns: [Self.x1, Self.x2, x3], names: ["x1", "x2", "x3"], y: Self.counts)
        }
    }

    @Test("a constant column duplicates the intercept")
    func constantColumn() {
        let constant = [Double](repeating: 3, count: Self.n)
        #expect(throws: GLMError.collinearColumns(column: "c", involved: ["intercept"])) {
            try Self.fit(.gaussian, columns: [Self.x1, constant], names: ["x1", "c"], y: Self.x2)
        }
    }

    @Test("feature values whose squares overflow XᵀWX are an error naming the column, not a rank deficiency")
    func hugeFeature() {
        var huge = Self.x1
        huge[7] = -1e200
        #expect(throws: GLMError.featureOutOfRange(column: "h", row: 7, value: -1e200)) {
            try Self.fit(.binomial, columns: [Self.x2, huge], names: ["x2", "h"], y: Self.binary)
        }
    }

    @Test("a zero column is reported")
    func zeroColumn() {
        let zero = [Double](repeating: 0, count: Self.n)
        #expect(throws: GLMError.collinearColumns(column: "z", involved: [])) {
            try Self.fit(.poisson, columns: [zero, Self.x1], names: ["z", "x1"], y: Self.counts)
        }
    }

    @Test("perfect separation is detected")
    func perfectSeparation() {
        let y = Self.x1.map { $0 > 0 ? 1.0 : 0.0 }
        do {
            _ = try Self.fit(.binomial, columns: [Self.x1], names: ["x1"], y: y)
            Issue.record("expected a separation error")
        } catch {
            guard case let .separation(perfect, count, columns) = error else { Issue.record("got \(error)"); return }
            #expect(perfect)
            #expect(count == Self.n)
            #expect(columns.contains("x1"))
        }
    }

    @Test("quasi-complete separation is detected")
    func quasiSeparation() {
        // y = 1 whenever x1 > 0.5; below that the responses are mixed: x1 separates a subset.
        var y = Self.binary
        for i in 0..<Self.n where Self.x1[i] > 0.5 { y[i] = 1 }
        var mixed = false
        for i in 0..<Self.n where Self.x1[i] <= 0.5 { if y[i] == 1 { mixed = true } }
        #expect(mixed)
        let indicator = Self.x1.map { $0 > 0.5 ? 1.0 : 0.0 }
        do {
            _ = try Self.fit(.binomial, columns: [indicator, Self.x2], names: ["high", "x2"], y: y)
            Issue.record("expected a separation error")
        } catch {
            guard case let .separation(perfect, count, columns) = error else { Issue.record("got \(error)"); return }
            #expect(!perfect)
            #expect(count == indicator.filter { $0 == 1 }.count)
            #expect(columns.contains("high"))
        }
    }

    @Test("responses outside the support", arguments: [
        (GLMFamily.poisson, -1.0), (.negativeBinomial(alpha: 1), -2), (.binomial, 0.5), (.binomial, 2),
        (.gamma, 0), (.gamma, -1), (.inverseGaussian, 0),
    ])
    func outsideSupport(family: GLMFamily, bad: Double) {
        var y = family == .binomial ? Self.binary : Self.counts.map { $0 + 1 }
        y[7] = bad
        do {
            _ = try Self.fit(family, columns: [Self.x1], y: y)
            Issue.record("expected an error")
        } catch {
            guard case let .responseOutsideSupport(row, value, _, _) = error else { Issue.record("got \(error)"); return }
            #expect(row == 7)
            #expect(value == bad)
        }
    }

    @Test("NaN and infinity anywhere", arguments: ["response", "x1", "weights", "offset", "exposure", "trials"])
    func nonFinite(variable: String) {
        for bad in [Double.nan, .infinity, -.infinity] {
            var y = Self.binary, x1 = Self.x1
            var w = [Double](repeating: 1, count: Self.n), o = [Double](repeating: 0, count: Self.n)
            var e = [Double](repeating: 1, count: Self.n), t = [Double](repeating: 1, count: Self.n)
            switch variable {
            case "response": y[3] = bad
            case "x1": x1[3] = bad
            case "weights": w[3] = bad
            case "offset": o[3] = bad
            case "exposure": e[3] = bad
            default: t[3] = bad
            }
            #expect(throws: GLMError.nonFiniteValue(variable: variable, row: 3)) {
                try Self.fit(.binomial, columns: [x1], names: ["x1"], y: y, trials: t, weights: w, offset: o, exposure: e)
            }
        }
    }

    @Test("invalid weights, exposure, trials and α")
    func invalidAuxiliaries() {
        var w = [Double](repeating: 1, count: Self.n); w[2] = -1
        #expect(throws: GLMError.negativeWeight(row: 2, value: -1)) { try Self.fit(.poisson, columns: [Self.x1], y: Self.counts, weights: w) }
        var e = [Double](repeating: 1, count: Self.n); e[4] = 0
        #expect(throws: GLMError.nonPositiveExposure(row: 4, value: 0)) { try Self.fit(.poisson, columns: [Self.x1], y: Self.counts, exposure: e) }
        var t = [Double](repeating: 2, count: Self.n); t[5] = 0.5
        #expect(throws: GLMError.invalidTrials(row: 5, successes: Self.binary[5], trials: 0.5)) {
            try Self.fit(.binomial, columns: [Self.x1], y: Self.binary, trials: t)
        }
        var s = Self.binary; s[6] = 3
        #expect(throws: GLMError.invalidTrials(row: 6, successes: 3, trials: 2)) {
            try Self.fit(.binomial, columns: [Self.x1], y: s, trials: [Double](repeating: 2, count: Self.n))
        }
        #expect(throws: GLMError.invalidAlpha(0)) { try GeneralizedLinearModel(family: .negativeBinomial(alpha: 0)) }
        // NaN ≠ NaN, so match the case rather than compare values.
        #expect { _ = try GeneralizedLinearModel(family: .negativeBinomial(alpha: .nan)) } throws: { error in
            if case let .invalidAlpha(value) = error as? GLMError { return value.isNaN }
            return false
        }
        #expect(throws: GLMError.noObservations) {
            try Self.fit(.poisson, columns: [Self.x1], y: Self.counts, weights: [Double](repeating: 0, count: Self.n))
        }
        #expect(throws: GLMError.noObservations) { try Self.fit(.poisson, columns: [[]], y: []) }
    }

    @Test("all responses on the boundary of the mean space", arguments: [
        (GLMFamily.poisson, 0.0), (.negativeBinomial(alpha: 2), 0), (.binomial, 0), (.binomial, 1),
    ])
    func degenerateResponse(family: GLMFamily, value: Double) {
        #expect(throws: GLMError.degenerateResponse(value: value, family: family.name)) {
            try Self.fit(family, columns: [Self.x1], y: [Double](repeating: value, count: Self.n))
        }
    }

    @Test("no coefficients")
    func noCoefficients() {
        let data = GLMData(features: Matrix(rows: 3, columns: 0), response: [1, 2, 3], includeIntercept: false)
        #expect(throws: GLMError.noCoefficients) { try GeneralizedLinearModel(family: .poisson).fit(data) }
    }

    @Test("non-convergence within the cap reports the last deviance change")
    func nonConvergence() {
        do {
            _ = try Self.fit(.binomial, link: .probit, columns: [Self.x1, Self.x2], y: Self.binary,
                             options: FisherScoringOptions(maximumIterations: 2, relativeTolerance: 1e-15))
            Issue.record("expected didNotConverge")
        } catch {
            guard case let .didNotConverge(iterations, change) = error else { Issue.record("got \(error)"); return }
            #expect(iterations == 2)
            #expect(change > 0 && change.isFinite)
        }
    }

    @Test("too few observations for an estimated dispersion")
    func noResidualDegreesOfFreedom() {
        #expect(throws: GLMError.noResidualDegreesOfFreedom(weightedObservations: 2, coefficients: 2)) {
            try Self.fit(.gaussian, columns: [[0, 1]], y: [1, 3])
        }
    }

    @Test("a link whose means leave the mean space fails with a typed error, not NaN")
    func invalidMeans() {
        // Identity link for Poisson with responses that pull the line below zero: the fit either
        // converges to positive means or throws stepHalvingFailed; it never returns NaN.
        let y = Self.x1.map { $0 < -0.5 ? 0.0 : 8.0 }
        do {
            let fit = try Self.fit(.poisson, link: .identity, columns: [Self.x1], y: y)
            #expect(fit.fittedMeans.allSatisfy { $0 > 0 })
            #expect(fit.estimates.allSatisfy { $0.isFinite })
        } catch {
            if case .stepHalvingFailed = error {} else { Issue.record("got \(error)") }
        }
    }
}
