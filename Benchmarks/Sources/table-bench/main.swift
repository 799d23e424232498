import Foundation
import Tabular

// table-bench FILE [--columns K] [--repeat R]
// Reads the first K columns of FILE (all when K is omitted) R times with `Tabular`, reports the
// median seconds and MB/s of the file, and sums each column (so nothing is optimized away).
// One JSON line per run: {"file", "bytes", "columns", "seconds", "megabytesPerSecond", "rows"}.
// scripts/compare-csv drives it beside pandas.read_csv.

var arguments = Array(CommandLine.arguments.dropFirst())
@MainActor func option(_ name: String) -> String? {
    guard let k = arguments.firstIndex(of: name), k + 1 < arguments.count else { return nil }
    let value = arguments[k + 1]
    arguments.removeSubrange(k...(k + 1))
    return value
}
let columnCount = option("--columns").flatMap { Int($0) }
let repeats = option("--repeat").flatMap { Int($0) } ?? 3
guard let path = arguments.first else {
    FileHandle.standardError.write(Data("usage: table-bench FILE [--columns K] [--repeat R]\n".utf8))
    exit(2)
}
let bytes = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0

do {
    let header = try Table.read(.file(path), columns: .named([])).header
    let selection: ColumnSelection = columnCount.map { .named(Array(header.prefix($0))) } ?? .all
    var times: [Double] = []
    var rows = 0
    var checksum = 0.0
    for _ in 0..<repeats {
        let start = DispatchTime.now().uptimeNanoseconds
        let table = try Table.read(.file(path), columns: selection)
        for name in table.columnNames {
            if case let .numbers(v) = try table.column(name) { checksum += v.reduce(0, +) }
        }
        times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        rows = table.rowCount
    }
    let median = times.sorted()[times.count / 2]
    let used = columnCount.map { min($0, header.count) } ?? header.count
    print("{\"file\": \"\(path)\", \"bytes\": \(bytes), \"columns\": \(used), \"rows\": \(rows), "
        + "\"seconds\": \(median), \"megabytesPerSecond\": \(Double(bytes) / 1e6 / median), \"checksum\": \(checksum)}")
} catch {
    FileHandle.standardError.write(Data("table-bench: \(error)\n".utf8))
    exit(1)
}
