import Testing
import COpenBLAS
import LinearAlgebra
import NatGradKernels
import TestSupport

// The AVX-512 Gram kernel (`natgrad_syrk_lower_transposed`) called directly, against a textbook loop
// with the γₖ bound of BLASTests (|Ĉᵢⱼ − Cᵢⱼ| ≤ 2γₖ₊₂(|α|Σₜ|aₜᵢaₜⱼ| + |β||Cᵢⱼ|)) and against OpenBLAS's
// dsyrk on the same input. Shapes cover partial tiles (n mod 4 ≠ 0), partial groups of eight rows,
// several row chunks (k above 65536/n), leading dimensions larger than the matrix, α ≠ 1 and
// β ∈ {0, 1, other}; the strict upper triangle and the rows between n and ldc must stay untouched, and
// β = 0 must not read C. On a machine without AVX-512 the kernel must decline (return 0, write nothing).

@Suite("AVX-512 Gram kernel")
struct GramKernelTests {
    struct Shape: Sendable, CustomTestStringConvertible {
        var n: Int, k: Int, lda: Int, ldc: Int, alpha: Double, beta: Double
        var testDescription: String { "n=\(n) k=\(k) lda=\(lda) ldc=\(ldc) α=\(alpha) β=\(beta)" }
    }

    static let shapes: [Shape] = [
        Shape(n: 4, k: 1, lda: 1, ldc: 4, alpha: 1, beta: 0),
        Shape(n: 5, k: 7, lda: 9, ldc: 6, alpha: 1, beta: 1),
        Shape(n: 7, k: 8, lda: 8, ldc: 7, alpha: -0.5, beta: 0.25),
        Shape(n: 8, k: 9, lda: 12, ldc: 11, alpha: 2, beta: 0),
        Shape(n: 13, k: 63, lda: 63, ldc: 13, alpha: 1, beta: 1),
        Shape(n: 51, k: 1301, lda: 1400, ldc: 52, alpha: 1, beta: 0),
        Shape(n: 52, k: 2560, lda: 2560, ldc: 52, alpha: 1, beta: 1),
        Shape(n: 97, k: 2001, lda: 2003, ldc: 100, alpha: 0.75, beta: -1),
        Shape(n: 204, k: 650, lda: 650, ldc: 204, alpha: 1, beta: 0),
        Shape(n: 256, k: 300, lda: 301, ldc: 256, alpha: 1, beta: 1),
        Shape(n: 6, k: 0, lda: 1, ldc: 6, alpha: 1, beta: 0.5),
    ]

    @Test("lower triangle equals the loop within 2γₖ₊₂ and OpenBLAS's dsyrk; nothing else is written", arguments: shapes)
    func matchesLoopAndBLAS(shape: Shape) {
        let (n, k, lda, ldc) = (shape.n, shape.k, shape.lda, shape.ldc)
        var g = SeededGenerator(seed: UInt64(n * 1009 + k))
        var a = [Double](repeating: .nan, count: lda * n)  // the rows between k and lda are never read
        for j in 0..<n { for t in 0..<k { a[t + j * lda] = g.nextGaussian() } }
        let sentinel = -12345.0
        var c0 = [Double](repeating: sentinel, count: ldc * n)
        for j in 0..<n { for i in j..<n { c0[i + j * ldc] = shape.beta == 0 ? .nan : g.nextGaussian() } }
        var c = c0, reference = c0
        let done = a.withUnsafeBufferPointer { ab in
            c.withUnsafeMutableBufferPointer { cb in
                natgrad_syrk_lower_transposed(Int32(n), Int32(k), shape.alpha, ab.baseAddress, lda, shape.beta, cb.baseAddress, ldc)
            }
        }
        if natgrad_kernel_level() < 2 {
            #expect(done == 0)
            #expect(c.elementsEqual(c0, by: { $0 == $1 || ($0.isNaN && $1.isNaN) }))
            return
        }
        #expect(done == 1)
        a.withUnsafeBufferPointer { ab in
            reference.withUnsafeMutableBufferPointer { rb in
                cblas_dsyrk(CblasColMajor, CblasLower, CblasTrans, Int32(n), Int32(k), shape.alpha, ab.baseAddress,
                            Int32(lda), shape.beta, rb.baseAddress, Int32(ldc))
            }
        }
        var worst = 0.0
        for j in 0..<n {
            for i in 0..<ldc {
                let index = i + j * ldc
                if i < j || i >= n {
                    #expect(c[index] == sentinel, "C[\(i), \(j)] outside the lower triangle was written")
                    continue
                }
                var s = 0.0, magnitude = 0.0
                for t in 0..<k { s += a[t + i * lda] * a[t + j * lda]; magnitude += abs(a[t + i * lda] * a[t + j * lda]) }
                let old = shape.beta == 0 ? 0 : c0[index]
                let expected = shape.alpha * s + shape.beta * old
                let bound = 2 * gamma(k + 2) * (abs(shape.alpha) * magnitude + abs(shape.beta * old))
                #expect(abs(c[index] - expected) <= bound, "C[\(i), \(j)] = \(c[index]), loop \(expected)")
                #expect(abs(c[index] - reference[index]) <= 2 * bound)
                worst = max(worst, abs(c[index] - expected) / max(bound, .leastNormalMagnitude))
            }
        }
        #expect(worst <= 1)
    }

    @Test("declines shapes outside 4 ≤ n ≤ 256 and writes nothing", arguments: [1, 3, 257])
    func declines(n: Int) {
        let k = 10
        let a = [Double](repeating: 1, count: k * n)
        var c = [Double](repeating: 7, count: n * n)
        let done = a.withUnsafeBufferPointer { ab in
            c.withUnsafeMutableBufferPointer { cb in
                natgrad_syrk_lower_transposed(Int32(n), Int32(k), 1, ab.baseAddress, k, 0, cb.baseAddress, n)
            }
        }
        #expect(done == 0)
        #expect(c.allSatisfy { $0 == 7 })
    }

    @Test("a NaN in A reaches every entry that uses its column, as in dsyrk")
    func propagatesNaN() {
        let n = 9, k = 37
        var g = SeededGenerator(seed: 99)
        var a = (0..<(k * n)).map { _ in g.nextGaussian() }
        a[20 + 6 * k] = .nan  // row 20 of column 6
        var c = [Double](repeating: 0, count: n * n)
        let done = a.withUnsafeBufferPointer { ab in
            c.withUnsafeMutableBufferPointer { cb in
                natgrad_syrk_lower_transposed(Int32(n), Int32(k), 1, ab.baseAddress, k, 0, cb.baseAddress, n)
            }
        }
        guard done == 1 else { return }
        for j in 0..<n {
            for i in j..<n {
                #expect(c[i + j * n].isNaN == (i == 6 || j == 6), "C[\(i), \(j)] = \(c[i + j * n])")
            }
        }
    }
}

@Suite("Weighted Gram kernel")
struct WeightedGramKernelTests {
    @Test("Σ wᵢzᵢzᵢᵀ over a row range, with and without the intercept, against the loop's γₖ bound; only the lower triangle is written",
          arguments: [(4, 0..<1, true), (5, 3..<20, false), (7, 1..<700, true), (50, 17..<2600, true), (100, 0..<1300, false)])
    func weightedGram(k: Int, rows: Range<Int>, intercept: Bool) {
        var g = SeededGenerator(seed: UInt64(k * 7 + rows.count))
        let n = rows.upperBound + 5
        let a = randomGaussianMatrix(n, k, using: &g)
        let w = (0..<n).map { _ in Double.random(in: 0...3, using: &g) }
        let p = k + (intercept ? 1 : 0)
        let sentinel = 0.125
        var c = Matrix(rows: p + 2, columns: p + 2, repeating: sentinel)
        let alpha = 1.75
        let done = BLAS.accumulateWeightedGram(of: a, rows: rows, weights: w, alpha: alpha, intercept: intercept, into: &c)
        #expect(done == (natgrad_kernel_level() >= 2))
        guard done else {
            #expect(c.elements.allSatisfy { $0 == sentinel })
            return
        }
        func z(_ row: Int, _ j: Int) -> Double { intercept ? (j == 0 ? 1 : a[row, j - 1]) : a[row, j] }
        for j in 0..<(p + 2) {
            for i in 0..<(p + 2) {
                guard i >= j && i < p && j < p else {
                    #expect(c[i, j] == sentinel, "C[\(i), \(j)] outside the lower p × p triangle was written")
                    continue
                }
                var s = 0.0, magnitude = 0.0
                for t in rows { s += w[t] * z(t, i) * z(t, j); magnitude += abs(w[t] * z(t, i) * z(t, j)) }
                let expected = sentinel + alpha * s
                #expect(abs(c[i, j] - expected) <= 2 * gamma(rows.count + 3) * (alpha * magnitude + sentinel),
                        "C[\(i), \(j)] = \(c[i, j]), loop \(expected)")
            }
        }
    }
}
