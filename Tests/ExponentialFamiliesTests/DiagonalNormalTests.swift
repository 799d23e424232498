import Testing
import TestSupport
@testable import ExponentialFamilies

@Suite("DiagonalNormal")
struct DiagonalNormalTests {
    // Independent reference: a DiagonalNormal is a MultivariateNormal with diagonal covariance.
    // Reorder the MVN's quantities (η, diagonal Λ entries) and compare. Both compute A, μ and F
    // with O(1) roundings per entry for well-scaled inputs: 1e-13 relative.
    @Test("agrees with MultivariateNormal on diagonal covariances", arguments: [1, 2, 5])
    func agreesWithFullCovariance(_ d: Int) throws {
        var g = SeededGenerator(seed: UInt64(300 + d))
        let m = randomGaussianVector(d, using: &g)
        let v = (0..<d).map { _ in 0.2 + Double.random(in: 0..<3, using: &g) }
        let p = try DiagonalNormal(mean: m, variances: v)
        let full = try MultivariateNormal(mean: m, covariance: .diagonal(v))
        // Index of Λᵢᵢ in the MVN vector.
        let diag = (0..<d).map { i in d + i * d - i * (i - 1) / 2 }
        let toFull = (0..<d).map { $0 } + diag
        #expect(Swift.abs(p.logPartition - full.logPartition) <= 1e-13 * Swift.max(1, Swift.abs(full.logPartition)))
        #expect(maxRelativeError(p.naturalParameters, toFull.map { full.naturalParameters[$0] }) <= 1e-13)
        #expect(maxRelativeError(p.meanParameters, toFull.map { full.meanParameters[$0] }) <= 1e-13)
        let ff = full.fisherInformation
        let f = p.fisherInformation
        for a in 0..<(2 * d) {
            for b in 0..<(2 * d) {
                #expect(Swift.abs(f[a, b] - ff[toFull[a], toFull[b]]) <= 1e-13 * Swift.max(1, Swift.abs(ff[toFull[a], toFull[b]])))
            }
        }
        let x = randomGaussianVector(2 * d, using: &g)
        #expect(maxRelativeError(p.fisherVectorProduct(x), f * x) <= 1e-13)
        #expect(p.expectedLogBaseMeasure == full.expectedLogBaseMeasure)
    }

    // Closed forms on both sides: μ → θ → μ costs a handful of roundings (σ² = μ₂ − μ₁² cancels by
    // a factor μ₂/σ² ≤ 10 here): 1e-13 relative.
    @Test("θ → μ → θ round trip")
    func roundTrip() throws {
        let p = try DiagonalNormal(mean: [1, -2, 0.5], variances: [0.5, 2, 1])
        let back = try p.withMeanParameters(p.meanParameters)
        #expect(maxRelativeError(back.naturalParameters, p.naturalParameters) <= 1e-13)
        let viaTheta = try DiagonalNormal(naturalParameters: p.naturalParameters)
        #expect(maxRelativeError(viaTheta.variances, p.variances) <= 1e-15)
    }

    // 20 000 draws: the standard error of the sample mean is σ/√n ≤ 0.01; 5 standard errors.
    @Test("sampling has the right moments")
    func sampling() throws {
        let p = try DiagonalNormal(mean: [1, -2], variances: [0.25, 4])
        var g = Xoshiro256(seed: 5)
        let n = 20_000
        var sumT = [Double](repeating: 0, count: 4)
        for _ in 0..<n {
            let t = try p.sufficientStatistics(p.sample(using: &g))
            for i in 0..<4 { sumT[i] += t[i] / Double(n) }
        }
        let fitted = try p.withMeanParameters(sumT)
        #expect(Swift.abs(fitted.mean[0] - 1) <= 5 * 0.5 / Double(n).squareRoot())
        #expect(Swift.abs(fitted.mean[1] + 2) <= 5 * 2 / Double(n).squareRoot())
        #expect(relativeError(fitted.variances, p.variances) <= 0.05)
    }

    @Test("domain violations throw the specific error")
    func domain() throws {
        #expect(throws: ExponentialFamilyError.outsideDomain(parameter: "variances[1]", value: 0, requirement: "> 0")) {
            _ = try DiagonalNormal(mean: [0, 0], variances: [1, 0])
        }
        #expect(throws: ExponentialFamilyError.outsideDomain(parameter: "variances[0]", value: -1, requirement: "> 0")) {
            _ = try DiagonalNormal(mean: [0], variances: [-1])
        }
        #expect(throws: ExponentialFamilyError.nonFinite(parameter: "mean[0]")) {
            _ = try DiagonalNormal(mean: [.nan], variances: [1])
        }
        #expect(throws: ExponentialFamilyError.outsideDomain(parameter: "theta[3] (λ1 = −1/(2σ²))", value: 0, requirement: "< 0")) {
            _ = try DiagonalNormal(naturalParameters: [0, 0, -1, 0])
        }
        #expect(throws: ExponentialFamilyError.wrongDimension(parameter: "theta", expected: 4, actual: 3)) {
            _ = try DiagonalNormal(naturalParameters: [0, 0, -1])
        }
        // Second moment below the squared mean: μ = (2, 3) means σ² = 3 − 4 = −1.
        #expect {
            _ = try DiagonalNormal(meanParameters: [2, 3])
        } throws: { error in
            guard case let .outsideDomain(parameter, value, _) = error as? ExponentialFamilyError else { return false }
            return parameter.contains("variance") && parameter.contains("second moment") && value == -1
        }
        let p = DiagonalNormal.standard(d: 2)
        #expect(throws: ExponentialFamilyError.self) { _ = try p.sufficientStatistics([1, .infinity]) }
        #expect(throws: ExponentialFamilyError.self) { _ = try p.sufficientStatistics([1, 2, 3]) }
    }
}
