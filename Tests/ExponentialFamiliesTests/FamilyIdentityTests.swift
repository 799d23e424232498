import ExponentialFamilies
import Testing

/// One family at one point, for the parameterized identity test.
struct IdentityCase: Sendable, CustomTestStringConvertible {
    let name: String
    let run: @Sendable () throws -> Void
    var testDescription: String { name }

    init<F: ExponentialFamily>(_ name: String, seed: UInt64, tolerances: IdentityTolerances = IdentityTolerances(),
                               _ make: @Sendable @escaping () throws -> (F, F)) {
        self.name = name
        run = {
            let (p, q) = try make()
            try checkExponentialFamilyIdentities(p, other: q, seed: seed, tolerances: tolerances)
        }
    }
}

/// The points cover every sampler branch (Poisson inversion and PTRS, Binomial inversion and BTRS,
/// real and integer NegativeBinomial r) and skewed members (p near 0, K = 2 and K = 7).
let coreIdentityCases: [IdentityCase] = [
    IdentityCase("Bernoulli p=0.3", seed: 11) { (try Bernoulli(p: 0.3), try Bernoulli(p: 0.55)) },
    IdentityCase("Bernoulli p=0.02", seed: 12) { (try Bernoulli(p: 0.02), try Bernoulli(p: 0.05)) },
    IdentityCase("Binomial n=10", seed: 13) { (try Binomial(trials: 10, p: 0.63), try Binomial(trials: 10, p: 0.71)) },
    IdentityCase("Binomial n=20 inversion", seed: 14) { (try Binomial(trials: 20, p: 0.2), try Binomial(trials: 20, p: 0.25)) },
    IdentityCase("Binomial n=200 BTRS", seed: 15) { (try Binomial(trials: 200, p: 0.9), try Binomial(trials: 200, p: 0.8)) },
    IdentityCase("Categorical K=4", seed: 16) {
        (try Categorical(probabilities: [0.405202, 0.168041, 0.344016, 0.082741]),
         try Categorical(probabilities: [0.25, 0.25, 0.25, 0.25]))
    },
    IdentityCase("Categorical K=2", seed: 17) {
        (try Categorical(probabilities: [0.7, 0.3]), try Categorical(probabilities: [0.4, 0.6]))
    },
    IdentityCase("Categorical K=7", seed: 18) {
        (try Categorical(probabilities: [0.05, 0.1, 0.2, 0.3, 0.15, 0.12, 0.08]),
         try Categorical(probabilities: [0.2, 0.1, 0.1, 0.1, 0.1, 0.2, 0.2]))
    },
    IdentityCase("Poisson λ=3.5 inversion", seed: 19) { (try Poisson(rate: 3.5), try Poisson(rate: 4)) },
    IdentityCase("Poisson λ=17.5 PTRS", seed: 20) { (try Poisson(rate: 17.4684), try Poisson(rate: 0.724664)) },
    IdentityCase("Poisson λ=250 PTRS", seed: 21) { (try Poisson(rate: 250), try Poisson(rate: 260)) },
    IdentityCase("Geometric p=0.166", seed: 22) { (try Geometric(p: 0.165735), try Geometric(p: 0.602336)) },
    IdentityCase("Geometric p=0.6", seed: 23) { (try Geometric(p: 0.6), try Geometric(p: 0.5)) },
    IdentityCase("NegativeBinomial r=5", seed: 24) {
        (try NegativeBinomial(r: 5, p: 0.677744), try NegativeBinomial(r: 5, p: 0.573265))
    },
    IdentityCase("NegativeBinomial r=0.7", seed: 25) {
        (try NegativeBinomial(r: 0.7, p: 0.3), try NegativeBinomial(r: 0.7, p: 0.35))
    },
    IdentityCase("Exponential", seed: 26) { (try Exponential(rate: 0.268015), try Exponential(rate: 0.161186)) },
    IdentityCase("Exponential rate=40", seed: 27) { (try Exponential(rate: 40), try Exponential(rate: 41)) },
    IdentityCase("Normal", seed: 28) {
        (try Normal(mean: 3.60159, variance: 2.05891), try Normal(mean: 4.99409, variance: 0.448207))
    },
    IdentityCase("Normal negative mean", seed: 29) {
        (try Normal(mean: -0.5, variance: 0.25), try Normal(mean: -0.4, variance: 0.3))
    },
    IdentityCase("LogNormal narrow", seed: 30) {
        (try LogNormal(logMean: 0.0251943, logVariance: 0.0508921), try LogNormal(logMean: -0.481594, logVariance: 2.29974))
    },
    IdentityCase("LogNormal wide", seed: 31) {
        (try LogNormal(logMean: -0.481594, logVariance: 2.29974), try LogNormal(logMean: 0.2, logVariance: 1.5))
    },
    IdentityCase("InverseGaussian", seed: 32) {
        (try InverseGaussian(mean: 1.07154, shape: 1.87027), try InverseGaussian(mean: 2.12368, shape: 0.572052))
    },
    IdentityCase("InverseGaussian shape 20", seed: 33) {
        (try InverseGaussian(mean: 0.8, shape: 20), try InverseGaussian(mean: 0.9, shape: 15))
    },
]

@Suite("Identities of the closed-form families")
struct FamilyIdentityTests {
    @Test(arguments: coreIdentityCases)
    func identities(_ testCase: IdentityCase) throws {
        try testCase.run()
    }
}
