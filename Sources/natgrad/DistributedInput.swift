#if MPI
import Foundation
import NatGradMPI
import Tabular

/// A failure every process of a distributed command agreed on: the message of the lowest-ranked process
/// that failed (rank 0 prints it; every process exits with status 1).
struct DistributedStop: Error, CustomStringConvertible {
    let description: String
}

/// A process's step stopped because another process failed (that one's message is reported).
struct OtherProcessFailed: Error {}

extension MPIWorld {
    /// Runs a step that may fail on some processes; when it failed anywhere, every process throws the
    /// lowest failing rank's message. Every process calls it at the same point (a collective).
    /// A failure of the communication itself ends the job (`MPI_Abort`): nothing could be agreed.
    func agreeing<T>(_ step: () throws -> T) throws(DistributedStop) -> T {
        var value: T?
        var message: String?
        do { value = try step() } catch is OtherProcessFailed {} catch { message = String(describing: error) }
        let failure: (rank: Int, message: String)?
        do { failure = try firstFailure(message, failed: value == nil) } catch { stop(error) }
        if let failure {
            throw DistributedStop(description: failure.message.isEmpty ? "a process of the distributed job failed" : failure.message)
        }
        return value!
    }

    /// A collective that must not fail: on an MPI error the job ends.
    func collective<T>(_ call: () throws(MPIError) -> T) -> T {
        do { return try call() } catch { stop(error) }
    }

    /// Reports a communication failure and ends every process.
    func stop(_ error: MPIError) -> Never {
        reportProgress("natgrad: rank \(rank): \(error.description)")
        abort(code: 1)
    }
}

/// Row counts over every process, for the report.
struct DistributedCounts {
    var rowsRead: Int
    var rowsUsed: Int
    var rowsDropped: Int { rowsRead - rowsUsed }
}

/// This process's rows of a distributed command's input, read so that every process agrees with the
/// others on what one process reading the whole file would have decided.
///
/// - Rows: a byte-range share of FILE (`TableFileShare.locate`: split at line starts; the line numbers
///   of the parts before this one come from an exclusive prefix sum of their line breaks, so every row
///   and error is numbered as in the whole file), or the shard file of `--shard-pattern` (its own rows
///   and line numbers; every shard repeats the header).
/// - Column kinds: a column is text when any process saw text in it; a process that parsed it as
///   numbers reads it again as text.
/// - Missing values: counted over all processes; the first incomplete row reported is the lowest rank's.
/// - Levels: each process's observed levels of the categorical features are gathered, merged and
///   sorted as the one-process reader sorts them, so every process codes identically.
enum DistributedInput {
    /// Reads this process's share of the columns.
    static func read(file: String, shardPattern: String?, columns: ColumnSelection, options: TableOptions,
                     world: MPIWorld) throws(DistributedStop) -> Table {
        var readOptions = try world.agreeing { () throws -> TableReadOptions in
            if shardPattern == nil && file == "-" {
                throw CLIError("--distributed cannot share standard input between processes; give a file")
            }
            return try options.readOptions()
        }
        // The share: this rank's byte range of FILE, or its own file.
        let located = try world.agreeing { () throws -> (TableFileShare, Int) in
            if let shardPattern {
                let path = shardPattern.replacingOccurrences(of: "{rank}", with: String(world.rank))
                return (try TableFileShare.whole(path: path, options: readOptions), 0)
            }
            let (share, breaks) = try TableFileShare.locate(path: file, part: world.rank, of: world.size,
                                                            options: readOptions)
            return (share, breaks)
        }
        var share = located.0
        if shardPattern == nil {
            share.firstLine += world.collective { () throws(MPIError) in try world.exclusivePrefixSum(located.1) }
        }
        var table = try world.agreeing { () throws -> Table in
            do {
                return try Table.read(.fileShare(share), options: readOptions, columns: columns)
            } catch let TableError.unterminatedQuote(source, row, column) where shardPattern == nil && world.rank < world.size - 1 {
                throw CLIError(TableError.unterminatedQuote(source: source, row: row, column: column).description
                    + " before this process's share ends: --distributed splits the file at line breaks, and a quoted "
                    + "field spanning lines crosses a split point here; give one file per process (--shard-pattern)")
            }
        }
        // Every process must parse the same columns (shards could differ in their headers).
        let names = table.columnNames.joined(separator: "\u{0}")
        let first = world.collective { () throws(MPIError) in try world.broadcast(Array(names.utf8), from: 0) }
        try world.agreeing {
            guard first == Array(names.utf8) else {
                throw CLIError("\(share.path): the columns (\(table.columnNames.joined(separator: ", "))) differ from rank 0's "
                    + "(\(String(decoding: first, as: UTF8.self).split(separator: "\u{0}").joined(separator: ", ")))")
            }
        }
        // Column kinds: text anywhere makes the column text everywhere.
        let textFlags = table.columnNames.map { name -> Int in
            if case .text = try? table.column(name) { return 1 }
            return 0
        }
        let textCounts = world.collective { () throws(MPIError) in try world.sum(textFlags) }
        let reread = table.columnNames.indices.filter { textCounts[$0] > 0 && textFlags[$0] == 0 }.map { table.columnNames[$0] }
        let anyReread = world.collective { () throws(MPIError) in try world.sum([reread.count]) }[0]
        if anyReread > 0 {
            readOptions.textColumns = Set(table.columnNames.indices.filter { textCounts[$0] > 0 }.map { table.columnNames[$0] })
            let options = readOptions
            table = try world.agreeing {
                reread.isEmpty ? table : try Table.read(.fileShare(share), options: options, columns: columns)
            }
        }
        return table
    }

    /// The rows this process uses (complete in `complete` under `policy`) and the counts over all.
    /// - Throws: the one-process errors with counts over all processes: `missingValues` (first row: the
    ///   lowest rank's), `noCompleteRows`.
    static func rows(_ table: Table, complete: [String], policy: MissingPolicy,
                     world: MPIWorld) throws(DistributedStop) -> (RowSelection, DistributedCounts) {
        var missing: (count: Int, firstRow: Int, column: String)?
        let selection = try world.agreeing { () throws -> RowSelection in
            do {
                return try table.rows(complete: complete, policy: policy)
            } catch let TableError.missingValues(_, count, firstRow, column) {
                missing = (count, firstRow, column)
                return RowSelection(rows: [], rowsRead: table.rowCount)
            } catch TableError.noCompleteRows {
                return RowSelection(rows: [], rowsRead: table.rowCount)
            }
        }
        let totals = world.collective { () throws(MPIError) in
            try world.sum([selection.rowsRead, selection.rows.count, missing?.count ?? 0])
        }
        try world.agreeing {
            if let missing {
                throw TableError.missingValues(source: table.source, incompleteRows: totals[2],
                                               firstRow: missing.firstRow, column: missing.column)
            }
            if totals[1] == 0 { throw TableError.noCompleteRows(source: table.source, rowsRead: totals[0]) }
        }
        return (selection, DistributedCounts(rowsRead: totals[0], rowsUsed: totals[1]))
    }

    /// This process's design matrix, its categorical levels merged over all processes.
    static func design(_ table: Table, request: DesignRequest, rows: RowSelection,
                       world: MPIWorld) throws(DistributedStop) -> DesignMatrix {
        let observed = try world.agreeing { () throws -> [UInt8] in
            let levels = try DesignMatrix.observedLevels(table, request: request, rows: rows)
            return Array(try JSONEncoder().encode(levels))
        }
        let gathered = world.collective { () throws(MPIError) in try world.allGather(observed) }
        return try world.agreeing { () throws -> DesignMatrix in
            var merged: [String: ObservedLevels] = [:]
            for part in gathered {
                let levels = try JSONDecoder().decode([String: ObservedLevels].self, from: Data(part))
                for (name, seen) in levels { merged[name] = merged[name].map { $0.union(seen) } ?? seen }
            }
            return try DesignMatrix.build(table, request: request, rows: rows, levels: merged)
        }
    }
}
#endif
