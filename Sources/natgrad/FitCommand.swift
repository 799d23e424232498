import ArgumentParser
import Foundation
import NatGrad

/// The families `natgrad fit` knows, by their kebab-case command-line names.
enum FamilyName: String, ExpressibleByArgument, CaseIterable {
    case bernoulli, binomial, categorical, poisson, geometric, exponential, gamma, beta, normal, lognormal
    case inverseGaussian = "inverse-gaussian"
    case negativeBinomial = "negative-binomial"
    case dirichlet
    case multivariateNormal = "multivariate-normal"

    /// Families whose data are several columns (`--columns`).
    var isMultivariate: Bool { self == .dirichlet || self == .multivariateNormal }
}

/// `natgrad fit FILE.csv --family F --column C …`: maximum likelihood for one exponential family.
struct FitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fit",
        abstract: "Fit an exponential family by maximum likelihood to the numbers in a CSV column.",
        discussion: """
            The CSV file needs a header row. Univariate families read --column; dirichlet and \
            multivariate-normal read --columns c1,c2,…. binomial needs --trials N, negative-binomial \
            needs --r R; categorical labels are 0…K−1 (K from --categories, else the largest label + 1). \
            --format json prints one object: family, n, parameters, natural, mean, logLikelihood.
            """
    )

    @Argument(help: "CSV file with a header row (- reads standard input).")
    var file: String

    @Option(help: "Family: \(FamilyName.allCases.map(\.rawValue).joined(separator: ", ")).")
    var family: FamilyName

    @Option(help: "The data column (univariate families).")
    var column: String?

    @Option(help: "Comma-separated data columns (dirichlet, multivariate-normal).")
    var columns: String?

    @Option(help: "Number of trials n (binomial).")
    var trials: Int?

    @Option(help: "Number of successes r > 0 (negative-binomial).")
    var r: Double?

    @Option(help: "Number of categories K ≥ 2 (categorical; default: largest label + 1).")
    var categories: Int?

    @Option(help: "Output format: table or json.")
    var format: OutputFormat = .table

    @OptionGroup var tableOptions: TableOptions

    func validate() throws {
        if family.isMultivariate {
            guard let columns, !columnList(columns).isEmpty else {
                throw ValidationError("--family \(family.rawValue) needs --columns c1,c2,…")
            }
        } else if column == nil {
            throw ValidationError("--family \(family.rawValue) needs --column C")
        }
        if family == .binomial {
            guard let trials else { throw ValidationError("--family binomial needs --trials N") }
            guard trials >= 1 else { throw ValidationError("--trials must be ≥ 1, got \(trials)") }
        }
        if family == .negativeBinomial {
            guard let r else { throw ValidationError("--family negative-binomial needs --r R") }
            guard r > 0 && r.isFinite else { throw ValidationError("--r must be a finite number > 0, got \(r)") }
        }
        if let categories, categories < 2 { throw ValidationError("--categories must be ≥ 2, got \(categories)") }
    }

    func run() throws {
        let used = family.isMultivariate ? columnList(columns ?? "") : [column ?? ""]
        var table = try InputTable(file: file, columns: .named(used), options: tableOptions)
        try table.keepComplete(used, policy: tableOptions.missing)
        let report = try fit(table)
        switch format {
        case .json: print(report.json.serialized)
        case .table: print(report.table)
        }
    }

    private func columnList(_ text: String) -> [String] {
        text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// Fits the chosen family to the table. - Throws: a one-line `CLIError` naming the file, row,
    /// column or reason.
    func fit(_ table: InputTable) throws(CLIError) -> FitReport {
        let name = column ?? ""
        let fitter = Fitter(table: table, column: name, family: family.rawValue)
        switch family {
        case .bernoulli:
            return try fitter.fit(template(try Bernoulli(p: 0.5)), table.integers(name)) { ["p": .number($0.p)] }
        case .binomial:
            let n = trials ?? 1
            return try fitter.fit(template(try Binomial(trials: n, p: 0.5)), table.integers(name)) {
                ["n": .integer($0.trials), "p": .number($0.p)]
            }
        case .categorical:
            let labels = try table.integers(name)
            let k = categories ?? ((labels.max() ?? 0) &+ 1)
            guard k <= Categorical.maximumCategories else {
                throw CLIError("\(table.path): column '\(name)': \(k) categories (labels are 0…K−1) is more than the \(Categorical.maximumCategories) (2^24) a categorical law may have")
            }
            guard k >= 2 else {
                throw CLIError("\(table.path): column '\(name)': categorical needs at least 2 categories (labels are 0…K−1; give --categories K)")
            }
            let uniform = [Double](repeating: 1 / Double(k), count: k)
            return try fitter.fit(template(try Categorical(probabilities: uniform)), labels) {
                ["probabilities": .numbers($0.probabilities)]
            }
        case .poisson:
            return try fitter.fit(template(try Poisson(rate: 1)), table.integers(name)) { ["rate": .number($0.rate)] }
        case .geometric:
            return try fitter.fit(template(try Geometric(p: 0.5)), table.integers(name)) { ["p": .number($0.p)] }
        case .negativeBinomial:
            return try fitter.fit(template(try NegativeBinomial(r: r ?? 1, p: 0.5)), table.integers(name)) {
                ["r": .number($0.r), "p": .number($0.p)]
            }
        case .exponential:
            return try fitter.fit(template(try Exponential(rate: 1)), table.numbers(name)) { ["rate": .number($0.rate)] }
        case .normal:
            return try fitter.fit(template(try Normal(mean: 0, variance: 1)), table.numbers(name)) {
                ["mean": .number($0.mean), "variance": .number($0.variance)]
            }
        case .lognormal:
            return try fitter.fit(template(try LogNormal(logMean: 0, logVariance: 1)), table.numbers(name)) {
                ["mu": .number($0.logMean), "sigma2": .number($0.logVariance)]
            }
        case .inverseGaussian:
            return try fitter.fit(template(try InverseGaussian(mean: 1, shape: 1)), table.numbers(name)) {
                ["mean": .number($0.mean), "shape": .number($0.shape)]
            }
        case .dirichlet:
            let names = columnList(columns ?? "")
            let rows = try table.numberRows(names)
            let multi = Fitter(table: table, column: names.joined(separator: ","), family: family.rawValue)
            let uniform = [Double](repeating: 1, count: names.count)
            return try multi.fit(template(try Dirichlet(alpha: uniform)), rows) { ["alpha": .numbers($0.alpha)] }
        case .multivariateNormal:
            let names = columnList(columns ?? "")
            let rows = try table.numberRows(names)
            let multi = Fitter(table: table, column: names.joined(separator: ","), family: family.rawValue)
            return try multi.fitMultivariateNormal(rows)
        case .gamma:
            return try fitter.fit(template(try Gamma(shape: 1, rate: 1)), table.numbers(name)) {
                ["shape": .number($0.shape), "rate": .number($0.rate)]
            }
        case .beta:
            return try fitter.fit(template(try Beta(alpha: 1, beta: 1)), table.numbers(name)) {
                ["alpha": .number($0.alpha), "beta": .number($0.beta)]
            }
        }
    }

    /// A starting member (hyperparameters only matter); its construction cannot fail for the
    /// validated arguments, but a failure is still reported, not trapped.
    private func template<F>(_ make: @autoclosure () throws(ExponentialFamilyError) -> F) throws(CLIError) -> F {
        do { return try make() } catch { throw CLIError("internal: \(error)") }
    }
}

/// Fits one family to one column and assembles the report, translating family errors into messages
/// that name the file, the row (as numbered in the file) and the column.
struct Fitter {
    let table: InputTable
    let column: String
    let family: String

    func fit<F: ExponentialFamily>(
        _ template: F, _ data: [F.Observation], refit: Bool = true, usual: (F) -> KeyValuePairs<String, JSONValue>
    ) throws(CLIError) -> FitReport {
        do {
            let fitted = refit ? try template.fitted(to: data) : template
            let logLikelihood = try fitted.logLikelihood(of: data)
            let parameters = usual(fitted).map { ($0.key, $0.value) }
            let numbers = fitted.naturalParameters + fitted.meanParameters + [logLikelihood]
            guard numbers.allSatisfy(\.isFinite) else {
                throw CLIError("\(table.path): column '\(column)': the fit produced a non-finite value (data too extreme for float64)")
            }
            return FitReport(family: family, n: data.count, parameters: parameters,
                             natural: fitted.naturalParameters, mean: fitted.meanParameters,
                             logLikelihood: logLikelihood)
        } catch let error as CLIError {
            throw error
        } catch let error as ExponentialFamilyError {
            throw message(for: error)
        } catch {
            throw CLIError("\(table.path): \(error)")
        }
    }

    /// Multivariate normal by the two-pass mean and covariance (1/n)Σ(xᵢ − x̄)(xᵢ − x̄)ᵀ, never
    /// E[xxᵀ] − x̄x̄ᵀ (which cancels); a covariance that is not positive definite (n ≤ d, collinear
    /// columns) means the MLE does not exist.
    func fitMultivariateNormal(_ rows: [[Double]]) throws(CLIError) -> FitReport {
        let n = rows.count, d = rows.first?.count ?? 0
        var m = [Double](repeating: 0, count: d)
        for x in rows { for i in 0..<d { m[i] += x[i] } }
        for i in 0..<d { m[i] /= Double(n) }
        var c = Matrix(rows: d, columns: d)
        for x in rows {
            for j in 0..<d {
                let dj = x[j] - m[j]
                for i in 0..<d { c[i, j] += (x[i] - m[i]) * dj }
            }
        }
        for k in c.elements.indices { c.elements[k] /= Double(n) }
        let fitted: MultivariateNormal
        do {
            fitted = try MultivariateNormal(mean: m, covariance: c)
        } catch {
            throw CLIError("\(table.path): columns '\(column)': the \(family) maximum-likelihood estimate does not exist: the sample covariance of \(n) rows in \(d) dimensions is not positive definite (\(error))")
        }
        return try fit(fitted, rows, refit: false) {
            ["mean": .numbers($0.mean), "covariance": .array($0.covariance.rowArrays.map(JSONValue.numbers))]
        }
    }

    func message(for error: ExponentialFamilyError) -> CLIError {
        switch error {
        case let .outsideSupport(index?, description):
            let label = column.contains(",") ? "columns" : "column"
            return CLIError("\(table.path): row \(table.lineNumber(ofDataRow: index)), \(label) '\(column)': \(description) (outside the support of \(family))")
        case let .maximumLikelihoodDoesNotExist(reason):
            return CLIError("\(table.path): column '\(column)': the \(family) maximum-likelihood estimate does not exist: \(reason)")
        default:
            return CLIError("\(table.path): column '\(column)': \(error)")
        }
    }
}

/// What `natgrad fit` prints.
struct FitReport {
    let family: String
    let n: Int
    let parameters: [(String, JSONValue)]
    let natural: [Double]
    let mean: [Double]
    let logLikelihood: Double

    var json: JSONValue {
        .object([
            ("family", .string(family)),
            ("n", .integer(n)),
            ("parameters", .object(parameters)),
            ("natural", .numbers(natural)),
            ("mean", .numbers(mean)),
            ("logLikelihood", .number(logLikelihood)),
        ])
    }

    var table: String {
        var rows: [(String, String)] = [("family", family), ("n", String(n))]
        rows += parameters.map { ($0.0, $0.1.tableText) }
        rows += [("natural θ", JSONValue.numbers(natural).tableText),
                 ("mean μ", JSONValue.numbers(mean).tableText),
                 ("logLikelihood", formatNumber(logLikelihood))]
        let width = rows.map(\.0.count).max() ?? 0
        return rows.map { $0.0.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + $0.1 }
            .joined(separator: "\n")
    }
}
