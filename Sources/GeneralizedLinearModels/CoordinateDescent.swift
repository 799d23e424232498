import LinearAlgebra

/// The inner solver of the L1/elastic-net IRLS (glmnet's and glum's irls-cd): cyclic coordinate descent on
/// the penalized quadratic model of f at β,
///
///   m(b) = gᵀ(b − β) + ½(b − β)ᵀH(b − β) + λr‖b‖₁ + ½λ(1 − r)‖b‖₂²   (penalized coordinates only),
///
/// with H = XᵀWX/Σs and g = ∇[D/(2Σs)](β) held in memory (p × p, so a sweep costs O(p²) and never touches
/// the rows). Coordinate j minimizes m exactly along eⱼ: with cⱼ = gⱼ + [H(b − β)]ⱼ,
///
///   bⱼ ← S(Hⱼⱼbⱼ − cⱼ, λr) / (Hⱼⱼ + λ(1 − r))   (S(z, t) = sign(z)·max(|z| − t, 0)),
///
/// and bⱼ ← bⱼ − cⱼ/Hⱼⱼ for an unpenalized coordinate. q = H(b − β) is updated by one column of H per
/// change. Active set: after a full sweep, sweeps run over the non-zero coordinates until they settle, then
/// a full sweep checks that no zero coordinate wants to enter (glmnet's scheme).
/// Stopping rule: every update of the last full sweep moved its coordinate's gradient by at most
/// `tolerance` (|Hⱼⱼ·Δbⱼ| ≤ tolerance).
struct CoordinateDescent {
    /// The cap on sweeps (full and active-set together).
    var maximumSweeps = 100_000

    /// Minimizes m starting from b = β; returns the number of sweeps.
    /// - Parameters:
    ///   - hessian: H (p × p, symmetric, both triangles filled).
    ///   - gradient: g (p).
    ///   - coefficients: β on entry, the minimizer b on return.
    ///   - firstPenalized: the first penalized index (1 with an intercept).
    ///   - q: workspace of p entries.
    func minimize(hessian h: Matrix, gradient g: [Double], coefficients b: inout [Double], firstPenalized: Int,
                  penalty: GLMPenalty, tolerance: Double, q: inout [Double]) -> Int {
        let p = b.count
        for j in 0..<p { q[j] = 0 }
        let l1 = penalty.l1, l2 = penalty.l2
        var sweeps = 0
        return h.elements.withUnsafeBufferPointer { hh -> Int in
            // One update of coordinate j; returns |Hⱼⱼ·Δbⱼ|.
            func update(_ j: Int) -> Double {
                let column = j * p
                let hjj = hh[column + j]
                let c = g[j] + q[j]
                let old = b[j]
                var new = old
                if j < firstPenalized {
                    if hjj > 0 { new = old - c / hjj }
                } else {
                    let z = hjj * old - c, denominator = hjj + l2
                    if denominator > 0 {
                        let shrunk = Swift.abs(z) - l1
                        new = shrunk > 0 ? (z > 0 ? shrunk : -shrunk) / denominator : 0
                    }
                }
                let delta = new - old
                if delta == 0 { return 0 }
                b[j] = new
                for i in 0..<p { q[i] += delta * hh[column + i] }
                return Swift.abs(hjj * delta)
            }
            while sweeps < maximumSweeps {
                var largest = 0.0
                for j in 0..<p { largest = Swift.max(largest, update(j)) }
                sweeps += 1
                if largest <= tolerance { break }
                let active = (0..<p).filter { $0 < firstPenalized || b[$0] != 0 }
                while sweeps < maximumSweeps {
                    var moved = 0.0
                    for j in active { moved = Swift.max(moved, update(j)) }
                    sweeps += 1
                    if moved <= tolerance { break }
                }
            }
            return sweeps
        }
    }
}
