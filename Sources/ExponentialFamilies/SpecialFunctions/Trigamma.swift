import RealModule

extension SpecialFunctions {
    /// The trigamma function ψ′(x) = d²/dx² log Γ(x) = Σₖ₌₀^∞ 1/(x + k)².
    ///
    /// Method, for x > 0: the recurrence ψ′(x) = ψ′(x + n) + Σₖ₌₀ⁿ⁻¹ 1/(x + k)² up to x + n ≥ 10, then
    /// the asymptotic series ψ′(y) = 1/y + 1/(2y²) + Σₖ₌₁⁷ B₂ₖ/y²ᵏ⁺¹ (truncation below 10⁻¹⁷ relative at
    /// y = 10). Every term is positive, so nothing cancels. For x < 0 the reflection
    /// ψ′(x) = π²/sin²(πx) − ψ′(1 − x) is used.
    ///
    /// Accuracy (against mpmath on x ∈ [10⁻³⁰⁰, 10³⁰⁰]): relative error below 2·10⁻¹⁵ for x > 0.
    /// For x < 0 the reflection subtracts two positive numbers; relative error grows where they are
    /// close.
    ///
    /// Edge cases: ψ′(NaN) = NaN; ψ′(+∞) = 0; ψ′(−∞) = NaN; the poles x = 0, −1, −2, … give NaN;
    /// ψ′(x) ≈ 1/x² for tiny x (+∞ once 1/x² overflows, x < 1.5·10⁻¹⁵⁴).
    public static func trigamma(_ x: Double) -> Double {
        if x.isNaN { return .nan }
        if x == .infinity { return 0 }
        if x <= 0 {
            if x == -.infinity || x == x.rounded(.down) { return .nan }
            let s = Double.sin(piTimesReduced(x))
            return Double.pi * Double.pi / (s * s) - trigamma(1 - x)
        }
        if x < 1e-8 {
            // ψ′(x) = 1/x² + π²/6 + O(x); the constant is below ε relative to 1/x² here.
            return 1 / (x * x) + Double.pi * Double.pi / 6
        }
        var y = x
        var shift = 0.0
        while y < 10 {
            shift += 1 / (y * y)
            y += 1
        }
        let r = 1 / y
        let r2 = r * r
        // B₂, B₄, …, B₁₄: 1/6, −1/30, 1/42, −1/30, 5/66, −691/2730, 7/6.
        let series = r2 * (1.0 / 6 - r2 * (1.0 / 30 - r2 * (1.0 / 42 - r2 * (1.0 / 30
            - r2 * (5.0 / 66 - r2 * (691.0 / 2730 - r2 * (7.0 / 6)))))))
        return shift + r * (1 + r * 0.5 + series)
    }

    /// ψ′(x) − 1/x for x > 0, without the cancellation of the two terms for large x (where it is
    /// 1/(2x²) + 1/(6x³) − …). Relative error below ~10⁻¹⁴ (the recurrence branch, x < 10, subtracts
    /// 1/x from a sum of comparable size). NaN for x ≤ 0 or NaN; 0 at +∞. Used for the derivative of
    /// log x − ψ(x) in the Gamma family's inverse map.
    public static func trigammaMinusReciprocal(_ x: Double) -> Double {
        if x.isNaN || x <= 0 { return .nan }
        if x == .infinity { return 0 }
        var y = x
        var shift = 0.0
        while y < 10 {
            shift += 1 / (y * y)
            y += 1
        }
        let r = 1 / y
        let r2 = r * r
        // Three more Bernoulli terms (B₁₆, B₁₈, B₂₀) than ``trigamma(_:)``: the result here is ≈ 1/(2y²),
        // so the truncation must be small relative to that (≈ 10⁻¹⁶ at y = 10), not to 1/y.
        let series = r2 * (1.0 / 6 - r2 * (1.0 / 30 - r2 * (1.0 / 42 - r2 * (1.0 / 30
            - r2 * (5.0 / 66 - r2 * (691.0 / 2730 - r2 * (7.0 / 6
            - r2 * (3617.0 / 510 - r2 * (43867.0 / 798 - r2 * (174611.0 / 330))))))))))
        // ψ′(y) − 1/y = r·(r/2 + series); ψ′(x) − 1/x = shift + (ψ′(y) − 1/y) + (1/y − 1/x).
        let tail = r * (r * 0.5 + series)
        return y == x ? tail : shift + tail + (r - 1 / x)
    }
}
