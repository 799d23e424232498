import Testing
import TestSupport
@testable import ExponentialFamilies

@Suite("Dirichlet")
struct DirichletTests {
    // A = Σ log Γ(αᵢ) − log Γ(α₀): swift-numerics log Γ is accurate to a few ulps; the sum of K + 1 = 4
    // terms of size ≤ 10 against |A| ≥ 2.8 loses at most a factor ≈ 5: tolerance 1e-14 relative.
    // μᵢ = ψ(αᵢ) − ψ(α₀): digamma is good to 4e-15 relative; the difference of terms of size ≤ 2.5
    // against |μᵢ| ≥ 0.17: ≤ 15 × 4e-15 → tolerance 1e-13 relative (max-norm, floor 1). F from
    // trigamma (2e-15) minus trigamma: 1e-13 relative.
    @Test("reference values: A, μ, F, F·v, entropy", arguments: [0, 1])
    func reference(_ k: Int) throws {
        let r = try referencePoints("Dirichlet")[k]
        let p = try Dirichlet(naturalParameters: r.theta)
        #expect(Swift.abs(p.logPartition - r.logPartition) <= 1e-14 * Swift.abs(r.logPartition))
        #expect(maxRelativeError(p.meanParameters, r.mu) <= 1e-13)
        #expect(p.fisherInformation.isApproximatelyEqual(to: r.fisher, relativeTolerance: 1e-13))
        for j in 0..<3 {
            var e = [Double](repeating: 0, count: 3)
            e[j] = 1
            #expect(maxRelativeError(p.fisherVectorProduct(e), r.fisher.column(j)) <= 1e-13)
        }
        // The entropy formula loses log10(factor) digits on top of the 1e-13 error of μ.
        #expect(Swift.abs(entropyFromParts(p) - r.entropy) <= r.entropyCancellationFactor * 1e-13 * Swift.max(1, Swift.abs(r.entropy)))
        let alpha = (r.usual["alpha"] as! [Any]).map(number)
        #expect(maxRelativeError(p.alpha, alpha) <= 1e-15)
    }

    @Test("reference KL (Bregman form)")
    func referenceKL() throws {
        let r = try referencePoints("Dirichlet")
        let p = try Dirichlet(naturalParameters: r[0].theta)
        let q = try Dirichlet(naturalParameters: r[1].theta)
        let factor = try bregmanCancellationFactor("Dirichlet")
        #expect(Swift.abs(bregmanKL(p, q) - r[0].klNext!) <= factor * 1e-13 * r[0].klNext!)
    }

    // μ → θ by Newton recovers the reference θ from the reference μ. The inverse map's condition
    // number is ‖F⁻¹‖·‖F‖ (≈ 10³ for point 0: fisher_inv entries up to 20, F up to 0.6); μ carries
    // its 17-digit rounding (1e-17 relative) and the Newton tolerance is 1e-12 on the scaled residual,
    // so θ is good to ≈ ‖F⁻¹‖·1e-12·|μ| ≈ 1e-10: tolerance 1e-9 relative.
    @Test("mean → natural by Newton recovers the reference θ", arguments: [0, 1])
    func inverse(_ k: Int) throws {
        let r = try referencePoints("Dirichlet")[k]
        let p = try Dirichlet(meanParameters: r.mu)
        #expect(maxRelativeError(p.naturalParameters, r.theta) <= 1e-9)
    }

    // Round trips from far-apart concentrations, including tiny (1e-3) and huge (1e5) α, where the
    // closed-form start is poor or the Sherman–Morrison step loses digits. The tolerance is on the
    // residual μ(θ̂) − μ, which is what Newton controls (1e-12 scaled); α itself is then good to the
    // conditioning of the inverse map, checked at 1e-6 relative.
    @Test("θ → μ → θ round trip from far starts", arguments: [
        [0.001, 0.002, 0.5], [1e5, 2e5, 3e5], [0.01, 100, 1], [1, 1], [0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 500],
    ])
    func roundTrip(_ alpha: [Double]) throws {
        let p = try Dirichlet(alpha: alpha)
        let back = try p.withMeanParameters(p.meanParameters)
        #expect(maxRelativeError(back.meanParameters, p.meanParameters) <= 2e-12)
        #expect(relativeError(back.alpha, alpha) <= 1e-6)
    }

    @Test("non-convergence is reported with the iterations and residual")
    func nonConvergence() throws {
        let p = try Dirichlet(alpha: [0.001, 50, 3])
        #expect {
            _ = try Dirichlet(meanParameters: p.meanParameters, newton: NewtonInverseMap(maximumIterations: 1))
        } throws: { error in
            guard case let .inverseMapDidNotConverge(iterations, residual) = error as? ExponentialFamilyError else { return false }
            return iterations == 1 && residual > 0 && residual.isFinite
        }
    }

    // Var of the sample mean of log xᵢ is Fᵢᵢ/n; with n = 20 000 the standard error is ≤ 0.013 for
    // these α (F₀₀ ≈ 3); tolerance 5 standard errors on μ, then α̂ within 10 % (the inverse map
    // amplifies by ‖F⁻¹‖ ≈ 10 at most here).
    @Test("sampling via gammas: sample mean of T matches μ, MLE recovers α")
    func sampling() throws {
        let p = try Dirichlet(alpha: [0.7, 2.5, 6])
        var g = Xoshiro256(seed: 11)
        let n = 20_000
        var mean = [Double](repeating: 0, count: 3)
        for _ in 0..<n {
            let t = try p.sufficientStatistics(p.sample(using: &g))
            for i in 0..<3 { mean[i] += t[i] / Double(n) }
        }
        let f = p.fisherInformation
        let mu = p.meanParameters
        for i in 0..<3 {
            #expect(Swift.abs(mean[i] - mu[i]) <= 5 * (f[i, i] / Double(n)).squareRoot())
        }
        let fitted = try p.withMeanParameters(mean)
        #expect(relativeError(fitted.alpha, p.alpha) <= 0.1)
    }

    @Test("small concentrations sample without underflowing to 0/0")
    func tinyConcentrations() throws {
        let p = try Dirichlet(alpha: [0.01, 0.01, 0.01])
        var g = Xoshiro256(seed: 3)
        for _ in 0..<1000 {
            let x = p.sample(using: &g)
            #expect(x.allSatisfy { $0.isFinite && $0 >= 0 })
            #expect(Swift.abs(x.reduce(0, +) - 1) <= 1e-12)
        }
    }

    @Test("domain violations throw the specific error")
    func domain() throws {
        #expect(throws: ExponentialFamilyError.outsideDomain(parameter: "alpha[1]", value: 0, requirement: "> 0")) {
            _ = try Dirichlet(alpha: [1, 0, 2])
        }
        #expect(throws: ExponentialFamilyError.nonFinite(parameter: "alpha[2]")) {
            _ = try Dirichlet(alpha: [1, 1, .nan])
        }
        #expect(throws: ExponentialFamilyError.outsideDomain(parameter: "theta[0] (alpha[0] − 1)", value: -1.5, requirement: "> −1")) {
            _ = try Dirichlet(naturalParameters: [-1.5, 0])
        }
        #expect(throws: ExponentialFamilyError.wrongDimension(parameter: "alpha (at least 2 categories)", expected: 2, actual: 1)) {
            _ = try Dirichlet(alpha: [1])
        }
        // μ with Σ exp μᵢ ≥ 1 is not attainable (e.g. μ = (−0.1, −0.1): Σ e^μ ≈ 1.81).
        #expect {
            _ = try Dirichlet(meanParameters: [-0.1, -0.1])
        } throws: { error in
            guard case let .outsideDomain(parameter, value, _) = error as? ExponentialFamilyError else { return false }
            return parameter.contains("Σ exp(mu") && value > 1.8
        }
        #expect(throws: ExponentialFamilyError.nonFinite(parameter: "mu[1]")) {
            _ = try Dirichlet(meanParameters: [-1, -.infinity])
        }
        let p = try Dirichlet(alpha: [1, 2, 3])
        #expect(throws: ExponentialFamilyError.wrongDimension(parameter: "mu", expected: 3, actual: 2)) {
            _ = try p.withMeanParameters([-1, -1])
        }
        // Observations off the simplex.
        for bad in [[0.5, 0.5, 0], [0.2, 0.2, 0.2], [-0.1, 0.6, 0.5], [0.5, 0.5]] {
            #expect(throws: ExponentialFamilyError.self) { _ = try p.sufficientStatistics(bad) }
        }
        #expect(try p.logBaseMeasure([0.2, 0.3, 0.5]) == 0)
    }
}
