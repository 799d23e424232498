import ArgumentParser
import Foundation
import NatGrad
import Tabular

/// The pieces `natgrad vi` shares between one process and `--distributed`: the columns asked for, the
/// arrays of the fit from the rows a design kept, the model, the fit and its result.
extension VICommand {
    /// The arrays of a fit: X with the intercept first, y (successes/trials with --trials), the case
    /// weights (× trials), the offsets (log exposure with --exposure), and the coefficient names.
    struct Problem {
        var x: Matrix
        var y: [Double]
        var weights: [Double]?
        var offsets: [Double]?
        var names: [String]
    }

    /// What a fit hands to the report.
    struct Result {
        var output: Output
        var termination: VariationalTermination
        var saved: SavedPosterior?
    }

    /// The special columns (response, trials, weights, offset, exposure) and the listed features,
    /// checked: no empty or repeated entry, no feature that is a special column.
    func requestedColumns() throws(CLIError) -> (special: [String], features: [String]) {
        let special = [response, trials, weights, offset, exposure].compactMap { $0 }
        let listed = commaList(features)
        if let list = features {
            let raw = list.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            if let empty = raw.firstIndex(where: \.isEmpty) {
                throw CLIError("--features: entry \(empty + 1) is empty")
            }
            if listed.contains(response) { throw CLIError("--features: '\(response)' is the response column") }
            for name in listed where special.contains(name) {
                throw CLIError("--features: '\(name)' is the trials, weights, offset or exposure column")
            }
            if Set(listed).count != listed.count { throw CLIError("--features: a column is listed twice") }
        }
        return (special, listed)
    }

    /// The fit's arrays over `table`'s kept rows (errors name the file's rows).
    func problem(_ table: InputTable, design: DesignMatrix) throws -> Problem {
        var y = try table.numbers(response)
        let n = y.count
        let names = design.spec.coefficientNames
        let x = designMatrix(design.matrix, rows: n, intercept: !noIntercept, columns: names.count)
        var caseWeights = try weights.map { try table.numbers($0) }
        if let trials {
            let m = try table.numbers(trials)
            for i in 0..<n {
                guard m[i] >= 1, m[i] == m[i].rounded(), y[i] >= 0, y[i] <= m[i], y[i] == y[i].rounded() else {
                    throw CLIError("\(file): row \(table.lineNumber(ofDataRow: i)): \(formatNumber(y[i])) successes out of \(formatNumber(m[i])) trials (trials must be an integer ≥ 1, successes an integer between 0 and the trials)")
                }
                y[i] /= m[i]
            }
            caseWeights = (0..<n).map { (caseWeights?[$0] ?? 1) * m[$0] }
        }
        var offsets = try offset.map { try table.numbers($0) }
        if let exposure {
            let e = try table.numbers(exposure)
            if let bad = e.firstIndex(where: { !($0 > 0) }) {
                throw CLIError("\(file): row \(table.lineNumber(ofDataRow: bad)), column '\(exposure)': exposure \(formatNumber(e[bad])) is not > 0")
            }
            offsets = e.map { Foundation.log($0) }
        }
        return Problem(x: x, y: y, weights: caseWeights, offsets: offsets, names: names)
    }

    /// X with the intercept column first (when wanted) and the design's columns after it.
    func designMatrix(_ features: Matrix, rows n: Int, intercept: Bool, columns d: Int) -> Matrix {
        var x = Matrix(rows: n, columns: d)
        let shift = intercept ? 1 : 0
        if intercept { for i in 0..<n { x[i, 0] = 1 } }
        for j in 0..<features.columns {
            for i in 0..<n { x[i, j + shift] = features[i, j] }
        }
        return x
    }

    /// The Bayesian GLM of the options over `problem`, its passes run by `execution`.
    func model(_ problem: Problem, execution: RowExecution) throws(VariationalInferenceError) -> BayesianGLM {
        let (glmFamily, glmLink, phi, _) = likelihood()
        if let shorthand = model, trials == nil, problem.weights == nil, problem.offsets == nil {
            // The shorthands keep their strict checks (0/1 for logistic, integer counts for Poisson).
            let l: GLMLikelihood
            switch shorthand {
            case .linear: l = .gaussian(noisePrecision: noisePrecision ?? 1)
            case .logistic: l = .bernoulliLogit
            case .poisson: l = .poissonLog
            }
            return try BayesianGLM(design: problem.x, response: problem.y, likelihood: l, priorPrecision: priorPrecision,
                                   execution: execution)
        }
        return try BayesianGLM(design: problem.x, response: problem.y, family: glmFamily, link: glmLink, dispersion: phi,
                               offset: problem.offsets, weights: problem.weights, priorPrecision: priorPrecision,
                               execution: execution)
    }

    /// The progress line on stderr.
    static func progressLine(_ step: VariationalProgress, elapsed: Double) -> String {
        "vi: iteration \(step.iteration): ELBO \(formatNumber(step.elbo, digits: 10)), relative step \(formatNumber(step.relativeStep)) (\(String(format: "%.1f", elapsed)) s)"
    }

    /// Fits `glm` (full covariance in the n × n Woodbury form when `woodbury`, else d × d; or the mean
    /// field) and collects the output. Throws `CLIError` for a non-finite result or a posterior too
    /// large to save.
    func fit(_ glm: BayesianGLM, problem: Problem, woodbury: Bool,
             progress: @escaping @Sendable (VariationalProgress) -> Void) throws -> Result {
        var options = VariationalOptions(maximumIterations: maxIterations)
        options.progress = progress
        let (glmFamily, _, _, modelName) = likelihood()
        let names = problem.names
        let result: Result
        switch covariance {
        case .full where woodbury:
            let fit = try glm.fitWoodbury(options: options)
            var saved: SavedPosterior?
            if save != nil {
                guard names.count <= 4000 else {
                    throw CLIError("--save: a full posterior with \(names.count) coefficients (a \(names.count)² precision) is too large to save; use --covariance diagonal")
                }
                let dense = try fit.posterior.dense()
                saved = SavedPosterior(family: glmFamily, link: glm.link, dispersion: glm.dispersion, priorPrecision: priorPrecision,
                                       covariance: "full", mean: dense.mean, precision: dense.precision, precisions: nil)
            }
            result = Result(output: Output(model: modelName, covariance: "full", names: names, mean: fit.posterior.mean,
                                           covarianceMatrix: nil, variances: try fit.posterior.marginalVariances(), elbo: fit.elbo,
                                           iterations: fit.iterations, converged: fit.converged, relativeStep: fit.relativeStep),
                            termination: fit.termination, saved: saved)
        case .full:
            let fit = try glm.fitFullCovariance(options: options)
            let sigma = try fit.posterior.covariance()
            result = Result(output: Output(model: modelName, covariance: "full", names: names, mean: fit.posterior.mean,
                                           covarianceMatrix: sigma.rowArrays, variances: nil, elbo: fit.elbo,
                                           iterations: fit.iterations, converged: fit.converged, relativeStep: fit.relativeStep),
                            termination: fit.termination,
                            saved: SavedPosterior(family: glmFamily, link: glm.link, dispersion: glm.dispersion,
                                                  priorPrecision: priorPrecision, covariance: "full", mean: fit.posterior.mean,
                                                  precision: fit.posterior.precision, precisions: nil))
        case .diagonal:
            let fit = try glm.fitDiagonal(options: options)
            result = Result(output: Output(model: modelName, covariance: "diagonal", names: names, mean: fit.posterior.mean,
                                           covarianceMatrix: nil, variances: fit.posterior.variances, elbo: fit.elbo,
                                           iterations: fit.iterations, converged: fit.converged, relativeStep: fit.relativeStep),
                            termination: fit.termination,
                            saved: SavedPosterior(family: glmFamily, link: glm.link, dispersion: glm.dispersion,
                                                  priorPrecision: priorPrecision, covariance: "diagonal", mean: fit.posterior.mean,
                                                  precision: nil, precisions: fit.posterior.precisions))
        }
        let output = result.output
        let numbers = output.mean + (output.covarianceMatrix?.flatMap { $0 } ?? []) + (output.variances ?? []) + [output.elbo]
        guard numbers.allSatisfy(\.isFinite) else {
            throw CLIError("the variational fit produced a non-finite value (the data overflow the \(output.model) model)")
        }
        return result
    }
}
