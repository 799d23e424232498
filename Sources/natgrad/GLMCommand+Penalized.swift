import ArgumentParser
import Foundation
import NatGrad
import Tabular

/// `natgrad glm --lambda L [--l1-ratio R]` and `--path K`: the penalized fits (glum's objective).
struct PenaltyOptions: ParsableArguments {
    @Option(help: "Penalty λ ≥ 0 of D/(2Σs) + λ·r·‖β‖₁ + ½λ(1 − r)‖β‖₂² (glum's alpha).") var lambda: Double?
    @Option(help: "L1 ratio r in [0, 1] (0 ridge, the default; 1 lasso).") var l1Ratio: Double?
    @Option(help: "Fit a path of K penalties from λ_max to λ_max·1e-3 (geometric, warm starts).") var path: Int?

    /// Whether a penalized fit is asked for.
    var isPenalized: Bool { lambda != nil || path != nil }

    func validate(command: GLMCommand) throws {
        if let lambda, !(lambda >= 0 && lambda.isFinite) { throw ValidationError("--lambda must be finite and ≥ 0, got \(lambda)") }
        if let l1Ratio {
            guard l1Ratio >= 0 && l1Ratio <= 1 else { throw ValidationError("--l1-ratio must be in [0, 1], got \(l1Ratio)") }
            guard isPenalized else { throw ValidationError("--l1-ratio needs --lambda or --path") }
        }
        if let path { guard path >= 1 else { throw ValidationError("--path must be ≥ 1, got \(path)") } }
        if lambda != nil && path != nil { throw ValidationError("--lambda and --path exclude each other") }
        guard isPenalized else { return }
        if command.covariance.kind != .nonrobust || command.covariance.column != nil {
            throw ValidationError("--covariance does not apply to penalized fits (they report no standard errors)")
        }
        if command.save != nil { throw ValidationError("--save does not apply to penalized fits") }
        if command.trials != nil { throw ValidationError("--trials does not apply to penalized fits (give the trials as --weights and the proportion as the response)") }
    }
}

extension GLMCommand {
    /// Fits and prints a penalized model (or a path) on the level-coded design.
    func runPenalized(design: DesignMatrix, table: InputTable, response y: [Double]) throws {
        let coded = design.levelCodes!
        let family = glmFamily
        let r = penaltyOptions.l1Ratio ?? 0
        let data: PenalizedGLMData
        let order: [Int]
        do {
            let mixed = try MixedDesign(
                dense: coded.numeric, denseNames: coded.numericNames,
                blocks: coded.categorical.map { CategoricalBlock(name: $0.column, levelNames: $0.columnNames, codes: $0.codes) },
                intercept: !noIntercept)
            order = Self.specOrder(design.spec, mixed: mixed)
            data = PenalizedGLMData(design: mixed, response: y, weights: try weights.map { try table.numbers($0) },
                                    offset: try offset.map { try table.numbers($0) },
                                    exposure: try exposure.map { try table.numbers($0) })
        } catch let error as GLMError {
            throw CLIError("\(file): " + describe(error, table: table))
        }
        let names = design.spec.coefficientNames
        do {
            if let count = penaltyOptions.path {
                let path = try RegularizationPath(family: family, link: link?.link, l1Ratio: r, count: count)
                let fits = try path.fit(data)
                switch format {
                case .json: print(PenalizedReport.pathJSON(fits, names: names, order: order, rows: table.selection))
                case .table: print(pathTable(fits, names: names, order: order, observations: y.count))
                }
            } else {
                let penalty = try GLMPenalty(lambda: penaltyOptions.lambda ?? 0, l1Ratio: r)
                let fit = try PenalizedGeneralizedLinearModel(family: family, link: link?.link, penalty: penalty).fit(data)
                switch format {
                case .json: print(PenalizedReport.json(fit, names: names, order: order, rows: table.selection))
                case .table: print(penalizedTable(fit, names: names, order: order, observations: y.count, rows: table.selection))
                }
            }
        } catch {
            throw CLIError("\(file): " + describe(error, table: table))
        }
    }

    /// For each coefficient in the spec's order, its index in the mixed design (intercept, numeric terms,
    /// categorical blocks).
    static func specOrder(_ spec: DesignSpec, mixed: MixedDesign) -> [Int] {
        var order = spec.includesIntercept ? [0] : []
        var numeric = 0, block = 0
        for term in spec.terms {
            switch term {
            case .numeric:
                order.append(mixed.firstDense + numeric)
                numeric += 1
            case let .categorical(t):
                let start = mixed.blockOffsets[block]
                order += (0..<t.codedLevels.count).map { start + $0 }
                block += 1
            }
        }
        return order
    }

    func penalizedTable(_ fit: PenalizedGLMFit, names: [String], order: [Int], observations n: Int, rows: RowSelection) -> String {
        var lines = [String]()
        lines.append("Penalized generalized linear model: \(fit.family) family, \(fit.link) link, \(fit.penalty)")
        lines.append("File: \(file)   Response: \(response)   Observations: \(n)"
            + (rows.rowsDropped > 0 ? "   (\(rows.rowsRead) rows read, \(rows.rowsDropped) dropped for missing values)" : ""))
        lines.append("Objective D/(2Σs) + λ·r·‖β‖₁ + ½λ(1 − r)‖β‖₂² (intercept not penalized)")
        lines.append("Converged in \(fit.iterations) IRLS iterations (\(fit.coordinateSweeps) coordinate-descent sweeps); "
            + "largest optimality violation \(formatNumber(fit.optimalityViolation))")
        lines.append("No standard errors: the penalty biases the estimates and (with L1) selects the columns, so Wald intervals would not cover.")
        lines.append("")
        lines += coefficientLines(fit.coefficients, names: names, order: order)
        lines.append("")
        lines.append("Deviance              " + formatNumber(fit.deviance, digits: 10))
        lines.append("Objective             " + formatNumber(fit.objective, digits: 12))
        lines.append("Non-zero coefficients \(fit.nonZeroCount) of \(fit.coefficients.count - (fit.includesIntercept ? 1 : 0))")
        return lines.joined(separator: "\n")
    }

    func pathTable(_ fits: [PenalizedGLMFit], names: [String], order: [Int], observations n: Int) -> String {
        var lines = [String]()
        let first = fits[0]
        lines.append("Regularization path: \(first.family) family, \(first.link) link, L1 ratio \(formatNumber(first.penalty.l1Ratio)), "
            + "\(fits.count) values from λ_max = \(formatNumber(first.penalty.lambda)) (warm starts)")
        lines.append("File: \(file)   Response: \(response)   Observations: \(n)")
        lines.append("No standard errors (penalized fits).")
        for (k, fit) in fits.enumerated() {
            lines.append("")
            lines.append("[\(k + 1)] λ = \(formatNumber(fit.penalty.lambda))   deviance \(formatNumber(fit.deviance, digits: 10))   "
                + "non-zero \(fit.nonZeroCount)   iterations \(fit.iterations)")
            lines += coefficientLines(fit.coefficients, names: names, order: order)
        }
        return lines.joined(separator: "\n")
    }

    func coefficientLines(_ coefficients: [Double], names: [String], order: [Int]) -> [String] {
        let width = names.map(\.count).max() ?? 0
        return zip(names, order).map { name, j in
            name + String(repeating: " ", count: width + 2 - name.count) + formatNumber(coefficients[j], digits: 10)
        }
    }
}

/// The `--format json` objects of penalized fits.
enum PenalizedReport {
    static func coefficients(_ values: [Double], names: [String], order: [Int]) -> JSONValue {
        .array(zip(names, order).map { name, j in .object([("name", .string(name)), ("estimate", .number(values[j]))]) })
    }

    static func json(_ fit: PenalizedGLMFit, names: [String], order: [Int], rows: RowSelection) -> String {
        JSONValue.object([
            ("family", .string(fit.family.name)), ("link", .string(fit.link.rawValue)),
            ("n", .integer(rows.rows.count)), ("lambda", .number(fit.penalty.lambda)),
            ("l1Ratio", .number(fit.penalty.l1Ratio)), ("converged", .bool(fit.converged)),
            ("iterations", .integer(fit.iterations)), ("deviance", .number(fit.deviance)),
            ("objective", .number(fit.objective)), ("optimalityViolation", .number(fit.optimalityViolation)),
            ("nonZero", .integer(fit.nonZeroCount)),
            ("coefficients", coefficients(fit.coefficients, names: names, order: order)),
            ("rowsRead", .integer(rows.rowsRead)), ("rowsDropped", .integer(rows.rowsDropped)),
        ]).serialized
    }

    static func pathJSON(_ fits: [PenalizedGLMFit], names: [String], order: [Int], rows: RowSelection) -> String {
        let path = fits.map { fit in
            JSONValue.object([
                ("lambda", .number(fit.penalty.lambda)), ("deviance", .number(fit.deviance)),
                ("nonZero", .integer(fit.nonZeroCount)),
                ("coefficients", coefficients(fit.coefficients, names: names, order: order)),
            ])
        }
        return JSONValue.object([
            ("family", .string(fits[0].family.name)), ("link", .string(fits[0].link.rawValue)),
            ("n", .integer(rows.rows.count)), ("l1Ratio", .number(fits[0].penalty.l1Ratio)),
            ("lambdaMax", .number(fits[0].penalty.lambda)), ("path", .array(path)),
            ("rowsRead", .integer(rows.rowsRead)), ("rowsDropped", .integer(rows.rowsDropped)),
        ]).serialized
    }
}
