import ArgumentParser
import Foundation
import NatGrad
import Tabular

/// `natgrad vi FILE.csv --model linear|logistic|poisson --response COL …`: a Gaussian variational
/// posterior for a Bayesian GLM with prior N(0, α⁻¹I), fitted by natural-gradient VI (the Bayesian
/// learning rule with Gauss–Hermite expectations).
struct VICommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vi",
        abstract: "Gaussian variational posterior of a Bayesian linear, logistic or Poisson regression.",
        discussion: """
            Prior w ~ N(0, A⁻¹I). The posterior q(w) = N(m, Σ) (full covariance, or diagonal with \
            --covariance diagonal) maximizes the ELBO; it is found by natural-gradient steps from a curvature-informed start (precision A·I + XᵀD₀X, D₀ the \
            likelihood's curvature at the intercept-only fit, so unscaled features are fine) with \
            64-point Gauss–Hermite expectations, ELBO-based step control and a 1e-10 relative ELBO \
            tolerance. Non-convergence is reported ("converged": false and a note on stderr).
            """
    )

    enum Model: String, ExpressibleByArgument, CaseIterable { case linear, logistic, poisson }
    enum Covariance: String, ExpressibleByArgument, CaseIterable { case full, diagonal }

    @Argument(help: "CSV file with a header row (- reads standard input).")
    var file: String

    @Option(help: "The likelihood: linear (Gaussian noise), logistic (y ∈ {0, 1}) or poisson (counts).")
    var model: Model

    @Option(help: "Name of the response column.")
    var response: String

    @Option(name: .customLong("prior-precision"), help: "Prior precision A > 0 of every coefficient.")
    var priorPrecision: Double = 1

    @Option(name: .customLong("noise-precision"), help: "Known noise precision B > 0 (linear model only; default 1).")
    var noisePrecision: Double?

    @Option(help: "Posterior covariance: full or diagonal (mean-field).")
    var covariance: Covariance = .full

    @Flag(name: .customLong("no-intercept"), help: "Do not add an intercept column.")
    var noIntercept = false

    @Option(help: "Comma-separated feature columns (default: every column except the response).")
    var features: String?

    @Option(help: "Output format: table or json.")
    var format: OutputFormat = .table

    @OptionGroup var tableOptions: TableOptions
    @OptionGroup var designOptions: DesignOptions

    func validate() throws {
        guard priorPrecision > 0 && priorPrecision.isFinite else {
            throw CLIError("--prior-precision must be finite and > 0, got \(priorPrecision)")
        }
        if let b = noisePrecision {
            guard model == .linear else { throw CLIError("--noise-precision applies only to --model linear") }
            guard b > 0 && b.isFinite else { throw CLIError("--noise-precision must be finite and > 0, got \(b)") }
        }
    }

    /// The JSON document.
    struct Output {
        var model: String
        var covariance: String
        var names: [String]
        var mean: [Double]
        var covarianceMatrix: [[Double]]?
        var variances: [Double]?
        var elbo: Double
        var iterations: Int
        var converged: Bool
    }

    func run() throws {
        var featureNames = commaList(features)
        if let list = features {
            let raw = list.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            if let empty = raw.firstIndex(where: \.isEmpty) {
                throw CLIError("--features: entry \(empty + 1) is empty")
            }
            if featureNames.contains(response) { throw CLIError("--features: '\(response)' is the response column") }
            if Set(featureNames).count != featureNames.count { throw CLIError("--features: a column is listed twice") }
        }
        var table = try InputTable(file: file, columns: features == nil ? .all : .named(featureNames + [response]), options: tableOptions)
        try table.require([response])
        if features == nil { featureNames = table.columnNames.filter { $0 != response } }
        if noIntercept && featureNames.isEmpty { throw CLIError("no features: give --features or drop --no-intercept") }
        let design = try table.design(features: featureNames, options: designOptions, includeIntercept: !noIntercept,
                                      missing: tableOptions.missing, alsoComplete: [response])
        let y = try table.numbers(response)
        let n = y.count
        let names = design.spec.coefficientNames
        let d = names.count
        var x = Matrix(rows: n, columns: d)
        let offset = noIntercept ? 0 : 1
        for i in 0..<n where !noIntercept { x[i, 0] = 1 }
        for j in 0..<design.matrix.columns {
            for i in 0..<n { x[i, j + offset] = design.matrix[i, j] }
        }
        let likelihood: GLMLikelihood
        switch model {
        case .linear: likelihood = .gaussian(noisePrecision: noisePrecision ?? 1)
        case .logistic: likelihood = .bernoulliLogit
        case .poisson: likelihood = .poissonLog
        }

        let output: Output
        do {
            let glm = try BayesianGLM(design: x, response: y, likelihood: likelihood, priorPrecision: priorPrecision)
            switch covariance {
            case .full:
                let fit = try glm.fitFullCovariance()
                let sigma = try fit.posterior.covariance()
                output = Output(model: model.rawValue, covariance: "full", names: names, mean: fit.posterior.mean,
                                covarianceMatrix: sigma.rowArrays, variances: nil, elbo: fit.elbo,
                                iterations: fit.iterations, converged: fit.converged)
                try finish(output, termination: fit.termination)
            case .diagonal:
                let fit = try glm.fitDiagonal()
                output = Output(model: model.rawValue, covariance: "diagonal", names: names, mean: fit.posterior.mean,
                                covarianceMatrix: nil, variances: fit.posterior.variances, elbo: fit.elbo,
                                iterations: fit.iterations, converged: fit.converged)
                try finish(output, termination: fit.termination)
            }
        } catch let error as VariationalInferenceError {
            throw CLIError(message(for: error, table: table))
        }
    }

    /// Checks finiteness, prints, and notes non-convergence on stderr.
    private func finish(_ output: Output, termination: VariationalTermination) throws {
        let numbers = output.mean + (output.covarianceMatrix?.flatMap { $0 } ?? []) + (output.variances ?? []) + [output.elbo]
        guard numbers.allSatisfy(\.isFinite) else {
            throw CLIError("the variational fit produced a non-finite value (the data overflow the \(output.model) model)")
        }
        if !output.converged {
            reportProgress("note: the fit did not converge (\(termination.rawValue)) after \(output.iterations) iterations")
        }
        switch format {
        case .json:
            print(orderedJSON(output))
        case .table:
            print("Gaussian variational posterior: \(output.model) regression, \(output.covariance) covariance, prior precision \(formatNumber(priorPrecision))")
            let width = max(12, (output.names.map(\.count).max() ?? 0) + 2)
            print("name".padding(toLength: width, withPad: " ", startingAt: 0) + "mean".padding(toLength: 16, withPad: " ", startingAt: 0) + "sd")
            for (j, name) in output.names.enumerated() {
                let variance = output.covarianceMatrix.map { $0[j][j] } ?? output.variances![j]
                print(name.padding(toLength: width, withPad: " ", startingAt: 0)
                      + formatNumber(output.mean[j]).padding(toLength: 16, withPad: " ", startingAt: 0)
                      + formatNumber(variance.squareRoot()))
            }
            print("ELBO \(formatNumber(output.elbo, digits: 10)), \(output.iterations) iterations, converged: \(output.converged ? "yes" : "no")")
        }
    }

    /// The JSON object with its keys in the documented order (model, covariance, names, mean,
    /// covarianceMatrix or variances, elbo, iterations, converged).
    private func orderedJSON(_ output: Output) -> String {
        var fields: [(String, JSONValue)] = [
            ("model", .string(output.model)), ("covariance", .string(output.covariance)),
            ("names", .array(output.names.map(JSONValue.string))), ("mean", .numbers(output.mean)),
        ]
        if let c = output.covarianceMatrix { fields.append(("covarianceMatrix", .array(c.map(JSONValue.numbers)))) }
        if let v = output.variances { fields.append(("variances", .numbers(v))) }
        fields += [("elbo", .number(output.elbo)), ("iterations", .integer(output.iterations)),
                   ("converged", .bool(output.converged))]
        return JSONValue.object(fields).serialized
    }

    /// A one-line message; data-row indices become file row numbers.
    private func message(for error: VariationalInferenceError, table: InputTable) -> String {
        switch error {
        case let .invalidResponse(index, value, requirement):
            return "\(file): row \(table.lineNumber(ofDataRow: index)), column '\(response)': \(formatNumber(value)) is invalid for the \(model.rawValue) model (it must be \(requirement))"
        case let .nonFiniteExpectedLogLikelihood(index, mean, variance):
            return "\(file): row \(table.lineNumber(ofDataRow: index)): the expected log-likelihood is not finite at the starting posterior "
                + "(linear predictor mean \(formatNumber(mean)), variance \(formatNumber(variance))); rescale the features"
        default:
            return "\(file): \(error.description)"
        }
    }
}
