import Testing
import TestSupport
@testable import ExponentialFamilies

@Suite("MultivariateNormal")
struct MultivariateNormalTests {
    // The reference points have covariances with condition numbers ≈ 2–4 (d = 3): forming Σ = P⁻¹ and
    // m = P⁻¹η costs a few ε·κ, and the Isserlis sums ≈ 10 terms of magnitude ≤ |F|. Relative
    // tolerance 1e-13 (≈ 450ε) covers κ·d·(a few ε) with a margin.
    @Test("reference values: A, μ, F, F·v", arguments: [0, 1])
    func reference(_ k: Int) throws {
        let r = try referencePoints("MultivariateNormal")[k]
        let p = try MultivariateNormal(naturalParameters: r.theta)
        #expect(p.d == 3)
        #expect(Swift.abs(p.logPartition - r.logPartition) <= 1e-13 * Swift.abs(r.logPartition))
        #expect(maxRelativeError(p.meanParameters, r.mu) <= 1e-13)
        #expect(p.fisherInformation.isApproximatelyEqual(to: r.fisher, relativeTolerance: 1e-13))
        for j in 0..<9 {
            var e = [Double](repeating: 0, count: 9)
            e[j] = 1
            #expect(maxRelativeError(p.fisherVectorProduct(e), r.fisher.column(j)) <= 1e-13, "column \(j)")
        }
        #expect(Swift.abs(p.expectedLogBaseMeasure - r.expectedLogBaseMeasure) <= 1e-15 * Swift.abs(r.expectedLogBaseMeasure))
        // H = A − θ·μ − E log h loses log10(factor) digits on top of the 1e-13 error of A and μ.
        #expect(Swift.abs(entropyFromParts(p) - r.entropy) <= r.entropyCancellationFactor * 1e-13 * Swift.max(1, Swift.abs(r.entropy)))
        // Usual parameters.
        let mean = (r.usual["mean"] as! [Any]).map(number)
        let cov = Matrix(rows: (r.usual["cov"] as! [[Any]]).map { $0.map(number) })
        #expect(maxRelativeError(p.mean, mean) <= 1e-13)
        #expect(p.covariance.isApproximatelyEqual(to: cov, relativeTolerance: 1e-13))
    }

    @Test("reference KL between the two points (Bregman form)")
    func referenceKL() throws {
        let r = try referencePoints("MultivariateNormal")
        let p = try MultivariateNormal(naturalParameters: r[0].theta)
        let q = try MultivariateNormal(naturalParameters: r[1].theta)
        let factor = try bregmanCancellationFactor("MultivariateNormal")
        #expect(Swift.abs(bregmanKL(p, q) - r[0].klNext!) <= factor * 1e-13 * r[0].klNext!)
    }

    // Round trips through the three constructors. The closed forms invert Σ and P once each: error
    // ≈ κ(Σ)·d·ε; with the random SPD matrices below (κ ≲ 20) tolerance 1e-11 relative.
    @Test("θ → μ → θ and usual-parameter round trips", arguments: [1, 2, 3, 5, 8])
    func roundTrips(_ d: Int) throws {
        var g = SeededGenerator(seed: UInt64(100 + d))
        let sigma = randomSPD(d, shift: 0.5, using: &g)
        let m = randomGaussianVector(d, using: &g)
        let p = try MultivariateNormal(mean: m, covariance: sigma)
        let back = try p.withMeanParameters(p.meanParameters)
        #expect(maxRelativeError(back.naturalParameters, p.naturalParameters) <= 1e-11)
        let viaTheta = try MultivariateNormal(naturalParameters: p.naturalParameters)
        #expect(maxRelativeError(viaTheta.mean, m) <= 1e-11)
        #expect(viaTheta.covariance.isApproximatelyEqual(to: sigma, relativeTolerance: 1e-11))
        let viaPrecision = try MultivariateNormal(mean: m, precision: p.precision)
        #expect(viaPrecision.covariance.isApproximatelyEqual(to: sigma, relativeTolerance: 1e-11))
    }

    // F·v (O(d³) directional derivative) against the explicit Isserlis F (O(d⁴)): the two are
    // independent formulas. Both sum O(d) products of entries of Σ and m; relative 1e-12 in the
    // max norm, scaled by max |F|·max |v|·dim.
    @Test("Fisher-vector product equals explicit F·v", arguments: [1, 2, 4, 7])
    func fisherVectorProduct(_ d: Int) throws {
        var g = SeededGenerator(seed: UInt64(200 + d))
        let p = try MultivariateNormal(mean: randomGaussianVector(d, using: &g), covariance: randomSPD(d, using: &g))
        let v = randomGaussianVector(p.dimension, using: &g)
        let f = p.fisherInformation
        let expected = f * v
        var fmax = 0.0
        for x in f.elements { fmax = Swift.max(fmax, Swift.abs(x)) }
        let diff = zip(p.fisherVectorProduct(v), expected).map { Swift.abs($0 - $1) }.max()!
        #expect(diff <= 1e-13 * fmax * Double(p.dimension) * v.map(Swift.abs).max()!)
    }

    // μ = ∇A by central differences: truncation O(h²·A‴) ≈ 1e-10 and rounding ε|A|/h ≈ 1e-11 for
    // h = 1e-5, so tolerance 1e-7 relative (generous; a wrong factor of 2 on an off-diagonal entry
    // would be an O(1) error).
    @Test("μ equals the central-difference gradient of A")
    func gradientOfA() throws {
        let r = try referencePoints("MultivariateNormal")[0]
        let p = try MultivariateNormal(naturalParameters: r.theta)
        let grad = centralGradient({ (try? MultivariateNormal(naturalParameters: $0))?.logPartition ?? .nan }, at: r.theta)
        #expect(maxRelativeError(grad, p.meanParameters) <= 1e-7)
    }

    // Sample mean and covariance of 20 000 seeded draws: standard error of each mean entry is
    // √(Σᵢᵢ/n) ≤ 0.01 here; tolerance 5 standard errors (0.05) on mean and covariance entries.
    @Test("sampling through the precision's Cholesky factor has the right moments")
    func sampling() throws {
        let r = try referencePoints("MultivariateNormal")[1]
        let p = try MultivariateNormal(naturalParameters: r.theta)
        var g = Xoshiro256(seed: 7)
        let n = 20_000
        var sumT = [Double](repeating: 0, count: p.dimension)
        for _ in 0..<n {
            let t = try p.sufficientStatistics(p.sample(using: &g))
            for i in t.indices { sumT[i] += t[i] / Double(n) }
        }
        let fitted = try p.withMeanParameters(sumT)
        let sd = p.covariance.diagonalElements.map { $0.squareRoot() }.max()!
        #expect(zip(fitted.mean, p.mean).allSatisfy { Swift.abs($0 - $1) <= 5 * sd / Double(n).squareRoot() })
        #expect(fitted.covariance.isApproximatelyEqual(to: p.covariance, relativeTolerance: 0.05))
    }

    @Test("d = 0 and d = 1 edge cases")
    func smallDimensions() throws {
        let z = MultivariateNormal.standard(d: 0)
        #expect(z.dimension == 0 && z.logPartition == 0 && z.meanParameters.isEmpty && z.fisherVectorProduct([]).isEmpty)
        let one = try MultivariateNormal(mean: [2], covariance: Matrix(rows: [[4]]))
        // θ = (m/σ², −1/(2σ²)) = (0.5, −0.125), μ = (2, 8): exact in binary.
        #expect(one.naturalParameters == [0.5, -0.125])
        #expect(one.meanParameters == [2, 8])
    }

    @Test("domain violations throw the specific error")
    func domain() throws {
        // Not positive definite covariance.
        #expect {
            _ = try MultivariateNormal(mean: [0, 0], covariance: Matrix(rows: [[1, 2], [2, 1]]))
        } throws: { error in
            guard case let .outsideDomain(parameter, value, _) = error as? ExponentialFamilyError else { return false }
            return parameter.hasPrefix("covariance") && Swift.abs(value - -1) < 1e-12
        }
        // Singular PSD covariance.
        #expect {
            _ = try MultivariateNormal(mean: [0, 0], covariance: Matrix(rows: [[1, 1], [1, 1]]))
        } throws: { error in
            guard case let .outsideDomain(parameter, _, _) = error as? ExponentialFamilyError else { return false }
            return parameter.hasPrefix("covariance")
        }
        // Asymmetric covariance.
        #expect {
            _ = try MultivariateNormal(mean: [0, 0], covariance: Matrix(rows: [[2, 1], [0.5, 2]]))
        } throws: { error in
            guard case let .outsideDomain(parameter, _, requirement) = error as? ExponentialFamilyError else { return false }
            return parameter.hasPrefix("covariance[1, 0]") && requirement.contains("symmetric")
        }
        #expect(throws: ExponentialFamilyError.nonFinite(parameter: "covariance[1, 0]")) {
            _ = try MultivariateNormal(mean: [0, 0], covariance: Matrix(rows: [[1, .nan], [.nan, 1]]))
        }
        #expect(throws: ExponentialFamilyError.nonFinite(parameter: "mean[1]")) {
            _ = try MultivariateNormal(mean: [0, .infinity], covariance: .identity(2))
        }
        // Indefinite precision.
        #expect {
            _ = try MultivariateNormal(mean: [0, 0], precision: Matrix(rows: [[1, 0], [0, -1]]))
        } throws: { error in
            guard case let .outsideDomain(parameter, _, _) = error as? ExponentialFamilyError else { return false }
            return parameter.hasPrefix("precision")
        }
        // Natural parameters with Λ not negative definite (d = 2: η₁, η₂, Λ₁₁, Λ₁₂, Λ₂₂).
        #expect {
            _ = try MultivariateNormal(naturalParameters: [0, 0, 0.5, 0, -0.5])
        } throws: { error in
            guard case let .outsideDomain(parameter, value, _) = error as? ExponentialFamilyError else { return false }
            return parameter.hasPrefix("precision −2Λ") && value == -1
        }
        #expect(throws: ExponentialFamilyError.nonFinite(parameter: "theta[2]")) {
            _ = try MultivariateNormal(naturalParameters: [0, 0, .nan, 0, -0.5])
        }
        #expect(throws: ExponentialFamilyError.wrongDimension(parameter: "theta", expected: 5, actual: 4)) {
            _ = try MultivariateNormal(naturalParameters: [0, 0, -0.5, -0.5])
        }
        // Mean parameters whose E[xxᵀ] − mmᵀ is not positive definite: m = (1, 1), E[xxᵀ] = I.
        let p = MultivariateNormal.standard(d: 2)
        #expect {
            _ = try p.withMeanParameters([1, 1, 1, 0, 1])
        } throws: { error in
            guard case let .outsideDomain(parameter, _, _) = error as? ExponentialFamilyError else { return false }
            return parameter.contains("covariance") && parameter.contains("second moment")
        }
        #expect(throws: ExponentialFamilyError.nonFinite(parameter: "mu[4]")) {
            _ = try p.withMeanParameters([0, 0, 1, 0, .nan])
        }
        // Observations.
        #expect(throws: ExponentialFamilyError.self) { _ = try p.sufficientStatistics([1]) }
        #expect(throws: ExponentialFamilyError.self) { _ = try p.logBaseMeasure([1, .nan]) }
    }
}
