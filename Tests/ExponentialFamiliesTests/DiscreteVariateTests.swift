import ExponentialFamilies
import Foundation
import Testing

/// Goodness of fit of the exact discrete samplers: Pearson's χ² over bins with ≥ 20 expected draws
/// (consecutive values merged, the upper tail in the last bin), the pmf computed here independently from
/// log-gamma. Under the null, χ² has mean df and standard deviation √(2df); the threshold
/// df + 6√(2df) is exceeded with probability < 1e-6 for the df here (the seeds are fixed anyway), while
/// any wrong constant in a rejection sampler shifts χ² by hundreds at N = 200 000.
@Suite("Discrete variates")
struct DiscreteVariateTests {
    static let draws = 200_000

    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let logPMF: @Sendable (Int) -> Double
        let draw: @Sendable (inout Xoshiro256) -> Int
        var testDescription: String { name }
    }

    static func poisson(_ l: Double) -> Case {
        Case(name: "Poisson(\(l))", logPMF: { x in Double(x) * log(l) - l - lgamma(Double(x) + 1) },
             draw: { poissonVariate(rate: l, using: &$0) })
    }
    static func binomial(_ n: Int, _ p: Double) -> Case {
        @Sendable func logPMF(_ x: Int) -> Double {
            if x > n { return -Double.infinity }
            let nd = Double(n), xd = Double(x)
            let logChoose: Double = lgamma(nd + 1) - lgamma(xd + 1) - lgamma(nd - xd + 1)
            return logChoose + xd * log(p) + (nd - xd) * log1p(-p)
        }
        return Case(name: "Binomial(\(n), \(p))", logPMF: logPMF, draw: { binomialVariate(trials: n, p: p, using: &$0) })
    }
    static func geometric(_ p: Double) -> Case {
        Case(name: "Geometric(\(p))", logPMF: { x in log(p) + Double(x) * log1p(-p) },
             draw: { geometricVariate(p: p, using: &$0) })
    }
    static func negativeBinomial(_ r: Double, _ p: Double) -> Case {
        @Sendable func logPMF(_ x: Int) -> Double {
            let xd = Double(x)
            let logH: Double = lgamma(xd + r) - lgamma(r) - lgamma(xd + 1)
            return logH + r * log(p) + xd * log1p(-p)
        }
        return Case(name: "NegativeBinomial(\(r), \(p))", logPMF: logPMF,
                    draw: { negativeBinomialVariate(r: r, p: p, using: &$0) })
    }
    static func categorical(_ probabilities: [Double]) -> Case {
        Case(name: "Categorical(\(probabilities))",
             logPMF: { x in x < probabilities.count ? log(probabilities[x]) : -.infinity },
             draw: { categoricalVariate(probabilities: probabilities, using: &$0) })
    }

    static let cases: [Case] = [
        poisson(0.5), poisson(3.5), poisson(9.99), poisson(10), poisson(17.5), poisson(1000),
        binomial(20, 0.2), binomial(30, 0.95), binomial(200, 0.1), binomial(200, 0.9), binomial(1000, 0.5),
        geometric(0.3), geometric(0.01), negativeBinomial(0.7, 0.3), negativeBinomial(5, 0.6),
        categorical([0.1, 0.2, 0.3, 0.4]), categorical([0.001, 0.5, 0.499]),
    ]

    @Test(arguments: cases)
    func chiSquare(_ c: Case) {
        var rng = Xoshiro256(seed: 2024)
        var counts: [Int: Int] = [:]
        for _ in 0..<Self.draws {
            let x = c.draw(&rng)
            #expect(x >= 0)
            counts[x, default: 0] += 1
        }
        let n = Double(Self.draws)
        var statistic = 0.0, bins = 0
        var expected = 0.0, observed = 0, cumulative = 0.0
        var x = 0
        while true {
            let p = exp(c.logPMF(x))
            expected += n * p
            observed += counts[x] ?? 0
            cumulative += p
            x += 1
            let tail = n * (1 - cumulative)
            if expected >= 20 && tail >= 20 {
                statistic += (Double(observed) - expected) * (Double(observed) - expected) / expected
                bins += 1
                expected = 0
                observed = 0
            }
            if tail < 20 || x > 1_000_000 { break }
        }
        // The last bin: everything from x on (its expected count is the remaining probability).
        let lastExpected = expected + n * Swift.max(0, 1 - cumulative)
        let lastObserved = observed + counts.filter { $0.key >= x }.map(\.value).reduce(0, +)
        if lastExpected > 0 {
            statistic += (Double(lastObserved) - lastExpected) * (Double(lastObserved) - lastExpected) / lastExpected
            bins += 1
        }
        let df = Double(bins - 1)
        #expect(bins >= 2)
        #expect(statistic <= df + 6 * (2 * df).squareRoot(), "\(c.name): χ² = \(statistic) with \(bins - 1) degrees of freedom")
    }

    @Test func degenerateArguments() {
        var rng = Xoshiro256(seed: 1)
        #expect(poissonVariate(rate: 0, using: &rng) == 0)
        #expect(binomialVariate(trials: 0, p: 0.3, using: &rng) == 0)
        #expect(binomialVariate(trials: 7, p: 1, using: &rng) == 7)
        #expect(binomialVariate(trials: 7, p: 0, using: &rng) == 0)
        #expect(geometricVariate(p: 1, using: &rng) == 0)
        #expect(categoricalVariate(probabilities: [0, 0, 1], using: &rng) == 2)
    }
}
