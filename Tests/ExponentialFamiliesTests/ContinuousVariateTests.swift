import Testing
@testable import ExponentialFamilies

/// A generator that returns one fixed 64-bit word: drives the uniform map to its extremes.
private struct ConstantGenerator: RandomNumberGenerator {
    var word: UInt64
    mutating func next() -> UInt64 { word }
}

@Suite("Continuous variates")
struct ContinuousVariateTests {
    // The open-interval contract at the extreme words. With 53 bits, (2⁵³ − 1) + ½ is not a double and
    // rounded to 2⁵³, so the all-ones word gave exactly 1 (and Exponential.sample then returned −0,
    // outside its support). Exact comparisons: every value here is a dyadic rational that is a double.
    @Test("openUnitUniform stays strictly inside (0, 1) and is symmetric at the ends")
    func uniformEndpoints() throws {
        var top = ConstantGenerator(word: .max)
        var bottom = ConstantGenerator(word: 0)
        let high = openUnitUniform(using: &top)
        let low = openUnitUniform(using: &bottom)
        #expect(high < 1 && low > 0)
        #expect(high == 1 - 0x1p-53 && low == 0x1p-53)
        #expect(1 - high == low)
        var exponentialDraws = ConstantGenerator(word: .max)
        let x = try Exponential(rate: 2).sample(using: &exponentialDraws)
        #expect(x > 0)
    }
}
