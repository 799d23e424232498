import BenchSupport
import Foundation
import NatGrad

/// Problem sizes per family: parameter dimensions (Categorical, Dirichlet) or variable counts d
/// (DiagonalNormal: p = 2d; MultivariateNormal: p = d + d(d + 1)/2).
struct FamilySizes {
    var categorical: [Int]
    var dirichlet: [Int]
    var diagonalNormal: [Int]
    var multivariateNormal: [Int]

    static let full = FamilySizes(categorical: [16, 64, 256, 1024, 4096], dirichlet: [16, 64, 256, 1024, 4096],
                                  diagonalNormal: [8, 32, 128, 512, 2048, 4096],
                                  multivariateNormal: [2, 4, 8, 16, 32, 64])
    /// The CI sizes: the largest of each is where `--check` demands B ≥ 10× A.
    static let quick = FamilySizes(categorical: [16, 64, 256], dirichlet: [16, 64, 256],
                                   diagonalNormal: [8, 32, 128], multivariateNormal: [2, 4, 8, 16])
}

/// Uniform draw in [lo, hi).
func uniform(_ lo: Double, _ hi: Double, _ rng: inout Xoshiro256) -> Double {
    lo + (hi - lo) * openUnitUniform(using: &rng)
}

/// Every family row, smallest to largest within each family.
func familyRows(quick: Bool, plan: TimingPlan, progress: (String) -> Void) throws -> [ComparisonRow] {
    let sizes = quick ? FamilySizes.quick : FamilySizes.full
    var rows = [ComparisonRow]()
    for p in sizes.categorical {
        progress("Categorical p = \(p)")
        rows.append(try categoricalProblem(dimension: p).run(plan))
    }
    for p in sizes.dirichlet {
        progress("Dirichlet p = \(p)")
        rows.append(try dirichletProblem(dimension: p).run(plan))
    }
    for d in sizes.diagonalNormal {
        progress("DiagonalNormal d = \(d)")
        rows.append(try diagonalNormalProblem(d: d).run(plan))
    }
    for d in sizes.multivariateNormal {
        progress("MultivariateNormal d = \(d)")
        rows.append(try multivariateNormalProblem(d: d).run(plan))
    }
    return rows
}

// MARK: Categorical: F = diag(p) − ppᵀ (K − 1 free probabilities, reference class last)

/// q, p with probabilities ∝ U(0.5, 1.5) (well conditioned: every pₖ within a factor 3 of 1/K).
func categoricalProblem(dimension: Int) throws -> FamilyProblem<Categorical> {
    var rng = Xoshiro256(seed: 0xCA7 &+ UInt64(dimension))
    func member() throws -> Categorical {
        let w = (0...dimension).map { _ in uniform(0.5, 1.5, &rng) }
        let total = w.reduce(0, +)
        return try Categorical(probabilities: w.map { $0 / total })
    }
    let q = try member(), target = try member()
    let b = (0..<dimension).map { _ in uniform(-0.1, 0.1, &rng) }
    var probabilities = [Double](repeating: 0, count: dimension)
    var thetaGradient = probabilities
    // (A′) ∇θL = p∘g − p(pᵀg) in O(K); Sherman–Morrison for (D − ppᵀ)⁻¹ with D = diag(p):
    // D⁻¹ + D⁻¹ppᵀD⁻¹/(1 − pᵀD⁻¹p) = D⁻¹ + 11ᵀ/p_K, so x = ∇θL/p + (Σ∇θL)/p_K.
    return FamilyProblem(name: "Categorical", q: q, target: target, b: b) { q, meanGradient, out in
        let logP = q.logProbabilities
        var pg = 0.0
        for i in 0..<dimension {
            probabilities[i] = Foundation.exp(logP[i])
            pg += probabilities[i] * meanGradient[i]
        }
        var sum = 0.0
        for i in 0..<dimension {
            thetaGradient[i] = probabilities[i] * (meanGradient[i] - pg)
            sum += thetaGradient[i]
        }
        let shift = sum / Foundation.exp(logP[dimension])
        for i in 0..<dimension { out[i] = thetaGradient[i] / probabilities[i] + shift }
    }
}

// MARK: Dirichlet: F = diag(ψ′(α)) − ψ′(α₀)11ᵀ

/// α ~ U(1, 3) for q and p.
func dirichletProblem(dimension: Int) throws -> FamilyProblem<Dirichlet> {
    var rng = Xoshiro256(seed: 0xD1 &+ UInt64(dimension))
    let q = try Dirichlet(alpha: (0..<dimension).map { _ in uniform(1, 3, &rng) })
    let target = try Dirichlet(alpha: (0..<dimension).map { _ in uniform(1, 3, &rng) })
    let b = (0..<dimension).map { _ in uniform(-0.1, 0.1, &rng) }
    var diagonal = [Double](repeating: 0, count: dimension)
    // (A′) D = ψ′(α), c = ψ′(α₀); ∇θL = D∘g − c(Σg)1; Sherman–Morrison:
    // (D − c11ᵀ)⁻¹y = D⁻¹y + D⁻¹1·c(1ᵀD⁻¹y)/(1 − c·1ᵀD⁻¹1).
    return FamilyProblem(name: "Dirichlet", q: q, target: target, b: b) { q, meanGradient, out in
        let alpha = q.alpha
        var alpha0 = 0.0, gSum = 0.0
        for i in 0..<dimension { alpha0 += alpha[i]; gSum += meanGradient[i] }
        let c = SpecialFunctions.trigamma(alpha0)
        var invDy = 0.0, invD1 = 0.0
        for i in 0..<dimension {
            diagonal[i] = SpecialFunctions.trigamma(alpha[i])
            let y = diagonal[i] * meanGradient[i] - c * gSum   // ∇θL
            out[i] = y / diagonal[i]
            invDy += out[i]
            invD1 += 1 / diagonal[i]
        }
        let coefficient = c * invDy / (1 - c * invD1)
        for i in 0..<dimension { out[i] += coefficient / diagonal[i] }
    }
}

// MARK: DiagonalNormal: F block diagonal in the pairs (ηᵢ, λᵢ)

/// m ~ U(−1, 1), σ² ~ U(0.5, 2) for q and p.
func diagonalNormalProblem(d: Int) throws -> FamilyProblem<DiagonalNormal> {
    var rng = Xoshiro256(seed: 0xD1A6 &+ UInt64(d))
    func member() throws -> DiagonalNormal {
        try DiagonalNormal(mean: (0..<d).map { _ in uniform(-1, 1, &rng) },
                           variances: (0..<d).map { _ in uniform(0.5, 2, &rng) })
    }
    let q = try member(), target = try member()
    let b = (0..<(2 * d)).map { _ in uniform(-0.1, 0.1, &rng) }
    // (A′) per coordinate the 2 × 2 block B = [[σ², 2mσ²], [2mσ², 4m²σ² + 2σ⁴]]: ∇θL = B·g, then a
    // 2 × 2 Cholesky solve B·x = ∇θL.
    return FamilyProblem(name: "DiagonalNormal", q: q, target: target, b: b) { q, meanGradient, out in
        let mean = q.mean, variances = q.variances
        for i in 0..<d {
            let m = mean[i], v = variances[i]
            let b11 = v, b21 = 2 * m * v, b22 = 4 * m * m * v + 2 * v * v
            let g1 = meanGradient[i], g2 = meanGradient[d + i]
            let y1 = b11 * g1 + b21 * g2, y2 = b21 * g1 + b22 * g2
            let l11 = b11.squareRoot(), l21 = b21 / l11, l22 = (b22 - l21 * l21).squareRoot()
            let z1 = y1 / l11, z2 = (y2 - l21 * z1) / l22
            let x2 = z2 / l22
            out[d + i] = x2
            out[i] = (z1 - l21 * x2) / l11
        }
    }
}

// MARK: MultivariateNormal: no structured Cholesky-path variant

/// m ~ U(−1, 1), Σ = ½I + AAᵀ/d with A d × d standard normal (eigenvalues in about [0.5, 4.5]).
func multivariateNormalProblem(d: Int) throws -> FamilyProblem<MultivariateNormal> {
    var rng = Xoshiro256(seed: 0x3A7 &+ UInt64(d))
    func member() throws -> MultivariateNormal {
        let a = Matrix(rows: d, columns: d, columnMajor: (0..<(d * d)).map { _ in standardNormal(using: &rng) })
        var covariance = BLAS.multiply(a, transposed: false, a, transposed: true)
        for k in covariance.elements.indices { covariance.elements[k] /= Double(d) }
        covariance.addToDiagonal(0.5)
        return try MultivariateNormal(mean: (0..<d).map { _ in uniform(-1, 1, &rng) }, covariance: covariance)
    }
    let q = try member(), target = try member()
    let b = (0..<MultivariateNormal.dimension(d: d)).map { _ in uniform(-0.1, 0.1, &rng) }
    // The natural-parameter Fisher of a full Gaussian has no diagonal-plus-low-rank or block structure a
    // Cholesky solve could exploit; its inverse is ∂θ/∂μ, and applying that *is* the fast path.
    return FamilyProblem(name: "MultivariateNormal", q: q, target: target, b: b, structured: nil)
}
