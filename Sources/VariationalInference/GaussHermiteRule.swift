import LinearAlgebra
import RealModule

/// An n-point Gauss–Hermite rule for expectations under the standard normal:
///
///     E[f(z)] = ∫ f(z) φ(z) dz ≈ Σₖ wₖ f(zₖ),   φ(z) = exp(−z²/2)/√(2π),
///
/// exact for every polynomial f of degree ≤ 2n − 1 (the probabilists' convention: the nodes are the
/// roots of Heₙ, the weights sum to 1). For smooth f the error decays geometrically in n, so a few
/// dozen nodes give the GLM expectations of variational inference to machine precision.
///
/// Construction (Golub–Welsch): the monic recurrence Heₖ₊₁(z) = z·Heₖ(z) − k·Heₖ₋₁(z) has the symmetric
/// Jacobi matrix J with zero diagonal and off-diagonal entries √1, √2, …, √(n−1); its eigenvalues
/// (`SymmetricEigendecomposition`) are the nodes. Each node is then polished by Newton steps on the
/// orthonormal polynomial p̃ₙ (p̃ₙ′ = √n·p̃ₙ₋₁), and its weight is taken from the Christoffel function
///
///     wₖ = 1 / Σⱼ₌₀ⁿ⁻¹ p̃ⱼ(zₖ)²,
///
/// which, unlike the squared first eigenvector component, keeps full relative accuracy in the tiny
/// weights of the outer nodes. Nodes are symmetrized (z₍ₙ₋₁₋ₖ₎ = −zₖ, and 0 is exact for odd n).
public struct GaussHermiteRule: Sendable, Equatable {
    /// Nodes z₀ < z₁ < … < zₙ₋₁ (ascending).
    public let nodes: [Double]
    /// Weights wₖ > 0, Σ wₖ = 1 (to rounding).
    public let weights: [Double]

    /// Largest supported rule: beyond it p̃ⱼ overflows at the outer nodes and the rule would gain nothing.
    public static let maximumNodeCount = 200

    /// Builds the n-point rule.
    /// - Parameter count: n, in 1…``maximumNodeCount``.
    /// - Throws: `.invalidParameter` for n outside that range; `.linearAlgebra` if the symmetric
    ///   eigensolver fails (it does not for these tridiagonal matrices).
    public init(nodeCount count: Int) throws(VariationalInferenceError) {
        guard count >= 1 && count <= GaussHermiteRule.maximumNodeCount else {
            throw .invalidParameter(name: "quadrature node count", value: Double(count),
                                    requirement: "in 1…\(GaussHermiteRule.maximumNodeCount)")
        }
        var jacobi = Matrix(rows: count, columns: count)
        for k in 1..<max(count, 1) {
            let b = Double(k).squareRoot()
            jacobi[k, k - 1] = b
            jacobi[k - 1, k] = b
        }
        let eigen: SymmetricEigendecomposition
        do { eigen = try SymmetricEigendecomposition(jacobi) } catch { throw .linearAlgebra(error) }
        var z = eigen.eigenvalues
        var w = [Double](repeating: 0, count: count)
        for k in 0..<count {
            var x = z[k]
            for _ in 0..<3 {
                let (pn, pnm1, _) = GaussHermiteRule.orthonormal(count, at: x)
                let derivative = Double(count).squareRoot() * pnm1
                guard derivative != 0 else { break }
                let dx = pn / derivative
                x -= dx
                if Swift.abs(dx) <= Double.ulpOfOne * Swift.max(1, Swift.abs(x)) { break }
            }
            z[k] = x
        }
        // Symmetrize: the rule is even, so enforce it exactly.
        for k in 0..<(count / 2) {
            let a = 0.5 * (z[count - 1 - k] - z[k])
            z[k] = -a
            z[count - 1 - k] = a
        }
        if count % 2 == 1 { z[count / 2] = 0 }
        for k in 0..<count { w[k] = 1 / GaussHermiteRule.orthonormal(count, at: z[k]).sumOfSquares }
        for k in 0..<(count / 2) {
            let a = 0.5 * (w[k] + w[count - 1 - k])
            w[k] = a
            w[count - 1 - k] = a
        }
        nodes = z
        weights = w
    }

    /// p̃ₙ(x), p̃ₙ₋₁(x) and Σⱼ₌₀ⁿ⁻¹ p̃ⱼ(x)² for the orthonormal probabilists' Hermite polynomials
    /// p̃₀ = 1, p̃ₖ₊₁ = (x·p̃ₖ − √k·p̃ₖ₋₁)/√(k+1).
    private static func orthonormal(_ n: Int, at x: Double) -> (Double, Double, sumOfSquares: Double) {
        var previous = 0.0, current = 1.0, sum = 0.0
        for k in 0..<n {
            sum += current * current
            let next = (x * current - Double(k).squareRoot() * previous) / Double(k + 1).squareRoot()
            previous = current
            current = next
        }
        return (current, previous, sum)
    }

    /// Σₖ wₖ f(zₖ): the rule applied to f.
    public func expectation(_ f: (Double) -> Double) -> Double {
        var s = 0.0
        for k in nodes.indices { s += weights[k] * f(nodes[k]) }
        return s
    }
}
