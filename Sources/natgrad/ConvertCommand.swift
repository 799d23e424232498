import ArgumentParser
import Foundation
import Tabular

/// `natgrad convert`: a CSV file to the `.ngb` binary format, in bounded memory.
struct ConvertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Convert a CSV file to the .ngb columnar binary format (for fits larger than memory).",
        discussion: """
        The CSV is read twice in chunks, never whole: the first pass finds each column's type (numbers unless \
        some cell is text), the row count and every error; the second writes row groups of --rows-per-group \
        rows as they fill (numbers as float64, text as int32 codes into levels kept in order of first \
        appearance, written at the end of the file). Memory: one row group and the distinct text levels. \
        Row-label columns (an empty or 'Unnamed: N' header) are not written. \
        --missing applies to every column written: error (the default) stops at a missing cell, counting the \
        incomplete rows; drop leaves out incomplete rows; --keep-missing writes missing cells as missing \
        (NaN, code -1), so that the fit on the .ngb file applies its own --missing to the columns it uses. \
        The format is described byte by byte in docs/readme/ngb-format.md.
        """)

    @Argument(help: "CSV file with a header row (- reads standard input, which is buffered whole).") var input: String
    @Argument(help: "The .ngb file to write (overwritten).") var output: String
    @OptionGroup var tableOptions: TableOptions
    @Flag(help: "Write missing cells as missing (NaN, level code -1) instead of applying --missing.")
    var keepMissing = false
    @Option(help: "Rows per row group (the unit of streaming reads).") var rowsPerGroup: Int = NGBFormat.defaultRowsPerGroup

    func validate() throws {
        guard NGBFormat.isNGBPath(output) else { throw ValidationError("the output file must end in .ngb, got '\(output)'") }
        guard rowsPerGroup >= 1 && rowsPerGroup <= Int(Int32.max) else {
            throw ValidationError("--rows-per-group must be in 1 ... 2147483647, got \(rowsPerGroup)")
        }
        guard !NGBFormat.isNGBPath(input) else { throw ValidationError("the input is already an .ngb file") }
    }

    func run() throws {
        let missing: NGBConversion.MissingCells = keepMissing ? .keep : (tableOptions.missing == .drop ? .drop : .error)
        let summary: NGBConversion.Summary
        let readOptions = try tableOptions.readOptions()
        do {
            summary = try NGBConversion.convert(TableSource(path: input), options: readOptions,
                                                to: output, missing: missing, rowsPerGroup: rowsPerGroup)
        } catch {
            throw CLIError(error.description)
        }
        for label in summary.rowLabelColumns {
            reportProgress("note: column \(label.isEmpty ? "with an empty name" : "'\(label)'") holds row labels "
                + "(pandas' to_csv and R's write.csv write them) and is not written")
        }
        if summary.rows < summary.rowsRead {
            reportProgress("note: \(summary.rowsRead - summary.rows) of \(summary.rowsRead) rows dropped for missing values")
        }
        let categorical = summary.columns.compactMap { c -> String? in
            if case let .categorical(levels) = c.kind { return "\(c.name) (\(levels.count) levels)" }
            return nil
        }
        print("\(output): \(summary.rows) rows, \(summary.columns.count) columns"
            + (categorical.isEmpty ? "" : "; categorical: " + categorical.joined(separator: ", ")))
    }
}
