import Testing
import TestSupport
@testable import ExponentialFamilies

@Suite("Beta")
struct BetaTests {
    // Same error budget as the Dirichlet (Beta is its K = 2 case): log Γ and ψ to a few ulps, with
    // cancellation factors ≤ 15 at these points: 1e-13 relative on A, μ and F.
    @Test("reference values: A, μ, F, F·v, entropy, usual", arguments: [0, 1])
    func reference(_ k: Int) throws {
        let r = try referencePoints("Beta")[k]
        let p = try Beta(naturalParameters: r.theta)
        #expect(Swift.abs(p.logPartition - r.logPartition) <= 1e-13 * Swift.abs(r.logPartition))
        #expect(maxRelativeError(p.meanParameters, r.mu) <= 1e-13)
        #expect(p.fisherInformation.isApproximatelyEqual(to: r.fisher, relativeTolerance: 1e-13))
        #expect(maxRelativeError(p.fisherVectorProduct([1, 0]), r.fisher.column(0)) <= 1e-13)
        #expect(maxRelativeError(p.fisherVectorProduct([0, 1]), r.fisher.column(1)) <= 1e-13)
        #expect(Swift.abs(entropyFromParts(p) - r.entropy) <= r.entropyCancellationFactor * 1e-13 * Swift.max(1, Swift.abs(r.entropy)))
        #expect(Swift.abs(p.alpha - number(r.usual["alpha"])) <= 1e-15 * p.alpha)
        #expect(Swift.abs(p.beta - number(r.usual["beta"])) <= 1e-15 * p.beta)
    }

    @Test("reference KL (Bregman form)")
    func referenceKL() throws {
        let r = try referencePoints("Beta")
        let p = try Beta(naturalParameters: r[0].theta)
        let q = try Beta(naturalParameters: r[1].theta)
        let factor = try bregmanCancellationFactor("Beta")
        #expect(Swift.abs(bregmanKL(p, q) - r[0].klNext!) <= factor * 1e-13 * r[0].klNext!)
    }

    // Newton tolerance 1e-12 on the scaled residual; ‖F⁻¹‖ ≤ 22 at these points (fisher_inv), so θ is
    // good to ≈ 22·1e-12·|μ|: tolerance 1e-9 relative.
    @Test("mean → natural by the generic Newton map recovers the reference θ", arguments: [0, 1])
    func inverse(_ k: Int) throws {
        let r = try referencePoints("Beta")[k]
        let p = try Beta(meanParameters: r.mu)
        #expect(maxRelativeError(p.naturalParameters, r.theta) <= 1e-9)
    }

    // Far starts: the residual is what Newton controls (1e-12 scaled); α, β to 1e-6 relative.
    @Test("round trip from far starts", arguments: [(0.001, 0.001), (1e-3, 1e4), (1e5, 3e5), (0.5, 0.5), (40, 2)])
    func roundTrip(_ ab: (Double, Double)) throws {
        let p = try Beta(alpha: ab.0, beta: ab.1)
        let back = try p.withMeanParameters(p.meanParameters)
        #expect(maxRelativeError(back.meanParameters, p.meanParameters) <= 2e-12)
        #expect(Swift.abs(back.alpha - ab.0) <= 1e-6 * ab.0)
        #expect(Swift.abs(back.beta - ab.1) <= 1e-6 * ab.1)
    }

    @Test("sampling via gammas matches the mean parameters")
    func sampling() throws {
        let p = try Beta(alpha: 0.8, beta: 3)
        var g = Xoshiro256(seed: 31)
        let n = 20_000
        var mean = [0.0, 0.0]
        for _ in 0..<n {
            let t = try p.sufficientStatistics(p.sample(using: &g))
            mean[0] += t[0] / Double(n)
            mean[1] += t[1] / Double(n)
        }
        // 5 standard errors √(Fᵢᵢ/n).
        let f = p.fisherInformation, mu = p.meanParameters
        for i in 0..<2 { #expect(Swift.abs(mean[i] - mu[i]) <= 5 * (f[i, i] / Double(n)).squareRoot()) }
    }

    @Test("domain violations throw the specific error")
    func domain() throws {
        #expect(throws: ExponentialFamilyError.outsideDomain(parameter: "alpha", value: 0, requirement: "> 0")) {
            _ = try Beta(alpha: 0, beta: 1)
        }
        #expect(throws: ExponentialFamilyError.outsideDomain(parameter: "beta", value: -3, requirement: "> 0")) {
            _ = try Beta(alpha: 1, beta: -3)
        }
        #expect(throws: ExponentialFamilyError.nonFinite(parameter: "beta")) { _ = try Beta(alpha: 1, beta: .nan) }
        #expect(throws: ExponentialFamilyError.outsideDomain(parameter: "theta[1] (beta − 1)", value: -2, requirement: "> −1")) {
            _ = try Beta(naturalParameters: [0, -2])
        }
        #expect {
            _ = try Beta(meanParameters: [-0.5, -0.5])  // e^−0.5 + e^−0.5 ≈ 1.21 ≥ 1
        } throws: { error in
            guard case let .outsideDomain(parameter, _, _) = error as? ExponentialFamilyError else { return false }
            return parameter.contains("Σ exp(mu")
        }
        #expect(throws: ExponentialFamilyError.wrongDimension(parameter: "mu", expected: 2, actual: 1)) {
            _ = try Beta(meanParameters: [-1])
        }
        #expect {
            _ = try Beta(meanParameters: Beta(alpha: 0.01, beta: 30).meanParameters, newton: NewtonInverseMap(maximumIterations: 1))
        } throws: { error in
            guard case let .inverseMapDidNotConverge(iterations, _) = error as? ExponentialFamilyError else { return false }
            return iterations == 1
        }
        let p = try Beta(alpha: 2, beta: 2)
        for x in [0.0, 1, -0.5, 1.5, .nan] {
            #expect(throws: ExponentialFamilyError.self) { _ = try p.sufficientStatistics(x) }
        }
    }
}
