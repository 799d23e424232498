/// A fixed partition of the rows 0 ..< n into consecutive blocks of `blockRows` rows (the last one
/// shorter), and of the blocks into consecutive groups of `blocksPerGroup` blocks.
///
/// The partition is a function of n and of the fit's plan only (GeneralizedLinearModels'
/// `FisherScoringPlan`), never of a thread or rank count: a pass sums over the rows of a block in row order, over the blocks of a group in block order,
/// and over the groups in group order (`RowExecutor`), so any executor that keeps that tree — one
/// thread, several, or one process per group — computes the same floating-point sums.
package struct RowPartition: Sendable, Equatable {
    /// The number of rows n.
    package let rows: Int
    /// Rows per block (≥ 1).
    package let blockRows: Int
    /// Blocks per group (≥ 1).
    package let blocksPerGroup: Int

    package init(rows: Int, blockRows: Int, blocksPerGroup: Int) {
        precondition(rows >= 0 && blockRows >= 1 && blocksPerGroup >= 1,
                     "RowPartition needs n ≥ 0, blockRows ≥ 1, blocksPerGroup ≥ 1")
        self.rows = rows
        self.blockRows = blockRows
        self.blocksPerGroup = blocksPerGroup
    }

    /// ⌈n / blockRows⌉.
    package var blockCount: Int { (rows + blockRows - 1) / blockRows }

    /// ⌈blockCount / blocksPerGroup⌉.
    package var groupCount: Int { (blockCount + blocksPerGroup - 1) / blocksPerGroup }

    /// The rows of block b: b·blockRows ..< min(n, (b + 1)·blockRows).
    package func block(_ b: Int) -> Range<Int> {
        let start = b * blockRows
        return start..<Swift.min(rows, start + blockRows)
    }

    /// The blocks of group g.
    package func blocks(ofGroup g: Int) -> Range<Int> {
        let start = g * blocksPerGroup
        return start..<Swift.min(blockCount, start + blocksPerGroup)
    }
}
