import RealModule

/// A uniform draw in the open interval (0, 1): (k + ½)·2⁻⁵² with k the top 52 bits of one word, so
/// every value is exact, the smallest is 2⁻⁵³, the largest 1 − 2⁻⁵³ (never 0 or 1), and u and 1 − u
/// have the same distribution. (With 53 bits, k + ½ is not representable for k ≥ 2⁵² and the
/// all-ones word rounded to exactly 1.)
@inlinable
package func openUnitUniform<G: RandomNumberGenerator>(using g: inout G) -> Double {
    (Double(g.next() >> 12) + 0.5) * 0x1p-52
}

/// A standard normal draw, by the Marsaglia polar method (exact, two uniforms per pair, one kept).
package func standardNormal<G: RandomNumberGenerator>(using g: inout G) -> Double {
    while true {
        let u = 2 * openUnitUniform(using: &g) - 1
        let v = 2 * openUnitUniform(using: &g) - 1
        let s = u * u + v * v
        if s > 0 && s < 1 { return u * (-2 * Double.log(s) / s).squareRoot() }
    }
}

/// A Gamma(shape k, rate 1) draw by Marsaglia & Tsang's squeeze method (2000); for k < 1 it uses
/// Gamma(k + 1)·U^(1/k), evaluated in log space so tiny shapes do not underflow to a spurious 0
/// more often than the distribution itself does.
/// - Precondition: k > 0 and finite.
package func standardGamma<G: RandomNumberGenerator>(shape k: Double, using g: inout G) -> Double {
    precondition(k > 0 && k.isFinite, "Gamma shape must be finite and > 0, got \(k)")
    if k < 1 {
        let y = standardGamma(shape: k + 1, using: &g)
        let logU = Double.log(openUnitUniform(using: &g))
        return Double.exp(Double.log(y) + logU / k)
    }
    let d = k - 1.0 / 3.0
    let c = 1.0 / (9 * d).squareRoot()
    while true {
        var x: Double, v: Double
        repeat {
            x = standardNormal(using: &g)
            v = 1 + c * x
        } while v <= 0
        v = v * v * v
        let u = openUnitUniform(using: &g)
        if u < 1 - 0.0331 * x * x * x * x { return d * v }
        if Double.log(u) < 0.5 * x * x + d * (1 - v + Double.log(v)) { return d * v }
    }
}
