import ArgumentParser
import Foundation
import NatGrad
import Tabular
#if MPI
import NatGradMPI
#endif

/// `natgrad vi … --distributed` under `mpirun -np K`: every process reads its share of the rows
/// (`DistributedInput`, as `natgrad glm --distributed` does), and every pass of the variational fit —
/// the start's sums, each evaluated posterior's Σcᵢ E[ℓᵢ], XᵀDX and Xᵀr (or their diagonals) — is summed
/// across the processes, so every process takes the same steps and holds the same posterior; rank 0
/// prints (and saves) what the one-process command would. The full covariance is fitted in its d × d
/// form (the n × n Woodbury form couples all rows). Input errors stop every process with the first
/// one (rows numbered as in the file); a fit that does not converge exits with status 3 on every process.
extension VICommand {
    func runDistributed() throws {
        #if MPI
        let world: MPIWorld
        do { world = try MPIWorld.start() } catch { throw CLIError("--distributed: \(error.description)") }
        let fitted: DistributedResult
        do {
            fitted = try fitDistributed(world)
        } catch {
            if world.rank == 0 { reportProgress("Error: \(error)") }
            world.collective { () throws(MPIError) in try world.barrier() }
            world.finish()
            throw ExitCode.failure
        }
        world.finish()
        if world.rank == 0 { try report(fitted.result, design: fitted.design.spec) }
        try exitStatus(fitted.result, noting: world.rank == 0)
        #else
        throw CLIError(DistributedOptions.unavailable)
        #endif
    }

    #if MPI
    /// What a distributed fit hands to the report.
    struct DistributedResult {
        var result: Result
        var design: DesignMatrix
    }

    /// The distributed pipeline, collective throughout: every process returns or throws at the same point.
    private func fitDistributed(_ world: MPIWorld) throws -> DistributedResult {
        if NGBFormat.isNGBPath(distribution.shardPattern ?? file) {
            throw CLIError("--distributed reads CSV files (a byte range of one, or one per rank); .ngb files are not shared between processes yet")
        }
        var (special, featureNames) = try requestedColumns()
        let columns: ColumnSelection = features == nil ? .all : .named(featureNames + special)
        let table = try DistributedInput.read(file: file, shardPattern: distribution.shardPattern, columns: columns,
                                              options: tableOptions, world: world)
        try world.agreeing { try InputTable(path: table.source, table: table).require(special) }
        if world.rank == 0 { InputTable.noteRowLabels(of: table) }
        if features == nil { featureNames = table.columnNames.filter { !special.contains($0) } }
        let request = try world.agreeing { () throws -> DesignRequest in
            if noIntercept && featureNames.isEmpty { throw CLIError("no features: give --features or drop --no-intercept") }
            return DesignRequest(features: featureNames, categorical: designOptions.categoricalColumns,
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
        let problem = try world.agreeing { try self.problem(input, design: design) }
        let glm = try world.agreeing { () throws -> BayesianGLM in
            do throws(VariationalInferenceError) {
                return try model(problem, execution: RowExecution(threads: threads ?? 1, reduction: world))
            } catch { throw CLIError(message(for: error, table: input)) }
        }
        let started = Date()
        let reportsProgress = world.rank == 0
        var outcome: Result?
        var failure: (any Error)?
        do {
            outcome = try fit(glm, problem: problem, woodbury: false) { step in
                let elapsed = Date().timeIntervalSince(started)
                guard reportsProgress, elapsed >= 2 else { return }
                reportProgress(Self.progressLine(step, elapsed: elapsed))
            }
        } catch {
            failure = error
        }
        // A start whose ELBO is not finite fails on every process (the sum is), but only the process
        // holding the row can name it: that message first, then any other failure.
        try world.agreeing {
            if case .nonFiniteExpectedLogLikelihood? = failure as? VariationalInferenceError {
                throw CLIError(message(for: failure as! VariationalInferenceError, table: input))
            }
        }
        let result = try world.agreeing { () throws -> Result in
            if let error = failure as? VariationalInferenceError { throw CLIError(message(for: error, table: input)) }
            if let failure { throw failure }
            return outcome!
        }
        return DistributedResult(result: result, design: design)
    }
    #endif
}
