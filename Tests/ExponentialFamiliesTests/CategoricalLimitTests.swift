import Testing
import ExponentialFamilies

/// The documented bound on the number of categories: past it, a typed error before any allocation.
@Suite("Categorical size limit")
struct CategoricalLimitTests {
    @Test("K = 2^24 + 1 is outside the domain for the natural- and mean-parameter initializers")
    func limit() {
        let k = Categorical.maximumCategories + 1
        #expect(Categorical.maximumCategories == 16_777_216)
        let expected = ExponentialFamilyError.outsideDomain(parameter: "categories", value: Double(k),
                                                            requirement: "≤ 16777216 (2^24)")
        #expect(throws: expected) { try Categorical(categories: k, naturalParameters: []) }
        #expect(throws: expected) { try Categorical(categories: k, meanParameters: []) }
    }
}
