import Testing
import TestSupport
@testable import GeneralizedLinearModels

/// Robust and clustered covariances against statsmodels 0.15 (InferenceReferences.swift, made by
/// Support/make_inference_references.py): nonrobust, HC0 and cluster straight from `GLM.fit(cov_type=…)`,
/// HC1–HC3 from its score and Hessian (equal to its OLS HC1–HC3 for the Gaussian).
@Suite("Covariance types")
struct CovarianceTypeTests {
    static let types: [GLMCovarianceType] = [.nonrobust, .hc0, .hc1, .hc2, .hc3, .cluster(groups: covarianceGroups)]

    static func data(_ c: CovarianceCase) -> GLMData {
        GLMData(features: Matrix(rows: c.y.count, columns: 2, columnMajor: covarianceX1 + covarianceX2),
                featureNames: ["x1", "x2"], response: c.y)
    }

    @Test("every type matches statsmodels to 1e-8", arguments: covarianceCases.map(\.name), 0..<6)
    func matches(name: String, typeIndex: Int) throws {
        let c = covarianceCases.first { $0.name == name }!
        let type = Self.types[typeIndex]
        let fit = try GeneralizedLinearModel(family: c.family, link: c.link).fit(Self.data(c), covariance: type)
        #expect(fit.covarianceType == type.kind)
        let reference = c.covariances[typeIndex]
        let p = fit.coefficients.count
        var mine = [Double]()
        for i in 0..<p { for j in 0..<p { mine.append(fit.covariance[i, j]) } }
        // Both sides evaluate the same closed forms at the same optimum (ours converged to a relative step
        // ≤ 1e-10, statsmodels to 1e-15): the sandwich moves linearly with β̂, 1e-8 relative to its largest entry.
        #expect(relativeError(mine, reference) < 1e-8, "\(type.kind): \(mine) vs \(reference)")
        for j in 0..<p {
            let se = reference[j * p + j].squareRoot()
            #expect(Swift.abs(fit.coefficients[j].standardError - se) <= 1e-8 * se)
            #expect(fit.coefficients[j].statistic == fit.coefficients[j].estimate / fit.coefficients[j].standardError)
        }
    }

    @Test("confidence intervals at level 0.9 match statsmodels' conf_int(alpha = 0.1) (HC0)",
          arguments: covarianceCases.map(\.name))
    func intervals(name: String) throws {
        let c = covarianceCases.first { $0.name == name }!
        let fit = try GeneralizedLinearModel(family: c.family, link: c.link).fit(Self.data(c), covariance: .hc0, level: 0.9)
        let lower = fit.coefficients.map(\.lowerConfidenceBound), upper = fit.coefficients.map(\.upperConfidenceBound)
        let p = lower.count
        #expect(relativeError(lower + upper, c.hc0Interval90) < 1e-8, "\(lower + upper) vs \(c.hc0Interval90)")
        #expect(p == 3)
    }

    @Test("bad requests are typed errors")
    func badRequests() throws {
        let c = covarianceCases[0]
        let model = try GeneralizedLinearModel(family: c.family, link: c.link)
        #expect(throws: GLMError.clusterGroupCount(groups: 2, rows: c.y.count)) {
            try model.fit(Self.data(c), covariance: .cluster(groups: [0, 1]))
        }
        #expect(throws: GLMError.tooFewClusters(1)) {
            try model.fit(Self.data(c), covariance: .cluster(groups: [Int](repeating: 7, count: c.y.count)))
        }
        for level in [0.0, 1.0, -0.5, 2] {
            #expect(throws: GLMError.invalidConfidenceLevel(level)) { try model.fit(Self.data(c), level: level) }
        }
        let error = #expect(throws: GLMError.self) { try model.fit(Self.data(c), level: .nan) }
        guard case let .invalidConfidenceLevel(level)? = error, level.isNaN else { Issue.record("\(String(describing: error))"); return }
    }

    @Test("the weighted design Gram matrix and the quadratic forms equal their naive sums (fused and syrk paths, signed weights)",
          arguments: [1, 2, 5, 12])
    func gramHelpers(k: Int) throws {
        var generator = SeededGenerator(seed: UInt64(k))
        let n = 300
        let x = Matrix(rows: n, columns: k, columnMajor: (0..<(n * k)).map { _ in Double.random(in: -2...2, using: &generator) })
        let w = (0..<n).map { i in Double.random(in: 0...1, using: &generator) - (i % 7 == 0 ? 1.5 : 0) }
        for intercept in [true, false] {
            let p = k + (intercept ? 1 : 0)
            let g = weightedDesignGram(x, intercept: intercept, weights: w)
            var naive = [Double](repeating: 0, count: p * p), size = 0.0
            for i in 0..<n {
                let row = (intercept ? [1] : []) + x.row(i)
                for a in 0..<p { for b in 0..<p { naive[a + b * p] += w[i] * row[a] * row[b]; size += Swift.abs(w[i] * row[a] * row[b]) } }
            }
            // Sums of n = 300 terms in different orders: a few ε relative to the sum of magnitudes.
            for t in 0..<(p * p) { #expect(Swift.abs(g.elements[t] - naive[t]) <= 1e-13 * size) }
            let a = Matrix.identity(p)
            let h = weightedQuadraticForms(x, intercept: intercept, weights: w, a)
            for i in [0, 7, 150, 299] {
                let row = (intercept ? [1] : []) + x.row(i)
                let expected = w[i] * row.map { $0 * $0 }.reduce(0, +)
                #expect(Swift.abs(h[i] - expected) <= 1e-14 * Swift.abs(expected) + 1e-300)
            }
        }
    }

    @Test("frequency weights count a row as replicated rows (HC0, HC1, HC3)")
    func frequencyWeights() throws {
        let c = covarianceCases[1]
        let weights = (0..<c.y.count).map { Double($0 % 3 + 1) }
        var rows = [Int]()
        for (i, w) in weights.enumerated() { rows += [Int](repeating: i, count: Int(w)) }
        let x1 = rows.map { covarianceX1[$0] }, x2 = rows.map { covarianceX2[$0] }
        let replicated = GLMData(features: Matrix(rows: rows.count, columns: 2, columnMajor: x1 + x2), response: rows.map { c.y[$0] })
        let weighted = GLMData(features: Matrix(rows: c.y.count, columns: 2, columnMajor: covarianceX1 + covarianceX2),
                               response: c.y, weights: weights)
        let model = try GeneralizedLinearModel(family: c.family, link: c.link)
        for type in [GLMCovarianceType.hc0, .hc1, .hc3] {
            let a = try model.fit(weighted, covariance: type), b = try model.fit(replicated, covariance: type)
            #expect(relativeError(a.standardErrors, b.standardErrors) < 1e-9, "\(type.kind)")
        }
    }
}
