import Testing
import LinearAlgebra

@Test func smokeCholesky() throws {
    let a = Matrix(rows: [[4, 2], [2, 3]])
    let c = try Cholesky(a)
    let x = try c.solving([2, 1])
    #expect(abs(x[0] - 0.5) < 1e-15 && abs(x[1]) < 1e-15)
}
