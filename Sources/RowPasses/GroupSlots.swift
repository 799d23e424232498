/// One accumulator per group of a `RowPartition`, allocated once (a workspace reused by every pass).
///
/// Each slot is its own object, so workers of a `RowExecutor` update different slots at the same time
/// without sharing storage; a slot is only ever updated by the worker that owns its group during a pass,
/// and read after the pass has joined.
package final class GroupSlots<A: RowAccumulator>: @unchecked Sendable {
    private final class Slot {
        var value: A
        init(_ value: A) { self.value = value }
    }

    private let slots: [Slot]

    /// `count` slots, each made by `make` (an accumulator sized for the problem).
    package init(count: Int, make: () -> A) {
        slots = (0..<Swift.max(0, count)).map { _ in Slot(make()) }
    }

    /// The number of slots.
    package var count: Int { slots.count }

    /// The accumulator of group g.
    package subscript(g: Int) -> A { slots[g].value }

    /// Runs `body` on the accumulator of group g, read in place (no copy).
    @inline(__always)
    package func read<R>(_ g: Int, _ body: (A) -> R) -> R {
        body(slots[g].value)
    }

    /// Runs `body` on the accumulator of group g in place.
    @inline(__always)
    package func update<R>(_ g: Int, _ body: (inout A) -> R) -> R {
        body(&slots[g].value)
    }
}
