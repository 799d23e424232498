import ArgumentParser
import Foundation
import NatGrad
import Tabular

/// `natgrad vi FILE.csv (--model linear|logistic|poisson | --family F [--link L]) --response COL …`: a
/// Gaussian variational posterior for a Bayesian GLM with prior N(0, α⁻¹I), fitted by natural-gradient
/// VI (the Bayesian learning rule with Gauss–Hermite expectations).
struct VICommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vi",
        abstract: "Gaussian variational posterior of a Bayesian GLM (linear, logistic, Poisson, or any --family/--link).",
        discussion: """
            Prior w ~ N(0, A⁻¹I). The posterior q(w) = N(m, Σ) (full covariance, or diagonal with \
            --covariance diagonal) maximizes the ELBO; it is found by natural-gradient steps from a curvature-informed start (precision A·I + XᵀD₀X, D₀ the \
            likelihood's curvature at the intercept-only fit, so unscaled features are fine) with \
            64-point Gauss–Hermite expectations and ELBO-based step control, until the relative step of the \
            mean and precision is ≤ 1e-12 (mean and covariance then within ≈ 1e-10 of the optimum). \
            The mean field is Anderson-accelerated; with more features than rows the full covariance is \
            fitted in the n × n Woodbury form (the JSON then has "variances", the marginal ones, instead of \
            "covarianceMatrix"). --model linear|logistic|poisson is shorthand for --family gaussian|binomial|poisson \
            with the canonical link; --family takes every GLM family of natgrad glm with the links whose inverse \
            maps every real predictor into the mean space (gaussian: identity, log, logit, probit, cloglog; \
            binomial: logit, probit, cloglog; the others: log). Fits longer than 2 s report progress on stderr. \
            The row passes run on --threads threads (default: the machine's cores); the result does not \
            depend on the count. Under mpirun -np K with --distributed (a build with --traits MPI), each \
            process reads its share of FILE's rows (or its own file with --shard-pattern), every pass is \
            summed across the processes, and rank 0 prints the one-process result (to rounding); the full \
            covariance is then fitted in its d × d form. \
            Exit status: 0 converged, 3 the fit stopped without converging (the result is still printed, \
            with "converged": false and a note on stderr), 1 an error.
            """
    )

    enum Model: String, ExpressibleByArgument, CaseIterable { case linear, logistic, poisson }
    enum Covariance: String, ExpressibleByArgument, CaseIterable { case full, diagonal }

    @Argument(help: "CSV file with a header row (- reads standard input).")
    var file: String

    @Option(help: "The likelihood: linear (Gaussian noise), logistic (y ∈ {0, 1}) or poisson (counts).")
    var model: Model?

    @Option(help: "Response family (instead of --model): gaussian, binomial, poisson, gamma, inverse-gaussian, negative-binomial.")
    var family: GLMCommand.FamilyName?

    @Option(help: "Link function (with --family; default: the family's default link, log for gamma and inverse-gaussian).")
    var link: GLMCommand.LinkName?

    @Option(help: "Name of the response column.")
    var response: String

    @Option(name: .customLong("prior-precision"), help: "Prior precision A > 0 of every coefficient.")
    var priorPrecision: Double = 1

    @Option(name: .customLong("noise-precision"), help: "Known noise precision B > 0 (linear model only; default 1).")
    var noisePrecision: Double?

    @Option(help: "Fixed dispersion φ > 0 (gaussian, gamma, inverse-gaussian families; default 1).")
    var dispersion: Double?

    @Option(help: "Negative binomial dispersion α > 0 (Var y = μ + αμ²; default 1).")
    var alpha: Double?

    @Option(help: "Binomial trials column (the response is then successes out of trials).")
    var trials: String?

    @Option(help: "Frequency-weights column (a weight w counts the row w times).")
    var weights: String?

    @Option(help: "Offset column (added to the linear predictor).")
    var offset: String?

    @Option(help: "Exposure column (> 0; its log is added to the linear predictor).")
    var exposure: String?

    @Option(help: "Posterior covariance: full or diagonal (mean-field).")
    var covariance: Covariance = .full

    @Flag(name: .customLong("no-intercept"), help: "Do not add an intercept column.")
    var noIntercept = false

    @Option(help: "Comma-separated feature columns (default: every column except the response and the special columns).")
    var features: String?

    @Option(help: "Output format: table or json.")
    var format: OutputFormat = .table

    @Option(help: "Write the posterior to this JSON file (for natgrad predict).")
    var save: String?

    @Option(name: .customLong("max-iterations"), help: "Cap on accepted natural-gradient steps (≥ 1).")
    var maxIterations: Int = 1000

    @Option(help: "Worker threads of the fit (default: the machine's cores; with --distributed: 1 per process); the result does not depend on it.")
    var threads: Int?

    @OptionGroup var tableOptions: TableOptions
    @OptionGroup var designOptions: DesignOptions
    @OptionGroup var distribution: DistributedOptions

    func validate() throws {
        guard priorPrecision > 0 && priorPrecision.isFinite else {
            throw CLIError("--prior-precision must be finite and > 0, got \(priorPrecision)")
        }
        if model == nil && family == nil { throw CLIError("give --model linear|logistic|poisson or --family") }
        if model != nil && family != nil { throw CLIError("give --model or --family, not both") }
        if family == .tweedie { throw CLIError("--family tweedie is not available for vi: its density has no closed form") }
        if link != nil && family == nil { throw CLIError("--link applies with --family only") }
        if let b = noisePrecision {
            guard model == .linear else { throw CLIError("--noise-precision applies only to --model linear") }
            guard b > 0 && b.isFinite else { throw CLIError("--noise-precision must be finite and > 0, got \(b)") }
        }
        if let phi = dispersion {
            guard [.gaussian, .gamma, .inverseGaussian].contains(family) else {
                throw CLIError("--dispersion applies to --family gaussian, gamma or inverse-gaussian only")
            }
            guard phi > 0 && phi.isFinite else { throw CLIError("--dispersion must be finite and > 0, got \(phi)") }
        }
        if let a = alpha {
            guard family == .negativeBinomial else { throw CLIError("--alpha applies to --family negative-binomial only") }
            guard a > 0 && a.isFinite else { throw CLIError("--alpha must be finite and > 0, got \(a)") }
        }
        if trials != nil && family != .binomial && model != .logistic {
            throw CLIError("--trials applies to --family binomial (or --model logistic) only")
        }
        if offset != nil && exposure != nil { throw CLIError("give --offset or --exposure, not both") }
        guard maxIterations >= 1 else { throw CLIError("--max-iterations must be ≥ 1, got \(maxIterations)") }
        if let threads, threads < 1 { throw CLIError("--threads must be at least 1, got \(threads)") }
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
        var relativeStep: Double
    }

    /// The family, link and dispersion of the fit.
    func likelihood() -> (family: GLMFamily, link: GLMLink?, dispersion: Double, name: String) {
        switch model {
        case .linear: return (.gaussian, .identity, 1 / (noisePrecision ?? 1), "linear")
        case .logistic: return (.binomial, .logit, 1, "logistic")
        case .poisson: return (.poisson, .log, 1, "poisson")
        case nil: break
        }
        let f: GLMFamily
        switch family! {
        case .gaussian: f = .gaussian
        case .binomial: f = .binomial
        case .poisson: f = .poisson
        case .gamma: f = .gamma
        case .inverseGaussian: f = .inverseGaussian
        case .negativeBinomial: f = .negativeBinomial(alpha: alpha ?? 1)
        case .tweedie: f = .tweedie(power: 1.5)  // rejected by validation; natgrad glm only
        }
        let l = link?.link ?? BayesianGLM.defaultLink(f)
        return (f, l, dispersion ?? 1, "\(f.name)/\(l.rawValue)")
    }

    func run() throws {
        // OpenBLAS at one thread inside the row-pass workers: the result does not depend on --threads.
        BLASThreading.setThreadCount(1)
        if distribution.distributed { return try runDistributed() }
        var (special, featureNames) = try requestedColumns()
        var table = try InputTable(file: file, columns: features == nil ? .all : .named(featureNames + special), options: tableOptions)
        try table.require(special)
        if features == nil { featureNames = table.columnNames.filter { !special.contains($0) } }
        if noIntercept && featureNames.isEmpty { throw CLIError("no features: give --features or drop --no-intercept") }
        let design = try table.design(features: featureNames, options: designOptions, includeIntercept: !noIntercept,
                                      missing: tableOptions.missing, alsoComplete: special)
        let problem = try problem(table, design: design)
        let started = Date()
        let result: Result
        do {
            let glm = try model(problem, execution: RowExecution(threads: threads))
            result = try fit(glm, problem: problem, woodbury: problem.y.count < problem.names.count) { step in
                let elapsed = Date().timeIntervalSince(started)
                guard elapsed >= 2 else { return }
                reportProgress(Self.progressLine(step, elapsed: elapsed))
            }
        } catch let error as VariationalInferenceError {
            throw CLIError(message(for: error, table: table))
        }
        try report(result, design: design.spec)
        try exitStatus(result)
    }

    /// Saves (with --save) and prints the result.
    func report(_ result: Result, design: DesignSpec) throws {
        let output = result.output
        if let save, let saving = result.saved {
            try PosteriorFile(design: design, posterior: saving,
                              training: .init(response: response, trials: trials, weights: weights, offset: offset,
                                              exposure: exposure)).write(to: save)
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
            print("ELBO \(formatNumber(output.elbo, digits: 10)), \(output.iterations) iterations, relative step \(formatNumber(output.relativeStep)), converged: \(output.converged ? "yes" : "no")")
        }
    }

    /// A fit that stopped without converging: a note on stderr (`noting`) and exit status 3.
    func exitStatus(_ result: Result, noting: Bool = true) throws {
        let output = result.output
        guard !output.converged else { return }
        if noting {
            reportProgress("note: the fit did not converge (\(result.termination.rawValue)) after \(output.iterations) iterations "
                + "(relative step \(formatNumber(output.relativeStep))); exit status 3")
        }
        throw ExitCode(3)
    }

    /// The JSON object with its keys in the documented order (model, covariance, names, mean,
    /// covarianceMatrix or variances, elbo, iterations, converged).
    func orderedJSON(_ output: Output) -> String {
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
    func message(for error: VariationalInferenceError, table: InputTable) -> String {
        switch error {
        case let .invalidResponse(index, value, requirement):
            // The library checks weights and offsets with the response; name the column the value came from.
            let column = requirement.hasPrefix("a weight") ? (weights ?? trials ?? response)
                : requirement.hasPrefix("an offset") ? (offset ?? exposure ?? response) : response
            return "\(file): row \(table.lineNumber(ofDataRow: index)), column '\(column)': \(formatNumber(value)) is invalid for the \(likelihood().name) model (it must be \(requirement))"
        case let .nonFiniteExpectedLogLikelihood(index, mean, variance):
            return "\(file): row \(table.lineNumber(ofDataRow: index)): the expected log-likelihood is not finite at the starting posterior "
                + "(linear predictor mean \(formatNumber(mean)), variance \(formatNumber(variance))); rescale the features"
        default:
            return "\(file): \(error.description)"
        }
    }
}
