import Foundation
import Testing
import PropertyBased
import LinearAlgebra
import TestSupport

// Property-based tests on random shapes (swift-property-based). Shapes and a seed are generated
// (and shrunk on failure); the matrices come from the seeded generator, so a failing case is
// reproducible from the reported input. Bounds are the ones derived in the other test files.

@Suite("LinearAlgebra properties")
struct PropertyTests {
    @Test("gemm on random shapes and transposes matches textbook loops within 2γₖ₊₂|A||B|")
    func gemmProperty() async {
        await propertyCheck(
            count: 60, input: Gen.int(in: 0...24), Gen.int(in: 0...24), Gen.int(in: 0...24), Gen.bool, Gen.bool,
            Gen.uint64(in: 0...UInt64.max)
        ) { m, n, k, ta, tb, seed in
            var g = SeededGenerator(seed: seed)
            let a = ta ? randomGaussianMatrix(k, m, using: &g) : randomGaussianMatrix(m, k, using: &g)
            let b = tb ? randomGaussianMatrix(n, k, using: &g) : randomGaussianMatrix(k, n, using: &g)
            var c = Matrix(rows: m, columns: n)
            BLAS.gemm(a, transposed: ta, b, transposed: tb, into: &c)
            let ref = naiveProduct(a, ta, b, tb)
            #expect(worstRatio(c, ref.value, bound: ref.magnitude * (2 * gamma(k + 2))) <= 1)
        }
    }

    @Test("Cholesky solve on random SPD shapes: backward error, LLᵀ = A, exact scaling by powers of 2")
    func choleskyProperty() async {
        await propertyCheck(
            count: 60, input: Gen.int(in: 0...40), Gen.double(in: -3...1), Gen.int(in: 1...4), Gen.uint64(in: 0...UInt64.max)
        ) { n, logShift, rhs, seed in
            var g = SeededGenerator(seed: seed)
            // Condition number up to ~10³ via the shift 10^logShift.
            let a = randomSPD(n, shift: pow(10, logShift), using: &g)
            let c = try Cholesky(a)
            let b = randomGaussianMatrix(n, rhs, using: &g)
            let x = try c.solving(b)
            for j in 0..<rhs {
                #expect(backwardError(a, x.column(j), b.column(j)) <= choleskyBackwardBound(n))
            }
            // Scaling b by 2^k scales every rounding exactly: solve(2⁴b) = 2⁴·solve(b) bit for bit.
            let scaled = try c.solving(b * 16)
            #expect(scaled == x * 16)
        }
    }

    @Test("weightedGram equals Aᵀ(diag(w)A) and gram equals AᵀA on random shapes")
    func gramProperty() async {
        await propertyCheck(
            count: 60, input: Gen.int(in: 0...30), Gen.int(in: 0...12), Gen.bool, Gen.uint64(in: 0...UInt64.max)
        ) { m, p, signed, seed in
            var g = SeededGenerator(seed: seed)
            let a = randomGaussianMatrix(m, p, using: &g)
            let w = (0..<m).map { _ in signed ? g.nextGaussian() : abs(g.nextGaussian()) }
            let c = BLAS.weightedGram(a, weights: w)
            let wa = Matrix.diagonal(w) * a
            let ref = naiveProduct(a, true, wa, false)
            #expect(c == c.transposed)
            #expect(worstRatio(c, ref.value, bound: ref.magnitude * (2 * gamma(m + 3))) <= 1)
            let gram = BLAS.gram(a)
            let plain = naiveProduct(a, true, a, false)
            #expect(worstRatio(gram, plain.value, bound: plain.magnitude * (2 * gamma(m))) <= 1)
        }
    }

    @Test("eigendecomposition of random symmetric shapes: AQ = QΛ, QᵀQ = I, ascending; log det agrees")
    func eigenProperty() async {
        await propertyCheck(count: 40, input: Gen.int(in: 0...30), Gen.uint64(in: 0...UInt64.max)) { n, seed in
            var g = SeededGenerator(seed: seed)
            let a = randomSPD(n, using: &g)
            let e = try SymmetricEigendecomposition(a)
            checkDecomposition(a, e)
            let viaEigen = e.eigenvalues.reduce(0) { $0 + log($1) }
            #expect(abs(try Cholesky(a).logDeterminant - viaEigen) <= 10 * Double(max(n * n, 1)) * eps * e.conditionNumber)
        }
    }
}
