import Testing
import RowPasses

/// The row-pass layer: partitions, the serial and threaded executors.
@Suite("Row partitions and executors")
struct RowExecutorTests {
    /// A sum over rows as an accumulator (the count of rows seen, and Σ i).
    struct RowSum: RowAccumulator, Sendable {
        var count = 0
        var total = 0.0
        mutating func reset() { count = 0; total = 0 }
        mutating func merge(_ other: RowSum) { count += other.count; total += other.total }
    }

    @Test("a partition covers 0 ..< n once, in order, in blocks of the given size",
          arguments: [(0, 7, 3), (1, 7, 3), (100, 7, 3), (100, 10, 1), (1000, 64, 16)])
    func partitionCovers(n: Int, blockRows: Int, blocksPerGroup: Int) {
        let partition = RowPartition(rows: n, blockRows: blockRows, blocksPerGroup: blocksPerGroup)
        #expect(partition.blockCount == (n + blockRows - 1) / blockRows)
        var next = 0
        for g in 0..<partition.groupCount {
            let blocks = partition.blocks(ofGroup: g)
            #expect(blocks.count <= blocksPerGroup && !blocks.isEmpty)
            for b in blocks {
                let rows = partition.block(b)
                #expect(rows.lowerBound == next)
                #expect(rows.count == blockRows || rows.upperBound == n)
                next = rows.upperBound
            }
        }
        #expect(next == n)
    }

    @Test("the serial executor sums every row once, group sums merged in order (closed form Σi = n(n − 1)/2)")
    func executorSums() {
        let n = 1003
        let partition = RowPartition(rows: n, blockRows: 10, blocksPerGroup: 4)
        var total = RowSum(), scratch = RowSum()
        let finished = SerialRowExecutor.run(partition, total: &total, scratch: &scratch) { rows, sum in
            for i in rows { sum.count += 1; sum.total += Double(i) }
            return true
        }
        #expect(finished)
        #expect(total.count == n)
        #expect(total.total == Double(n * (n - 1) / 2))
        // A pass that stops early reports it.
        let stopped = SerialRowExecutor.run(partition, total: &total, scratch: &scratch) { rows, _ in
            rows.lowerBound < 500
        }
        #expect(!stopped)
    }

    /// An order-sensitive floating-point sum (terms of mixed magnitude), so that a different tree of sums
    /// would change the last bits.
    struct MixedSum: RowAccumulator {
        var total = 0.0
        var squares = 0.0
        mutating func reset() { total = 0; squares = 0 }
        mutating func merge(_ other: MixedSum) { total += other.total; squares += other.squares }
    }

    static func term(_ i: Int) -> Double {
        let x = Double((i &* 2_654_435_761) % 1_000_003) / 1_000_003
        return (i % 3 == 0 ? 1e8 : 1e-3) * (x - 0.5)
    }

    @Test("1, 2 and 7 threads give the serial executor's sums bit for bit; a tree of sums differs from a plain loop")
    func threadCountIndependent() {
        let n = 200_003
        let partition = RowPartition(rows: n, blockRows: 97, blocksPerGroup: 16)
        let slots = GroupSlots(count: partition.groupCount) { MixedSum() }
        var serial = MixedSum(), scratch = MixedSum()
        _ = SerialRowExecutor.run(partition, total: &serial, scratch: &scratch) { rows, sum in
            for i in rows { let t = Self.term(i); sum.total += t; sum.squares += t * t }
            return true
        }
        for threads in [1, 2, 7] {
            var total = MixedSum()
            let finished = RowExecutor(threads: threads).run(partition, total: &total, slots: slots) { rows, sum in
                for i in rows { let t = Self.term(i); sum.total += t; sum.squares += t * t }
                return true
            }
            #expect(finished)
            #expect(total.total.bitPattern == serial.total.bitPattern, "threads \(threads)")
            #expect(total.squares.bitPattern == serial.squares.bitPattern, "threads \(threads)")
        }
        // The test can fail: the same terms summed in one loop round differently.
        var plain = 0.0
        for i in 0..<n { plain += Self.term(i) }
        #expect(plain.bitPattern != serial.total.bitPattern)
    }

    @Test("a threaded pass that stops early in one block reports it", arguments: [1, 2, 7])
    func threadedStop(threads: Int) {
        let partition = RowPartition(rows: 10_000, blockRows: 10, blocksPerGroup: 4)
        let slots = GroupSlots(count: partition.groupCount) { MixedSum() }
        var total = MixedSum()
        let finished = RowExecutor(threads: threads).run(partition, total: &total, slots: slots) { rows, _ in
            !rows.contains(7_777)
        }
        #expect(!finished)
    }
}

/// The executor's worker index: below `workers(partition)`, and the sums the same for every thread count.
@Suite("Row executor workers")
struct RowExecutorWorkerTests {
    struct Sum: RowAccumulator {
        var total = 0.0
        var maximumWorker = 0
        mutating func reset() { total = 0; maximumWorker = 0 }
        mutating func merge(_ other: Sum) { total += other.total; maximumWorker = Swift.max(maximumWorker, other.maximumWorker) }
    }

    @Test("worker indices stay below workers(partition); totals are bit-identical", arguments: [1, 2, 7])
    func workerIndices(threads: Int) {
        let partition = RowPartition(rows: 5_000, blockRows: 37, blocksPerGroup: 4)
        let executor = RowExecutor(threads: threads)
        let slots = GroupSlots(count: partition.groupCount) { Sum() }
        var total = Sum()
        let finished = executor.run(partition, total: &total, slots: slots) { rows, sum, worker in
            for i in rows { sum.total += 1 / Double(i + 1) }
            sum.maximumWorker = Swift.max(sum.maximumWorker, worker)
            return true
        }
        #expect(finished)
        #expect(total.maximumWorker < executor.workers(partition))
        var serial = Sum(), scratch = Sum()
        _ = SerialRowExecutor.run(partition, total: &serial, scratch: &scratch) { rows, sum in
            for i in rows { sum.total += 1 / Double(i + 1) }
            return true
        }
        #expect(total.total == serial.total)
    }
}
