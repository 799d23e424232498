import ExponentialFamilies
import Testing

@Suite("Bernoulli")
struct BernoulliTests {
    @Test func identities() throws {
        try checkExponentialFamilyIdentities(try Bernoulli(p: 0.3), other: try Bernoulli(p: 0.55), seed: 1)
    }
}
