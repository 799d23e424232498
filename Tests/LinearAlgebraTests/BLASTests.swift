import Foundation
import Testing
import LinearAlgebra
import TestSupport

// Products are checked entrywise against textbook loops (NaiveReference.swift) with the standard
// bound for two computed sums of k products: |ĉ − c_ref| ≤ 2γₖ (|A||B|)ᵢⱼ (Higham §3.5), applied
// with k + 2 to cover the α/β scalings.

@Suite("BLAS")
struct BLASTests {
    // MARK: Level 1

    @Test("dot, axpy, scale: closed forms and the γₙ bound", arguments: [0, 1, 5, 1000])
    func levelOne(n: Int) {
        var g = SeededGenerator(seed: UInt64(n) + 1)
        let x = randomGaussianVector(n, using: &g), y = randomGaussianVector(n, using: &g)
        var s = 0.0, t = 0.0
        for i in 0..<n { s += x[i] * y[i]; t += abs(x[i] * y[i]) }
        #expect(abs(BLAS.dot(x, y) - s) <= 2 * gamma(n) * t)
        // axpy and scale are one rounding per entry (or one fused multiply-add).
        var z = y
        BLAS.axpy(-2.5, x, &z)
        for i in 0..<n { #expect(abs(z[i] - (y[i] - 2.5 * x[i])) <= 2 * eps * (abs(y[i]) + abs(2.5 * x[i]))) }
        var w = x
        BLAS.scale(0.5, &w)
        #expect(w == x.map { $0 * 0.5 })
        // Integer closed form: (1, 2, 3)·(4, 5, 6) = 32 exactly.
        #expect(BLAS.dot([1, 2, 3], [4, 5, 6]) == 32)
    }

    @Test("norm: 3-4-5 at every scale without overflow or underflow", arguments: [1.0, 1e300, 1e-300, Double.leastNonzeroMagnitude * 2000])
    func norm(scale: Double) {
        // dnrm2 scales internally: ‖(3s, 4s)‖ = 5s even when (3s)² over- or underflows.
        let r = BLAS.norm([3 * scale, 0, -4 * scale])
        let tolerance = scale < 1e-300 ? 5 * scale * 1e-3 : 4 * eps * 5 * scale  // subnormal inputs carry few bits
        #expect(abs(r - 5 * scale) <= tolerance)
        #expect(BLAS.norm([]) == 0)
    }

    // MARK: Level 2

    @Test("gemv with and without transpose, α and β", arguments: [false, true], [(0, 3), (3, 0), (1, 1), (7, 4), (50, 33)])
    func gemv(transposed: Bool, shape: (Int, Int)) {
        var g = SeededGenerator(seed: UInt64(shape.0 * 100 + shape.1))
        let a = randomGaussianMatrix(shape.0, shape.1, using: &g)
        let (outCount, inCount) = transposed ? (shape.1, shape.0) : (shape.0, shape.1)
        let x = randomGaussianVector(inCount, using: &g)
        let y0 = randomGaussianVector(outCount, using: &g)
        var y = y0
        BLAS.gemv(a, transposed: transposed, x, alpha: 2, beta: -0.5, into: &y)
        let ref = naiveProduct(a, transposed, Matrix(rows: inCount, columns: 1, columnMajor: x), false)
        for i in 0..<outCount {
            let expected = 2 * ref.value.elements[i] - 0.5 * y0[i]
            let bound = 2 * gamma(inCount + 2) * (2 * ref.magnitude.elements[i] + 0.5 * abs(y0[i]))
            #expect(abs(y[i] - expected) <= bound)
        }
        // β = 0: y is not read (NaN in y does not propagate), as in BLAS.
        var yNaN = [Double](repeating: .nan, count: outCount)
        BLAS.gemv(a, transposed: transposed, x, into: &yNaN)
        #expect(yNaN.allSatisfy { !$0.isNaN })
        // The operator form is gemv without transpose.
        if !transposed { #expect(a * x == yNaN) }
    }

    @Test("symv reads only the lower triangle", arguments: [0, 1, 6, 40])
    func symv(n: Int) {
        var g = SeededGenerator(seed: 31 + UInt64(n))
        let a = randomSPD(n, using: &g)
        let x = randomGaussianVector(n, using: &g)
        var y = [Double](repeating: 1, count: n)
        BLAS.symv(withUpperGarbage(a), x, alpha: 1, beta: 3, into: &y)
        let ref = naiveProduct(a, false, Matrix(rows: n, columns: 1, columnMajor: x), false)
        for i in 0..<n {
            #expect(abs(y[i] - (ref.value.elements[i] + 3)) <= 2 * gamma(n + 2) * (ref.magnitude.elements[i] + 3))
        }
    }

    // MARK: Level 3

    @Test("gemm with every transpose combination, α, β", arguments: [false, true], [false, true])
    func gemm(ta: Bool, tb: Bool) {
        var g = SeededGenerator(seed: (ta ? 2 : 0) + (tb ? 1 : 0))
        for (m, n, k) in [(0, 3, 2), (3, 0, 2), (3, 2, 0), (1, 1, 1), (5, 7, 3), (33, 17, 65)] {
            let a = ta ? randomGaussianMatrix(k, m, using: &g) : randomGaussianMatrix(m, k, using: &g)
            let b = tb ? randomGaussianMatrix(n, k, using: &g) : randomGaussianMatrix(k, n, using: &g)
            let c0 = randomGaussianMatrix(m, n, using: &g)
            var c = c0
            BLAS.gemm(a, transposed: ta, b, transposed: tb, alpha: -1.5, beta: 0.25, into: &c)
            let ref = naiveProduct(a, ta, b, tb)
            let expected = ref.value * -1.5 + c0 * 0.25
            let bound = (ref.magnitude * 1.5 + absMatrix(c0) * 0.25) * (2 * gamma(k + 2))
            #expect(worstRatio(c, expected, bound: bound) <= 1, "m=\(m) n=\(n) k=\(k)")
            // β = 0 ignores NaN in C; k = 0 gives β·C.
            var cNaN = Matrix(rows: m, columns: n, repeating: .nan)
            BLAS.gemm(a, transposed: ta, b, transposed: tb, into: &cNaN)
            #expect(cNaN.isFinite)
            #expect(cNaN == BLAS.multiply(a, transposed: ta, b, transposed: tb))
        }
    }

    @Test("matrix product operator: integer closed form")
    func productClosedForm() {
        let a = Matrix(rows: [[1, 2], [3, 4], [5, 6]])
        let b = Matrix(rows: [[7, 8, 9], [10, 11, 12]])
        #expect(a * b == Matrix(rows: [[27, 30, 33], [61, 68, 75], [95, 106, 117]]))
        #expect(b * a == Matrix(rows: [[76, 100], [103, 136]]))
        #expect(a * [1, -1] == [-1, -1, -1])
    }

    @Test("gram AᵀA: symmetric in both triangles, γₖ bound, α and β", arguments: [(0, 3), (4, 0), (1, 1), (10, 3), (3, 10), (100, 40)])
    func gram(shape: (Int, Int)) {
        var g = SeededGenerator(seed: UInt64(shape.0 * 1000 + shape.1))
        let a = randomGaussianMatrix(shape.0, shape.1, using: &g)
        let c = BLAS.gram(a)
        let ref = naiveProduct(a, true, a, false)
        #expect(c == c.transposed)
        #expect(worstRatio(c, ref.value, bound: ref.magnitude * (2 * gamma(shape.0))) <= 1)
        // α, β: C ← 2AᵀA + 1·C (C symmetric).
        var d = Matrix.identity(shape.1)
        BLAS.gram(a, alpha: 2, beta: 1, into: &d)
        #expect(worstRatio(d, ref.value * 2 + Matrix.identity(shape.1), bound: (ref.magnitude * 2 + Matrix.identity(shape.1)) * (2 * gamma(shape.0 + 2))) <= 1)
    }

    @Test("weightedGram AᵀWA: non-negative (incl. zero) and negative weights, workspace reuse",
          arguments: [(0, 2), (1, 1), (6, 3), (200, 12)])
    func weightedGram(shape: (Int, Int)) {
        let (m, p) = shape
        var g = SeededGenerator(seed: UInt64(m * 7 + p))
        let a = randomGaussianMatrix(m, p, using: &g)
        var workspace = Matrix(rows: m, columns: p)
        var c = Matrix(rows: p, columns: p)
        for weights in [
            (0..<m).map { _ in abs(g.nextGaussian()) },
            (0..<m).map { $0 % 3 == 0 ? 0 : abs(g.nextGaussian()) },       // zero weights drop rows
            (0..<m).map { _ in g.nextGaussian() },                          // negative weights
        ] {
            BLAS.weightedGram(a, weights: weights, into: &c, workspace: &workspace)
            #expect(c == c.transposed)
            #expect(c == BLAS.weightedGram(a, weights: weights))
            // Reference: Σᵢ wᵢ aᵢⱼ aᵢₖ by loops; √w·√w adds 2 roundings per term: bound 2γₘ₊₃ Σ|wᵢ aᵢⱼ aᵢₖ|.
            var ref = Matrix(rows: p, columns: p), mag = Matrix(rows: p, columns: p)
            for j in 0..<p {
                for k in 0..<p {
                    for i in 0..<m {
                        ref[j, k] += weights[i] * a[i, j] * a[i, k]
                        mag[j, k] += abs(weights[i] * a[i, j] * a[i, k])
                    }
                }
            }
            #expect(worstRatio(c, ref, bound: mag * (2 * gamma(m + 3))) <= 1)
        }
        // Zero weights give exactly the Gram of the remaining rows.
        if m > 0 {
            var w = [Double](repeating: 0, count: m)
            w[0] = 1
            BLAS.weightedGram(a, weights: w, into: &c, workspace: &workspace)
            let row = Matrix(rows: 1, columns: p, columnMajor: a.row(0))
            #expect(c == BLAS.gram(row))
        }
    }

    @Test("BLASThreading: the thread count is readable and settable")
    func threading() {
        // The count is process-wide and other tests run concurrently: set it to the value it already has
        // (changing it mid-run made the concurrency test's serial and concurrent halves take different
        // kernel paths, which differ in the last bits), and read it back.
        let current = BLASThreading.threadCount
        #expect(current >= 1)
        BLASThreading.setThreadCount(current)
        #expect(BLASThreading.threadCount == current)
    }
}
