/// Why a value could not become (or be used with) a member of an exponential family.
/// Every case names the parameter or datum involved, so messages can point at the culprit.
public enum ExponentialFamilyError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A parameter is outside its domain. `parameter` names it (e.g. "variance", "theta[1]",
    /// "covariance"); `requirement` states the domain (e.g. "> 0", "in (0, 1)", "positive definite").
    case outsideDomain(parameter: String, value: Double, requirement: String)
    /// A parameter is NaN or ±∞.
    case nonFinite(parameter: String)
    /// A parameter vector has the wrong length.
    case wrongDimension(parameter: String, expected: Int, actual: Int)
    /// An observation is outside the family's support. `index` is its 0-based position in the data (nil
    /// for a single observation); the message counts from 1, as every row reported to a person does.
    case outsideSupport(index: Int?, description: String)
    /// Maximum likelihood does not exist for these data (e.g. all-zero Bernoulli data: p̂ = 0 is on the
    /// boundary), or there are no data.
    case maximumLikelihoodDoesNotExist(reason: String)
    /// Newton's method for μ → θ stopped without converging: it reached `residual` (max-norm of
    /// μ(θ) − μ) after `iterations` steps.
    case inverseMapDidNotConverge(iterations: Int, residual: Double)
    /// A linear-algebra failure inside a family (e.g. a covariance that is not positive definite).
    case linearAlgebra(LinearAlgebraError)

    public var description: String {
        switch self {
        case let .outsideDomain(parameter, value, requirement):
            return "\(parameter) = \(value) is outside its domain: it must be \(requirement)"
        case let .nonFinite(parameter):
            return "\(parameter) is NaN or infinite"
        case let .wrongDimension(parameter, expected, actual):
            return "\(parameter) must have \(expected) entries, got \(actual)"
        case let .outsideSupport(index, description):
            return index.map { "observation \($0 + 1): \(description)" } ?? description
        case let .maximumLikelihoodDoesNotExist(reason):
            return "the maximum-likelihood estimate does not exist: \(reason)"
        case let .inverseMapDidNotConverge(iterations, residual):
            return "mean → natural parameter Newton solve did not converge after \(iterations) iterations (residual \(residual))"
        case let .linearAlgebra(error):
            return error.description
        }
    }
}
