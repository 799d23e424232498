@testable import ExponentialFamilies
import Testing

/// Accuracy of the scalar helpers and of the cancellation-free KL/entropy forms, against values computed
/// offline with mpmath at 50 digits from the exact doubles shown (printed with %.17g).
@Suite("Scalar accuracy")
struct ScalarAccuracyTests {
    /// φ(d) = d − log1p(d): series below |d| = 1/4 and direct above; both a few ulps (2e-15 relative).
    @Test(arguments: [
        (1e-10, 4.9999999996666671e-21), (-1.0000000000000001e-05, 5.0000333335833364e-11),
        (0.10000000000000001, 0.0046898201956751401), (-0.20000000000000001, 0.023143551314209757),
        (0.29999999999999999, 0.037635735532508943), (5, 3.208240530771945), (-0.90000000000000002, 1.402585092994046),
    ])
    func dMinusLog1p(_ d: Double, _ expected: Double) {
        let value = ScalarFunctions.dMinusLog1p(d)
        #expect(Swift.abs(value - expected) <= 2e-15 * expected, "φ(\(d)) = \(value), expected \(expected)")
    }

    /// eᶻE₁(z): series (z ≤ 1) and continued fraction (z > 1), 1e-14 relative (a few ulps plus the
    /// e^z·(…) product's rounding).
    @Test(arguments: [
        (0.01, 4.078511443456426), (0.5, 0.92291063248373051), (1.0, 0.59634736232319407),
        (1.5, 0.44825666929158298), (7.0, 0.12664109607663276), (50.0, 0.019615109930114869),
        (700.0, 0.0014265364183008867),
    ])
    func scaledE1(_ z: Double, _ expected: Double) {
        let value = ScalarFunctions.scaledExponentialIntegralE1(z)
        #expect(Swift.abs(value - expected) <= 1e-14 * expected, "e^z E1(\(z)) = \(value), expected \(expected)")
    }

    /// KL between nearly equal members, where the Bregman form A(θq) − A(θp) − (θq − θp)·μp loses
    /// every digit (its rounding error ε·|A| exceeds the KL itself).
    @Test func nearlyEqualNormals() throws {
        // Mean and variance are stored exactly; the differences are exact (Sterbenz): 1e-13 relative.
        let p = try Normal(mean: 1, variance: 2)
        let q = try Normal(mean: 1.0000000009313226, variance: 2.0000000298023224)
        let expected = 5.5727990559616287e-17
        #expect(Swift.abs(p.klDivergence(to: q) - expected) <= 1e-13 * expected)
        #expect(Swift.abs(p.bregmanDivergence(to: q) - expected) > 1e-3 * expected, "the Bregman form is expected to fail here")
    }

    @Test func nearlyEqualBernoullis() throws {
        // θ exact; δ = σ(θ′) − σ(θ) by the sinh/cosh identity (a few ulps): 1e-13 relative.
        let p = try Bernoulli(naturalParameters: [0.3]), q = try Bernoulli(naturalParameters: [0.30000002980232238])
        let expected = 1.0856129831945716e-16
        #expect(Swift.abs(p.klDivergence(to: q) - expected) <= 1e-13 * expected)
    }

    @Test func nearlyEqualGeometrics() throws {
        // θ exact; e^(θ′−θ) − 1 by expm1 of an exact difference: 1e-13 relative.
        let p = try Geometric(naturalParameters: [-0.5]), q = try Geometric(naturalParameters: [-0.4999999962747097])
        let expected = 2.718449152516668e-17
        #expect(Swift.abs(p.klDivergence(to: q) - expected) <= 1e-13 * expected)
    }

    @Test func nearlyEqualPoissons() throws {
        // The rates are stored as given; λ′ − λ is exact (Sterbenz), one rounding in the division and a
        // few ulps in φ: 1e-13 relative.
        let p = try Poisson(rate: 1e6), q = try Poisson(rate: 1000000.9536743164)
        let expected = 4.5474706176609159e-07
        #expect(Swift.abs(p.klDivergence(to: q) - expected) <= 1e-13 * expected)
        #expect(Swift.abs(p.bregmanDivergence(to: q) - expected) > 1e-9 * expected, "the Bregman form is expected to lose digits here (≈ 6e-7 relative)")
    }

    /// Poisson entropy: below λ = 10⁴ as −Σ P log P (each log P = xθ − λ − log Γ(x + 1) carries
    /// ~ε·xθ absolute error: ≈ 1e-14 relative at λ = 3.5 and 2e-12 at λ = 9999); from 10⁴ on the
    /// asymptotic series (truncation ≤ 1.2e-17, so a few ulps: 1e-15).
    @Test(arguments: [
        (3.5, 2.0151725225129722, 1e-14), (9999.0, 6.0240503821090448, 1e-11),
        (10000.0, 6.0241003854427113, 1e-15), (1e9, 11.780571451594545, 1e-15),
    ])
    func poissonEntropy(_ rate: Double, _ expected: Double, _ tolerance: Double) throws {
        let h = try Poisson(rate: rate).entropy
        #expect(Swift.abs(h - expected) <= tolerance * expected, "H = \(h), expected \(expected)")
    }

    /// Log pmfs at large n in Loader's saddle-point form, against mpmath (the direct form
    /// log C(n, x) + x log p + … loses ~ε·n·log n ≈ 2e-6 absolute at n = 10⁹). Error budget: a few ulps of
    /// each O(1) term plus |x − np|·ε from q = fl(1 − p) (≈ 3e-13 here): 2e-12 absolute.
    @Test func largeCountLogProbabilities() throws {
        let binomial = try Binomial(trials: 1_000_000_000, p: 0.3).logDensity(300_001_234)
        #expect(Swift.abs(binomial - (-10.50387435977537)) <= 2e-12, "Binomial log P = \(binomial)")
        let poisson = try Poisson(rate: 1e7).logDensity(10_005_000)
        #expect(Swift.abs(poisson - (-10.228028023268207)) <= 2e-12, "Poisson log P = \(poisson)")
        let negativeBinomial = try NegativeBinomial(r: 1e6, p: 0.5).logDensity(1_001_000)
        #expect(Swift.abs(negativeBinomial - (-8.4238922879615465)) <= 2e-12, "NegativeBinomial log P = \(negativeBinomial)")
    }

    /// Binomial entropy: by summation at npq ≈ 1.05e7 (terms accurate to ~1e-12 absolute, see above:
    /// 1e-12 relative) and by the asymptotic series at npq = 2.1e8 (remainder ≤ 0.1/(npq)² ≈ 2e-18:
    /// 1e-15 relative), against 50-digit sums over ±13σ.
    @Test(arguments: [(50_000_000, 9.5023814394987074, 1e-12), (1_000_000_000, 11.000247577482051, 1e-15)])
    func binomialEntropy(_ n: Int, _ expected: Double, _ tolerance: Double) throws {
        let h = try Binomial(trials: n, p: 0.3).entropy
        #expect(Swift.abs(h - expected) <= tolerance * expected, "H = \(h), expected \(expected)")
    }
}
