import ArgumentParser
import Tabular

extension MissingPolicy: ExpressibleByArgument {}

/// Options every subcommand shares for reading its input table.
struct TableOptions: ParsableArguments {
    @Option(help: "Field delimiter: ',' (the default, a tab for .tsv/.tab files), ';', 'tab' or another ASCII character.")
    var delimiter: String?

    @Option(help: "Rows with a missing value in a column the command uses: error (the default) or drop (listwise).")
    var missing: MissingPolicy = .error

    @Option(name: .customLong("na-values"), parsing: .unconditional,
            help: "Comma-separated tokens meaning missing, replacing the default list (empty, NA, NaN, nan, null, NULL, N/A, #N/A, .).")
    var naValues: String?

    func validate() throws {
        _ = try readOptions()
    }

    /// The library's read options. - Throws: a message for a delimiter that is not one ASCII character.
    func readOptions() throws(CLIError) -> TableReadOptions {
        var options = TableReadOptions()
        if let delimiter {
            let byte: UInt8?
            switch delimiter {
            case "tab", "\\t", "\t": byte = 0x09
            default: byte = delimiter.utf8.count == 1 ? delimiter.utf8.first : nil
            }
            guard let byte, byte < 0x80, byte != UInt8(ascii: "\""), byte != 0x0A, byte != 0x0D else {
                throw CLIError("--delimiter must be one ASCII character other than a quote or a line break (or 'tab'), got '\(delimiter)'")
            }
            options.delimiter = byte
        }
        if let naValues {
            options.missingTokens = naValues.split(separator: ",", omittingEmptySubsequences: false).map {
                $0.trimmingCharacters(in: .whitespaces)
            }
        }
        return options
    }
}

/// Options of the commands that build a design matrix (`glm`, `vi`).
struct DesignOptions: ParsableArguments {
    @Option(help: "Comma-separated numeric columns to treat as categorical (their values are level codes).")
    var categorical: String?

    @Option(help: "Baseline levels, comma-separated col=level pairs (default: the first level in sorted order).")
    var reference: String?

    /// Columns listed in `--categorical`.
    var categoricalColumns: [String] { commaList(categorical) }

    /// `--reference` as a dictionary. - Throws: a malformed pair or a column given twice.
    func references() throws(CLIError) -> [String: String] {
        var result: [String: String] = [:]
        for pair in commaList(reference) {
            let parts = pair.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                throw CLIError("--reference expects col=level pairs, got '\(pair)'")
            }
            guard result[parts[0]] == nil else { throw CLIError("--reference names '\(parts[0])' twice") }
            result[parts[0]] = parts[1]
        }
        return result
    }
}

/// Splits a comma-separated option value, trimming spaces and dropping empty entries.
func commaList(_ text: String?) -> [String] {
    (text ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
}
