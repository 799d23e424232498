import Foundation
import Tabular

/// A table read for one subcommand: the `Tabular` table, and the rows kept under `--missing`.
/// Data-row indices (0-based, over the kept rows) map back to the file's row numbers for messages.
struct InputTable {
    let path: String
    let table: Table
    private(set) var selection: RowSelection

    /// Reads `columns` of `file` (`-` is standard input) with the shared table options, and notes
    /// row-label columns on stderr.
    init(file: String, columns: ColumnSelection, options: TableOptions) throws(CLIError) {
        path = file
        let readOptions = try options.readOptions()
        do {
            table = try Table.read(TableSource(path: file), options: readOptions, columns: columns)
        } catch {
            throw CLIError(error.description)
        }
        InputTable.noteRowLabels(of: table)
        selection = RowSelection(rows: Array(0..<table.rowCount), rowsRead: table.rowCount)
    }

    /// Notes the table's row-label columns on stderr.
    static func noteRowLabels(of table: Table) {
        for label in table.rowLabelColumns {
            reportProgress("note: column \(label.isEmpty ? "with an empty name" : "'\(label)'") holds row labels "
                + "(pandas' to_csv and R's write.csv write them) and is not used")
        }
    }

    /// A table already read (a distributed command's share), using `selection`'s rows (default: all).
    init(path: String, table: Table, selection: RowSelection? = nil) {
        self.path = path
        self.table = table
        self.selection = selection ?? RowSelection(rows: Array(0..<table.rowCount), rowsRead: table.rowCount)
    }

    /// The parsed columns' names (every named column for `.all`).
    var columnNames: [String] { table.columnNames }

    /// Keeps the rows complete in `names` under the policy, and notes dropped rows on stderr.
    mutating func keepComplete(_ names: [String], policy: MissingPolicy) throws(CLIError) {
        do {
            selection = try table.rows(complete: names, policy: policy)
        } catch {
            throw CLIError(error.description)
        }
        noteDropped()
    }

    /// Throws the table's "no column named …" error for the first of `names` the header lacks.
    func require(_ names: [String]) throws(CLIError) {
        for name in names where !table.hasColumn(name) {
            throw CLIError(TableError.unknownColumn(source: path, name: name, available: columnNames).description)
        }
    }

    /// Builds the design of `glm` and `vi` (treatment coding, `--missing` over the features and
    /// `alsoComplete`), and keeps the rows it uses.
    mutating func design(features: [String], options: DesignOptions, includeIntercept: Bool, missing: MissingPolicy,
                         alsoComplete: [String], form: DesignForm = .dense) throws(CLIError) -> DesignMatrix {
        let references = try options.references()
        let design: DesignMatrix
        do {
            design = try DesignMatrix.build(
                table,
                request: DesignRequest(features: features, categorical: options.categoricalColumns,
                                       references: references, includeIntercept: includeIntercept),
                missing: missing, alsoComplete: alsoComplete, form: form)
        } catch {
            throw CLIError(error.description)
        }
        use(design)
        return design
    }

    /// Uses the rows a design kept.
    mutating func use(_ design: DesignMatrix) {
        selection = RowSelection(rows: design.keptRows, rowsRead: design.rowsRead)
        noteDropped()
        for note in design.notes { reportProgress("note: " + note) }
    }

    private func noteDropped() {
        if selection.rowsDropped > 0 {
            reportProgress("note: \(selection.rowsDropped) of \(selection.rowsRead) rows dropped for missing values; \(selection.rows.count) used")
        }
    }

    /// The named column over the kept rows as finite numbers.
    func numbers(_ name: String) throws(CLIError) -> [Double] {
        do { return try table.numbers(name, rows: selection.rows) } catch { throw CLIError(error.description) }
    }

    /// The named column over the kept rows as integers.
    func integers(_ name: String) throws(CLIError) -> [Int] {
        do { return try table.integers(name, rows: selection.rows) } catch { throw CLIError(error.description) }
    }

    /// Several columns as rows of numbers (row i holds kept row i of each column).
    func numberRows(_ names: [String]) throws(CLIError) -> [[Double]] {
        var columns: [[Double]] = []
        for name in names { columns.append(try numbers(name)) }
        return (0..<selection.rows.count).map { i in columns.map { $0[i] } }
    }

    /// The file row number of kept data row `i`, for messages.
    func lineNumber(ofDataRow i: Int) -> Int { table.line(ofRow: selection.rows[i]) }
}
