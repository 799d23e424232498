import Testing
import NaturalGradient
import TestSupport
import Foundation

// MARK: The worked example of FastPathDerivation.md, verbatim (the test below checks it still is).

/// ∇μL for L(θ) = KL(q_θ‖p): θ − θₚ.
func klMeanGradient<Family: ExponentialFamily>(_ q: Family, target: Family) -> [Double] {
    zip(q.naturalParameters, target.naturalParameters).map { $0 - $1 }
}

/// `steps` natural-gradient steps of size ρ on KL(q‖p), by the fast path.
func descendKL<Family: ExponentialFamily>(
    from start: Family, to target: Family, stepSize: Double, steps: Int
) throws(NaturalGradientError) -> Family {
    var q = start
    for _ in 0..<steps {
        let step = try q.naturalGradientStep(meanGradient: klMeanGradient(q, target: target), stepSize: stepSize)
        q = step.updated
    }
    return q
}

/// The same direction by the Cholesky path: ∇θL = F·∇μL, then solve F·x = ∇θL.
func choleskyDirection<Family: ExponentialFamily>(
    _ q: Family, target: Family
) throws(NaturalGradientError) -> [Double] {
    let thetaGradient = q.naturalParameterGradient(fromMeanGradient: klMeanGradient(q, target: target))
    return try q.meanGradient(fromNaturalParameterGradient: thetaGradient).direction
}

/// An empirical-Fisher natural gradient (GᵀG/n + λI)⁻¹g; with 64 samples in 4096 dimensions the
/// workspace picks the Woodbury solve by cost.
func empiricalDirection(
    gradients: Matrix, gradient: [Double]
) throws(NaturalGradientError) -> ([Double], EmpiricalFisherMethod) {
    var workspace = EmpiricalFisherWorkspace(samples: gradients.rows, parameters: gradients.columns)
    var direction = gradient
    let report = try workspace.solve(gradients: gradients, gradient: &direction, damping: 1e-3)
    return (direction, report.method)
}

// MARK: Tests of the example

@Suite("DocC worked example")
struct DocumentationExampleTests {
    func member(_ m: [Double], _ v: [Double]) throws -> ToyDiagonalNormal {
        try ToyDiagonalNormal(theta: zip(m, v).map { $0 / $1 } + v.map { -1 / (2 * $0) })
    }

    @Test("ρ = 1 reaches the target in one step; ρ = ½ shrinks the error by exactly ½ per step")
    func descent() throws {
        let start = try member([0.5, -1, 2], [1, 0.5, 3])
        let target = try member([-0.25, 0.75, 0], [2, 1.5, 0.8])
        let one = try descendKL(from: start, to: target, stepSize: 1, steps: 1)
        // θ − (θ − θₚ) = θₚ up to one rounding per entry.
        #expect(relativeError(one.naturalParameters, target.naturalParameters) <= 4 * Double.ulpOfOne)
        let five = try descendKL(from: start, to: target, stepSize: 0.5, steps: 5)
        let expected = zip(start.naturalParameters, target.naturalParameters).map { $1 + ($0 - $1) / 32 }
        // θₖ − θₚ = 2⁻ᵏ(θ₀ − θₚ); each step rounds once per entry: 5 steps, a few ulps each.
        #expect(relativeError(five.naturalParameters, expected) <= 32 * Double.ulpOfOne)
    }

    @Test("the Cholesky direction equals the fast-path direction")
    func choleskyAgrees() throws {
        let q = try member([0.3, 1.2], [0.7, 1.9])
        let target = try member([-1, 0.4], [1.1, 0.6])
        // Exact Fisher of a 4-parameter member with κ < 10³: F⁻¹(F·v) = v to ≲ 10³·4·ε.
        #expect(relativeError(try choleskyDirection(q, target: target), klMeanGradient(q, target: target)) <= 1e-11)
    }

    @Test("the empirical direction uses Woodbury for n ≪ p and matches the dense solve")
    func empirical() throws {
        var g = SeededGenerator(seed: 64)
        let gm = randomGaussianMatrix(8, 256, using: &g)
        let rhs = randomGaussianVector(256, using: &g)
        let (direction, method) = try empiricalDirection(gradients: gm, gradient: rhs)
        #expect(method == .woodbury)
        var fisher = EmpiricalFisherWorkspace.fisher(gradients: gm)
        fisher.addToDiagonal(1e-3)
        // κ(GᵀG/8 + 10⁻³I) ≈ 4·10⁴ here; a backward-stable solve and Woodbury's cancellation leave
        // ≲ κ·10³·ε ≈ 10⁻⁸ relative; 1e-7 is the stated bound.
        #expect(relativeError(direction, try Cholesky(fisher).solving(rhs)) <= 1e-7)
    }

    @Test("the article's code block is the code compiled here")
    func articleMatches() throws {
        let here = URL(fileURLWithPath: #filePath)
        let root = here.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let article = try String(contentsOf: root.appendingPathComponent(
            "Sources/NaturalGradient/NaturalGradient.docc/FastPathDerivation.md"), encoding: .utf8)
        let source = try String(contentsOf: here, encoding: .utf8)
        let start = try #require(article.range(of: "```swift\nimport NaturalGradient\n\n"))
        let end = try #require(article.range(of: "```", range: start.upperBound..<article.endIndex))
        let block = String(article[start.upperBound..<end.lowerBound])
        #expect(source.contains(block))
    }
}
