import Testing
import LinearAlgebra
import TestSupport

// Row-range BLAS against textbook loops over the same rows, with the γₖ bound of BLASTests
// (|ŷ − y| ≤ 2γₖ₊₂ Σ|a||x| for sums of k products and the α/β scalings).

@Suite("BLAS on row ranges")
struct RowRangeTests {
    @Test("gemv on a row range, both orientations, offsets, α, β, and β = 0 not reading y",
          arguments: [(0, 0..<0), (5, 0..<7), (5, 3..<11), (1, 12..<13), (40, 2..<30)])
    func gemvRows(columns: Int, rows: Range<Int>) {
        var g = SeededGenerator(seed: UInt64(columns * 31 + rows.count))
        let a = randomGaussianMatrix(13 + (rows.upperBound > 13 ? 20 : 0), columns, using: &g)
        let m = rows.count
        // Not transposed: y[2 ..< 2 + m] ← α A[rows, :] x[1 ..< 1 + columns] + β y[...].
        let x = randomGaussianVector(columns + 3, using: &g)
        var y = randomGaussianVector(m + 4, using: &g)
        let y0 = y
        BLAS.gemv(a, rows: rows, x, xStart: 1, alpha: -1.5, beta: 0.5, into: &y, yStart: 2)
        for t in 0..<m {
            var s = 0.0, magnitude = 0.0
            for j in 0..<columns { s += a[rows.lowerBound + t, j] * x[1 + j]; magnitude += abs(a[rows.lowerBound + t, j] * x[1 + j]) }
            let expected = -1.5 * s + 0.5 * y0[2 + t]
            #expect(abs(y[2 + t] - expected) <= 2 * gamma(columns + 2) * (1.5 * magnitude + 0.5 * abs(y0[2 + t])))
        }
        #expect(y[0] == y0[0] && y[1] == y0[1] && y[m + 2] == y0[m + 2] && y[m + 3] == y0[m + 3])
        // Transposed, β = 0 over a NaN destination: z ← A[rows, :]ᵀ w[3 ..< 3 + m].
        let w = randomGaussianVector(m + 3, using: &g)
        var z = [Double](repeating: .nan, count: columns)
        BLAS.gemv(a, rows: rows, transposed: true, w, xStart: 3, into: &z)
        for j in 0..<columns {
            var s = 0.0, magnitude = 0.0
            for t in 0..<m { s += a[rows.lowerBound + t, j] * w[3 + t]; magnitude += abs(a[rows.lowerBound + t, j] * w[3 + t]) }
            #expect(abs(z[j] - s) <= 2 * gamma(m + 2) * magnitude)
        }
    }

    @Test("scaleRows copies scaled rows into a block at an offset, exactly, and nothing else")
    func scaleRows() {
        var g = SeededGenerator(seed: 7)
        let a = randomGaussianMatrix(20, 3, using: &g)
        let f = randomGaussianVector(9, using: &g)
        var block = Matrix(rows: 8, columns: 5, repeating: -7)
        BLAS.scaleRows(of: a, rows: 11..<16, by: f, factorStart: 4, into: &block, rowStart: 2, columnStart: 1)
        for i in 0..<8 {
            for j in 0..<5 {
                if (2..<7).contains(i) && (1..<4).contains(j) {
                    #expect(block[i, j] == a[11 + i - 2, j - 1] * f[4 + i - 2])  // one rounding: exact equality
                } else {
                    #expect(block[i, j] == -7)
                }
            }
        }
    }

    @Test("gramLowerTriangle accumulated over row blocks equals the Gram matrix; the upper triangle is untouched")
    func gramBlocks() {
        var g = SeededGenerator(seed: 11)
        let a = randomGaussianMatrix(57, 6, using: &g)
        var c = Matrix(rows: 6, columns: 6, repeating: 99)
        var start = 0
        while start < a.rows {
            let rows = start..<min(a.rows, start + 16)
            var block = Matrix(rows: rows.count, columns: 6)
            BLAS.scaleRows(of: a, rows: rows, by: [Double](repeating: 1, count: rows.count), into: &block)
            BLAS.gramLowerTriangle(block, beta: start == 0 ? 0 : 1, into: &c)
            start = rows.upperBound
        }
        for i in 0..<6 {
            for j in 0..<6 {
                if i < j { #expect(c[i, j] == 99); continue }
                var s = 0.0, magnitude = 0.0
                for r in 0..<57 { s += a[r, i] * a[r, j]; magnitude += abs(a[r, i] * a[r, j]) }
                #expect(abs(c[i, j] - s) <= 2 * gamma(59) * magnitude)
            }
        }
        c.symmetrizeFromLower()
        #expect(c == c.transposed)
    }

    @Test("allEntriesBounded: NaN, ±∞ and entries above the bound fail; short and long (dasum) paths")
    func bounded() {
        for count in [3, 5000] {
            var values = [Double](repeating: 1e148, count: count)  // Σ|x| exceeds 1e150 for the long array
            #expect(Matrix(rows: count, columns: 1, columnMajor: values).allEntriesBounded(by: 1e150))
            values[count - 1] = -1e150
            #expect(Matrix(rows: count, columns: 1, columnMajor: values).allEntriesBounded(by: 1e150))
            for bad in [Double.nan, .infinity, -.infinity, 1e150.nextUp, -2e150] {
                var v = values
                v[count / 2] = bad
                #expect(!Matrix(rows: count, columns: 1, columnMajor: v).allEntriesBounded(by: 1e150))
            }
            #expect(Matrix(rows: count, columns: 1, repeating: 0.5).allEntriesBounded(by: 1))
        }
        #expect(Matrix(rows: 0, columns: 4).allEntriesBounded(by: 0))
    }
}
