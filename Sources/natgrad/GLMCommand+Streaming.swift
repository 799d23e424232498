import NatGrad
import Tabular

/// `natgrad glm FILE.ngb …`: the streaming fit, one row group of the file in memory at a time
/// (`GeneralizedLinearModel.fit(streaming:)` over `NGBRowBlockSource`). `--in-memory` loads the file
/// as a table instead and takes the in-memory path with every option.
extension GLMCommand {
    /// Whether `run` streams: an `.ngb` file without `--in-memory`.
    var streams: Bool { NGBFormat.isNGBPath(file) && !inMemory }

    func runStreaming() throws {
        func unsupported(_ option: String) -> CLIError {
            CLIError("\(option) needs the in-memory fit of an .ngb file (add --in-memory)")
        }
        if designOptions.categorical != nil { throw unsupported("--categorical") }
        if designOptions.reference != nil { throw unsupported("--reference") }
        if covariance.kind != .nonrobust { throw unsupported("--covariance \(covariance.defaultValueDescription)") }
        if save != nil { throw unsupported("--save") }
        if penaltyOptions.isPenalized { throw unsupported(penaltyOptions.path != nil ? "--path" : "--lambda") }
        let reader: NGBReader
        do { reader = try NGBReader(path: file) } catch { throw CLIError(error.description) }
        let special = [response, trials, weights, offset, exposure].compactMap { $0 }
        let featureNames: [String]
        if let features {
            let listed = commaList(features)
            if listed.isEmpty { throw CLIError("--features lists no column") }
            for name in listed where special.contains(name) {
                throw CLIError("column '\(name)' cannot be both a feature and the response, trials, weights, offset or exposure")
            }
            if Set(listed).count != listed.count { throw CLIError("--features lists a column twice") }
            featureNames = listed
        } else {
            featureNames = reader.columns.map(\.name).filter { !special.contains($0) }
        }
        let source = try NGBRowBlockSource(reader: reader, features: featureNames, response: response, weights: weights,
                                           trials: trials, offset: offset, exposure: exposure, missing: tableOptions.missing)
        let glmFamily = selectedFamily()
        let p = featureNames.count + (noIntercept ? 0 : 1)
        let reportsProgress = Double(reader.rowCount) * Double(p) * Double(p) >= 5e8
        // One OpenBLAS thread (set by `run`): the fit's read-ahead worker runs on the other core (OpenBLAS's
        // idle threads would spin in sched_yield between the small per-block calls).
        let model: GeneralizedLinearModel
        do { model = try GeneralizedLinearModel(family: glmFamily, link: link?.link) } catch { throw CLIError(error.description) }
        let fit: GLMFit
        do {
            fit = try model.fit(streaming: source, includeIntercept: !noIntercept, level: level,
                                threads: threads) { step in
                guard reportsProgress else { return }
                reportProgress("glm: iteration \(step.iteration): deviance \(formatNumber(step.deviance, digits: 10)), "
                    + "relative change \(formatNumber(step.relativeDevianceChange))"
                    + (step.stepHalvings > 0 ? ", step halved \(step.stepHalvings)×" : ""))
            }
        } catch {
            switch error {
            case let .model(error): throw CLIError("\(file): " + describeStreaming(error))
            case let .source(.file(error)): throw CLIError(error.description)
            case let .source(error): throw CLIError("\(file): \(error.description)")
            }
        }
        let dropped = reader.rowCount - fit.observationCount
        if dropped > 0 {
            reportProgress("note: \(dropped) of \(reader.rowCount) rows dropped for missing values; \(fit.observationCount) used")
        }
        if fit.isExactFit {
            reportProgress("note: the model fits the response exactly (residuals are 0 to rounding): the dispersion and "
                + "the standard errors are 0 and the log-likelihood is +∞ (null in JSON)")
        }
        switch format {
        case .json: print(GLMReport.json(fit, rowsRead: reader.rowCount, rowsDropped: dropped))
        case .table:
            print(summaryTable(fit, observations: fit.observationCount, rowsRead: reader.rowCount, rowsDropped: dropped,
                               method: "streaming Fisher scoring over .ngb row groups"))
        }
    }

    /// A model error with the file's data rows as row numbers (data row i is row i + 2, as in the CSV).
    func describeStreaming(_ error: GLMError) -> String {
        func row(_ i: Int) -> String { "row \(i + 2)" }
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

    /// The `GLMFamily` of `--family` (and `--alpha`).
    func selectedFamily() -> GLMFamily {
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
}
