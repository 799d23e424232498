import Foundation
import Testing
import TestSupport
@testable import GeneralizedLinearModels

/// The categorical-aware products of `MixedDesign` against the one-hot design's naive sums.
@Suite("Mixed design (dense columns and categorical level codes)")
struct MixedDesignTests {
    /// A random design: n rows, k dense columns, `categoricals` blocks of 2–9 levels (every level used,
    /// code −1 for the reference).
    static func randomDesign(rows n: Int, dense k: Int, categoricals m: Int, intercept: Bool, seed: UInt64) throws -> MixedDesign {
        var g = SeededGenerator(seed: seed)
        let d = randomGaussianMatrix(n, k, using: &g)
        var blocks = [CategoricalBlock]()
        for b in 0..<m {
            let levels = 2 + Int(g.next() % 8)
            // Row i < levels + 1 takes level i − 1 (so every level and the reference occur); the rest at random.
            let codes = (0..<n).map { i in Int32(i <= levels ? i - 1 : Int(g.next() % UInt64(levels + 1)) - 1) }
            blocks.append(CategoricalBlock(name: "c\(b)", levelNames: (1...levels).map { "c\(b)[T.\($0)]" }, codes: codes))
        }
        return try MixedDesign(dense: d, blocks: blocks, intercept: intercept)
    }

    /// The rows of the full design X = [1 | D | one-hot blocks].
    static func fullRows(_ design: MixedDesign) -> [[Double]] {
        let x = design.oneHotFeatures
        return (0..<design.rows).map { i in (design.hasIntercept ? [1] : []) + x.row(i) }
    }

    @Test("η, Xᵀu and XᵀWX equal the one-hot design's sums to 1e-12", arguments: 1...6)
    func equalsDense(categoricals m: Int) throws {
        for (k, intercept) in [(3, true), (0, true), (2, false)] {
            let n = 150
            let design = try Self.randomDesign(rows: n, dense: k, categoricals: m, intercept: intercept, seed: UInt64(100 * m + k))
            var g = SeededGenerator(seed: 7)
            let p = design.columns
            let beta = randomGaussianVector(p, using: &g)
            let u = randomGaussianVector(n, using: &g)
            let w = randomGaussianVector(n, using: &g).map { $0 * $0 + 0.1 }
            let offset = randomGaussianVector(n, using: &g)
            let x = Self.fullRows(design)
            // Naive sums over the one-hot rows.
            var eta = [Double](repeating: 0, count: n), score = [Double](repeating: 0, count: p)
            var fisher = Matrix(rows: p, columns: p)
            for i in 0..<n {
                eta[i] = offset[i]
                for j in 0..<p {
                    eta[i] += x[i][j] * beta[j]
                    score[j] += x[i][j] * u[i]
                    for l in 0..<p { fisher[j, l] += w[i] * x[i][j] * x[i][l] }
                }
            }
            // The blockwise products over two row ranges (a split in the middle), as a pass does.
            var mixedEta = [Double](repeating: .nan, count: n), mixedScore = [Double](repeating: 0, count: p)
            var scratch = [Double](repeating: 0, count: k)
            var gram = MixedGramAccumulator(design: design)
            gram.begin()
            for rows in [0..<61, 61..<n] {
                design.linearPredictor(rows, coefficients: beta, offset: offset, denseScratch: &scratch, into: &mixedEta)
                design.addTransposedProduct(rows, u, denseScratch: &scratch, into: &mixedScore)
                gram.add(design, rows: rows, weights: w)
            }
            var mixedFisher = Matrix(rows: p, columns: p)
            gram.finish(design, scale: 1, into: &mixedFisher)
            // Sums of ≤ 150 products of O(1) terms in a different order: a few hundred ulps at most.
            #expect(relativeError(mixedEta, eta) < 1e-12)
            #expect(relativeError(mixedScore, score) < 1e-12)
            #expect(relativeError(mixedFisher.elements, fisher.elements) < 1e-12, "m = \(m), k = \(k)")
        }
    }

    @Test("a penalized fit on level codes equals the fit on the one-hot columns", arguments: [1, 3, 6])
    func fitEqualsDense(categoricals m: Int) throws {
        let n = 400
        let design = try Self.randomDesign(rows: n, dense: 3, categoricals: m, intercept: true, seed: UInt64(m))
        var g = SeededGenerator(seed: 11)
        let beta = randomGaussianVector(design.columns, using: &g).map { 0.2 * $0 }
        var eta = [Double](repeating: 0, count: n), scratch = [Double](repeating: 0, count: 3)
        design.linearPredictor(0..<n, coefficients: beta, offset: nil, denseScratch: &scratch, into: &eta)
        let y = eta.map { (exp($0) * 2).rounded() }
        let dense = try MixedDesign(features: design.oneHotFeatures)
        for penalty in [try GLMPenalty(lambda: 1e-3), try GLMPenalty(lambda: 1e-3, l1Ratio: 1)] {
            let model = try PenalizedGeneralizedLinearModel(family: .poisson, penalty: penalty)
            let options = PenalizedFitOptions(tolerance: 1e-13)
            let a = try model.fit(PenalizedGLMData(design: design, response: y), options: options)
            let b = try model.fit(PenalizedGLMData(design: dense, response: y), options: options)
            // Both converge to the same unique minimizer, to gradients ≤ 1e-13.
            #expect(relativeError(a.coefficients, b.coefficients) < 1e-9)
            #expect(Swift.abs(a.objective - b.objective) <= 1e-13 * Swift.abs(b.objective))
        }
    }

    @Test("an unused level and a code out of range are rejected")
    func rejectsBadCodes() {
        let d = Matrix(rows: 4, columns: 1, columnMajor: [1, 2, 3, 4])
        #expect(throws: GLMError.unusedLevel(block: "c", level: 1, name: "b")) {
            try MixedDesign(dense: d, blocks: [CategoricalBlock(name: "c", levelNames: ["a", "b"], codes: [-1, 0, 0, -1])])
        }
        #expect(throws: GLMError.invalidLevelCode(block: "c", row: 2, code: 2)) {
            try MixedDesign(dense: d, blocks: [CategoricalBlock(name: "c", levelNames: ["a", "b"], codes: [-1, 0, 2, 1])])
        }
        #expect(throws: GLMError.self) {
            try MixedDesign(dense: d, blocks: [CategoricalBlock(name: "c", levelNames: ["a"], codes: [0, 0])])
        }
    }

    @Test("categorical blocks alone (no dense columns)")
    func blocksOnly() throws {
        let design = try MixedDesign(dense: Matrix(rows: 0, columns: 0),
                                     blocks: [CategoricalBlock(name: "c", levelNames: ["a", "b"], codes: [-1, 0, 1, 1])])
        #expect(design.rows == 4 && design.columns == 3)
    }
}
