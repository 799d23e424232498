import LinearAlgebra

// Textbook loops, independent of BLAS/LAPACK, used as references. Each returns, next to the value,
// the matching "absolute" magnitude (the same sum over |terms|) that rounding-error bounds need:
// a computed sum of k products satisfies |ŝ − s| ≤ γₖ Σ|terms|, γₖ = kε/(1 − kε) (Higham, Thm 3.5).

let eps = Double.ulpOfOne

// γₖ = kε/(1 − kε): `gamma(_:)` in TestSupport.

/// op(A)·op(B) and |op(A)|·|op(B)| by triple loops.
func naiveProduct(_ a: Matrix, _ ta: Bool, _ b: Matrix, _ tb: Bool) -> (value: Matrix, magnitude: Matrix) {
    let m = ta ? a.columns : a.rows, k = ta ? a.rows : a.columns
    let n = tb ? b.rows : b.columns
    var c = Matrix(rows: m, columns: n), mag = Matrix(rows: m, columns: n)
    for i in 0..<m {
        for j in 0..<n {
            var s = 0.0, t = 0.0
            for l in 0..<k {
                let x = ta ? a[l, i] : a[i, l]
                let y = tb ? b[j, l] : b[l, j]
                s += x * y
                t += abs(x * y)
            }
            c[i, j] = s
            mag[i, j] = t
        }
    }
    return (c, mag)
}

/// max over entries of |x − y| / bound, i.e. ≤ 1 exactly when every entry is within its bound.
/// NaN when an entry of x or y is NaN (`max(m, .nan)` returns m and would skip it).
func worstRatio(_ x: Matrix, _ y: Matrix, bound: Matrix) -> Double {
    var worst = 0.0
    for k in x.elements.indices {
        let d = abs(x.elements[k] - y.elements[k])
        if d.isNaN { return .nan }
        if d == 0 { continue }
        worst = max(worst, bound.elements[k] == 0 ? .infinity : d / bound.elements[k])
    }
    return worst
}

/// ‖A‖₁ (max column sum) and ‖A‖∞ (max row sum).
func oneNorm(_ a: Matrix) -> Double {
    var best = 0.0
    for j in 0..<a.columns { best = max(best, (0..<a.rows).reduce(0) { $0 + abs(a[$1, j]) }) }
    return best
}

func infNorm(_ a: Matrix) -> Double { oneNorm(a.transposed) }

/// max |xᵢ|; NaN when some xᵢ is NaN (`max(m, .nan)` returns m and would skip it).
func maxAbs(_ x: [Double]) -> Double { x.contains(where: \.isNaN) ? .nan : x.reduce(0) { max($0, abs($1)) } }

/// Binomial coefficient C(n, k) as an exact Double (small arguments only).
func binomial(_ n: Int, _ k: Int) -> Double {
    if k < 0 || k > n { return 0 }
    var r = 1.0
    for i in 0..<k { r = r * Double(n - i) / Double(i + 1) }
    return r.rounded()
}

/// The n × n Pascal matrix Pᵢⱼ = C(i + j, i) (0-based): SPD, det = 1, Cholesky factor Lᵢⱼ = C(i, j).
func pascal(_ n: Int) -> Matrix {
    var p = Matrix(rows: n, columns: n)
    for i in 0..<n { for j in 0..<n { p[i, j] = binomial(i + j, i) } }
    return p
}

/// The n × n Hilbert matrix Hᵢⱼ = 1/(i + j + 1) (0-based) and its exact inverse (integers, closed form:
/// (H⁻¹)ᵢⱼ = (−1)^(i+j) (i+j+1) C(n+i, n−j−1) C(n+j, n−i−1) C(i+j, i)², 0-based).
func hilbert(_ n: Int) -> (h: Matrix, inverse: Matrix) {
    var h = Matrix(rows: n, columns: n), inv = Matrix(rows: n, columns: n)
    for i in 0..<n {
        for j in 0..<n {
            h[i, j] = 1 / Double(i + j + 1)
            let sign: Double = (i + j) % 2 == 0 ? 1 : -1
            let c = binomial(i + j, i)
            inv[i, j] = sign * Double(i + j + 1) * binomial(n + i, n - j - 1) * binomial(n + j, n - i - 1) * c * c
        }
    }
    return (h, inv)
}

/// A symmetric matrix with the given lower triangle and `garbage` in the strict upper triangle,
/// to prove that routines documented to read the lower triangle ignore the upper one.
func withUpperGarbage(_ a: Matrix, _ garbage: Double = 1e3) -> Matrix {
    var m = a
    for j in 0..<a.columns { for i in 0..<j { m[i, j] = garbage + Double(i - j) } }
    return m
}
