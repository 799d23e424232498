import ExponentialFamilies
import Testing

/// The static constructors equal `fitted(to:)` on a placeholder member, and the closed forms where
/// they exist (x̄ for the Poisson rate, x̄ and the 1/n variance for the normal, 1/x̄ for the exponential).
@Suite("Maximum-likelihood constructors")
struct MaximumLikelihoodConstructorTests {
    @Test("closed forms and agreement with fitted(to:)")
    func closedForms() throws {
        let x: [Double] = [0.5, 1.5, 2.0, 4.0]
        let mean = 2.0, variance = (2.25 + 0.25 + 0 + 4) / 4
        let normal = try Normal.maximumLikelihood(x)
        #expect(abs(normal.meanParameters[0] - mean) <= 1e-15)
        #expect(abs(normal.meanParameters[1] - (variance + mean * mean)) <= 1e-14)
        #expect(abs(try Exponential.maximumLikelihood(x).meanParameters[0] - mean) <= 1e-15)
        #expect(abs(try Poisson.maximumLikelihood([0, 1, 5]).meanParameters[0] - 2) <= 1e-15)
        #expect(try Gamma.maximumLikelihood(x).naturalParameters == (try Gamma(shape: 3, rate: 2).fitted(to: x)).naturalParameters)
        #expect(throws: ExponentialFamilyError.self) { try Poisson.maximumLikelihood([Int]()) }
    }
}
