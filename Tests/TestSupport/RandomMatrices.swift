import LinearAlgebra
#if canImport(Glibc)
import Glibc
#endif

@inline(__always) func logD(_ x: Double) -> Double { log(x) }
@inline(__always) func cosD(_ x: Double) -> Double { cos(x) }

/// An r × c matrix of independent standard normal entries.
public func randomGaussianMatrix(_ r: Int, _ c: Int, using g: inout SeededGenerator) -> Matrix {
    Matrix(rows: r, columns: c, columnMajor: (0..<(r * c)).map { _ in g.nextGaussian() })
}

/// A vector of n independent standard normal entries.
public func randomGaussianVector(_ n: Int, using g: inout SeededGenerator) -> [Double] {
    (0..<n).map { _ in g.nextGaussian() }
}

/// A random symmetric positive-definite n × n matrix GᵀG/n + shift·I (well conditioned for shift ~ 1).
public func randomSPD(_ n: Int, shift: Double = 1, using g: inout SeededGenerator) -> Matrix {
    let m = randomGaussianMatrix(n, n, using: &g)
    var a = BLAS.gram(m)
    for k in a.elements.indices { a.elements[k] /= Double(Swift.max(n, 1)) }
    a.addToDiagonal(shift)
    return a
}

/// max |xᵢ − yᵢ| / max(max |yᵢ|, floor): relative error in the max norm. NaN when any xᵢ or yᵢ is NaN
/// or an infinity is not matched by the same infinity (so `error <= tolerance` fails on a NaN result;
/// `Swift.max(d, .nan)` returns d and used to skip it); equal entries, infinite ones included, add 0.
public func relativeError(_ x: [Double], _ y: [Double], floor: Double = 0) -> Double {
    precondition(x.count == y.count)
    var d = 0.0, s = floor
    for i in x.indices where x[i] != y[i] {
        if !(x[i].isFinite && y[i].isFinite) { return .nan }
        d = Swift.max(d, Swift.abs(x[i] - y[i]))
        s = Swift.max(s, Swift.abs(y[i]))
    }
    for v in y where v.isFinite { s = Swift.max(s, Swift.abs(v)) }
    return s == 0 ? d : d / s
}

/// ‖Ax − b‖_∞ / (‖A‖_∞ ‖x‖_∞ + ‖b‖_∞): the normwise backward error of a solve.
public func backwardError(_ a: Matrix, _ x: [Double], _ b: [Double]) -> Double {
    let r = a * x
    var rn = 0.0, xn = 0.0, bn = 0.0, an = 0.0
    for i in 0..<a.rows {
        rn = Swift.max(rn, Swift.abs(r[i] - b[i]))
        bn = Swift.max(bn, Swift.abs(b[i]))
        var rowSum = 0.0
        for j in 0..<a.columns { rowSum += Swift.abs(a[i, j]) }
        an = Swift.max(an, rowSum)
    }
    for v in x { xn = Swift.max(xn, Swift.abs(v)) }
    // Swift.max(m, .nan) returns m: a NaN in x, b or the residual would otherwise be skipped.
    if x.contains(where: \.isNaN) || b.contains(where: \.isNaN) || r.contains(where: \.isNaN) { return .nan }
    let denom = an * xn + bn
    return denom == 0 ? rn : rn / denom
}

/// γₖ = kε/(1 − kε) with ε = 2⁻⁵²: a computed sum of k products satisfies |ŝ − s| ≤ γₖ Σ|terms|
/// (Higham, Thm 3.5, with ε twice the unit roundoff, so the bounds built on it carry a factor 2 of margin).
public func gamma(_ k: Int) -> Double { Double(k) * Double.ulpOfOne / (1 - Double(k) * Double.ulpOfOne) }
