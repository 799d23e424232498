/// The partial result of a pass over rows: a sum over some rows that a pass adds row blocks to and that
/// merges with the partial result of other rows.
///
/// `merge` must be the sum of the two parts (deviances add, scores add, Gram matrices add); together with the
/// fixed `RowPartition` it is what makes a pass independent of how its blocks are scheduled.
package protocol RowAccumulator: Sendable {
    /// Sets this accumulator to the sum over no rows (0), keeping its storage.
    mutating func reset()
    /// self ← self + other.
    mutating func merge(_ other: Self)
}
