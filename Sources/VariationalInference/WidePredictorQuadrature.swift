import RealModule

/// Expectations over a wide Gaussian predictor η ~ N(μ, v) for the binomial likelihoods, where
/// Gauss–Hermite quadrature fails: the logistic, probit and cloglog log-likelihoods change over an η
/// range of a few units around 0 (and have complex singularities at distance ≈ π from the real axis),
/// so an n-point Hermite rule in z = (η − μ)/√v errs by ≈ exp(−π√(2n)/√v) — 3e-14 at v = 2.25 but
/// 3e-3 at v = 100 (64 nodes), and the ELBO and the learning rule's fixed point then disagree.
///
/// Composite 8-point Gauss–Legendre in η on [μ − 12√v, μ + 12√v] (the mass outside is < 1e-32): panels
/// of width ≤ min(1.5, √v/2) where |η| ≤ 40 (where ℓ bends: with the singularities at distance ≥ π
/// from the real axis, an 8-point panel of half-width 0.75 errs by ≈ 8.5⁻¹⁶ ≈ 1e-15 relative), and
/// ≤ √v/2 in the tails beyond, where ℓ is linear to rounding (|σ(η) − 1[η > 0]| < 5e-18) and only the
/// Gaussian density varies. Each node carries the weight ωₖ·φ((ηₖ − μ)/√v)/√v. At most ≈ 54 + 48
/// panels (≈ 800 evaluations) per observation.
enum WidePredictorQuadrature {
    /// 8-point Gauss–Legendre nodes and weights on [−1, 1] (numpy.polynomial.legendre.leggauss(8)).
    static let nodes: [Double] = [-0.9602898564975362, -0.7966664774136267, -0.525532409916329, -0.18343464249564978,
                                  0.18343464249564978, 0.525532409916329, 0.7966664774136267, 0.9602898564975362]
    static let weights: [Double] = [0.10122853629037706, 0.22238103445337443, 0.3137066458778869, 0.36268378337836166,
                                    0.36268378337836166, 0.3137066458778869, 0.22238103445337443, 0.10122853629037706]

    /// Variances above which the binomial expectations use this rule instead of Gauss–Hermite.
    static let threshold = 2.25

    /// (E[ℓ − k], E[ℓ′], E[ℓ″], E[z·ℓ′]/(2√v)) for η ~ N(μ, v).
    static func expectations(_ model: ObservationModel, mean mu: Double, variance v: Double, response y: Double)
        -> (value: Double, slope: Double, curvature: Double, varianceSlope: Double)
    {
        let s = v.squareRoot()
        let lo = mu - 12 * s, hi = mu + 12 * s
        var e = 0.0, g = 0.0, h = 0.0, zg = 0.0
        func integrate(_ a: Double, _ b: Double, width: Double) {
            guard b > a else { return }
            let panels = Swift.max(1, Int(((b - a) / width).rounded(.up)))
            let step = (b - a) / Double(panels)
            for p in 0..<panels {
                let centre = a + (Double(p) + 0.5) * step, half = 0.5 * step
                for k in 0..<8 {
                    let eta = centre + half * nodes[k]
                    let z = (eta - mu) / s
                    let w = half * weights[k] * Double.exp(-0.5 * z * z) / (s * 2.506_628_274_631_000_502_4)
                    let d = model.derivatives(at: eta, response: y)
                    e += w * d.value
                    g += w * d.slope
                    h += w * d.curvature
                    zg += w * z * d.slope
                }
            }
        }
        let coreLow = Swift.max(lo, -40), coreHigh = Swift.min(hi, 40)
        if coreLow < coreHigh {
            integrate(lo, coreLow, width: s / 2)
            integrate(coreLow, coreHigh, width: Swift.min(1.5, s / 2))
            integrate(coreHigh, hi, width: s / 2)
        } else {
            integrate(lo, hi, width: s / 2)
        }
        return (e, g, h, zg / (2 * s))
    }
}
