import LinearAlgebra

/// The multivariate normal in natural coordinates, as the generic natural-gradient path needs it:
/// the chain rule from (m, Σ) gradients to θ gradients. (The Fisher matrix F(θ) = Cov[T(w)] is
/// ExponentialFamilies' `MultivariateNormal.fisherInformation`, which uses the same layout.)
///
/// Layout (the project's convention, d + d(d+1)/2 entries): T(w) = (w, then for i ≤ j in row-major
/// upper-triangle order cᵢⱼ·wᵢwⱼ with cᵢᵢ = 1, cᵢⱼ = 2 for i < j), θ = (η = Sm, Λᵢⱼ for i ≤ j), Λ = −½S.
public enum GaussianNaturalCoordinates {
    /// d + d(d+1)/2.
    public static func parameterCount(dimension d: Int) -> Int { d + d * (d + 1) / 2 }

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
