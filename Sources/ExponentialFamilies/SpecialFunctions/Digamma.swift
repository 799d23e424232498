import RealModule

extension SpecialFunctions {
    /// The digamma function ψ(x) = d/dx log Γ(x).
    ///
    /// Method, for x > 0:
    /// - |x − x₀| ≤ 0.25 around the positive root x₀ = 1.4616321449683623…: the Taylor series
    ///   ψ(x) = Σₙ₌₁²³ ψ⁽ⁿ⁾(x₀)/n! · (x − x₀)ⁿ with coefficients computed by mpmath, and x − x₀ formed
    ///   from a two-double x₀, so the result keeps full *relative* accuracy through the zero;
    /// - x < 10 otherwise: the recurrence ψ(x) = ψ(x + n) − Σₖ₌₀ⁿ⁻¹ 1/(x + k) up to x + n ≥ 10;
    /// - x ≥ 10: the asymptotic series ψ(x) = log x − 1/(2x) − Σₖ₌₁⁷ B₂ₖ/(2k·x²ᵏ), whose truncation
    ///   error at x = 10 is below 5·10⁻¹⁷ relative.
    ///
    /// For x < 0 the reflection ψ(x) = ψ(1 − x) − π/tan(πx) is used.
    ///
    /// Accuracy (measured against mpmath on x ∈ [10⁻³⁰⁰, 10³⁰⁰]): relative error below 4·10⁻¹⁵ for
    /// x > 0 (the recurrence loses about one digit near x ≈ 1.7 where ψ is small but outside the Taylor
    /// window). For x < 0 the absolute error is about ε·(|ψ(1 − x)| + π/|tan(πx)|): relative accuracy
    /// is lost next to the negative roots.
    ///
    /// Edge cases: ψ(NaN) = NaN; ψ(+∞) = +∞; ψ(−∞) = NaN; ψ(0) and ψ(−n) (the poles) are NaN;
    /// ψ(x) ≈ −1/x for subnormal and tiny x (−∞ when 1/x overflows).
    public static func digamma(_ x: Double) -> Double {
        if x.isNaN { return .nan }
        if x == .infinity { return .infinity }
        if x <= 0 {
            if x == -.infinity || x == x.rounded(.down) { return .nan }
            // Reflection: ψ(1 − x) − ψ(x) = π cot(πx).
            return digamma(1 - x) - Double.pi / Double.tan(piTimesReduced(x))
        }
        let dx = (x - digammaRootHigh) - digammaRootLow
        if Swift.abs(dx) <= 0.25 {
            var sum = 0.0
            for c in digammaRootTaylor.reversed() { sum = sum * dx + c }
            return sum * dx
        }
        if x < 1e-8 {
            // ψ(x) = −1/x − γ + (π²/6)x + O(x²); the last term is below ε relative.
            return -1 / x - eulerGamma
        }
        var y = x
        var shift = 0.0
        while y < 10 {
            shift += 1 / y
            y += 1
        }
        return digammaAsymptotic(y) - shift
    }

    /// ψ(x) − log x for x > 0, without the cancellation of the two terms for large x (where it is
    /// −1/(2x) − 1/(12x²) + …). Relative error below ~4·10⁻¹⁵. NaN for x ≤ 0 or NaN; 0 at +∞.
    public static func digammaMinusLog(_ x: Double) -> Double {
        if x.isNaN || x <= 0 { return .nan }
        if x == .infinity { return 0 }
        if x >= 10 { return digammaAsymptoticTail(x) }
        // ψ(x) − log x = [ψ(y) − log y] + log(y/x) − Σ 1/(x + k), y = x + n ≥ 10.
        var y = x
        var shift = 0.0
        while y < 10 {
            shift += 1 / y
            y += 1
        }
        return digammaAsymptoticTail(y) + Double.log(y / x) - shift
    }

    /// −1/(2x) − Σₖ₌₁⁷ B₂ₖ/(2k·x²ᵏ), valid for x ≥ 10.
    @usableFromInline
    static func digammaAsymptoticTail(_ x: Double) -> Double {
        let r = 1 / x
        let r2 = r * r
        // B₂/2, B₄/4, …, B₁₄/14 with signs: 1/12, −1/120, 1/252, −1/240, 1/132, −691/32760, 1/12.
        let series = r2 * (1.0 / 12 - r2 * (1.0 / 120 - r2 * (1.0 / 252 - r2 * (1.0 / 240
            - r2 * (1.0 / 132 - r2 * (691.0 / 32760 - r2 * (1.0 / 12)))))))
        return -0.5 * r - series
    }

    @usableFromInline
    static func digammaAsymptotic(_ x: Double) -> Double {
        Double.log(x) + digammaAsymptoticTail(x)
    }

    /// Euler–Mascheroni constant γ = −ψ(1).
    public static let eulerGamma = 0.57721566490153286

    /// x₀ = digammaRootHigh + digammaRootLow, the positive root of ψ, to ~32 digits.
    @usableFromInline static let digammaRootHigh = 1.4616321449683622
    @usableFromInline static let digammaRootLow = 9.5499954299656974e-17

    /// ψ⁽ⁿ⁾(x₀)/n! for n = 1…23 (mpmath, 50 digits, rounded to 17).
    @usableFromInline static let digammaRootTaylor: [Double] = [
        0.9676722454476212, -0.44276316898359208, 0.25849976095565103, -0.16394270544240652,
        0.10782405069126237, -0.072199561256454714, 0.04880428816414311, -0.033161126474847362,
        0.022597648232218104, -0.01542476590494896, 0.010538791616612175, -0.0072045343863568687,
        0.0049267813957298533, -0.0033698016554393282, 0.002305126326734928, -0.0015769367714301972,
        0.0010788252019162967, -0.00073807093899600515, 0.00050495326583460199, -0.00034546802510630769,
        0.00023635601564027053, -0.00016170622091974803, 0.0001106337276874741,
    ]

    /// π·x reduced so that tan(π·x) and sin(π·x) are accurate for large |x|: π·(x − round(x)), which
    /// has the same tangent and the same |sine| (the sign of the sine does not matter where it is used
    /// squared). Exact subtraction: x − round(x) is exact in binary floating point.
    @usableFromInline
    static func piTimesReduced(_ x: Double) -> Double {
        Double.pi * (x - x.rounded())
    }
}
