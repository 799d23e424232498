import RealModule

/// Log probability mass functions of the count families in Loader's saddle-point form (C. Loader, "Fast
/// and accurate computation of binomial probabilities", 2000). The direct form log C(n, x) + x·log p + …
/// subtracts log-gamma values of size n·log n and loses ~ε·n·log n absolute accuracy; this form is a sum of
/// small, mostly non-negative terms, accurate to a few ulps of |log P| + 1 for any n.
enum LogProbabilityMass {
    /// Stirling's error δ(z) = log Γ(z + 1) − (z + ½)·log z + z − ½·log(2π), for z > 0.
    /// z ≥ 15: the asymptotic series 1/(12z) − 1/(360z³) + 1/(1260z⁵) − 1/(1680z⁷) + 1/(1188z⁹) (next term
    /// < 2e-16 absolute at z = 15); z < 15: the definition (|log Γ| < 28, so ~1e-14 absolute).
    static func stirlingError(_ z: Double) -> Double {
        if z >= 15 {
            let w = 1 / (z * z)
            return (1.0 / 12 - w * (1.0 / 360 - w * (1.0 / 1260 - w * (1.0 / 1680 - w / 1188)))) / z
        }
        return Double.logGamma(z + 1) - (z + 0.5) * Double.log(z) + z - Normal.logSqrtTwoPi
    }

    /// bd0(x, M) = x·log(x/M) + M − x = M·ψ((x − M)/M) ≥ 0, ψ(d) = (1 + d)·log1p(d) − d, with the series
    /// ψ(d) = Σₖ≥₂ (−1)ᵏ dᵏ/(k(k − 1)) for |d| < ¼ (no cancellation near x = M).
    static func deviance(_ x: Double, _ m: Double) -> Double {
        if x == 0 { return m }
        let d = (x - m) / m
        if Swift.abs(d) < 0.25 {
            var power = d * d  // (−1)ᵏ dᵏ for k = 2
            var sum = 0.0
            var k = 2.0
            while k <= 30 {
                sum += power / (k * (k - 1))
                power *= -d
                k += 1
            }
            return m * sum
        }
        return x * Double.log(x / m) + m - x
    }

    /// log of C(n, k)·pᵏ·qⁿ⁻ᵏ for real 0 ≤ k ≤ n, n > 0, q = 1 − p given separately (accurate for p ≈ 1).
    static func binomial(_ k: Double, _ n: Double, _ p: Double, _ q: Double) -> Double {
        if k == 0 { return n * Double.log(q) }
        if k == n { return n * Double.log(p) }
        let lc = stirlingError(n) - stirlingError(k) - stirlingError(n - k)
            - deviance(k, n * p) - deviance(n - k, n * q)
        return lc - 0.5 * Double.log(2 * Double.pi * k * (n - k) / n)
    }

    /// log(λˣe^−λ/x!).
    static func poisson(_ x: Double, _ lambda: Double) -> Double {
        if x == 0 { return -lambda }
        return -stirlingError(x) - deviance(x, lambda) - 0.5 * Double.log(2 * Double.pi * x)
    }

    /// log of Γ(x + r)/(Γ(r)·x!)·pʳqˣ = log(r/(x + r)) + log Binomial(r; x + r, p).
    static func negativeBinomial(_ x: Double, _ r: Double, _ p: Double, _ q: Double) -> Double {
        Double.log(r / (x + r)) + binomial(r, x + r, p, q)
    }
}
