import Foundation
import LinearAlgebra
import NaturalGradientOptimizer
import TestSupport

/// Logistic regression as a user model: L(β) = (1/n)Σ [log(1 + e^{xᵢᵀβ}) − yᵢxᵢᵀβ],
/// ∇L = Xᵀ(μ − y)/n, Fisher C = XᵀWX/n with W = diag(μ(1 − μ)) (equal to the Hessian: canonical link).
/// `form` picks which curvature form `evaluate` returns.
struct LogisticObjective: OptimizationObjective {
    enum Form { case dense, samples, product }
    let x: Matrix          // n × p, row-major data in a column-major Matrix
    let y: [Double]
    var form: Form
    private var weights: [Double]

    init(x: Matrix, y: [Double], form: Form) {
        self.x = x; self.y = y; self.form = form
        weights = [Double](repeating: 0, count: x.rows)
    }

    var parameterCount: Int { x.columns }

    func loss(at beta: [Double]) -> Double {
        var eta = [Double](repeating: 0, count: x.rows)
        BLAS.gemv(x, beta, into: &eta)
        var s = 0.0
        for i in 0..<x.rows {
            let e = eta[i]
            s += (e > 0 ? e + Foundation.log1p(Foundation.exp(-e)) : Foundation.log1p(Foundation.exp(e))) - y[i] * e
        }
        return s / Double(x.rows)
    }

    mutating func evaluate(at beta: [Double], gradient: inout [Double]) -> Evaluation {
        let n = x.rows
        var eta = [Double](repeating: 0, count: n)
        BLAS.gemv(x, beta, into: &eta)
        var r = [Double](repeating: 0, count: n)
        for i in 0..<n {
            let mu = 1 / (1 + Foundation.exp(-eta[i]))
            r[i] = mu - y[i]
            weights[i] = mu * (1 - mu)
        }
        BLAS.gemv(x, transposed: true, r, alpha: 1 / Double(n), into: &gradient)
        let l = loss(at: beta)
        switch form {
        case .dense:
            var f = BLAS.weightedGram(x, weights: weights)
            BLAS.scale(1 / Double(n), &f.elements)
            return Evaluation(loss: l, curvature: .fisher(f))
        case .samples:
            // Rows √wᵢ·xᵢ: GᵀG/n = XᵀWX/n, the exact Fisher written as "per-sample" factors.
            var g = x
            for i in 0..<n { for j in 0..<x.columns { g[i, j] = x[i, j] * weights[i].squareRoot() } }
            return Evaluation(loss: l, curvature: .sampleGradients(g))
        case .product:
            return Evaluation(loss: l, curvature: .fisherVectorProduct)
        }
    }

    mutating func fisherVectorProduct(_ v: [Double], into result: inout [Double]) {
        var xv = [Double](repeating: 0, count: x.rows)
        BLAS.gemv(x, v, into: &xv)
        for i in 0..<x.rows { xv[i] *= weights[i] / Double(x.rows) }
        BLAS.gemv(x, transposed: true, xv, into: &result)
    }
}

/// n rows: an intercept and p − 1 features 3·N(0, 1); y ~ Bernoulli(σ(xᵀβ*)).
func logisticData(n: Int, trueBeta: [Double], seed: UInt64) -> (Matrix, [Double]) {
    var g = SeededGenerator(seed: seed)
    let p = trueBeta.count
    var x = Matrix(rows: n, columns: p)
    var y = [Double](repeating: 0, count: n)
    for i in 0..<n {
        x[i, 0] = 1
        for j in 1..<p { x[i, j] = 3 * g.nextGaussian() }
        var eta = 0.0
        for j in 0..<p { eta += x[i, j] * trueBeta[j] }
        let u = Double(g.next() >> 11) * 0x1p-53
        y[i] = u < 1 / (1 + Foundation.exp(-eta)) ? 1 : 0
    }
    return (x, y)
}
