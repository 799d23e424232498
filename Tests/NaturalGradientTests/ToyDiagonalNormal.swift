import ExponentialFamilies
import Foundation

/// A test-local product of d independent normals in natural parameters, written from the textbook
/// formulas so the engine can be tested before (and independently of) the library's families.
/// θ = (η₁…η_d, λ₁…λ_d), ηᵢ = mᵢ/σᵢ², λᵢ = −1/(2σᵢ²) < 0; T(x) = (x, x²); A = Σ −ηᵢ²/(4λᵢ) − ½log(−2λᵢ).
struct ToyDiagonalNormal: ExponentialFamily {
    typealias Observation = [Double]
    let naturalParameters: [Double]
    var d: Int { naturalParameters.count / 2 }
    var dimension: Int { naturalParameters.count }

    init(theta: [Double]) throws(ExponentialFamilyError) {
        precondition(theta.count % 2 == 0)
        let d = theta.count / 2
        for i in theta.indices where !theta[i].isFinite { throw .nonFinite(parameter: "theta[\(i)]") }
        for i in d..<(2 * d) where !(theta[i] < 0) {
            throw .outsideDomain(parameter: "theta[\(i)]", value: theta[i], requirement: "< 0")
        }
        naturalParameters = theta
    }

    func mean(_ i: Int) -> Double { -naturalParameters[i] / (2 * naturalParameters[d + i]) }
    func variance(_ i: Int) -> Double { -1 / (2 * naturalParameters[d + i]) }

    var meanParameters: [Double] {
        (0..<d).map(mean) + (0..<d).map { mean($0) * mean($0) + variance($0) }
    }
    var logPartition: Double {
        (0..<d).reduce(0) { s, i in
            let eta = naturalParameters[i], lam = naturalParameters[d + i]
            return s - eta * eta / (4 * lam) - 0.5 * Foundation.log(-2 * lam)
        }
    }
    /// Cov[(x, x²)] = [[σ², 2mσ²], [2mσ², 4m²σ² + 2σ⁴]] per coordinate.
    var fisherInformation: Matrix {
        var f = Matrix(rows: dimension, columns: dimension)
        for i in 0..<d {
            let m = mean(i), v = variance(i)
            f[i, i] = v
            f[i, d + i] = 2 * m * v
            f[d + i, i] = 2 * m * v
            f[d + i, d + i] = 4 * m * m * v + 2 * v * v
        }
        return f
    }
    func fisherVectorProduct(_ x: [Double]) -> [Double] { fisherInformation * x }
    func withNaturalParameters(_ theta: [Double]) throws(ExponentialFamilyError) -> ToyDiagonalNormal {
        try ToyDiagonalNormal(theta: theta)
    }
    func withMeanParameters(_ mu: [Double]) throws(ExponentialFamilyError) -> ToyDiagonalNormal {
        var theta = mu
        for i in 0..<d {
            let v = mu[d + i] - mu[i] * mu[i]
            guard v > 0 else { throw .outsideDomain(parameter: "variance[\(i)]", value: v, requirement: "> 0") }
            theta[i] = mu[i] / v
            theta[d + i] = -1 / (2 * v)
        }
        return try ToyDiagonalNormal(theta: theta)
    }
    func sufficientStatistics(_ x: [Double]) throws(ExponentialFamilyError) -> [Double] { x + x.map { $0 * $0 } }
    func logBaseMeasure(_ x: [Double]) throws(ExponentialFamilyError) -> Double { -0.5 * Double(d) * Foundation.log(2 * Double.pi) }
    var expectedLogBaseMeasure: Double { -0.5 * Double(d) * Foundation.log(2 * Double.pi) }
    func sample<G: RandomNumberGenerator>(using generator: inout G) -> [Double] {
        (0..<d).map { i in
            let u1 = Double.random(in: Double.leastNonzeroMagnitude..<1, using: &generator)
            let u2 = Double.random(in: 0..<1, using: &generator)
            return mean(i) + variance(i).squareRoot() * (-2 * Foundation.log(u1)).squareRoot() * Foundation.cos(2 * Double.pi * u2)
        }
    }
}
