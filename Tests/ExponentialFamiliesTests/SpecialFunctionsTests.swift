import Testing
@testable import ExponentialFamilies

/// Reference values: mpmath at 50 digits (`mp.digamma(x)`, `mp.polygamma(1, x)`), inputs and outputs
/// printed with %.17g, so each input is the exact double the function receives.
private let digammaTrigammaReference: [(x: Double, digamma: Double, trigamma: Double)] = [
    (9.9999999999999995e-21, -1e+20, 1.0000000000000002e+40),
    (1.0000000000000001e-09, -1000000000.5772156, 9.9999999999999987e+17),
    (1e-08, -100000000.57721564, 10000000000000002),
    (2.9999999999999997e-08, -33333333.910548951, 1111111111111113),
    (1.0000000000000001e-05, -100000.57719921567, 10000000001.644909),
    (0.001, -1000.5755719318103, 1000001.6425331958),
    (0.10000000000000001, -10.423754940411076, 101.43329915079275),
    (0.5, -1.9635100260214235, 4.934802200544679),
    (0.90000000000000002, -0.75492694994705134, 1.9225399594772035),
    (1, -0.57721566490153287, 1.6449340668482264),
    (1.2, -0.28903989659218837, 1.2673772054237793),
    (1.2115, -0.27456197870294713, 1.2505918065622532),
    (1.3, -0.16919088886679962, 1.1342534349966193),
    (1.4616321449683622, -9.2412655217294273e-17, 0.9676722454476212),
    (1.46163214496836, -2.2410766695906462e-15, 0.9676722454476232),
    (1.5, 0.03648997397857652, 0.93480220054467933),
    (1.7, 0.20854787487349391, 0.79323283016399837),
    (1.7117, 0.21778758808265325, 0.78622536808216614),
    (1.8, 0.28499143329386156, 0.73697413750170027),
    (2, 0.42278433509846713, 0.64493406684822641),
    (2.5, 0.70315664064524319, 0.49035775610023485),
    (3, 0.92278433509846713, 0.39493406684822646),
    (5.7000000000000002, 1.6501897670785901, 0.19172248602981626),
    (9.9990000000000006, 2.2516474172057355, 0.10517738667672887),
    (10, 2.2517525890667209, 0.10516633568168575),
    (10.5, 2.3030010342976865, 0.099916956059126733),
    (25, 3.198742512851974, 0.040810663257225578),
    (100, 4.6001618527380872, 0.010050166663333571),
    (1234.5, 7.1180162318279976, 0.00081037272712696667),
    (1000000, 13.815510057964191, 1.0000005000001667e-06),
    (1000000000000000, 34.538776394910684, 1.0000000000000005e-15),
    (1e+100, 230.25850929940458, 1e-100),
    (1.0000000000000001e+300, 690.77552789821368, 1e-300),
]

/// Negative arguments (reflection formulas).
private let negativeReference: [(x: Double, digamma: Double, trigamma: Double)] = [
    (-0.5, 0.03648997397857652, 8.934802200544679),
    (-1.5, 0.70315664064524319, 9.3792466449891236),
    (-2.25, 4.1585835646579721, 19.379410511869139),
    (-10.300000000000001, 4.6624034935820866, 14.986887065722637),
]

/// mpmath `digamma(x) − log(x)`.
private let digammaMinusLogReference: [(x: Double, value: Double)] = [
    (0.01, -95.955715271880578), (0.5, -1.2703628454614782), (1, -0.57721566490153287),
    (3.2999999999999998, -0.15909997941281281), (9.9900000000000002, -0.05088421982926105),
    (10, -0.050832503927324579), (55.5, -0.009036062211944914), (10000, -5.0000833333332497e-05),
    (100000000, -5.0000000083333336e-09), (1000000000000000, -5.0000000000000004e-16),
]

/// mpmath `polygamma(1, x) − 1/x`.
private let trigammaMinusReciprocalReference: [(x: Double, value: Double)] = [
    (0.01, 9901.6212135283131), (0.5, 2.9348022005446794), (1, 0.64493406684822641),
    (3.2999999999999998, 0.050471238810758788), (9.9900000000000002, 0.0051768500481416862),
    (10, 0.0051663356816857462), (55.5, 0.00016329934520374303), (10000, 5.0001666666663331e-09),
    (100000000, 5.0000000166666667e-17), (1000000000000000, 5.0000000000000013e-31),
]

/// mpmath `findroot(digamma(t) − y)`.
private let inverseDigammaReference: [(y: Double, x: Double)] = [
    (-1000000, 1.0000005772143532e-06), (-50, 0.02022017240394618), (-3, 0.3468944270493951),
    (-0.57721566490153287, 1), (0, 1.4616321449683622), (1, 3.2031714683769312),
    (5, 148.91287835621887), (30, 10686474581524.963),
]

private func relErr(_ a: Double, _ b: Double) -> Double { Swift.abs(a - b) / Swift.abs(b) }

@Suite("Special functions")
struct SpecialFunctionsTests {
    // Tolerance 4e-15 relative: the documented accuracy. The recurrence sums up to 10 terms plus the
    // asymptotic series (≈ 10 roundings of ε/2 each), and near x ≈ 1.7 ψ(x) ≈ 0.2 is a difference of
    // ≈ 2.3 and ≈ 2.1, which multiplies that by ≈ 10: 10 · 10 · 1.1e-16 / 2 ≈ 5.5e-15 worst case,
    // observed below 4e-15. Near the root the Taylor window keeps relative accuracy.
    @Test("digamma matches mpmath", arguments: digammaTrigammaReference)
    func digamma(_ r: (x: Double, digamma: Double, trigamma: Double)) {
        let e = relErr(SpecialFunctions.digamma(r.x), r.digamma)
        #expect(e <= 4e-15, "ψ(\(r.x)): relative error \(e)")
    }

    // Tolerance 2e-15 relative: all terms are positive (no cancellation), ≈ 12 roundings.
    @Test("trigamma matches mpmath", arguments: digammaTrigammaReference)
    func trigamma(_ r: (x: Double, digamma: Double, trigamma: Double)) {
        let e = relErr(SpecialFunctions.trigamma(r.x), r.trigamma)
        #expect(e <= 2e-15, "ψ′(\(r.x)): relative error \(e)")
    }

    // Reflection: absolute error ≈ ε·(|ψ(1−x)| + π|cot πx|) ≈ ε·20 here; relative tolerance 2e-14
    // covers it for these values (|ψ(x)| ≥ 0.036).
    @Test("digamma and trigamma of negative non-integers (reflection)", arguments: negativeReference)
    func negative(_ r: (x: Double, digamma: Double, trigamma: Double)) {
        #expect(relErr(SpecialFunctions.digamma(r.x), r.digamma) <= 2e-14)
        #expect(relErr(SpecialFunctions.trigamma(r.x), r.trigamma) <= 2e-14)
    }

    // Same budget as digamma: the tail series has no cancellation; the recurrence branch subtracts
    // the shift sum from log(y/x) with a cancellation factor of at most ≈ 10 for x < 10.
    @Test("digamma − log without cancellation", arguments: digammaMinusLogReference)
    func digammaMinusLog(_ r: (x: Double, value: Double)) {
        let e = relErr(SpecialFunctions.digammaMinusLog(r.x), r.value)
        #expect(e <= 4e-15, "ψ(\(r.x)) − log(\(r.x)): relative error \(e)")
    }

    // Documented 1e-14: for x < 10 the recurrence subtracts 1/x from ψ′(x) (≈ 2× larger at x = 10,
    // ≈ 1.1× at x = 0.01 ... the worst ratio ψ′(x)/(ψ′(x) − 1/x) is ≈ 20 at x = 9.99); for x ≥ 10 the
    // tail series has no cancellation.
    @Test("trigamma − 1/x without cancellation", arguments: trigammaMinusReciprocalReference)
    func trigammaMinusReciprocal(_ r: (x: Double, value: Double)) {
        let e = relErr(SpecialFunctions.trigammaMinusReciprocal(r.x), r.value)
        #expect(e <= 1e-14, "ψ′(\(r.x)) − 1/\(r.x): relative error \(e)")
    }

    // The inverse of a function with relative accuracy 4e-15 has relative accuracy 4e-15·|ψ/(xψ′)|,
    // the condition number of the inverse; it is ≤ 1 at these points except near the root y = 0,
    // where the error is absolute (≈ 4e-15/ψ′(x₀) ≈ 4e-15 in x). Tolerance 1e-14 relative.
    @Test("inverse digamma matches mpmath", arguments: inverseDigammaReference)
    func inverse(_ r: (y: Double, x: Double)) {
        let e = relErr(SpecialFunctions.inverseDigamma(r.y), r.x)
        #expect(e <= 1e-14, "ψ⁻¹(\(r.y)): relative error \(e)")
    }

    @Test("poles, NaN and infinities")
    func edgeCases() {
        for x in [0.0, -1, -2, -1e20, -Double.infinity, Double.nan] {
            #expect(SpecialFunctions.digamma(x).isNaN, "ψ(\(x))")
            #expect(SpecialFunctions.trigamma(x).isNaN, "ψ′(\(x))")
        }
        #expect(SpecialFunctions.digamma(.infinity) == .infinity)
        #expect(SpecialFunctions.trigamma(.infinity) == 0)
        #expect(SpecialFunctions.trigamma(1e-300) == .infinity)  // 1/x² overflows
        // mpmath: ψ(1e-300) = −9.999999999999999e+299 (the double 1e-300 is slightly above 10⁻³⁰⁰).
        #expect(SpecialFunctions.digamma(1e-300) == -9.999999999999999e+299)
        #expect(SpecialFunctions.inverseDigamma(.nan).isNaN)
        #expect(SpecialFunctions.inverseDigamma(-.infinity) == 0)
        #expect(SpecialFunctions.inverseDigamma(.infinity) == .infinity)
        #expect(SpecialFunctions.digammaMinusLog(0).isNaN)
        #expect(SpecialFunctions.digammaMinusLog(-1).isNaN)
    }

    // Identity ψ(x + 1) = ψ(x) + 1/x on a grid that crosses every branch boundary (root window,
    // x = 10, tiny x). Absolute tolerance 8ε·(|ψ(x)| + 1/x): both sides carry 4e-15 relative error.
    @Test("recurrence identity across branches")
    func recurrence() {
        var x = 1e-7
        while x < 1e4 {
            let lhs = SpecialFunctions.digamma(x + 1)
            let rhs = SpecialFunctions.digamma(x) + 1 / x
            #expect(Swift.abs(lhs - rhs) <= 8e-15 * (Swift.abs(SpecialFunctions.digamma(x)) + 1 / x + Swift.abs(lhs)), "x = \(x)")
            let tl = SpecialFunctions.trigamma(x + 1)
            let tr = SpecialFunctions.trigamma(x) - 1 / (x * x)
            #expect(Swift.abs(tl - tr) <= 4e-15 * SpecialFunctions.trigamma(x), "x = \(x)")
            x *= 1.37
        }
    }
}
