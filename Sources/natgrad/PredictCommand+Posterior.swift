import Foundation
import NatGrad
import Tabular

/// `natgrad predict posterior.json new.csv`: the posterior predictive of a saved variational posterior
/// (`natgrad vi --save`) at new rows.
extension PredictCommand {
    /// Column names of the posterior predictive, in order.
    static let posteriorColumns = ["eta", "eta_sd", "eta_ci_lower", "eta_ci_upper", "mean", "mean_sd",
                                   "mean_ci_lower", "mean_ci_upper", "response_sd"]

    func predictPosterior() throws {
        if residuals { throw CLIError("--residuals applies to GLM model files only") }
        let saved = try PosteriorFile.read(path: model)
        var table = try InputTable(file: file, columns: .all, options: tableOptions)
        let offsetColumn = try column(offset, training: saved.training.offset, label: "offset", table: table)
        let exposureColumn = try column(exposure, training: saved.training.exposure, label: "exposure", table: table)
        let extra = [offsetColumn, exposureColumn].compactMap { $0 }
        let design: DesignMatrix
        do {
            design = try saved.design.apply(to: table.table, missing: tableOptions.missing, alsoComplete: extra)
        } catch {
            throw CLIError(error.description)
        }
        table.use(design)
        var offsets = try offsetColumn.map { try table.numbers($0) }
        if let exposureColumn {
            let e = try table.numbers(exposureColumn)
            if let bad = e.firstIndex(where: { !($0 > 0) }) {
                throw CLIError("\(file): row \(table.lineNumber(ofDataRow: bad)): exposure \(formatNumber(e[bad])) is not > 0")
            }
            offsets = e.map { Foundation.log($0) }
        }
        let n = design.matrix.rows
        let intercept = saved.design.includesIntercept
        let d = saved.posterior.mean.count
        var x = Matrix(rows: n, columns: d)
        let shift = intercept ? 1 : 0
        if intercept { for i in 0..<n { x[i, 0] = 1 } }
        for j in 0..<design.matrix.columns { for i in 0..<n { x[i, j + shift] = design.matrix[i, j] } }
        let p: PosteriorPrediction
        do {
            let (mu, v) = try saved.posterior.linearPredictor(x, offset: offsets)
            p = try posteriorPredictive(family: saved.posterior.family, link: saved.posterior.link,
                                        dispersion: saved.posterior.dispersion, means: mu, variances: v, level: level)
        } catch let error as VariationalInferenceError {
            throw CLIError("\(file): \(error.description)")
        }
        let columns = [p.linearPredictor, p.linearPredictorVariance.map { $0.squareRoot() }, p.linearPredictorLower,
                       p.linearPredictorUpper, p.mean, p.meanVariance.map { $0.squareRoot() }, p.meanLower, p.meanUpper,
                       p.responseVariance.map { $0.squareRoot() }]
        let names = Self.posteriorColumns
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
}
