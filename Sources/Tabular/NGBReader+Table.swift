extension NGBReader {
    /// Loads columns whole as a `Table` (for the in-memory and threaded paths): float64 columns as
    /// `.numbers` (NaN = missing), categorical columns as `.text` with the file's codes and levels, so a
    /// CSV converted by `NGBConversion` loads as the very table `Table.read` gives for the CSV. Rows in
    /// messages are numbered as the CSV's lines would be without blank lines: data row i is row i + 2.
    /// - Parameter selection: `.all` (every column) or the named columns, in that order.
    /// - Throws: `TableError.binaryFile` for an `NGBError` (unreadable or corrupt file);
    ///   `unknownColumn`; `noDataRows` (n = 0); `notFinite` for an infinite value in a float64 column.
    public func table(columns selection: ColumnSelection = .all) throws(TableError) -> Table {
        let names = layout.columns.map(\.name)
        let wanted: [String]
        switch selection {
        case .all: wanted = names
        case let .named(list):
            var unique: [String] = []
            for c in list where !unique.contains(c) {
                guard names.contains(c) else { throw .unknownColumn(source: path, name: c, available: names) }
                unique.append(c)
            }
            wanted = unique
        }
        let n = layout.rowCount
        if n == 0 { throw .noDataRows(source: path) }
        var columns: [String: TableColumn] = [:]
        for name in wanted {
            let j = columnIndex(name)!
            switch layout.columns[j].kind {
            case .float64:
                var values = [Double](repeating: 0, count: n)
                do { try readNumbers(column: j, rows: 0..<n, into: &values) } catch { throw .binaryFile(error) }
                if let i = values.firstIndex(where: { $0.isInfinite }) {
                    throw .notFinite(source: path, row: i + 2, column: name, text: values[i] > 0 ? "inf" : "-inf")
                }
                columns[name] = .numbers(values)
            case let .categorical(levels):
                var codes = [Int32](repeating: 0, count: n)
                do { try readCodes(column: j, rows: 0..<n, into: &codes) } catch { throw .binaryFile(error) }
                columns[name] = .text(codes: codes, values: levels)
            }
        }
        return Table(source: path, header: names, rowLabelColumns: [], columnNames: wanted, columns: columns,
                     rowCount: n, lines: RowLines())
    }
}
