import LinearAlgebra
import RealModule

/// The result of plain gradient ascent on the ELBO (the baseline natural-gradient VI is compared with).
public struct EuclideanGradientAscentFit: Sendable {
    /// m.
    public var mean: [Double]
    /// C, lower triangular, with Σ = CCᵀ.
    public var covarianceFactor: Matrix
    /// ELBO at (m, C).
    public var elbo: Double
    /// Number of steps taken.
    public var iterations: Int
    /// `.converged`, `.iterationLimit`, or `.stepSizeUnderflow` standing for divergence (the ELBO became
    /// NaN/±∞: the fixed step is too large; (m, C) are then the last finite iterate).
    public var termination: VariationalTermination
    /// The first iteration at which |ΔELBO| ≤ `relativeTolerance`·|ELBO| held (nil if never): the
    /// iteration count under the relative-change rule even when the run continued to `targetELBO`.
    public var firstSmallChangeIteration: Int?
    /// Whether the run stopped by its convergence rule (`termination == .converged`).
    public var converged: Bool { termination == .converged }
}

extension BayesianGLM {
    /// Euclidean gradient ascent on the ELBO over (m, C), Σ = CCᵀ with C lower triangular, with a fixed
    /// step γ, from the prior (m = 0, C = α^(−1/2)I):
    ///
    ///     ∂L/∂m = Xᵀ E[ℓ′] − αm,
    ///     ∂L/∂C = tril(2·Xᵀ diag(qᵢ) X C) − αC + diag(1/Cⱼⱼ),
    ///
    /// (qᵢ = ∂E[ℓᵢ]/∂vᵢ, vᵢ = ‖Cᵀxᵢ‖²; the last term is ∂/∂C of log det Σ = 2Σⱼ log|Cⱼⱼ|). Stops when
    /// |ΔELBO| ≤ `relativeTolerance`·|ELBO|, or — when `targetELBO` is given — only once the ELBO
    /// reaches `targetELBO` (a fixed step can creep so slowly that its relative change looks converged
    /// long before the optimum; the benchmark reports both criteria). This is the benchmark's baseline; it has no step control
    /// on purpose (the benchmark picks the best γ from a grid).
    /// - Throws: `.invalidParameter` for γ ≤ 0 or a bad expectation method; `.nonFiniteExpectedLogLikelihood`
    ///   or `.nonFiniteObjective(iteration: 0)` if the ELBO at the prior is not finite;
    ///   `.unsupportedExecution` with a cross-process reduction (the baseline runs over this process's rows only).
    public func fitByEuclideanGradientAscent(stepSize gamma: Double, maximumIterations: Int = 10_000,
                                             relativeTolerance: Double = 1e-8, targetELBO: Double? = nil,
                                             expectation: ExpectationMethod = .standard) throws(VariationalInferenceError) -> EuclideanGradientAscentFit {
        guard gamma > 0 && gamma.isFinite else { throw .invalidParameter(name: "step size", value: gamma, requirement: "finite and > 0") }
        if execution.reduction != nil {
            throw .unsupportedExecution(reason: "Euclidean gradient ascent (a serial baseline) sums over this process's rows only")
        }
        let rule = try ExpectationRule(expectation, model: observation)
        let n = observationCount, d = dimension, alpha = priorPrecision
        var m = [Double](repeating: 0, count: d)
        var c = Matrix.identity(d)
        for j in 0..<d { c[j, j] = 1 / alpha.squareRoot() }
        var xc = Matrix(rows: n, columns: d)
        var scaled = Matrix(rows: n, columns: d)
        var gradC = Matrix(rows: d, columns: d)
        var gradM = [Double](repeating: 0, count: d)
        var means = [Double](repeating: 0, count: n), variances = means
        var terms = ExpectedTerms(count: n)

        func objective(_ m: [Double], _ c: Matrix) -> Double {
            BLAS.gemv(design, m, into: &means)
            if let offset { BLAS.axpy(1, offset, &means) }
            BLAS.gemm(design, c, into: &xc)
            for i in 0..<n { variances[i] = 0 }
            for j in 0..<d {
                let base = j * n
                for i in 0..<n { let t = xc.elements[base + i]; variances[i] += t * t }
            }
            let expected = expectedTerms(means: means, variances: variances, rule: rule, into: &terms).sum
            var frobenius = 0.0, logDet = 0.0
            for t in c.elements { frobenius += t * t }
            for j in 0..<d { logDet += 2 * Double.log(Swift.abs(c[j, j])) }
            let kl = 0.5 * (alpha * frobenius + alpha * BLAS.dot(m, m) - Double(d) - Double(d) * Double.log(alpha) - logDet)
            return expected - kl
        }

        var current = objective(m, c)
        guard current.isFinite else { throw nonFiniteStart(terms.value.indices.first { !terms.value[$0].isFinite }.map { ($0, means[$0], variances[$0]) }) }
        var iterations = 0
        var firstSmall: Int? = nil
        while iterations < maximumIterations {
            // Gradients at (m, c); `terms` and `xc` hold the expectations at this point.
            BLAS.gemv(design, transposed: true, terms.slope, into: &gradM)
            BLAS.axpy(-alpha, m, &gradM)
            for j in 0..<d {
                let base = j * n
                for i in 0..<n { scaled.elements[base + i] = 2 * terms.varianceSlope[i] * xc.elements[base + i] }
            }
            BLAS.gemm(design, transposed: true, scaled, into: &gradC)
            BLAS.axpy(-alpha, c.elements, &gradC.elements)
            var nextC = c
            for j in 0..<d {
                gradC[j, j] += 1 / c[j, j]
                for i in j..<d { nextC[i, j] += gamma * gradC[i, j] }
            }
            var nextM = m
            BLAS.axpy(gamma, gradM, &nextM)
            let value = objective(nextM, nextC)
            guard value.isFinite else {
                _ = objective(m, c)
                return EuclideanGradientAscentFit(mean: m, covarianceFactor: c, elbo: current, iterations: iterations,
                                                  termination: .stepSizeUnderflow, firstSmallChangeIteration: firstSmall)
            }
            iterations += 1
            let change = Swift.abs(value - current)
            m = nextM
            c = nextC
            current = value
            if firstSmall == nil && change <= relativeTolerance * Swift.abs(value) { firstSmall = iterations }
            let done = targetELBO.map { value >= $0 } ?? (change <= relativeTolerance * Swift.abs(value))
            if done {
                return EuclideanGradientAscentFit(mean: m, covarianceFactor: c, elbo: current, iterations: iterations,
                                                  termination: .converged, firstSmallChangeIteration: firstSmall)
            }
        }
        return EuclideanGradientAscentFit(mean: m, covarianceFactor: c, elbo: current, iterations: iterations,
                                          termination: .iterationLimit, firstSmallChangeIteration: firstSmall)
    }
}
