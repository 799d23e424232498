import ArgumentParser
import Foundation
import NatGrad
import Tabular

/// `natgrad predict`: applies a saved GLM (`natgrad glm --save`), a saved variational posterior
/// (`natgrad vi --save`, see `PredictCommand+Posterior.swift`) or a saved network
/// (`natgrad train --save`, see `PredictCommand+Network.swift`) to new rows.
struct PredictCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "Predict new rows with a saved GLM (natgrad glm --save), posterior (natgrad vi --save) or network (natgrad train --save).",
        discussion: """
        Writes one row per input row: eta (the linear predictor), mean (μ), mean_se (the delta-method \
        standard error of μ) and mean_ci_lower, mean_ci_upper (the interval built on the link scale and \
        mapped through the inverse link, as statsmodels' get_prediction().summary_frame()). New data are \
        coded with the training design (categorical levels and references); an unseen level is an error. \
        The offset and exposure default to the training columns of those names. With --missing drop, rows \
        with a missing value in a column the model uses are left out (a note on stderr says how many). \
        With --residuals (on a \
        file with the response), also response_residual, pearson_residual, deviance_residual, \
        working_residual, leverage and cooks_distance. \
        A network file (natgrad train --save) gives, per row, the predicted label and the class probabilities \
        (classification), or the predicted mean (regression) or rate (counts); the GLM options do not apply. \
        A variational posterior (natgrad vi --save) gives the posterior predictive by quadrature over the \
        linear predictor η ~ N(xᵀm + offset, xᵀΣx): eta, eta_sd, eta_ci_lower, eta_ci_upper (equal-tailed \
        credible interval at --level), mean (E[μ(η)], the predictive mean of y), mean_sd, mean_ci_lower, \
        mean_ci_upper (the interval of μ = g⁻¹(η)) and response_sd (√Var y = √(E[φV(μ)] + Var μ)).
        """)

    enum Format: String, ExpressibleByArgument, CaseIterable { case csv, json }

    @Argument(help: "Model file written by natgrad glm --save.") var model: String
    @Argument(help: "CSV file with the model's feature columns (- reads standard input).") var file: String
    @Option(help: "Offset column of the new rows (default: the training offset column).") var offset: String?
    @Option(help: "Exposure column of the new rows (> 0; default: the training exposure column).") var exposure: String?
    @Option(help: "Confidence level of the interval for the mean, in (0, 1).") var level: Double = 0.95
    @Option(help: "Output format.") var format: Format = .csv
    @Flag(help: "Add residuals, leverage and Cook's distance (the file must have the training response).")
    var residuals = false
    @OptionGroup var tableOptions: TableOptions

    func validate() throws {
        guard level > 0 && level < 1 else { throw ValidationError("--level must be in (0, 1), got \(level)") }
    }

    /// The column for an offset or exposure: the option, else the training column (required when the
    /// model was fitted with one).
    func column(_ option: String?, training: String?, label: String, table: InputTable) throws -> String? {
        if let option { return option }
        guard let training else { return nil }
        guard table.table.hasColumn(training) else {
            throw CLIError("\(file): the model was fitted with \(label) column '\(training)', which this file lacks; give --\(label) COL")
        }
        return training
    }

    func run() throws {
        if TrainedNetworkFile.isNetworkFile(model) { try predictNetwork(); return }
        if try ModelFile.kind(path: model) == PosteriorFile.kind { try predictPosterior(); return }
        let saved = try ModelFile.read(path: model)
        var table = try InputTable(file: file, columns: .all, options: tableOptions)
        let offsetColumn = try column(offset, training: saved.training.offset, label: "offset", table: table)
        let exposureColumn = try column(exposure, training: saved.training.exposure, label: "exposure", table: table)
        var extra = [offsetColumn, exposureColumn].compactMap { $0 }
        if residuals {
            extra += [saved.training.response] + [saved.training.trials, saved.training.weights].compactMap { $0 }
        }
        let design: DesignMatrix
        let offsetValues: [Double]?, exposureValues: [Double]?
        do {
            design = try saved.design.apply(to: table.table, missing: tableOptions.missing, alsoComplete: extra)
        } catch {
            throw CLIError(error.description)
        }
        table.use(design)
        offsetValues = try offsetColumn.map { try table.numbers($0) }
        exposureValues = try exposureColumn.map { try table.numbers($0) }
        var trainingData: GLMData?
        if residuals {
            let columns = saved.training
            trainingData = GLMData(features: design.matrix, featureNames: design.featureNames,
                                   response: try table.numbers(columns.response),
                                   includeIntercept: saved.model.includesIntercept,
                                   trials: try columns.trials.map { try table.numbers($0) },
                                   weights: try columns.weights.map { try table.numbers($0) },
                                   offset: offsetValues, exposure: exposureValues)
        }
        let prediction: GLMPrediction
        var diagnostics: GLMDiagnostics?
        do {
            prediction = try saved.model.predict(features: design.matrix, offset: offsetValues, exposure: exposureValues,
                                                 level: level)
            if let trainingData { diagnostics = try saved.model.diagnostics(trainingData) }
        } catch {
            throw CLIError("\(file): " + describe(error, table: table))
        }
        var names = ["eta", "mean", "mean_se", "mean_ci_lower", "mean_ci_upper"]
        var columns = [prediction.linearPredictor, prediction.mean, prediction.meanStandardError, prediction.meanLower,
                       prediction.meanUpper]
        if let d = diagnostics {
            names += ["response_residual", "pearson_residual", "deviance_residual", "working_residual", "leverage",
                      "cooks_distance"]
            columns += [d.response, d.pearson, d.deviance, d.working, d.leverage, d.cooksDistance]
        }
        let n = prediction.mean.count
        switch format {
        case .csv:
            var lines = [names.joined(separator: ",")]
            lines.reserveCapacity(n + 1)
            for i in 0..<n { lines.append(columns.map { csvNumber($0[i]) }.joined(separator: ",")) }
            print(lines.joined(separator: "\n"))
        case .json:
            let rows = (0..<n).map { i in JSONValue.object(names.indices.map { (names[$0], JSONValue.finiteOrNull(columns[$0][i])) }) }
            print(JSONValue.object([("n", .integer(n)), ("level", .number(level)), ("predictions", .array(rows))]).serialized)
        }
    }

    /// Shortest round-trip text (bit-exact when read back); "nan", "inf", "-inf" for non-finite values.
    func csvNumber(_ x: Double) -> String {
        if x.isNaN { return "nan" }
        if x.isInfinite { return x > 0 ? "inf" : "-inf" }
        return "\(x)"
    }

    /// The message, with data rows as the CSV file's line numbers.
    func describe(_ error: GLMError, table: InputTable) -> String {
        func line(_ i: Int) -> String { "row \(table.lineNumber(ofDataRow: i))" }
        switch error {
        case let .nonFiniteValue(variable, i): return "\(line(i)), column '\(variable)': value is NaN or infinite"
        case let .nonPositiveExposure(i, value): return "\(line(i)): exposure \(formatNumber(value)) is not > 0"
        case let .responseOutsideSupport(i, value, family, requirement):
            return "\(line(i)): response \(formatNumber(value)) is outside the \(family) family's support (must be \(requirement))"
        default: return error.description
        }
    }
}
