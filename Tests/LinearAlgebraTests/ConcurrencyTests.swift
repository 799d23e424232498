import Testing
import LinearAlgebra
import TestSupport

@Suite("Concurrency")
struct ConcurrencyTests {
    /// One unit of work: factor a seeded SPD matrix (n varies with the seed), solve two right-hand
    /// sides in place, and return every output bit (solution, log det, inverse diagonal).
    static func work(_ seed: UInt64) throws -> [UInt64] {
        var g = SeededGenerator(seed: seed)
        let n = 1 + Int(seed % 97)
        let a = randomSPD(n, using: &g)
        var c = try Cholesky(a, conditionEstimate: true)
        var b = randomGaussianMatrix(n, 2, using: &g)
        try c.solve(&b)
        try c.refactor(a, damping: 0.5)
        var v = randomGaussianVector(n, using: &g)
        try c.solve(&v)
        let inverseDiagonal = try c.inverse().diagonalElements
        let values = b.elements + v + inverseDiagonal + [c.logDeterminant, c.reciprocalConditionNumber ?? 0]
        return values.map(\.bitPattern)
    }

    @Test("many factor/solve calls from concurrent tasks are bit-identical to a serial run")
    func concurrentMatchesSerial() async throws {
        let seeds = (0..<256).map { UInt64($0) &* 0x9E37_79B9 }
        let serial = try seeds.map(Self.work)
        let concurrent = try await withThrowingTaskGroup(of: (Int, [UInt64]).self) { group in
            for (k, seed) in seeds.enumerated() {
                group.addTask { (k, try Self.work(seed)) }
            }
            var results = [[UInt64]](repeating: [], count: seeds.count)
            for try await (k, bits) in group { results[k] = bits }
            return results
        }
        // On a mismatch, report how large it is (rounding from a different kernel path, or a wrong result)
        // rather than dumping every bit pattern.
        var mismatched = 0, worst = 0.0
        for k in seeds.indices where concurrent[k] != serial[k] {
            mismatched += 1
            for (c, s) in zip(concurrent[k], serial[k]) {
                let x = Double(bitPattern: c), y = Double(bitPattern: s)
                worst = Swift.max(worst, Swift.abs(x - y) / Swift.max(Swift.abs(y), 1e-300))
            }
        }
        #expect(mismatched == 0, "\(mismatched) of \(seeds.count) tasks differ from the serial run; largest relative difference \(worst) (OpenBLAS threads: \(BLASThreading.threadCount))")
    }
}
