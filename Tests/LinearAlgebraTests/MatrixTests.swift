import Testing
import LinearAlgebra
import TestSupport

// Construction and element access are exact operations: compared with `==`.

@Suite("Matrix")
struct MatrixTests {
    @Test("constructors agree on layout: rows, column-major storage, subscript")
    func constructors() {
        let m = Matrix(rows: [[1, 2, 3], [4, 5, 6]])
        #expect(m.rows == 2 && m.columns == 3 && m.shapeDescription == "2×3")
        #expect(m.elements == [1, 4, 2, 5, 3, 6])
        #expect(m == Matrix(rows: 2, columns: 3, columnMajor: [1, 4, 2, 5, 3, 6]))
        #expect(m[1, 2] == 6 && m[0, 1] == 2)
        #expect(m.row(1) == [4, 5, 6] && m.column(2) == [3, 6])
        #expect(m.rowArrays == [[1, 2, 3], [4, 5, 6]])
        #expect(m.columns(1..<3) == Matrix(rows: [[2, 3], [5, 6]]))
        #expect(m.columns(1..<1).columns == 0)
        #expect(m.transposed == Matrix(rows: [[1, 4], [2, 5], [3, 6]]))
        #expect(m.transposed.transposed == m)
        #expect(m.diagonalElements == [1, 5])
        var w = m
        w[0, 0] = -1
        #expect(w.elements[0] == -1 && m[0, 0] == 1)  // value semantics
    }

    @Test("zeros, identity, diagonal, repeating; n = 0 and n = 1", arguments: [0, 1, 4])
    func specialMatrices(n: Int) {
        #expect(Matrix.zeros(n, n + 1).elements.allSatisfy { $0 == 0 })
        #expect(Matrix.zeros(n, n + 1).columns == n + 1)
        let i = Matrix.identity(n)
        for r in 0..<n { for c in 0..<n { #expect(i[r, c] == (r == c ? 1 : 0)) } }
        let d = Matrix.diagonal((0..<n).map(Double.init))
        #expect(d.diagonalElements == (0..<n).map(Double.init))
        #expect(Matrix(rows: n, columns: 2, repeating: 7).elements == [Double](repeating: 7, count: 2 * n))
        #expect(Matrix(rows: []) == Matrix(rows: 0, columns: 0))
    }

    @Test("operators: +, −, scalar products, +=, addToDiagonal (exact on small integers)")
    func operators() {
        let a = Matrix(rows: [[1, 2], [3, 4]]), b = Matrix(rows: [[5, 6], [7, 8]])
        #expect(a + b == Matrix(rows: [[6, 8], [10, 12]]))
        #expect(b - a == Matrix(rows: [[4, 4], [4, 4]]))
        #expect(-a == Matrix(rows: [[-1, -2], [-3, -4]]))
        #expect(2 * a == a * 2 && 2 * a == a + a)
        var c = a
        c += b
        #expect(c == a + b)
        c.addToDiagonal(0.5)
        #expect(c == Matrix(rows: [[6.5, 8], [10, 12.5]]))
    }

    @Test("symmetrizeFromLower copies the lower triangle up", arguments: [0, 1, 5])
    func symmetrize(n: Int) {
        var g = SeededGenerator(seed: 3)
        var m = randomGaussianMatrix(n, n, using: &g)
        let original = m
        m.symmetrizeFromLower()
        for i in 0..<n {
            for j in 0..<n { #expect(m[i, j] == (i >= j ? original[i, j] : original[j, i])) }
        }
    }

    @Test("finiteness queries and approximate equality")
    func finitenessAndApproximateEquality() {
        var m = Matrix(rows: [[1, 2], [3, 4]])
        #expect(m.isFinite && m.firstNonFiniteEntry == nil)
        m[0, 1] = .infinity
        m[1, 1] = .nan
        #expect(!m.isFinite)
        #expect(m.firstNonFiniteEntry! == (0, 1))  // column-major order: (0, 1) comes before (1, 1)
        // Finite scan on sizes around the vector width, with the offender at every position.
        for n in [1, 3, 4, 5, 8, 17] {
            for k in 0..<n {
                var v = Matrix(rows: n, columns: 1)
                v.elements[k] = -.infinity
                #expect(v.firstNonFiniteEntry! == (k, 0))
            }
        }
        // Largest finite value and subnormals are finite.
        #expect(Matrix(rows: [[.greatestFiniteMagnitude, -.greatestFiniteMagnitude, .leastNonzeroMagnitude]]).isFinite)
        let x = Matrix(rows: [[1, 2]]), y = Matrix(rows: [[1, 2 + 1e-12]])
        #expect(x.isApproximatelyEqual(to: y, relativeTolerance: 1e-12))
        #expect(!x.isApproximatelyEqual(to: y, relativeTolerance: 1e-13))
        #expect(Matrix(rows: [[0.0]]).isApproximatelyEqual(to: Matrix(rows: [[1e-20]]), relativeTolerance: 1e-10, absoluteFloor: 1))
        #expect(x != y)
    }
}
