import NatGrad
import Tabular

/// The rows of an `.ngb` file as a GLM's `RowBlockSource`: each `read` is one pread per column and row
/// group into the block's own buffers (no other copy), so a fit holds one block of the file.
///
/// Missing values (NaN; the columns must be float64) in the columns the model uses follow `missing`:
/// `.error` throws at the first one, naming its row and column (the file is not scanned ahead to count
/// them); `.drop` leaves the row out of the block (`rowNumbers` keep the file's rows, and
/// `droppedRows` counts them over the last complete pass).
struct NGBRowBlockSource: RowBlockSource {
    /// A read error: the file's, or a missing value under `--missing error`.
    enum ReadError: Error, CustomStringConvertible {
        case file(NGBError)
        case missingValue(row: Int, column: String)

        var description: String {
            switch self {
            case let .file(error): return error.description
            case let .missingValue(row, column):
                return "row \(row + 2), column '\(column)': missing value; drop incomplete rows with --missing drop"
            }
        }
    }

    let reader: NGBReader
    let featureNames: [String]
    let columns: RowBlockColumns
    let missing: MissingPolicy
    private let featureColumns: [Int]
    private let responseColumn: Int
    /// (column index in the file, which vector) of the optional vectors.
    private let extras: [(Int, RowBlockColumns, String)]
    private let responseName: String

    var rowCount: Int { reader.rowCount }
    var blockRows: Int { Swift.min(reader.layout.rowsPerGroup, Swift.max(1, reader.rowCount)) }

    /// - Throws: a message for a column the file lacks or that is categorical (the streaming fit takes
    ///   numeric columns only; `--in-memory` expands categorical ones).
    init(reader: NGBReader, features: [String], response: String, weights: String?, trials: String?, offset: String?,
         exposure: String?, missing: MissingPolicy) throws(CLIError) {
        self.reader = reader
        self.missing = missing
        func index(_ name: String) throws(CLIError) -> Int {
            guard let j = reader.columnIndex(name) else {
                throw CLIError(TableError.unknownColumn(source: reader.path, name: name, available: reader.columns.map(\.name)).description)
            }
            guard case .float64 = reader.columns[j].kind else {
                throw CLIError("\(reader.path): column '\(name)' is categorical; the streaming fit of an .ngb file takes numeric "
                    + "columns only (fit with --in-memory, which loads the file and treatment-codes it)")
            }
            return j
        }
        featureNames = features
        var featureColumns: [Int] = []
        for name in features { featureColumns.append(try index(name)) }
        self.featureColumns = featureColumns
        responseColumn = try index(response)
        responseName = response
        var extras: [(Int, RowBlockColumns, String)] = []
        var columns: RowBlockColumns = []
        for (name, kind) in [(weights, RowBlockColumns.weights), (trials, .trials), (offset, .offset), (exposure, .exposure)] {
            guard let name else { continue }
            extras.append((try index(name), kind, name))
            columns.insert(kind)
        }
        self.extras = extras
        self.columns = columns
    }

    /// The response and the optional vectors only, when no row can be dropped (`--missing error`: a
    /// missing feature is then an error of the full read); with `--missing drop` the features decide which
    /// rows are kept, so it declines.
    mutating func readResponses(rows: Range<Int>, into block: inout RowBlock) throws(ReadError) -> Bool {
        guard missing == .error else { return false }
        do {
            try reader.readNumbers(column: responseColumn, rows: rows, into: &block.response)
            try readExtras(rows, into: &block)
        } catch {
            throw .file(error)
        }
        for t in 0..<rows.count {
            if block.response[t].isNaN { throw .missingValue(row: rows.lowerBound + t, column: responseName) }
            for (_, kind, name) in extras where value(kind, block, t).isNaN {
                throw .missingValue(row: rows.lowerBound + t, column: name)
            }
            block.rowNumbers[t] = rows.lowerBound + t
        }
        block.count = rows.count
        return true
    }

    private func value(_ kind: RowBlockColumns, _ block: RowBlock, _ t: Int) -> Double {
        switch kind {
        case .weights: return block.weights[t]
        case .trials: return block.trials[t]
        case .offset: return block.offset[t]
        default: return block.exposure[t]
        }
    }

    private func readExtras(_ rows: Range<Int>, into block: inout RowBlock) throws(NGBError) {
        for (column, kind, _) in extras {
            switch kind {
            case .weights: try reader.readNumbers(column: column, rows: rows, into: &block.weights)
            case .trials: try reader.readNumbers(column: column, rows: rows, into: &block.trials)
            case .offset: try reader.readNumbers(column: column, rows: rows, into: &block.offset)
            default: try reader.readNumbers(column: column, rows: rows, into: &block.exposure)
            }
        }
    }

    mutating func read(rows: Range<Int>, into block: inout RowBlock) throws(ReadError) {
        let m = rows.count
        let capacity = block.capacity
        // Missing values: NaN in any used column, each column scanned right after its read (while it is in
        // cache); rows are moved only when one is found.
        func hasNaN(_ values: [Double], from start: Int) -> Bool {
            values.withUnsafeBufferPointer { v in
                // 8 lanes at a time: x·0 is NaN exactly for NaN and ±∞, and NaN sticks in the sum; a hit is
                // confirmed by the exact test (an infinity is not missing).
                let base = UnsafeRawPointer(v.baseAddress! + start)
                var sum = SIMD8<Double>(repeating: 0)
                var t = 0
                while t + 8 <= m {
                    sum += base.loadUnaligned(fromByteOffset: t * 8, as: SIMD8<Double>.self) * 0
                    t += 8
                }
                var flagged = sum.sum().isNaN
                while t < m { if v[start + t].isNaN || v[start + t].isInfinite { flagged = true }; t += 1 }
                guard flagged else { return false }
                for t in start..<(start + m) where v[t].isNaN { return true }
                return false
            }
        }
        var anyMissing = false
        do {
            for (j, column) in featureColumns.enumerated() {
                try reader.readNumbers(column: column, rows: rows, into: &block.features.elements, at: j * capacity)
                if !anyMissing { anyMissing = hasNaN(block.features.elements, from: j * capacity) }
            }
            try reader.readNumbers(column: responseColumn, rows: rows, into: &block.response)
            try readExtras(rows, into: &block)
        } catch {
            throw .file(error)
        }
        if !anyMissing { anyMissing = hasNaN(block.response, from: 0) }
        for (_, kind, _) in extras where !anyMissing {
            switch kind {
            case .weights: anyMissing = hasNaN(block.weights, from: 0)
            case .trials: anyMissing = hasNaN(block.trials, from: 0)
            case .offset: anyMissing = hasNaN(block.offset, from: 0)
            default: anyMissing = hasNaN(block.exposure, from: 0)
            }
        }
        if !anyMissing {
            for t in 0..<m { block.rowNumbers[t] = rows.lowerBound + t }
            block.count = m
            return
        }
        var kept = 0
        for t in 0..<m {
            var missingColumn: String?
            if block.response[t].isNaN { missingColumn = responseName }
            if missingColumn == nil {
                for (j, name) in featureNames.enumerated() where block.features.elements[j * capacity + t].isNaN {
                    missingColumn = name
                    break
                }
            }
            if missingColumn == nil {
                for (_, kind, name) in extras {
                    let v: Double
                    switch kind {
                    case .weights: v = block.weights[t]
                    case .trials: v = block.trials[t]
                    case .offset: v = block.offset[t]
                    default: v = block.exposure[t]
                    }
                    if v.isNaN { missingColumn = name; break }
                }
            }
            if let missingColumn {
                if missing == .error { throw .missingValue(row: rows.lowerBound + t, column: missingColumn) }
                continue
            }
            if kept != t {
                for j in 0..<featureNames.count { block.features.elements[j * capacity + kept] = block.features.elements[j * capacity + t] }
                block.response[kept] = block.response[t]
                if !block.weights.isEmpty { block.weights[kept] = block.weights[t] }
                if !block.trials.isEmpty { block.trials[kept] = block.trials[t] }
                if !block.offset.isEmpty { block.offset[kept] = block.offset[t] }
                if !block.exposure.isEmpty { block.exposure[kept] = block.exposure[t] }
            }
            block.rowNumbers[kept] = rows.lowerBound + t
            kept += 1
        }
        block.count = kept
    }
}
