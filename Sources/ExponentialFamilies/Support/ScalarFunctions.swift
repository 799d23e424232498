import RealModule

/// Accurate scalar helpers shared by the families.
enum ScalarFunctions {
    /// softplus(θ) = log(1 + eᶿ), without overflow (θ ≫ 0) or loss of the tiny value (θ ≪ 0):
    /// max(θ, 0) + log1p(e^−|θ|). Relative error a few ulps.
    static func softplus(_ t: Double) -> Double {
        Swift.max(t, 0) + Double.log(onePlus: Double.exp(-Swift.abs(t)))
    }

    /// σ(θ) = 1/(1 + e^−θ), evaluated so that neither σ nor 1 − σ = σ(−θ) loses relative accuracy.
    static func logistic(_ t: Double) -> Double {
        if t >= 0 { return 1 / (1 + Double.exp(-t)) }
        let e = Double.exp(t)
        return e / (1 + e)
    }

    /// φ(d) = d − log(1 + d) ≥ 0 for d > −1, accurate to a few ulps also when |d| is tiny (where the
    /// direct formula loses everything): for |d| < 0.25 the series Σₖ≥₂ (−d)ᵏ/k·(−1)… i.e.
    /// d²/2 − d³/3 + d⁴/4 − …, otherwise d − log1p(d) (cancellation factor < 10 there).
    ///
    /// The KL divergences of the scalar families are sums of weighted φ terms, all ≥ 0.
    static func dMinusLog1p(_ d: Double) -> Double {
        if Swift.abs(d) < 0.25 {
            // d − log1p(d) = Σ_{k≥2} (−1)ᵏ dᵏ / k; |d| < 1/4 so 28 terms reach 4⁻²⁸ < 2⁻⁵⁵.
            var term = d * d  // dᵏ with sign (−1)ᵏ folded in below
            var sum = 0.0
            var k = 2.0
            while k <= 30 {
                sum += term / k
                term *= -d
                k += 1
            }
            return sum
        }
        return d - Double.log(onePlus: d)
    }

    /// log C(n, k) = log Γ(n + 1) − log Γ(k + 1) − log Γ(n − k + 1) for real n ≥ k ≥ 0.
    static func logBinomialCoefficient(_ n: Double, _ k: Double) -> Double {
        Double.logGamma(n + 1) - Double.logGamma(k + 1) - Double.logGamma(n - k + 1)
    }
}

/// Domain checks that throw the family error naming the parameter.
enum DomainCheck {
    static func finite(_ x: Double, _ name: String) throws(ExponentialFamilyError) {
        guard x.isFinite else { throw .nonFinite(parameter: name) }
    }
    static func positive(_ x: Double, _ name: String) throws(ExponentialFamilyError) {
        try finite(x, name)
        guard x > 0 else { throw .outsideDomain(parameter: name, value: x, requirement: "> 0") }
    }
    static func negative(_ x: Double, _ name: String) throws(ExponentialFamilyError) {
        try finite(x, name)
        guard x < 0 else { throw .outsideDomain(parameter: name, value: x, requirement: "< 0") }
    }
    static func openUnitInterval(_ x: Double, _ name: String) throws(ExponentialFamilyError) {
        try finite(x, name)
        guard x > 0 && x < 1 else { throw .outsideDomain(parameter: name, value: x, requirement: "in (0, 1)") }
    }
    static func count(_ v: [Double], _ expected: Int, _ name: String) throws(ExponentialFamilyError) {
        guard v.count == expected else { throw .wrongDimension(parameter: name, expected: expected, actual: v.count) }
        for (k, x) in v.enumerated() where !x.isFinite { throw .nonFinite(parameter: expected == 1 ? name : "\(name)[\(k)]") }
    }
}

/// Expectations over a count distribution, summed outward from the mode until the remaining
/// probability cannot change the sum (terms below 2⁻⁶⁰ of the largest and decreasing).
enum CountSums {
    /// Σₓ P(x)·f(x) over x ∈ [0, upper] (upper nil = unbounded), where `logProbability(x)` is log P(x),
    /// starting at `mode`. Cost O(number of non-negligible terms) ≈ O(standard deviation).
    static func expectation(
        mode: Int, upper: Int?, logProbability: (Int) -> Double, value: (Int) -> Double
    ) -> Double {
        var sum = 0.0
        let logPeak = logProbability(mode)
        let cutoff = -60 * Double.log(2.0)
        // Upward (including the mode).
        var x = mode
        var previous = Double.infinity
        while upper.map({ x <= $0 }) ?? true {
            let lp = logProbability(x)
            let p = Double.exp(lp)
            sum += p * value(x)
            if lp - logPeak < cutoff && lp <= previous { break }
            previous = lp
            if x == Int.max { break }
            x += 1
        }
        // Downward.
        x = mode - 1
        previous = Double.infinity
        while x >= 0 {
            let lp = logProbability(x)
            sum += Double.exp(lp) * value(x)
            if lp - logPeak < cutoff && lp <= previous { break }
            previous = lp
            x -= 1
        }
        return sum
    }
}

extension ScalarFunctions {
    /// eᶻ·E₁(z) for z > 0, E₁(z) = ∫₁^∞ e^(−zt)/t dt (the exponential integral).
    ///
    /// z ≤ 1: the series E₁(z) = −γ − log z − Σₖ≥₁ (−z)ᵏ/(k·k!) (terms fall below 2⁻⁵⁶ of the sum
    /// within 20 terms; the sum is ≥ 0.2 there, so no cancellation beyond a factor ~3).
    /// z > 1: the continued fraction 1/(z + 1 − 1²/(z + 3 − 2²/(z + 5 − …))) by the modified Lentz
    /// method, stopped at relative change < 2⁻⁵². Relative error a few ulps in both ranges.
    static func scaledExponentialIntegralE1(_ z: Double) -> Double {
        precondition(z > 0, "E1 needs z > 0, got \(z)")
        if z <= 1 {
            let eulerGamma = 0.577_215_664_901_532_860_6
            var sum = 0.0
            var term = 1.0  // (−z)ᵏ/k!
            var k = 1.0
            while k < 40 {
                term *= -z / k
                let add = term / k
                sum += add
                if Swift.abs(add) < 0x1p-56 * Swift.abs(sum) { break }
                k += 1
            }
            return Double.exp(z) * (-eulerGamma - Double.log(z) - sum)
        }
        var b = z + 1
        var c = 1 / Double.leastNormalMagnitude
        var d = 1 / b
        var h = d
        var i = 1.0
        while i < 500 {
            let a = -i * i
            b += 2
            d = 1 / (a * d + b)
            c = b + a / c
            let delta = c * d
            h *= delta
            if Swift.abs(delta - 1) < 0x1p-52 { break }
            i += 1
        }
        return h
    }
}
