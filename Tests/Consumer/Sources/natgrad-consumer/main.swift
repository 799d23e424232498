#if canImport(Glibc)
import Glibc
#endif
import NatGrad

// README-CONSUMER-BEGIN
// Poisson regression of counts on a dose, by Fisher scoring (GLMFit has the statsmodels summary).
let dose = Matrix(rows: [[0.0], [1], [2], [3], [4], [5]])
let counts: [Double] = [1, 2, 2, 5, 7, 12]
let model = try GeneralizedLinearModel(family: .poisson)
let fit = try model.fit(GLMData(features: dose, featureNames: ["dose"], response: counts))
for c in fit.coefficients { print(c.name, c.estimate, c.standardError) }
print("1/κ(XᵀWX) =", fit.fisherReciprocalCondition)

// A malformed request (five counts for six rows) is a thrown error, never a crash.
do {
    _ = try model.fit(GLMData(features: dose, response: [1, 2, 2, 5, 7]))
} catch {
    print(error)   // response has 5 entries but the features are 6×1 (one entry per row)
}
// README-CONSUMER-END

// Every public entry point that receives data, called with mismatched shapes: each must throw.
// A precondition failure here would end the process with a signal, which scripts/test.sh reports.
var failures = 0
func expectThrows(_ label: String, _ body: () throws -> Void) {
    do {
        try body()
        print("NOT THROWN: \(label)")
        failures += 1
    } catch {
        print("threw as expected: \(label): \(error)")
    }
}

let square = Matrix(rows: [[4, 1], [1, 3]])
let wide = Matrix(rows: [[1, 2, 3], [4, 5, 6]])
expectThrows("Cholesky of a 2×3 matrix") { _ = try Cholesky(wide) }
expectThrows("Cholesky solve with a length-3 right-hand side") { _ = try Cholesky(square).solving([1, 2, 3]) }
expectThrows("Cholesky solve with a 3×1 matrix") { _ = try Cholesky(square).solving(Matrix(rows: [[1], [2], [3]])) }
expectThrows("Cholesky refactor with a 3×3 matrix") {
    var c = try Cholesky(square)
    try c.refactor(Matrix(rows: [[1, 0, 0], [0, 1, 0], [0, 0, 1]]))
}
expectThrows("triangular solve with a length-1 vector") {
    var b: [Double] = [1]
    try Cholesky(square).solveLower(&b)
}
expectThrows("dense Fisher solve with a 3×3 Fisher") {
    var w = DenseFisherWorkspace(dimension: 2)
    var g: [Double] = [1, 2]
    try w.solve(fisher: Matrix(rows: [[1, 0, 0], [0, 1, 0], [0, 0, 1]]), gradient: &g)
}
expectThrows("dense Fisher solve with a length-3 gradient") {
    _ = try NaturalGradient.solve(fisher: square, gradient: [1, 2, 3])
}
expectThrows("empirical Fisher solve with 3 samples for a 2-sample workspace") {
    var w = EmpiricalFisherWorkspace(samples: 2, parameters: 3)
    var g: [Double] = [1, 2, 3]
    try w.solve(gradients: Matrix(rows: [[1, 2, 3], [4, 5, 6], [7, 8, 9]]), gradient: &g, damping: 0.1)
}
expectThrows("empirical Fisher solve with no samples") {
    var w = EmpiricalFisherWorkspace(samples: 0, parameters: 2)
    var g: [Double] = [1, 2]
    try w.solve(gradients: Matrix(rows: 0, columns: 2), gradient: &g, damping: 0.1)
}
expectThrows("forced Woodbury with λ = 0") {
    var w = EmpiricalFisherWorkspace(samples: 2, parameters: 2)
    var g: [Double] = [1, 2]
    try w.solve(gradients: square, gradient: &g, damping: 0, method: .woodbury)
}
expectThrows("conjugate gradient with a length-3 gradient") {
    var w = ConjugateGradientWorkspace(dimension: 2)
    var x: [Double] = [0, 0]
    try w.solve(gradient: [1, 2, 3], solution: &x) { v, r in r = v }
}
expectThrows("natural-gradient step with a length-1 mean gradient") {
    _ = try MultivariateNormal.standard(d: 2).naturalGradientStep(meanGradient: [1], stepSize: 1)
}
expectThrows("GLM with 3 weights for 6 rows") {
    _ = try model.fit(GLMData(features: dose, response: counts, weights: [1, 1, 1]))
}
expectThrows("GLM with 2 feature names for 1 column") {
    _ = try model.fit(GLMData(features: dose, featureNames: ["a", "b"], response: counts))
}
expectThrows("BayesianGLM with 5 responses for 6 rows") {
    _ = try BayesianGLM(design: dose, response: [1, 2, 2, 5, 7], likelihood: .poissonLog, priorPrecision: 1)
}
expectThrows("FullGaussianPosterior with a 3×3 precision for a length-2 mean") {
    _ = try FullGaussianPosterior(mean: [0, 0], precision: Matrix(rows: [[1, 0, 0], [0, 1, 0], [0, 0, 1]]))
}
expectThrows("DiagonalGaussianPosterior with 1 precision for a length-2 mean") {
    _ = try DiagonalGaussianPosterior(mean: [0, 0], precisions: [1])
}

if failures > 0 {
    print("natgrad-consumer: \(failures) malformed request(s) did not throw")
    exit(1)
}
print("natgrad-consumer: every malformed request threw a typed error")
