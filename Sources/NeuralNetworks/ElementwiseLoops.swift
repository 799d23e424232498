/// The elementwise loops of the passes, written over `inout [Double]` so that each loop makes one
/// access to a matrix's storage (`&m.elements`) instead of one accessor call per element.

/// a[i + j·(out + 1)] = φ(z[i + j·out]) for i < out, j < b (the constant row of ā is left alone).
func applyActivation(_ phi: Activation, _ z: [Double], rows out: Int, columns b: Int, into a: inout [Double]) {
    for j in 0..<b {
        for i in 0..<out { a[i + j * (out + 1)] = phi(z[i + j * out]) }
    }
}

/// d[i + j·w] = x[k]·φ′(a[k]) with k = i + j·(w + 1): the first w rows of Wᵀδ times φ′ at the stored outputs.
func multiplyByDerivative(_ phi: Activation, _ x: [Double], outputs a: [Double], rows w: Int, columns b: Int,
                          into d: inout [Double]) {
    for j in 0..<b {
        for i in 0..<w {
            let k = i + j * (w + 1)
            d[i + j * w] = x[k] * phi.derivative(output: a[k])
        }
    }
}

/// r[i + j·(out + 1)] = φ′(a[i + j·(out + 1)])·rz[i + j·out] (the R-operator through φ).
func multiplyDerivativeIntoAugmented(_ phi: Activation, _ rz: [Double], outputs a: [Double], rows out: Int, columns b: Int,
                                     into r: inout [Double]) {
    for j in 0..<b {
        for i in 0..<out {
            let k = i + j * (out + 1)
            r[k] = phi.derivative(output: a[k]) * rz[i + j * out]
        }
    }
}

/// Σ_b ℓ(η_b; T_b), writing μ(η_b) for every column.
func batchLoss(_ output: OutputFamily, eta: [Double], targets t: [Double], columns b: Int, means: inout [Double]) -> Double {
    var total = 0.0
    for j in 0..<b { total += output.lossAndMean(eta: eta, t: t, column: j, mean: &means) }
    return total
}

/// u ← F(η_b)u for every column b, with u = s·x first.
func scaledFisherTimes(_ output: OutputFamily, _ s: Double, _ x: [Double], means: [Double], columns b: Int, into u: inout [Double]) {
    for k in 0..<x.count { u[k] = s * x[k] }
    for j in 0..<b { output.fisherTimes(&u, mean: means, column: j) }
}
