/// The file line of each data row, stored sparsely: one breakpoint wherever a row does not start on
/// the line after the previous row's start (blank lines skipped, quoted fields spanning lines).
struct RowLines: Sendable, Equatable {
    private var breakRows: [Int] = []
    private var breakLines: [Int] = []
    private var count = 0

    /// Records that data row `count` starts at `line`.
    mutating func append(line: Int) {
        if let lastRow = breakRows.last, let lastLine = breakLines.last, lastLine + (count - lastRow) == line {
            count += 1
            return
        }
        breakRows.append(count)
        breakLines.append(line)
        count += 1
    }

    /// The line on which data row `row` (0-based) starts.
    func line(ofRow row: Int) -> Int {
        var low = 0, high = breakRows.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if breakRows[mid] <= row { low = mid } else { high = mid - 1 }
        }
        guard !breakRows.isEmpty else { return row + 2 }
        return breakLines[low] + (row - breakRows[low])
    }
}
