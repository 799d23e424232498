import RealModule

extension SpecialFunctions {
    /// The inverse of the digamma function on x > 0: the unique x > 0 with ψ(x) = y.
    ///
    /// ψ is increasing from −∞ (x → 0⁺) to +∞ on (0, ∞), so every finite y has exactly one preimage.
    /// Start (Minka 2000): x₀ = exp(y) + ½ for y ≥ −2.22, else x₀ = −1/(y + γ); then Newton's method
    /// x ← x − (ψ(x) − y)/ψ′(x), which converges quadratically from this start, until the relative
    /// change is below 4ε (at most 30 steps). Relative accuracy about that of ``digamma(_:)`` divided
    /// by the condition number |x·ψ′(x)/ψ(x)| of the inverse: a few ulps in practice.
    ///
    /// Edge cases: NaN → NaN; +∞ → +∞; −∞ → 0; y > ψ(Double.greatestFiniteMagnitude) ≈ 709.78 → +∞.
    public static func inverseDigamma(_ y: Double) -> Double {
        if y.isNaN { return .nan }
        if y == .infinity { return .infinity }
        if y == -.infinity { return 0 }
        if y > 709.78 { return .infinity }
        if y < -1e16 { return -1 / y }  // ψ(x) = −1/x − γ + …, γ is below ε relative here
        var x = y >= -2.22 ? Double.exp(y) + 0.5 : -1 / (y + eulerGamma)
        for _ in 0..<30 {
            let step = (digamma(x) - y) / trigamma(x)
            var next = x - step
            // Newton can overshoot to x ≤ 0 from the right of the root when ψ is steep; halve instead.
            if next <= 0 { next = x / 2 }
            if Swift.abs(next - x) <= 4 * Double.ulpOfOne * next {
                return next
            }
            x = next
        }
        return x
    }
}
