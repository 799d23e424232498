import ExponentialFamilies
import RowPasses

/// Why a generalized linear model could not be fitted. Every case carries the facts a message needs:
/// the row (0-based data row; every `description` counts rows from 1), the column names, the last deviance change.
public enum GLMError: Error, Equatable, Sendable, CustomStringConvertible {
    /// There are no observations (or every prior weight is 0).
    case noObservations
    /// A data vector's length does not fit the feature matrix: `variable` ("response", "trials",
    /// "weights", "offset", "exposure" or "feature names") has `count` entries, the features are
    /// `features` (n×k; vectors need n entries, the names k).
    case shapeMismatch(variable: String, count: Int, features: String)
    /// The model has no coefficients (no intercept and no features).
    case noCoefficients
    /// A value is NaN or ±∞. `variable` names it ("response", "weights", "offset", "exposure",
    /// "trials", or a feature column name).
    case nonFiniteValue(variable: String, row: Int)
    /// A feature value so large (|x| > 1e150) that XᵀWX would overflow: rescale the column.
    case featureOutOfRange(column: String, row: Int, value: Double)
    /// A response is outside the family's support (negative count, not 0/1 for the binomial, y ≤ 0 for
    /// the gamma, …). `requirement` states the support.
    case responseOutsideSupport(row: Int, value: Double, family: String, requirement: String)
    /// A binomial trials count that is not an integer ≥ 1, or successes that are not an integer
    /// between 0 and the trials.
    case invalidTrials(row: Int, successes: Double, trials: Double)
    /// A prior weight < 0.
    case negativeWeight(row: Int, value: Double)
    /// An exposure ≤ 0 (its logarithm is the offset).
    case nonPositiveExposure(row: Int, value: Double)
    /// The negative binomial's α must be finite and > 0.
    case invalidAlpha(Double)
    /// The Tweedie power p must satisfy 1 < p < 2.
    case invalidTweediePower(Double)
    /// A penalty needs λ ≥ 0 (finite) and an L1 ratio r in [0, 1].
    case invalidPenalty(lambda: Double, l1Ratio: Double)
    /// A categorical block of a `MixedDesign` has a level (0-based `level`, named `name`) that no row
    /// takes: its column would be zero and XᵀWX singular.
    case unusedLevel(block: String, level: Int, name: String)
    /// A level code outside −1 ..< levels (−1 is the reference level) in `row` of a categorical block.
    case invalidLevelCode(block: String, row: Int, code: Int)
    /// The design matrix is rank deficient: `column` is (numerically) a linear combination of the
    /// columns `involved` that precede it (empty when the column is zero on every weighted row).
    case collinearColumns(column: String, involved: [String])
    /// The binomial observations are perfectly (every observation) or quasi-perfectly (a subset)
    /// separated by a linear combination of the columns: the maximum-likelihood estimate does not exist
    /// (coefficients diverge). `separatedObservations` counts the observations predicted exactly;
    /// `columns` lists the columns with the largest weight in the separating direction.
    case separation(perfect: Bool, separatedObservations: Int, columns: [String])
    /// Every (weighted) response sits on the boundary of the mean space — all counts 0, or all binomial
    /// responses 0 (or all 1) — so the fitted means would have to be 0 (or 1): the maximum-likelihood
    /// estimate does not exist.
    case degenerateResponse(value: Double, family: String)
    /// Fisher scoring did not reach the relative deviance tolerance within the iteration cap.
    case didNotConverge(iterations: Int, lastRelativeDevianceChange: Double)
    /// No step along the Fisher direction (after halving it `halvings` times) kept the fitted means in
    /// the family's mean space with a finite deviance no larger than the previous one.
    case stepHalvingFailed(iteration: Int, halvings: Int)
    /// The dispersion cannot be estimated: the weighted observation count does not exceed the number
    /// of coefficients.
    case noResidualDegreesOfFreedom(weightedObservations: Double, coefficients: Int)
    /// Cluster-robust covariance: `groups` cluster labels for `rows` data rows.
    case clusterGroupCount(groups: Int, rows: Int)
    /// Cluster-robust covariance needs at least two clusters (its correction divides by G − 1).
    case tooFewClusters(Int)
    /// New data for a fitted model has `got` feature columns; the model has `expected`.
    case featureCountMismatch(expected: Int, got: Int)
    /// A per-row vector (`variable`: "offset", "exposure", …) has `got` entries for `expected` rows.
    case rowCountMismatch(variable: String, expected: Int, got: Int)
    /// The data's intercept flag differs from the model's (`model`: whether the model has one).
    case interceptMismatch(model: Bool)
    /// A confidence level outside (0, 1).
    case invalidConfidenceLevel(Double)
    /// An exponential-family distribution rejected the parameters the fit produced (not expected for a
    /// converged fit; reported rather than turned into NaN).
    case exponentialFamily(ExponentialFamilyError)
    /// A failure of the linear algebra underneath (e.g. the Fisher matrix became numerically singular
    /// during the iterations although the design has full rank).
    case linearAlgebra(LinearAlgebraError)
    /// `RowExecution.threads` below 1.
    case invalidThreadCount(Int)
    /// The cross-process sum of a distributed fit failed (`RowExecution.reduction`).
    case reductionFailed(RowReductionError)
    /// Another process of a distributed fit rejected its rows (its own error is reported there); this
    /// process stops with it.
    case otherProcessFailed
    /// A covariance that needs every row's leverage or cluster sums (`kind`: "HC2", "cluster", …) asked of a
    /// distributed fit, which holds only its own rows.
    case covarianceNeedsAllRows(kind: String)

    public var description: String {
        switch self {
        case .noObservations:
            return "there are no observations with positive weight"
        case let .shapeMismatch(variable, count, features):
            return "\(variable) has \(count) entries but the features are \(features)"
                + (variable == "feature names" ? " (one name per column)" : " (one entry per row)")
        case .noCoefficients:
            return "the model has no coefficients (no intercept and no features)"
        case let .nonFiniteValue(variable, row):
            return "\(variable) is NaN or infinite in data row \(row + 1)"
        case let .featureOutOfRange(column, row, value):
            return "column '\(column)', data row \(row + 1): |\(value)| > 1e150 would overflow the Fisher matrix XᵀWX; rescale the column"
        case let .responseOutsideSupport(row, value, family, requirement):
            return "response \(value) in data row \(row + 1) is outside the \(family) family's support: it must be \(requirement)"
        case let .invalidTrials(row, successes, trials):
            return "data row \(row + 1): trials must be an integer ≥ 1 and successes an integer between 0 and the trials, got \(successes) successes out of \(trials)"
        case let .negativeWeight(row, value):
            return "weight \(value) in data row \(row + 1) is negative"
        case let .nonPositiveExposure(row, value):
            return "exposure \(value) in data row \(row + 1) is not > 0"
        case let .invalidAlpha(alpha):
            return "negative binomial α = \(alpha) must be finite and > 0"
        case let .unusedLevel(block, level, name):
            return "categorical block '\(block)': level \(level) ('\(name)') is taken by no row (its column would be zero); drop unused levels"
        case let .invalidLevelCode(block, row, code):
            return "categorical block '\(block)': data row \(row + 1) has level code \(code), outside −1 ..< the block's levels"
        case let .invalidTweediePower(power):
            return "Tweedie power p = \(power) must satisfy 1 < p < 2"
        case let .invalidPenalty(lambda, l1Ratio):
            return "a penalty needs a finite λ ≥ 0 and an L1 ratio in [0, 1], got λ = \(lambda), ratio \(l1Ratio)"
        case let .collinearColumns(column, involved):
            if involved.isEmpty { return "the design is rank deficient: column '\(column)' is zero on every weighted row" }
            return "the design is rank deficient: column '\(column)' is a linear combination of "
                + involved.map { "'\($0)'" }.joined(separator: ", ")
        case let .separation(perfect, count, columns):
            return (perfect ? "perfect" : "quasi-complete") + " separation: \(count) observation"
                + (count == 1 ? " is" : "s are") + " predicted exactly by a linear combination of "
                + columns.map { "'\($0)'" }.joined(separator: ", ")
                + "; the maximum-likelihood estimate does not exist (coefficients diverge)"
        case let .degenerateResponse(value, family):
            return "every response is \(value == 0 ? "0" : "1"): the \(family) maximum-likelihood estimate does not exist (the fitted means would have to be \(value == 0 ? "0" : "1"))"
        case let .didNotConverge(iterations, change):
            return "Fisher scoring did not converge in \(iterations) iterations (last relative deviance change \(change))"
        case let .stepHalvingFailed(iteration, halvings):
            return "iteration \(iteration): no valid step after \(halvings) step halvings (the fitted means leave the family's mean space or the deviance does not decrease); try another link"
        case let .noResidualDegreesOfFreedom(weighted, p):
            return "the dispersion needs more observations than coefficients: weighted count \(weighted), \(p) coefficients"
        case let .clusterGroupCount(groups, rows):
            return "cluster-robust covariance: \(groups) cluster labels for \(rows) data rows"
        case let .tooFewClusters(count):
            return "cluster-robust covariance needs at least 2 clusters, got \(count)"
        case let .featureCountMismatch(expected, got):
            return "the model has \(expected) feature columns, the data \(got)"
        case let .rowCountMismatch(variable, expected, got):
            return "\(variable) has \(got) entries for \(expected) rows"
        case let .interceptMismatch(model):
            return model ? "the model has an intercept and the data none" : "the model has no intercept and the data one"
        case let .invalidConfidenceLevel(level):
            return "confidence level \(level) must be in (0, 1)"
        case let .linearAlgebra(error):
            return "linear algebra failure: \(error.description)"
        case let .exponentialFamily(error):
            return "distribution error: \(error.description)"
        case let .invalidThreadCount(threads):
            return "the number of threads must be at least 1, got \(threads)"
        case let .reductionFailed(error):
            return "the sum across processes failed: \(error.message)"
        case .otherProcessFailed:
            return "another process of the distributed fit stopped with an error in its rows"
        case let .covarianceNeedsAllRows(kind):
            return "the \(kind) covariance needs every row in one process; a distributed fit supports the model-based (nonrobust) covariance"
        }
    }
}
