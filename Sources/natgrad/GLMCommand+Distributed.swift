import ArgumentParser
import NatGrad
import Tabular
#if MPI
import NatGradMPI
#endif

/// `natgrad glm … --distributed` under `mpirun -np K`: every process reads its share of the rows
/// (`DistributedInput`), fits on `--threads` threads (default 1: one process per core is the usual
/// layout) with its passes' sums added across processes (so every process holds the
/// same coefficients), and rank 0 prints what the one-process command prints. Every input error stops
/// all processes with the first one (rows numbered as in the file); the process that failed exits 1, as
/// do the others.
extension GLMCommand {
    func runDistributed() throws {
        #if MPI
        let world: MPIWorld
        do { world = try MPIWorld.start() } catch { throw CLIError("--distributed: \(error.description)") }
        let fitted: DistributedFit
        do {
            fitted = try fitDistributed(world)
        } catch {
            // Every process stops here together (an agreed failure, or an option error all meet alike):
            // rank 0 prints the message before any process exits, since mpirun ends the job as soon as
            // one process exits non-zero.
            if world.rank == 0 { reportProgress("Error: \(error)") }
            world.collective { () throws(MPIError) in try world.barrier() }
            world.finish()
            throw ExitCode.failure
        }
        world.finish()
        if world.rank == 0 { print(try report(fitted)) }
        #else
        throw CLIError(DistributedOptions.unavailable)
        #endif
    }

    #if MPI
    /// What a distributed fit hands to the report (on rank 0).
    struct DistributedFit {
        var fit: GLMFit
        var design: DesignMatrix
        var counts: DistributedCounts
    }

    /// The distributed pipeline, collective throughout: every process returns or throws at the same point.
    private func fitDistributed(_ world: MPIWorld) throws -> DistributedFit {
        if NGBFormat.isNGBPath(distribution.shardPattern ?? file) {
            throw CLIError("--distributed reads CSV files (a byte range of one, or one per rank); .ngb files are not shared between processes yet")
        }
        if penaltyOptions.isPenalized {
            throw CLIError("--lambda and --path fit one process's rows only; --distributed fits unpenalized GLMs")
        }
        if covariance.kind != .nonrobust {
            throw CLIError("--covariance \(covariance.defaultValueDescription) needs every row in one process; "
                + "--distributed fits give the model-based (nonrobust) covariance")
        }
        let (special, listed) = try requestedColumns()
        let columns: ColumnSelection = features == nil ? .all : .named(listed + special)
        let table = try DistributedInput.read(file: file, shardPattern: distribution.shardPattern, columns: columns,
                                              options: tableOptions, world: world)
        try world.agreeing { try InputTable(path: table.source, table: table).require(special) }
        if world.rank == 0 { InputTable.noteRowLabels(of: table) }
        let featureNames = features == nil ? table.columnNames.filter { !special.contains($0) } : listed
        let request = try world.agreeing {
            DesignRequest(features: featureNames, categorical: designOptions.categoricalColumns,
                          references: try designOptions.references(), includeIntercept: !noIntercept)
        }
        let (rows, counts) = try DistributedInput.rows(table, complete: featureNames + special,
                                                       policy: tableOptions.missing, world: world)
        let design = try DistributedInput.design(table, request: request, rows: rows, world: world)
        if world.rank == 0 {
            if counts.rowsDropped > 0 {
                reportProgress("note: \(counts.rowsDropped) of \(counts.rowsRead) rows dropped for missing values; \(counts.rowsUsed) used")
            }
            for note in design.notes { reportProgress("note: " + note) }
        }
        let input = InputTable(path: table.source, table: table, selection: rows)
        let data = try world.agreeing { () throws -> GLMData in
            GLMData(features: design.matrix, featureNames: design.featureNames, response: try input.numbers(response),
                    includeIntercept: !noIntercept,
                    trials: try trials.map { try input.numbers($0) },
                    weights: try weights.map { try input.numbers($0) },
                    offset: try offset.map { try input.numbers($0) },
                    exposure: try exposure.map { try input.numbers($0) })
        }
        // The fit numbers rows globally (this process's rows follow the kept rows of the ranks before it).
        let keptBefore = world.collective { () throws(MPIError) in try world.exclusivePrefixSum(rows.rows.count) }
        let p = design.featureNames.count + (noIntercept ? 0 : 1)
        let reportsProgress = world.rank == 0 && Double(counts.rowsUsed) * Double(p) * Double(p) >= 5e8
        let model = try GeneralizedLinearModel(family: glmFamily, link: link?.link)
        let fit = try world.agreeing { () throws -> GLMFit in
            do throws(GLMError) {
                return try model.fit(data, covariance: .nonrobust, level: level,
                                     execution: RowExecution(threads: threads ?? 1, reduction: world)) { step in
                    if reportsProgress { reportProgress(Self.progressLine(step)) }
                }
            } catch .otherProcessFailed {
                throw OtherProcessFailed()  // the failing process's message is agreed on
            } catch {
                throw CLIError("\(table.source): " + describe(error.shiftingRow(by: -keptBefore), table: input))
            }
        }
        return DistributedFit(fit: fit, design: design, counts: counts)
    }

    /// Rank 0's output: the one-process command's, with the counts over all processes.
    private func report(_ fitted: DistributedFit) throws -> String {
        let (fit, design, counts) = (fitted.fit, fitted.design, fitted.counts)
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
        case .json: return GLMReport.json(fit, rowsRead: counts.rowsRead, rowsDropped: counts.rowsDropped)
        case .table: return summaryTable(fit, observations: counts.rowsUsed, rowsRead: counts.rowsRead,
                                         rowsDropped: counts.rowsDropped)
        }
    }
    #endif
}

extension GLMError {
    /// The error with its data row (if it names one) moved by `shift`: a distributed fit's global row
    /// made this process's own.
    func shiftingRow(by shift: Int) -> GLMError {
        switch self {
        case let .nonFiniteValue(variable, row): return .nonFiniteValue(variable: variable, row: row + shift)
        case let .featureOutOfRange(column, row, value): return .featureOutOfRange(column: column, row: row + shift, value: value)
        case let .responseOutsideSupport(row, value, family, requirement):
            return .responseOutsideSupport(row: row + shift, value: value, family: family, requirement: requirement)
        case let .invalidTrials(row, successes, trials): return .invalidTrials(row: row + shift, successes: successes, trials: trials)
        case let .negativeWeight(row, value): return .negativeWeight(row: row + shift, value: value)
        case let .nonPositiveExposure(row, value): return .nonPositiveExposure(row: row + shift, value: value)
        default: return self
        }
    }
}
