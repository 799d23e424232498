import RealModule

/// The per-observation work of a penalized fit's evaluation pass — from ηᵢ to μᵢ, the deviance term,
/// uᵢ = sᵢ(yᵢ − μᵢ)μ′ᵢ/V(μᵢ) and Wᵢ = sᵢμ′ᵢ²/V(μᵢ) — chosen once per fit from the family and link.
///
/// `.logPower(p)`: the log link with V(μ) = μᵖ (Poisson p = 1, Tweedie 1 < p < 2, gamma p = 2). With
/// μ = eᵑ and a = μ¹⁻ᵖ = e^((1−p)η): u = s(y − μ)a, and W is the observed rather than the expected
/// information, the exact ∂²[½s·d(y, μ)]/∂η² = s·a·((2 − p)μ + (p − 1)y) (> 0 for y ≥ 0 and 1 ≤ p ≤ 2; for
/// the canonical Poisson, p = 1, it is the Fisher weight sμ), so the IRLS steps are Newton steps with
/// quadratic convergence where Fisher scoring's would be linear (Tweedie, gamma with the log link). The
/// deviance is a constant
/// Σ sᵢc(yᵢ) fixed by the data (computed once: Poisson 2(y log y − y), gamma −2(log y + 1), Tweedie
/// 2y²⁻ᵖ/((1 − p)(2 − p))) plus the part that depends on η: Poisson 2s(μ − yη), gamma 2s(y/μ + η), Tweedie
/// 2s(μa/(2 − p) − y·a/(1 − p)). Two exponentials per row, no logarithm, no pow.
/// `.general`: the family's and link's own functions (every other pair).
enum PenalizedObservationKernel: Equatable {
    case logPower(Double)
    case general

    init(family: GLMFamily, link: GLMLink) {
        guard link == .log else { self = .general; return }
        switch family {
        case .poisson: self = .logPower(1)
        case .gamma: self = .logPower(2)
        case let .tweedie(power): self = .logPower(power)
        default: self = .general
        }
    }

    /// Σ sᵢc(yᵢ), the η-free part of the deviance of `.logPower` (0 for `.general`).
    func devianceConstant(response y: [Double], weights s: [Double]) -> Double {
        guard case let .logPower(p) = self else { return 0 }
        var total = 0.0
        for i in y.indices where s[i] != 0 {
            let c: Double
            if p == 1 {
                c = 2 * (xLogXOverY(y[i], 1) - y[i])
            } else if p == 2 {
                c = -2 * (Double.log(y[i]) + 1)
            } else {
                c = y[i] == 0 ? 0 : 2 * Double.pow(y[i], 2 - p) / ((1 - p) * (2 - p))
            }
            total += s[i] * c
        }
        return total
    }
}
