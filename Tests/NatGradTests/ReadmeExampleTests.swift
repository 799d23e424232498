import Foundation
import NatGrad
import Testing
import TestSupport

// The README's usage example, compiled and run. Between the markers the text must match the README's
// ```swift block line for line (leading indentation aside); the test below checks that.
// README-EXAMPLE-BEGIN
func readmeExample() throws -> (direction: [Double], meanGradient: [Double], q: MultivariateNormal, p: MultivariateNormal) {
    // A target p and a current q, two Gaussians in natural parameters θ = (Σ⁻¹m, upper triangle of −½Σ⁻¹).
    let p = try MultivariateNormal(mean: [1, -2], covariance: Matrix(rows: [[2, 0.5], [0.5, 1]]))
    var q = MultivariateNormal.standard(d: 2)

    // Fast path: for L(θ) = KL(q_θ‖p), ∇μL = θ_q − θ_p, and that *is* the natural gradient F⁻¹∇θL.
    let meanGradient = zip(q.naturalParameters, p.naturalParameters).map { $0 - $1 }

    // Cholesky path, for comparison: ∇θL = F·∇μL (chain rule), then solve F·d = ∇θL.
    let thetaGradient = q.fisherVectorProduct(meanGradient)
    let direction = try Cholesky(q.fisherInformation).solving(thetaGradient)   // equals meanGradient

    // One natural-gradient step with ρ = 1 lands exactly on p (the step halves ρ if θ would leave
    // the domain, e.g. a precision that is no longer positive definite).
    q = try q.naturalGradientStep(meanGradient: meanGradient, stepSize: 1).updated
    print(q.mean, q.covariance)   // [1.0, -2.0] and [[2, 0.5], [0.5, 1]], to rounding
    return (direction, meanGradient, q, p)
}
// README-EXAMPLE-END

@Suite("README usage example")
struct ReadmeExampleTests {
    @Test("runs, and the Cholesky path agrees with the fast path")
    func runs() throws {
        let (direction, meanGradient, q, p) = try readmeExample()
        // F here is 5 × 5 with condition number ~10²: a backward-stable solve gives ~κ·ε relative error.
        #expect(relativeError(direction, meanGradient) < 1e-12)
        // θ_new = θ − (θ − θ_p) = θ_p up to one rounding per component.
        #expect(relativeError(q.naturalParameters, p.naturalParameters) < 1e-15)
        #expect(relativeError(q.mean, [1, -2]) < 1e-14)
        #expect(q.covariance.isApproximatelyEqual(to: Matrix(rows: [[2, 0.5], [0.5, 1]]), relativeTolerance: 1e-14))
    }

    @Test("the README shows this code verbatim")
    func readmeIsCurrent() throws {
        // The README shows the function body (the lines inside `func readmeExample`), minus the return.
        let body = try markedLines(inFile: "Tests/NatGradTests/ReadmeExampleTests.swift",
                                   begin: "// README-EXAMPLE-BEGIN", end: "// README-EXAMPLE-END")
            .dropFirst().dropLast().filter { !$0.contains("return (direction") }
        #expect(try readmeSwiftBlock() == normalizedLines(body))
    }
}
