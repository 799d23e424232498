import Testing
import TestSupport
import GeneralizedLinearModels

/// GLMData never traps on lengths that do not fit; the fit throws `.shapeMismatch` naming both shapes.
/// The fit reports 1/κ₂ of its final Fisher matrix.
@Suite("GLM shapes and Fisher conditioning")
struct ShapeAndConditioningTests {
    static let x = Matrix(rows: [[0.0], [1], [2], [3]])
    static let y: [Double] = [1, 2, 2, 5]

    @Test("each data vector of the wrong length, and the wrong number of names, is a thrown error")
    func shapeMismatches() throws {
        let model = try GeneralizedLinearModel(family: .poisson)
        let cases: [(GLMData, GLMError)] = [
            (GLMData(features: Self.x, response: [1, 2, 3]), .shapeMismatch(variable: "response", count: 3, features: "4×1")),
            (GLMData(features: Self.x, response: Self.y, weights: [1, 1]), .shapeMismatch(variable: "weights", count: 2, features: "4×1")),
            (GLMData(features: Self.x, response: Self.y, offset: [0]), .shapeMismatch(variable: "offset", count: 1, features: "4×1")),
            (GLMData(features: Self.x, response: Self.y, exposure: [1, 1, 1, 1, 1]),
             .shapeMismatch(variable: "exposure", count: 5, features: "4×1")),
            (GLMData(features: Self.x, response: Self.y, trials: [1]), .shapeMismatch(variable: "trials", count: 1, features: "4×1")),
            (GLMData(features: Self.x, featureNames: ["a", "b"], response: Self.y),
             .shapeMismatch(variable: "feature names", count: 2, features: "4×1")),
        ]
        for (data, expected) in cases {
            #expect(throws: expected) { try model.fit(data) }
        }
        #expect(GLMError.shapeMismatch(variable: "response", count: 3, features: "4×1").description
                == "response has 3 entries but the features are 4×1 (one entry per row)")
    }

    @Test("1/κ₂(XᵀX) of a Gaussian fit equals the closed form of the 2 × 2 eigenvalues")
    func gaussianFisherCondition() throws {
        // X = [1 | x], x = 0, 1, 2, 3: XᵀX = [[4, 6], [6, 14]], eigenvalues 9 ± √61 (W = 1 for the identity link).
        let fit = try GeneralizedLinearModel(family: .gaussian).fit(GLMData(features: Self.x, response: [0.5, 2.5, 1.0, 4.0]))
        let exact = (9 - 61.0.squareRoot()) / (9 + 61.0.squareRoot())
        #expect(abs(fit.fisherReciprocalCondition - exact) <= 1e-13 * exact)
    }

    @Test("an orthogonal, equally scaled design has 1/κ₂ = 1")
    func orthogonalDesign() throws {
        let x = Matrix(rows: [[-1.0], [1], [-1], [1]])
        let fit = try GeneralizedLinearModel(family: .gaussian).fit(GLMData(features: x, response: [0.5, 2.5, 1.0, 4.0]))
        #expect(abs(fit.fisherReciprocalCondition - 1) <= 1e-14)
    }
}
