import LinearAlgebra

/// The multivariate normal in natural coordinates, as the generic natural-gradient path needs it:
/// the Fisher matrix F(θ) = Cov[T(w)] and the chain rule from (m, Σ) gradients to θ gradients.
///
/// Layout (the project's convention, d + d(d+1)/2 entries): T(w) = (w, then for i ≤ j in row-major
/// upper-triangle order cᵢⱼ·wᵢwⱼ with cᵢᵢ = 1, cᵢⱼ = 2 for i < j), θ = (η = Sm, Λᵢⱼ for i ≤ j), Λ = −½S.
public enum GaussianNaturalCoordinates {
    /// d + d(d+1)/2.
    public static func parameterCount(dimension d: Int) -> Int { d + d * (d + 1) / 2 }

    /// Position of (i, j), i ≤ j, in θ (after the d entries of η).
    @inline(__always)
    static func index(_ i: Int, _ j: Int, dimension d: Int) -> Int {
        d + i * d - i * (i - 1) / 2 + (j - i)
    }

    /// F(θ) = Cov[T(w)] for w ~ N(m, Σ), from Isserlis' theorem:
    ///
    ///     Cov[wₐ, w_b] = Σₐ_b,
    ///     Cov[wₐ, wₖwₗ] = Σₐₖmₗ + Σₐₗmₖ,
    ///     Cov[wᵢwⱼ, wₖwₗ] = ΣᵢₖΣⱼₗ + ΣᵢₗΣⱼₖ + mᵢmₖΣⱼₗ + mᵢmₗΣⱼₖ + mⱼmₖΣᵢₗ + mⱼmₗΣᵢₖ,
    ///
    /// each quadratic statistic scaled by its cᵢⱼ. Symmetric positive definite, size
    /// (d + d(d+1)/2)²: for d = 100 that is 5150 × 5150 (212 MB) — this is the path the fast rule avoids.
    /// - Precondition: Σ is d × d with d = m.count.
    public static func fisherInformation(mean m: [Double], covariance sigma: Matrix) -> Matrix {
        let d = m.count
        precondition(sigma.rows == d && sigma.columns == d,
                     "fisherInformation: mean of length \(d), covariance \(sigma.shapeDescription)")
        let p = parameterCount(dimension: d)
        // Filled as a plain array (stores through `Matrix.elements` from another module copy per store).
        var f = [Double](repeating: 0, count: p * p)
        // Quadratic index list.
        var pairs: [(Int, Int)] = []
        pairs.reserveCapacity(p - d)
        for i in 0..<d { for j in i..<d { pairs.append((i, j)) } }
        let s = sigma.elements
        @inline(__always) func cov(_ a: Int, _ b: Int) -> Double { s[a + b * d] }
        for a in 0..<d { for b in 0..<d { f[a + b * p] = cov(a, b) } }
        for (u, (k, l)) in pairs.enumerated() {
            let c: Double = k == l ? 1 : 2
            let col = d + u
            for a in 0..<d {
                let v = c * (cov(a, k) * m[l] + cov(a, l) * m[k])
                f[a + col * p] = v
                f[col + a * p] = v
            }
            for (t, (i, j)) in pairs.enumerated() where t <= u {
                let ci: Double = i == j ? 1 : 2
                let v = ci * c * (cov(i, k) * cov(j, l) + cov(i, l) * cov(j, k)
                    + m[i] * m[k] * cov(j, l) + m[i] * m[l] * cov(j, k)
                    + m[j] * m[k] * cov(i, l) + m[j] * m[l] * cov(i, k))
                f[(d + t) + col * p] = v
                f[col + (d + t) * p] = v
            }
        }
        return Matrix(rows: p, columns: p, columnMajor: f)
    }

    /// ∇θL from the gradients of L with respect to m and Σ (gradM = ∂L/∂m, gradSigma symmetric with
    /// dL = gradMᵀdm + tr(gradSigma·dΣ)). With Σ = S⁻¹, m = Ση and dΣ = 2Σ dΛ Σ:
    ///
    ///     ∂L/∂η = Σ·gradM,   ∂L/∂Λ = sym(A) with A = 2·Σ gradM mᵀ + 2·Σ gradSigma Σ,
    ///
    /// and θᵢⱼ (i < j) moves both Λᵢⱼ and Λⱼᵢ, so its derivative is Aᵢⱼ + Aⱼᵢ; θᵢᵢ gets Aᵢᵢ.
    public static func naturalGradientOfObjective(mean m: [Double], covariance sigma: Matrix,
                                                  meanGradient gradM: [Double], covarianceGradient gradSigma: Matrix) -> [Double] {
        let d = m.count
        precondition(sigma.rows == d && sigma.columns == d && gradSigma.rows == d && gradSigma.columns == d && gradM.count == d,
                     "naturalGradientOfObjective: mean \(d), covariance \(sigma.shapeDescription), gradients \(gradM.count) and \(gradSigma.shapeDescription)")
        let sg = sigma * gradM
        let sgs = sigma * gradSigma * sigma
        var theta = sg
        theta.reserveCapacity(parameterCount(dimension: d))
        for i in 0..<d {
            for j in i..<d {
                let aij = 2 * sg[i] * m[j] + 2 * sgs[i, j]
                let aji = 2 * sg[j] * m[i] + 2 * sgs[j, i]
                theta.append(i == j ? aij : aij + aji)
            }
        }
        return theta
    }
}
