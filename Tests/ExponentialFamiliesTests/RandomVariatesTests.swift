import Testing
@testable import ExponentialFamilies

/// The public samplers: the same draws as the generators the families use, and typed errors (never a
/// trap) for parameters outside the law's domain.
@Suite("RandomVariates")
struct RandomVariatesTests {
    @Test("each public sampler draws what the families' generator draws from the same seed")
    func sameDraws() throws {
        var a = Xoshiro256(seed: 11), b = Xoshiro256(seed: 11)
        for _ in 0..<200 {
            #expect(RandomVariates.standardNormal(using: &a) == standardNormal(using: &b))
            #expect(try RandomVariates.gamma(shape: 0.3, using: &a) == standardGamma(shape: 0.3, using: &b))
            #expect(try RandomVariates.poisson(rate: 37, using: &a) == poissonVariate(rate: 37, using: &b))
            #expect(try RandomVariates.binomial(trials: 40, p: 0.3, using: &a) == binomialVariate(trials: 40, p: 0.3, using: &b))
            #expect(try RandomVariates.geometric(p: 0.2, using: &a) == geometricVariate(p: 0.2, using: &b))
            #expect(try RandomVariates.negativeBinomial(r: 2.5, p: 0.4, using: &a)
                        == negativeBinomialVariate(r: 2.5, p: 0.4, using: &b))
            #expect(try RandomVariates.categorical(probabilities: [1, 2, 3], using: &a)
                        == categoricalVariate(probabilities: [1, 2, 3], using: &b))
        }
    }

    @Test("parameters outside the domain throw")
    func domainErrors() {
        var g = Xoshiro256(seed: 1)
        #expect(throws: ExponentialFamilyError.nonFinite(parameter: "shape")) { try RandomVariates.gamma(shape: .nan, using: &g) }
        #expect(throws: ExponentialFamilyError.outsideDomain(parameter: "rate", value: -1, requirement: "≥ 0")) {
            try RandomVariates.poisson(rate: -1, using: &g)
        }
        #expect(throws: ExponentialFamilyError.nonFinite(parameter: "rate")) { try RandomVariates.poisson(rate: .infinity, using: &g) }
        #expect(throws: ExponentialFamilyError.outsideDomain(parameter: "p", value: 1.5, requirement: "in [0, 1]")) {
            try RandomVariates.binomial(trials: 3, p: 1.5, using: &g)
        }
        #expect(throws: ExponentialFamilyError.outsideDomain(parameter: "trials", value: -2, requirement: "≥ 0")) {
            try RandomVariates.binomial(trials: -2, p: 0.5, using: &g)
        }
        #expect(throws: ExponentialFamilyError.outsideDomain(parameter: "p", value: 0, requirement: "in (0, 1]")) {
            try RandomVariates.geometric(p: 0, using: &g)
        }
        #expect(throws: ExponentialFamilyError.outsideDomain(parameter: "r", value: 0, requirement: "> 0")) {
            try RandomVariates.negativeBinomial(r: 0, p: 0.5, using: &g)
        }
        #expect(throws: ExponentialFamilyError.wrongDimension(parameter: "probabilities", expected: 1, actual: 0)) {
            try RandomVariates.categorical(probabilities: [], using: &g)
        }
        #expect(throws: ExponentialFamilyError.outsideDomain(parameter: "probabilities[1]", value: -1, requirement: "≥ 0")) {
            try RandomVariates.categorical(probabilities: [1, -1], using: &g)
        }
        #expect(throws: ExponentialFamilyError.outsideDomain(parameter: "sum of probabilities", value: 0,
                                                             requirement: "> 0 and finite")) {
            try RandomVariates.categorical(probabilities: [0, 0], using: &g)
        }
    }
}

/// Poisson counts given as `Double`.
@Suite("Poisson from Double counts")
struct PoissonDoubleCountTests {
    @Test("whole Double counts give the Int counts' fit; a fractional, negative or NaN count names its 1-based row")
    func doubleCounts() throws {
        let fit = try Poisson.maximumLikelihood(counts: [0, 3, 4, 1])
        #expect(fit.rate == 2)
        for (bad, row) in [([1, 2.5, 3], 2), ([-1.0], 1), ([0, 0, .nan], 3)] as [([Double], Int)] {
            do {
                _ = try Poisson.maximumLikelihood(counts: bad)
                Issue.record("\(bad) accepted")
            } catch {
                #expect(error.description.hasPrefix("observation \(row):"), "\(error)")
            }
        }
    }
}
