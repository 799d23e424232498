import Foundation
import Testing
import TestSupport
@testable import GeneralizedLinearModels

@Suite("Repeated-value cache")
struct RepeatedValueCacheTests {
    @Test("returns exactly f(x) for every x, a full table included; f runs once per distinct value that fits")
    func exactAndCached() {
        var g = SeededGenerator(seed: 77)
        // 500 distinct values (many more than the 64 slots, so slots collide and are overwritten), each
        // met several times, plus ±0, which differ in bits.
        let distinct = (0..<500).map { _ in g.nextGaussian() } + [0.0, -0.0]
        var cache = RepeatedValueCache()
        for _ in 0..<5 {
            for x in distinct.shuffled(using: &g) {
                let value = cache.value(x) { Foundation.log(abs($0) + 1) + ($0.sign == .minus ? 1 : 0) }
                #expect(value == Foundation.log(abs(x) + 1) + (x.sign == .minus ? 1 : 0))
            }
        }
        // What the fits meet: counts 0 … 12 (Poisson responses, y log y), the binomial starting means ¼, ¾ and
        // the Poisson ones (y + ȳ)/2, interleaved 1000 times: f must run once per value, not per observation
        // (a hash of the low mantissa bits sends all of these to one slot; a direct-mapped table thrashes on
        // the first collision).
        let counts: [Double] = (0...12).map { Double($0) }
        let startingMeans: [Double] = counts.map { ($0 + 2.37) / 2 }
        let sequences: [[Double]] = [counts, [0.25, 0.75], startingMeans]
        for values in sequences {
            var calls = 0
            var counting = RepeatedValueCache()
            for i in 0..<(1000 * values.count) { _ = counting.value(values[i % values.count]) { calls += 1; return $0 } }
            #expect(calls == values.count, "\(calls) evaluations for \(values.count) distinct values")
        }
    }
}
