import LinearAlgebra
import NaturalGradient
import RowPasses

/// Why a variational fit could not be set up or carried out. Every case carries the facts needed to
/// find the culprit (the observation, the parameter, the failing factorization).
public enum VariationalInferenceError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The design matrix has no rows (n = 0) or no columns (d = 0).
    case emptyData(rows: Int, columns: Int)
    /// The inputs' shapes do not fit: `operation` names the call, `expected` the shape required (with
    /// the shape it follows from), `actual` the shape supplied.
    case shapeMismatch(operation: String, expected: String, actual: String)
    /// A design-matrix entry is NaN or ±∞ (0-based row and column; the description counts from 1).
    case nonFiniteDesign(row: Int, column: Int)
    /// A response is NaN, ±∞, or outside the likelihood's support (e.g. y ∉ {0, 1} for logistic
    /// regression, y not a non-negative integer for Poisson regression).
    case invalidResponse(index: Int, value: Double, requirement: String)
    /// A hyperparameter or option is outside its domain (`name` says which, `requirement` the domain).
    case invalidParameter(name: String, value: Double, requirement: String)
    /// The initial posterior has the wrong dimension or is not a valid Gaussian.
    case invalidInitialPosterior(reason: String)
    /// A linear-algebra failure that no step-size reduction could avoid (for example a prior precision
    /// so small that the posterior precision is numerically singular).
    case linearAlgebra(LinearAlgebraError)
    /// The generic natural-gradient solve (F⁻¹∇θELBO) failed.
    case naturalGradient(NaturalGradientError)
    /// The requested expectation method does not exist for this likelihood (closed forms exist for
    /// the Gaussian and Poisson likelihoods only).
    case unsupportedExpectation(likelihood: String, method: String)
    /// The link cannot be used with a Gaussian q for this family: its inverse does not map every η ∈ ℝ
    /// into the family's mean space (`supported` lists the links that do).
    case unsupportedLink(family: String, link: String, supported: String)
    /// `threads` of the fit's `RowExecution` is below 1.
    case invalidThreadCount(Int)
    /// The cross-process sum of a distributed fit failed.
    case reduction(RowReductionError)
    /// The fit cannot run under this `RowExecution` (for example the n × n Woodbury fit, which needs
    /// every row in one process, with a cross-process reduction).
    case unsupportedExecution(reason: String)
    /// Posterior sampling failed: the draw is not finite (the precision's factor is too close to
    /// singular for the triangular solve).
    case samplingFailed(reason: String)
    /// The ELBO is NaN or ±∞ at the starting point although every expected log-likelihood term is
    /// finite: the KL divergence from the prior (or the sum) overflows.
    case nonFiniteObjective(iteration: Int)
    /// The expected log-likelihood E_q[ℓ(yᵢ | aᵢ)] of observation i (0-based) is NaN or ±∞ at the
    /// starting posterior, where aᵢ ~ N(μᵢ, vᵢ) (for Poisson regression E[eᵃ] = exp(μᵢ + vᵢ/2)
    /// overflows once μᵢ + vᵢ/2 > 709).
    case nonFiniteExpectedLogLikelihood(observation: Int, predictorMean: Double, predictorVariance: Double)

    public var description: String {
        switch self {
        case let .emptyData(rows, columns):
            return "no data: the design matrix is \(rows)×\(columns) (at least one row and one column are needed)"
        case let .shapeMismatch(operation, expected, actual):
            return "\(operation): expected \(expected), got \(actual)"
        case let .nonFiniteDesign(row, column):
            return "design matrix entry in row \(row + 1), column \(column + 1) is NaN or infinite"
        case let .invalidResponse(index, value, requirement):
            return "response in row \(index + 1) = \(value) is invalid: it must be \(requirement)"
        case let .invalidParameter(name, value, requirement):
            return "\(name) = \(value) is invalid: it must be \(requirement)"
        case let .invalidInitialPosterior(reason):
            return "invalid initial posterior: \(reason)"
        case let .linearAlgebra(error):
            return error.description
        case let .naturalGradient(error):
            return error.description
        case let .unsupportedExpectation(likelihood, method):
            return "the \(method) expectation is not available for the \(likelihood) likelihood"
        case let .unsupportedLink(family, link, supported):
            return "the \(link) link cannot be used with the \(family) family in variational inference (its inverse must map every real linear predictor into the mean space); use \(supported)"
        case let .invalidThreadCount(threads):
            return "threads = \(threads) is invalid: it must be ≥ 1"
        case let .reduction(error):
            return "the cross-process sum failed: \(error.message)"
        case let .unsupportedExecution(reason):
            return "not available under this execution: \(reason)"
        case let .samplingFailed(reason):
            return "posterior sampling failed: \(reason)"
        case let .nonFiniteObjective(iteration):
            return "the ELBO is not finite at iteration \(iteration): every expected log-likelihood term is finite, so the KL divergence from the prior (or the sum) overflows"
        case let .nonFiniteExpectedLogLikelihood(observation, mean, variance):
            return "the expected log-likelihood of observation \(observation + 1) (1-based) is not finite at the starting posterior "
                + "(its linear predictor xᵀw has mean \(mean) and variance \(variance)); rescale the features or give a closer start"
        }
    }
}
