import ArgumentParser
import Foundation
import NatGrad
import Tabular

/// `natgrad glm`: fits a generalized linear model to a CSV file by Fisher scoring.
struct GLMCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "glm",
        abstract: "Fit a generalized linear model to a CSV file (Fisher scoring).",
        discussion: """
        Features default to every named column that is not the response, trials, weights, offset or exposure \
        (an unnamed first column, as pandas and R write row labels, is skipped). A column with any value that \
        is not a number is categorical (as are --categorical columns): treatment-coded with the first level \
        in sorted order as the baseline, columns named col[T.level], as statsmodels formulas do; True/False \
        columns give col[T.True].
        Families: gaussian, binomial, poisson, gamma, inverse-gaussian, negative-binomial, tweedie (--power p, \
        1 < p < 2, default 1.5; log link; log-likelihood and AIC are null: the density has no closed form).
        --lambda L [--l1-ratio R] fits glum's penalized objective D/(2Σs) + λ·R·‖β‖₁ + ½λ(1 − R)‖β‖₂² (R = 0 \
        ridge, 1 lasso; the intercept is not penalized), with categoricals held as level codes; --path K fits K \
        values from λ_max down to λ_max·1e-3 with warm starts. Penalized fits report no standard errors.
        Links: identity, log, logit, probit, cloglog, inverse, inverse-squared (default: the family's \
        canonical link; log for negative-binomial).
        --covariance chooses the standard errors (nonrobust, HC0–HC3, cluster:COL), as statsmodels' \
        GLM.fit(cov_type=…, use_t=False); the table and JSON give Wald intervals at --level. --save writes \
        the model (design levels, coefficients, covariance) for natgrad predict.
        """)

    @Argument(help: "CSV file with a header row (- reads standard input).") var file: String
    @Option(help: "Response column (0/1 or successes for binomial).") var response: String
    @Option(help: "Response family.") var family: FamilyName = .gaussian
    @Option(help: "Link function (default: the family's canonical link).") var link: LinkName?
    @Option(help: "Binomial trials column (the response is then successes out of trials).") var trials: String?
    @Option(help: "Frequency-weights column (a weight w counts the row w times).") var weights: String?
    @Option(help: "Offset column (added to the linear predictor).") var offset: String?
    @Option(help: "Exposure column (> 0; its log is added to the linear predictor).") var exposure: String?
    @Option(help: "Negative binomial dispersion α > 0 (Var y = μ + αμ²).") var alpha: Double?
    @Option(help: "Tweedie power 1 < p < 2 (Var y = φμᵖ; default 1.5).") var power: Double?
    @OptionGroup var penaltyOptions: PenaltyOptions
    @Flag(help: "Fit without an intercept.") var noIntercept = false
    @Option(help: "Comma-separated feature columns (default: every other column).") var features: String?
    @Option(help: "Output format.") var format: OutputFormat = .table
    @OptionGroup var tableOptions: TableOptions
    @OptionGroup var designOptions: DesignOptions
    @Option(help: "Covariance of the coefficients: nonrobust, HC0, HC1, HC2, HC3 or cluster:COL (clusters from column COL).")
    var covariance: CovarianceOption = .init(kind: .nonrobust, column: nil)
    @Option(help: "Confidence level of the coefficient intervals, in (0, 1).") var level: Double = 0.95
    @Option(help: "Write the fitted model to this JSON file (for natgrad predict).") var save: String?
    @Flag(help: "Load an .ngb file whole and fit in memory (every option; an .ngb file is otherwise streamed, one row group at a time).")
    var inMemory = false
    @Option(help: "Worker threads of the fit (default: the machine's cores); the result does not depend on it.")
    var threads: Int?
    @OptionGroup var distribution: DistributedOptions

    /// `--covariance`: a `GLMCovarianceKind` name, with the cluster column for `cluster:COL`.
    struct CovarianceOption: ExpressibleByArgument {
        var kind: GLMCovarianceKind
        var column: String?

        init(kind: GLMCovarianceKind, column: String?) {
            self.kind = kind
            self.column = column
        }

        init?(argument: String) {
            if argument.hasPrefix("cluster:") {
                let column = String(argument.dropFirst("cluster:".count))
                guard !column.isEmpty else { return nil }
                self.init(kind: .cluster, column: column)
            } else if let kind = GLMCovarianceKind(rawValue: argument), kind != .cluster {
                self.init(kind: kind, column: nil)
            } else {
                return nil
            }
        }

        var defaultValueDescription: String { column.map { "cluster:\($0)" } ?? kind.rawValue }
    }

    enum FamilyName: String, ExpressibleByArgument, CaseIterable {
        case gaussian, binomial, poisson, gamma
        case inverseGaussian = "inverse-gaussian"
        case negativeBinomial = "negative-binomial"
        case tweedie
    }

    enum LinkName: String, ExpressibleByArgument, CaseIterable {
        case identity, log, logit, probit, cloglog, inverse
        case inverseSquared = "inverse-squared"
        var link: GLMLink { GLMLink(rawValue: rawValue)! }
    }

    /// The family `--family` (with `--alpha`, `--power`) names.
    var glmFamily: GLMFamily {
        switch family {
        case .gaussian: return .gaussian
        case .binomial: return .binomial
        case .poisson: return .poisson
        case .gamma: return .gamma
        case .inverseGaussian: return .inverseGaussian
        case .negativeBinomial: return .negativeBinomial(alpha: alpha ?? 1)
        case .tweedie: return .tweedie(power: power ?? 1.5)
        }
    }

    func validate() throws {
        if let alpha {
            guard family == .negativeBinomial else { throw ValidationError("--alpha applies to --family negative-binomial only") }
            guard alpha > 0 && alpha.isFinite else { throw ValidationError("--alpha must be finite and > 0, got \(alpha)") }
        }
        if let power {
            guard family == .tweedie else { throw ValidationError("--power applies to --family tweedie only") }
            guard power > 1 && power < 2 else { throw ValidationError("--power must satisfy 1 < p < 2, got \(power)") }
        }
        try penaltyOptions.validate(command: self)
        if trials != nil && family != .binomial { throw ValidationError("--trials applies to --family binomial only") }
        guard level > 0 && level < 1 else { throw ValidationError("--level must be in (0, 1), got \(level)") }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1, got \(threads)") }
    }

    func run() throws {
        // The fit's threads are NatGrad's row-pass workers; OpenBLAS at one thread inside them keeps the
        // result independent of --threads (OpenBLAS would split a block's product by its own count).
        BLASThreading.setThreadCount(1)
        if distribution.distributed { return try runDistributed() }
        if streams { return try runStreaming() }
        let (special, listed) = try requestedColumns()
        var table = try InputTable(file: file, columns: features == nil ? .all : .named(listed + special), options: tableOptions)
        try table.require(special)
        let featureNames = features == nil ? table.columnNames.filter { !special.contains($0) } : listed
        let design = try table.design(features: featureNames, options: designOptions, includeIntercept: !noIntercept,
                                      missing: tableOptions.missing, alsoComplete: special,
                                      form: penaltyOptions.isPenalized ? .levelCodes : .dense)
        let y = try table.numbers(response)
        let n = y.count
        if penaltyOptions.isPenalized {
            return try runPenalized(design: design, table: table, response: y)
        }
        let data = GLMData(features: design.matrix, featureNames: design.featureNames, response: y, includeIntercept: !noIntercept,
                           trials: try trials.map { try table.numbers($0) },
                           weights: try weights.map { try table.numbers($0) },
                           offset: try offset.map { try table.numbers($0) },
                           exposure: try exposure.map { try table.numbers($0) })
        let covarianceType: GLMCovarianceType
        switch covariance.kind {
        case .nonrobust: covarianceType = .nonrobust
        case .hc0: covarianceType = .hc0
        case .hc1: covarianceType = .hc1
        case .hc2: covarianceType = .hc2
        case .hc3: covarianceType = .hc3
        case .cluster:
            // Cluster labels: numbers or text, over the rows the fit uses.
            let column: TableColumn
            do { column = try table.table.column(covariance.column!) } catch { throw CLIError(error.description) }
            let rows = table.selection.rows
            switch column {
            case let .numbers(values):
                var index = [Double: Int]()
                covarianceType = .cluster(groups: rows.map { r in
                    if let k = index[values[r]] { return k }
                    index[values[r]] = index.count
                    return index.count - 1
                })
            case let .text(codes, _):
                covarianceType = .cluster(groups: rows.map { Int(codes[$0]) })
            }
        }
        // Long fits (about 0.1 s per Fisher matrix and more) report each step on stderr.
        let p = design.featureNames.count + (noIntercept ? 0 : 1)
        let reportsProgress = Double(n) * Double(p) * Double(p) >= 5e8
        let fit: GLMFit
        do {
            let model = try GeneralizedLinearModel(family: glmFamily, link: link?.link)
            fit = try model.fit(data, covariance: covarianceType, level: level,
                                execution: RowExecution(threads: threads)) { step in
                guard reportsProgress else { return }
                reportProgress(Self.progressLine(step))
            }
        } catch {
            throw CLIError("\(file): " + describe(error, table: table))
        }
        if fit.isExactFit {
            reportProgress("note: the model fits the response exactly (residuals are 0 to rounding): the dispersion and "
                + "the standard errors are 0 and the log-likelihood is +∞ (null in JSON)")
        }
        if let save {
            try ModelFile(design: design.spec, model: fit.model,
                          training: .init(response: response, trials: trials, weights: weights, offset: offset,
                                          exposure: exposure)).write(to: save)
        }
        switch format {
        case .json: print(GLMReport.json(fit, rows: table.selection))
        case .table: print(summaryTable(fit, observations: n, rows: table.selection))
        }
    }

    /// The response, trials, weights, offset, exposure and cluster columns, and the `--features` list
    /// checked against them (not empty, no special column, no repeat).
    func requestedColumns() throws(CLIError) -> (special: [String], listed: [String]) {
        let special = [response, trials, weights, offset, exposure, covariance.column].compactMap { $0 }
        let listed = commaList(features)
        if features != nil {
            if listed.isEmpty { throw CLIError("--features lists no column") }
            for name in listed where special.contains(name) {
                throw CLIError("column '\(name)' cannot be both a feature and the response, trials, weights, offset or exposure")
            }
            if Set(listed).count != listed.count { throw CLIError("--features lists a column twice") }
        }
        return (special, listed)
    }

    /// The stderr line of a Fisher-scoring step (long fits report each).
    static func progressLine(_ step: FisherScoringProgress) -> String {
        "glm: iteration \(step.iteration): deviance \(formatNumber(step.deviance, digits: 10)), "
            + "relative change \(formatNumber(step.relativeDevianceChange))"
            + (step.formedFisherMatrix ? "" : " (reused Fisher factorization)")
            + (step.stepHalvings > 0 ? ", step halved \(step.stepHalvings)×" : "")
    }

    /// The error message, with data rows turned into the CSV file's row numbers.
    func describe(_ error: GLMError, table: InputTable) -> String {
        func row(_ i: Int) -> String { "row \(table.lineNumber(ofDataRow: i))" }
        switch error {
        case let .nonFiniteValue(variable, i):
            return "\(row(i)), column '\(variable)': value is NaN or infinite"
        case let .featureOutOfRange(column, i, value):
            return "\(row(i)), column '\(column)': |\(formatNumber(value))| > 1e150 would overflow the Fisher matrix XᵀWX; rescale the column"
        case let .responseOutsideSupport(i, value, family, requirement):
            return "\(row(i)), column '\(response)': \(formatNumber(value)) is outside the \(family) family's support (must be \(requirement))"
        case let .invalidTrials(i, successes, trialCount):
            return "\(row(i)): \(formatNumber(successes)) successes out of \(formatNumber(trialCount)) trials (trials must be an integer ≥ 1, successes an integer between 0 and the trials)"
        case let .negativeWeight(i, value):
            return "\(row(i)), column '\(weights ?? "weights")': weight \(formatNumber(value)) is negative"
        case let .nonPositiveExposure(i, value):
            return "\(row(i)), column '\(exposure ?? "exposure")': exposure \(formatNumber(value)) is not > 0"
        default:
            return error.description
        }
    }

    func summaryTable(_ fit: GLMFit, observations n: Int, rows: RowSelection) -> String {
        summaryTable(fit, observations: n, rowsRead: rows.rowsRead, rowsDropped: rows.rowsDropped)
    }

    func summaryTable(_ fit: GLMFit, observations n: Int, rowsRead: Int, rowsDropped: Int,
                      method: String = "Fisher scoring") -> String {
        var lines = [String]()
        lines.append("Generalized linear model: \(fit.family) family, \(fit.link) link")
        lines.append("File: \(file)   Response: \(response)   Observations: \(n)"
            + (fit.weightedObservationCount != Double(n) ? " (weighted \(formatNumber(fit.weightedObservationCount)))" : "")
            + (rowsDropped > 0 ? "   (\(rowsRead) rows read, \(rowsDropped) dropped for missing values)" : ""))
        lines.append("Converged in \(fit.iterations) iterations (\(method), \(fit.fisherEvaluations) Fisher matrices formed)")
        lines.append("Covariance: " + covarianceDescription(fit.covarianceType))
        lines.append("")
        lines += coefficientTable(fit)
        lines.append("")
        let stats: [(String, String)] = [
            ("Deviance", formatNumber(fit.deviance, digits: 8) + "  on \(formatNumber(fit.residualDegreesOfFreedom)) residual degrees of freedom"),
            ("Null deviance", formatNumber(fit.nullDeviance, digits: 8)),
            ("Pearson χ²", formatNumber(fit.pearsonChi2, digits: 8)),
            ("Log-likelihood", formatNumber(fit.logLikelihood, digits: 8)),
            ("AIC", formatNumber(fit.aic, digits: 8)),
            ("Dispersion", formatNumber(fit.dispersion) + (fit.family.estimatesDispersion ? " (Pearson χ²/df)" : " (fixed)")),
        ]
        let labelWidth = stats.map(\.0.count).max() ?? 0
        for (label, value) in stats { lines.append(label + String(repeating: " ", count: labelWidth + 2 - label.count) + value) }
        return lines.joined(separator: "\n")
    }

    /// The coefficient rows, every column as wide as its widest cell (header or value) plus two spaces
    /// of separation, so that no value runs into the next column whatever its size.
    func coefficientTable(_ fit: GLMFit) -> [String] {
        let percent = formatNumber(100 * fit.confidenceLevel)
        let header = ["", "estimate", "std. error", "z", "p-value", "lower \(percent)%", "upper \(percent)%"]
        var rows = [header]
        for c in fit.coefficients {
            rows.append([c.name, formatNumber(c.estimate), formatNumber(c.standardError),
                         formatStatistic(c.statistic), formatPValue(c.pValue),
                         formatNumber(c.lowerConfidenceBound), formatNumber(c.upperConfidenceBound)])
        }
        let widths = header.indices.map { j in rows.map { $0[j].count }.max() ?? 0 }
        return rows.map { cells in
            cells.indices.map { j -> String in
                let fill = String(repeating: " ", count: widths[j] - cells[j].count)
                return j == 0 ? cells[j] + fill : "  " + fill + cells[j]
            }.joined()
        }
    }

    func covarianceDescription(_ kind: GLMCovarianceKind) -> String {
        switch kind {
        case .nonrobust: return "nonrobust (model-based)"
        case .hc0, .hc1, .hc2, .hc3: return "\(kind.rawValue) (heteroskedasticity-robust sandwich)"
        case .cluster: return "cluster-robust by '\(covariance.column ?? "")' (CRV1, small-sample corrected)"
        }
    }

    /// z with three decimals while that stays short (|z| < 1e6), else in `formatNumber`'s scientific form.
    func formatStatistic(_ z: Double) -> String {
        if z.isNaN { return "nan" }
        if z.isInfinite { return z > 0 ? "inf" : "-inf" }
        return Swift.abs(z) < 1e6 ? String(format: "%.3f", z) : formatNumber(z)
    }

    func formatPValue(_ p: Double) -> String {
        if p.isNaN { return "nan" }
        return p < 1e-16 ? "<1e-16" : (p < 1e-4 ? String(format: "%.2e", p) : String(format: "%.4f", p))
    }
}

/// The `--format json` object, with the keys in the order the issue lists them. Non-finite statistics
/// (a perfect Gaussian fit has log-likelihood +∞) are written as null.
enum GLMReport {
    static func json(_ fit: GLMFit, rows: RowSelection) -> String {
        json(fit, rowsRead: rows.rowsRead, rowsDropped: rows.rowsDropped)
    }

    static func json(_ fit: GLMFit, rowsRead: Int, rowsDropped: Int) -> String {
        let number = JSONValue.finiteOrNull
        let coefficients = fit.coefficients.map { c in
            JSONValue.object([
                ("name", .string(c.name)), ("estimate", number(c.estimate)),
                ("standardError", number(c.standardError)), ("statistic", number(c.statistic)),
                ("pValue", number(c.pValue)), ("ciLower", number(c.lowerConfidenceBound)),
                ("ciUpper", number(c.upperConfidenceBound)),
            ])
        }
        return JSONValue.object([
            ("family", .string(fit.family.name)), ("link", .string(fit.link.rawValue)),
            ("n", .integer(fit.observationCount)), ("converged", .bool(fit.converged)),
            ("iterations", .integer(fit.iterations)), ("deviance", number(fit.deviance)),
            ("nullDeviance", number(fit.nullDeviance)), ("pearsonChi2", number(fit.pearsonChi2)),
            ("logLikelihood", number(fit.logLikelihood)), ("aic", number(fit.aic)),
            ("dispersion", number(fit.dispersion)), ("coefficients", .array(coefficients)),
            ("rowsRead", .integer(rowsRead)), ("rowsDropped", .integer(rowsDropped)),
            ("covarianceType", .string(fit.covarianceType.rawValue)),
        ]).serialized
    }
}
