import Testing
import TestSupport
@testable import ExponentialFamilies

@Suite("Gamma")
struct GammaTests {
    // A = log Γ(k) − k log b: a few ulps each, |A| not small against the terms (factor ≤ 30 at point 1,
    // where log Γ(26.7) ≈ 60 and k log b ≈ −28.7): 1e-14 relative. μ₁ = ψ(k) − log b: digamma's 4e-15
    // with a cancellation factor ≤ 3: 1e-14. F: trigamma 2e-15 and exact-ish divisions: 1e-14.
    @Test("reference values: A, μ, F, F·v, entropy, usual", arguments: [0, 1])
    func reference(_ k: Int) throws {
        let r = try referencePoints("Gamma")[k]
        let p = try Gamma(naturalParameters: r.theta)
        #expect(Swift.abs(p.logPartition - r.logPartition) <= 1e-14 * 30 * Swift.abs(r.logPartition))
        #expect(maxRelativeError(p.meanParameters, r.mu) <= 1e-14)
        #expect(p.fisherInformation.isApproximatelyEqual(to: r.fisher, relativeTolerance: 1e-14))
        #expect(maxRelativeError(p.fisherVectorProduct([1, 0]), r.fisher.column(0)) <= 1e-14)
        #expect(maxRelativeError(p.fisherVectorProduct([0, 1]), r.fisher.column(1)) <= 1e-14)
        // The entropy formula loses log10(factor) digits (factor 55 at point 1) on top of A's and μ's 1e-14.
        #expect(Swift.abs(entropyFromParts(p) - r.entropy) <= r.entropyCancellationFactor * 3e-14 * Swift.max(1, Swift.abs(r.entropy)))
        #expect(Swift.abs(p.shape - number(r.usual["shape"])) <= 1e-15 * p.shape)
        #expect(Swift.abs(p.rate - number(r.usual["rate"])) <= 1e-15 * p.rate)
        #expect(Swift.abs(p.scale - number(r.usual["scale"])) <= 2e-16 * p.scale * 2)
    }

    @Test("reference KL (Bregman form)")
    func referenceKL() throws {
        let r = try referencePoints("Gamma")
        let p = try Gamma(naturalParameters: r[0].theta)
        let q = try Gamma(naturalParameters: r[1].theta)
        let factor = try bregmanCancellationFactor("Gamma")
        #expect(Swift.abs(bregmanKL(p, q) - r[0].klNext!) <= factor * 3e-14 * r[0].klNext!)
    }

    // The inverse map from the reference μ: k solves log k − ψ(k) = log μ₂ − μ₁ =: s. s carries the
    // cancellation of log μ₂ − μ₁ (factor |μ₁|/s ≈ 1.5 and ≈ 60 at the two points) on the 1e-17
    // rounding of μ, and dk/k = ds/s · s/(k·|f′(k)|) ≈ ds/s (k·|f′| ≈ s for large k). Tolerance
    // 1e-13 relative on θ.
    @Test("mean → natural recovers the reference θ", arguments: [0, 1])
    func inverse(_ k: Int) throws {
        let r = try referencePoints("Gamma")[k]
        let p = try Gamma(meanParameters: r.mu)
        #expect(maxRelativeError(p.naturalParameters, r.theta) <= 1e-13)
    }

    // Far starts: shapes from 10⁻³ to 10¹². μ₁ = ψ(k) − log b suffers cancellation for large k (the
    // round trip through μ loses ≈ log10(2k) digits in s), so the check is on the residual the solver
    // controls plus a shape tolerance of 2k·1e-15 (the conditioning of k ↦ s).
    @Test("round trip over twelve orders of magnitude of shape", arguments: [1e-3, 0.05, 1, 7.5, 300, 1e6, 1e12])
    func roundTrip(_ k: Double) throws {
        let p = try Gamma(shape: k, rate: 2)
        let back = try p.withMeanParameters(p.meanParameters)
        #expect(Swift.abs(back.shape - k) <= Swift.max(1e-13, 4 * k * 1e-15) * k)
        #expect(Swift.abs(back.rate - 2) <= Swift.max(1e-13, 4 * k * 1e-15) * 2)
    }

    @Test("non-convergence within one iteration is reported")
    func nonConvergence() throws {
        let mu = try Gamma(shape: 0.3, rate: 1).meanParameters
        #expect {
            _ = try Gamma(meanParameters: mu, newton: NewtonInverseMap(maximumIterations: 1))
        } throws: { error in
            guard case let .inverseMapDidNotConverge(iterations, residual) = error as? ExponentialFamilyError else { return false }
            return iterations == 1 && residual > 0 && residual < 1
        }
        // With the default cap it converges in a few steps.
        #expect(try Gamma(meanParameters: mu).shape > 0)
    }

    // n = 20 000 draws; standard error of the mean of T is √(Fᵢᵢ/n): tolerance 5 standard errors.
    @Test("sampling has the right moments; MLE recovers the parameters")
    func sampling() throws {
        let p = try Gamma(shape: 2.5, rate: 0.5)
        var g = Xoshiro256(seed: 21)
        let n = 20_000
        var mean = [0.0, 0.0]
        for _ in 0..<n {
            let t = try p.sufficientStatistics(p.sample(using: &g))
            mean[0] += t[0] / Double(n)
            mean[1] += t[1] / Double(n)
        }
        let f = p.fisherInformation, mu = p.meanParameters
        for i in 0..<2 { #expect(Swift.abs(mean[i] - mu[i]) <= 5 * (f[i, i] / Double(n)).squareRoot()) }
        let fitted = try p.withMeanParameters(mean)
        #expect(Swift.abs(fitted.shape - 2.5) <= 0.1 * 2.5)
    }

    @Test("domain violations throw the specific error")
    func domain() throws {
        #expect(throws: ExponentialFamilyError.outsideDomain(parameter: "shape", value: 0, requirement: "> 0")) {
            _ = try Gamma(shape: 0, rate: 1)
        }
        #expect(throws: ExponentialFamilyError.outsideDomain(parameter: "rate", value: -1, requirement: "> 0")) {
            _ = try Gamma(shape: 1, rate: -1)
        }
        #expect(throws: ExponentialFamilyError.nonFinite(parameter: "rate")) { _ = try Gamma(shape: 1, rate: .infinity) }
        #expect(throws: ExponentialFamilyError.nonFinite(parameter: "shape")) { _ = try Gamma(shape: .nan, rate: 1) }
        #expect(throws: ExponentialFamilyError.outsideDomain(parameter: "theta[0] (shape − 1)", value: -1, requirement: "> −1")) {
            _ = try Gamma(naturalParameters: [-1, -1])
        }
        #expect(throws: ExponentialFamilyError.outsideDomain(parameter: "theta[1] (−rate)", value: 0, requirement: "< 0")) {
            _ = try Gamma(naturalParameters: [0, 0])
        }
        #expect(throws: ExponentialFamilyError.wrongDimension(parameter: "theta", expected: 2, actual: 3)) {
            _ = try Gamma(naturalParameters: [0, -1, 0])
        }
        #expect(throws: ExponentialFamilyError.outsideDomain(parameter: "mu[1] (E[x])", value: -2, requirement: "> 0")) {
            _ = try Gamma(meanParameters: [0, -2])
        }
        // E[log x] ≥ log E[x] violates Jensen: μ = (1, e) gives s = 0.
        #expect {
            _ = try Gamma(meanParameters: [2, 1])
        } throws: { error in
            guard case let .outsideDomain(parameter, value, _) = error as? ExponentialFamilyError else { return false }
            return parameter.hasPrefix("log(mu[1]) − mu[0]") && value == -2
        }
        #expect(throws: ExponentialFamilyError.nonFinite(parameter: "mu[0]")) { _ = try Gamma(meanParameters: [.nan, 1]) }
        let p = try Gamma(shape: 1, rate: 1)
        for x in [0.0, -1, .infinity, .nan] {
            #expect(throws: ExponentialFamilyError.self) { _ = try p.sufficientStatistics(x) }
        }
    }
}
