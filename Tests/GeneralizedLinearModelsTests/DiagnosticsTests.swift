import Foundation
import Testing
import TestSupport
@testable import GeneralizedLinearModels

/// Residuals, leverage and Cook's distance against statsmodels 0.15 (InferenceReferences.swift, made by
/// Support/make_inference_references.py).
@Suite("Residuals and influence")
struct DiagnosticsTests {
    static func data(_ c: ResidualCase) -> GLMData {
        GLMData(features: Matrix(rows: c.y.count, columns: 2, columnMajor: covarianceX1 + covarianceX2),
                featureNames: ["x1", "x2"], response: c.y, trials: c.trials, exposure: c.exposure)
    }

    @Test("response, Pearson, deviance and working residuals, leverage and Cook's distance match statsmodels",
          arguments: residualCases.map(\.name))
    func matches(name: String) throws {
        let c = residualCases.first { $0.name == name }!
        let fit = try GeneralizedLinearModel(family: c.family, link: c.link).fit(Self.data(c))
        let d = try fit.model.diagnostics(Self.data(c))
        // Closed forms of (y, μ̂, X) at the same optimum (ours to a relative step ≤ 1e-10, statsmodels' to
        // 1e-15): they move linearly with β̂, 1e-8 relative to the largest entry of each vector.
        for (label, mine, reference) in [("response", d.response, c.response), ("pearson", d.pearson, c.pearson),
                                         ("deviance", d.deviance, c.deviance), ("working", d.working, c.working),
                                         ("leverage", d.leverage, c.leverage), ("cooks", d.cooksDistance, c.cooksDistance)] {
            #expect(relativeError(mine, reference) < 1e-8, "\(label): \(relativeError(mine, reference))")
        }
        // Identities: Σhᵢ = p; Σ pearson² = Pearson χ² and Σ deviance² = the deviance (unit weights).
        #expect(Swift.abs(d.leverage.reduce(0, +) - 3) <= 1e-10)
        #expect(Swift.abs(d.pearson.map { $0 * $0 }.reduce(0, +) - fit.pearsonChi2) <= 1e-10 * fit.pearsonChi2)
        #expect(Swift.abs(d.deviance.map { $0 * $0 }.reduce(0, +) - fit.deviance) <= 1e-10 * fit.deviance)
    }

    @Test("data that do not match the model are typed errors")
    func mismatches() throws {
        let c = residualCases[0]
        let model = try GeneralizedLinearModel(family: c.family, link: c.link).fit(Self.data(c)).model
        let one = GLMData(features: Matrix(rows: 3, columns: 1, columnMajor: [1, 2, 3]), response: [1, 2, 3])
        #expect(throws: GLMError.featureCountMismatch(expected: 2, got: 1)) { try model.diagnostics(one) }
        let noIntercept = GLMData(features: Matrix(rows: 2, columns: 2, columnMajor: [1, 2, 3, 4]), response: [1, 2],
                                  includeIntercept: false)
        #expect(throws: GLMError.interceptMismatch(model: true)) { try model.diagnostics(noIntercept) }
        let negative = GLMData(features: Matrix(rows: 2, columns: 2, columnMajor: [1, 2, 3, 4]), response: [1, -2])
        #expect(throws: GLMError.self) { try model.diagnostics(negative) }
    }
}

/// Predictions with intervals against statsmodels' get_prediction().summary_frame(), and the saved
/// model's round trip.
@Suite("Prediction")
struct PredictionTests {
    static func fit(_ c: PredictionCase) throws -> GLMFit {
        let n = c.y.count
        let data = GLMData(features: Matrix(rows: n, columns: 4, columnMajor: predictionTrainFeatures),
                           featureNames: ["x1", "x2", "region[b]", "region[c]"], response: c.y,
                           exposure: c.usesExposure ? predictionTrainExposure : nil)
        return try GeneralizedLinearModel(family: c.family, link: c.link).fit(data, covariance: c.covarianceHC0 ? .hc0 : .nonrobust)
    }

    static var newRows: Matrix { Matrix(rows: predictionNewExposure.count, columns: 4, columnMajor: predictionNewFeatures) }

    @Test("mean, mean_se and the interval for μ match statsmodels (categorical levels, exposure, HC0)",
          arguments: predictionCases.map(\.name))
    func matches(name: String) throws {
        let c = predictionCases.first { $0.name == name }!
        let model = try Self.fit(c).model
        let p = try model.predict(features: Self.newRows, exposure: c.usesExposure ? predictionNewExposure : nil, level: c.level)
        // Closed forms of β̂ and Σ at the same optimum: 1e-8 relative.
        #expect(relativeError(p.mean, c.mean) < 1e-8, "\(p.mean) vs \(c.mean)")
        #expect(relativeError(p.meanStandardError, c.meanStandardError) < 1e-8)
        #expect(relativeError(p.meanLower, c.meanLower) < 1e-8, "\(p.meanLower) vs \(c.meanLower)")
        #expect(relativeError(p.meanUpper, c.meanUpper) < 1e-8)
        // η and μ agree through the link; the interval contains μ.
        for i in p.mean.indices {
            #expect(p.mean[i] == model.link.mean(p.linearPredictor[i]))
            #expect(p.meanLower[i] <= p.mean[i] && p.mean[i] <= p.meanUpper[i])
        }
    }

    @Test("an offset is the log of the exposure")
    func offsetEqualsLogExposure() throws {
        let model = try Self.fit(predictionCases[0]).model
        let a = try model.predict(features: Self.newRows, exposure: predictionNewExposure)
        let b = try model.predict(features: Self.newRows, offset: predictionNewExposure.map { Double.log($0) })
        #expect(a == b)
    }

    @Test("encode → decode → predict is bit-identical to predicting in memory", arguments: predictionCases.map(\.name))
    func roundTrip(name: String) throws {
        let c = predictionCases.first { $0.name == name }!
        let model = try Self.fit(c).model
        let data = try JSONEncoder().encode(model)
        let decoded = try JSONDecoder().decode(FittedGLM.self, from: data)
        #expect(decoded == model)
        let exposure = c.usesExposure ? predictionNewExposure : nil
        #expect(try decoded.predict(features: Self.newRows, exposure: exposure, level: c.level)
                == model.predict(features: Self.newRows, exposure: exposure, level: c.level))
    }

    @Test("doubles survive the JSON round trip bit for bit (random bit patterns)")
    func losslessDoubles() throws {
        var generator = SeededGenerator(seed: 12)
        let values = (0..<300).map { _ -> Double in
            let v = Double(bitPattern: generator.next())
            return v.isFinite ? v : 1.5
        } + [.leastNonzeroMagnitude, .greatestFiniteMagnitude, 0.1, 1 / 3, -0.0, 2.2250738585072014e-308]
        let model = FittedGLM(family: .negativeBinomial(alpha: 0.123456789012345678), link: .log,
                              coefficientNames: values.indices.map { "c\($0)" }, coefficients: values,
                              covariance: Matrix(rows: values.count, columns: values.count), covarianceType: .hc3,
                              dispersion: 1, includesIntercept: true)
        let decoded = try JSONDecoder().decode(FittedGLM.self, from: try JSONEncoder().encode(model))
        #expect(decoded.coefficients.map(\.bitPattern) == values.map(\.bitPattern))
        #expect(decoded.family == model.family)
    }

    @Test("decoding rejects another version, unknown names and inconsistent shapes")
    func badFiles() throws {
        let model = try Self.fit(predictionCases[0]).model
        let text = String(decoding: try JSONEncoder().encode(model), as: UTF8.self)
        for (from, to) in [("\"version\":1", "\"version\":2"), ("\"family\":\"poisson\"", "\"family\":\"cauchy\""),
                           ("\"link\":\"log\"", "\"link\":\"tan\""), ("\"coefficientNames\":[\"intercept\",", "\"coefficientNames\":[")] {
            #expect(text.contains(from), "\(text)")
            let broken = text.replacingOccurrences(of: from, with: to)
            #expect(throws: DecodingError.self) { try JSONDecoder().decode(FittedGLM.self, from: Data(broken.utf8)) }
        }
    }

    @Test("new data that do not match the model are typed errors")
    func badRows() throws {
        let model = try Self.fit(predictionCases[0]).model
        #expect(throws: GLMError.featureCountMismatch(expected: 4, got: 1)) {
            try model.predict(features: Matrix(rows: 1, columns: 1, columnMajor: [1]))
        }
        #expect(throws: GLMError.rowCountMismatch(variable: "exposure", expected: 5, got: 2)) {
            try model.predict(features: Self.newRows, exposure: [1, 2])
        }
        #expect(throws: GLMError.nonPositiveExposure(row: 1, value: 0)) {
            try model.predict(features: Self.newRows, exposure: [1, 0, 1, 1, 1])
        }
        #expect(throws: GLMError.invalidConfidenceLevel(1)) { try model.predict(features: Self.newRows, level: 1) }
    }
}
