import LinearAlgebra
import RealModule

/// A full-covariance Gaussian q(w) = N(m, S⁻¹) whose precision has the structure every Bayesian
/// learning-rule iterate of a GLM has, S = αI + Xᵀdiag(a)X with a ∈ ℝⁿ, a ≥ 0, held through the n × n
/// matrix B = αIₙ + A^½XXᵀA^½ (A = diag(a)) and its Cholesky factor — never a d × d matrix. For
/// n < d this is the posterior of ``BayesianGLM/fitWoodbury(options:)``.
///
/// By the Woodbury identity, Σ = S⁻¹ = α⁻¹[I − XᵀA^½B⁻¹A^½X], so for a vector x
/// xᵀΣx = α⁻¹[xᵀx − ‖L⁻¹A^½Xx‖²] (B = LLᵀ), log det S = (d − n)·log α + log det B,.
public struct WoodburyGaussianPosterior: Sendable {
    /// m (d entries).
    public let mean: [Double]
    /// α > 0.
    public let priorPrecision: Double
    /// a (n entries, ≥ 0).
    public let rowWeights: [Double]
    /// X (n × d), shared with the model (copy-on-write: not copied).
    public let design: Matrix
    /// B = αI + A^½XXᵀA^½ = LLᵀ.
    let factor: Cholesky
    /// √a.
    let rootWeights: [Double]

    /// Dimension d.
    public var dimension: Int { mean.count }

    init(mean: [Double], priorPrecision: Double, rowWeights: [Double], design: Matrix, factor: Cholesky) {
        self.mean = mean
        self.priorPrecision = priorPrecision
        self.rowWeights = rowWeights
        self.design = design
        self.factor = factor
        rootWeights = rowWeights.map { $0.squareRoot() }
    }

    /// Σⱼⱼ = α⁻¹[1 − ‖L⁻¹A^½X₍:,j₎‖²] for every j (n²d operations, n·d memory).
    /// - Throws: `.linearAlgebra` if the triangular solve overflows.
    public func marginalVariances() throws(VariationalInferenceError) -> [Double] {
        let n = design.rows, d = design.columns
        var z = Matrix(rows: n, columns: d)
        for j in 0..<d { for i in 0..<n { z.elements[j * n + i] = rootWeights[i] * design.elements[j * n + i] } }
        do { try factor.solveLower(&z) } catch { throw .linearAlgebra(error) }
        return (0..<d).map { j in
            var s = 0.0
            for i in 0..<n { let t = z.elements[j * n + i]; s += t * t }
            return (1 - s) / priorPrecision
        }
    }

    /// The same Gaussian with its d × d precision formed and factored (d³/3: for tests and small d).
    /// - Throws: `.invalidInitialPosterior` if S is numerically not positive definite.
    public func dense() throws(VariationalInferenceError) -> FullGaussianPosterior {
        var s = Matrix(rows: dimension, columns: dimension)
        var scratch = Matrix(rows: design.rows, columns: design.columns)
        BLAS.weightedGram(design, weights: rowWeights, into: &s, workspace: &scratch)
        s.addToDiagonal(priorPrecision)
        return try FullGaussianPosterior(mean: mean, precision: s)
    }

    /// log det Σ = −(d − n)·log α − log det B.
    public var logDeterminantOfCovariance: Double {
        -Double(dimension - design.rows) * Double.log(priorPrecision) - factor.logDeterminant
    }
}
