import ExponentialFamilies
import Testing

/// One bad input and the exact error it must produce.
struct DomainCase: Sendable, CustomTestStringConvertible {
    let name: String
    let expected: ExponentialFamilyError
    let attempt: @Sendable () throws -> Void
    var testDescription: String { name }
    init(_ name: String, _ expected: ExponentialFamilyError, _ attempt: @escaping @Sendable () throws -> Void) {
        self.name = name
        self.expected = expected
        self.attempt = attempt
    }
}

private let openUnit = "in (0, 1)"

let usualParameterCases: [DomainCase] = [
    DomainCase("Bernoulli p = 0", .outsideDomain(parameter: "p", value: 0, requirement: openUnit)) { _ = try Bernoulli(p: 0) },
    DomainCase("Bernoulli p = 1", .outsideDomain(parameter: "p", value: 1, requirement: openUnit)) { _ = try Bernoulli(p: 1) },
    DomainCase("Bernoulli p = 1.5", .outsideDomain(parameter: "p", value: 1.5, requirement: openUnit)) { _ = try Bernoulli(p: 1.5) },
    DomainCase("Bernoulli p = NaN", .nonFinite(parameter: "p")) { _ = try Bernoulli(p: .nan) },
    DomainCase("Binomial trials = 0", .outsideDomain(parameter: "trials", value: 0, requirement: "≥ 1")) { _ = try Binomial(trials: 0, p: 0.5) },
    DomainCase("Binomial p = −0.1", .outsideDomain(parameter: "p", value: -0.1, requirement: openUnit)) { _ = try Binomial(trials: 3, p: -0.1) },
    DomainCase("Categorical zero probability", .outsideDomain(parameter: "probabilities[1]", value: 0, requirement: "> 0")) {
        _ = try Categorical(probabilities: [0.5, 0, 0.5])
    },
    DomainCase("Categorical sum ≠ 1", .outsideDomain(parameter: "sum of probabilities", value: 0.9, requirement: "= 1 within 1e-9")) {
        _ = try Categorical(probabilities: [0.5, 0.4])
    },
    DomainCase("Categorical one class", .wrongDimension(parameter: "probabilities", expected: 2, actual: 1)) {
        _ = try Categorical(probabilities: [1])
    },
    DomainCase("Categorical ∞", .nonFinite(parameter: "probabilities[0]")) { _ = try Categorical(probabilities: [.infinity, 0.5]) },
    DomainCase("Categorical K = 1", .outsideDomain(parameter: "categories", value: 1, requirement: "≥ 2")) {
        _ = try Categorical(categories: 1, naturalParameters: [])
    },
    DomainCase("Poisson rate = 0", .outsideDomain(parameter: "rate", value: 0, requirement: "> 0")) { _ = try Poisson(rate: 0) },
    DomainCase("Poisson rate = ∞", .nonFinite(parameter: "rate")) { _ = try Poisson(rate: .infinity) },
    DomainCase("Geometric p = 1", .outsideDomain(parameter: "p", value: 1, requirement: openUnit)) { _ = try Geometric(p: 1) },
    DomainCase("NegativeBinomial r = 0", .outsideDomain(parameter: "r", value: 0, requirement: "> 0")) { _ = try NegativeBinomial(r: 0, p: 0.5) },
    DomainCase("NegativeBinomial p = 0", .outsideDomain(parameter: "p", value: 0, requirement: openUnit)) { _ = try NegativeBinomial(r: 2, p: 0) },
    DomainCase("Exponential rate = −1", .outsideDomain(parameter: "rate", value: -1, requirement: "> 0")) { _ = try Exponential(rate: -1) },
    DomainCase("Normal variance = 0", .outsideDomain(parameter: "variance", value: 0, requirement: "> 0")) { _ = try Normal(mean: 0, variance: 0) },
    DomainCase("Normal variance = −2", .outsideDomain(parameter: "variance", value: -2, requirement: "> 0")) { _ = try Normal(mean: 0, variance: -2) },
    DomainCase("Normal variance = NaN", .nonFinite(parameter: "variance")) { _ = try Normal(mean: 0, variance: .nan) },
    DomainCase("Normal mean = −∞", .nonFinite(parameter: "mean")) { _ = try Normal(mean: -.infinity, variance: 1) },
    DomainCase("LogNormal logVariance = 0", .outsideDomain(parameter: "logVariance", value: 0, requirement: "> 0")) {
        _ = try LogNormal(logMean: 0, logVariance: 0)
    },
    DomainCase("InverseGaussian shape = 0", .outsideDomain(parameter: "shape", value: 0, requirement: "> 0")) {
        _ = try InverseGaussian(mean: 1, shape: 0)
    },
    DomainCase("InverseGaussian mean = NaN", .nonFinite(parameter: "mean")) { _ = try InverseGaussian(mean: .nan, shape: 1) },
]

let naturalParameterCases: [DomainCase] = [
    DomainCase("Bernoulli θ = NaN", .nonFinite(parameter: "theta")) { _ = try Bernoulli(naturalParameters: [.nan]) },
    DomainCase("Bernoulli θ wrong length", .wrongDimension(parameter: "theta", expected: 1, actual: 2)) {
        _ = try Bernoulli(naturalParameters: [0, 1])
    },
    DomainCase("Categorical θ wrong length", .wrongDimension(parameter: "theta", expected: 3, actual: 4)) {
        _ = try Categorical(categories: 4, naturalParameters: [0, 0, 0, 0])
    },
    DomainCase("Poisson θ overflows", .outsideDomain(parameter: "theta", value: 710, requirement: "such that exp(theta) is a positive finite double")) {
        _ = try Poisson(naturalParameters: [710])
    },
    DomainCase("Geometric θ = 0", .outsideDomain(parameter: "theta", value: 0, requirement: "< 0")) { _ = try Geometric(naturalParameters: [0]) },
    DomainCase("NegativeBinomial θ = 0.5", .outsideDomain(parameter: "theta", value: 0.5, requirement: "< 0")) {
        _ = try NegativeBinomial(r: 3, naturalParameters: [0.5])
    },
    DomainCase("Exponential θ = 0", .outsideDomain(parameter: "theta", value: 0, requirement: "< 0")) { _ = try Exponential(naturalParameters: [0]) },
    DomainCase("Normal θ₂ = 0", .outsideDomain(parameter: "theta[1]", value: 0, requirement: "< 0")) { _ = try Normal(naturalParameters: [1, 0]) },
    DomainCase("Normal θ₁ = ∞", .nonFinite(parameter: "theta[0]")) { _ = try Normal(naturalParameters: [.infinity, -1]) },
    DomainCase("LogNormal θ₂ = 3", .outsideDomain(parameter: "theta[1]", value: 3, requirement: "< 0")) { _ = try LogNormal(naturalParameters: [1, 3]) },
    DomainCase("InverseGaussian θ₁ = 0", .outsideDomain(parameter: "theta[0]", value: 0, requirement: "< 0")) {
        _ = try InverseGaussian(naturalParameters: [0, -1])
    },
]

let meanParameterCases: [DomainCase] = [
    DomainCase("Bernoulli μ = 0", .outsideDomain(parameter: "mu", value: 0, requirement: openUnit)) { _ = try Bernoulli(meanParameters: [0]) },
    DomainCase("Binomial μ = n", .outsideDomain(parameter: "mu", value: 10, requirement: "in (0, 10)")) {
        _ = try Binomial(trials: 10, meanParameters: [10])
    },
    DomainCase("Categorical Σμ = 1", .outsideDomain(parameter: "1 - sum(mu)", value: 0, requirement: "> 0")) {
        _ = try Categorical(categories: 3, meanParameters: [0.5, 0.5])
    },
    DomainCase("Categorical μ₁ = 0", .outsideDomain(parameter: "mu[1]", value: 0, requirement: "> 0")) {
        _ = try Categorical(categories: 3, meanParameters: [0.5, 0])
    },
    DomainCase("Poisson μ = 0", .outsideDomain(parameter: "mu", value: 0, requirement: "> 0")) { _ = try Poisson(meanParameters: [0]) },
    DomainCase("Geometric μ = −1", .outsideDomain(parameter: "mu", value: -1, requirement: "> 0")) { _ = try Geometric(meanParameters: [-1]) },
    DomainCase("NegativeBinomial μ = NaN", .nonFinite(parameter: "mu")) { _ = try NegativeBinomial(r: 2, meanParameters: [.nan]) },
    DomainCase("Exponential μ = 0", .outsideDomain(parameter: "mu", value: 0, requirement: "> 0")) { _ = try Exponential(meanParameters: [0]) },
    DomainCase("Normal μ₂ = μ₁²", .outsideDomain(parameter: "mu[1] - mu[0]^2", value: 0, requirement: "> 0 (a positive variance)")) {
        _ = try Normal(meanParameters: [2, 4])
    },
    DomainCase("Normal μ₂ < μ₁²", .outsideDomain(parameter: "mu[1] - mu[0]^2", value: -1, requirement: "> 0 (a positive variance)")) {
        _ = try Normal(meanParameters: [2, 3])
    },
    DomainCase("LogNormal μ NaN", .outsideDomain(parameter: "mu[1] - mu[0]^2", value: -1, requirement: "> 0 (a positive variance)")) {
        _ = try LogNormal(meanParameters: [1, 0])
    },
    DomainCase("InverseGaussian μ₁μ₂ = 1", .outsideDomain(parameter: "mu[1] - 1/mu[0]", value: 0, requirement: "> 0 (1/shape)")) {
        _ = try InverseGaussian(meanParameters: [2, 0.5])
    },
    DomainCase("InverseGaussian μ₁ = 0", .outsideDomain(parameter: "mu[0]", value: 0, requirement: "> 0")) {
        _ = try InverseGaussian(meanParameters: [0, 0.5])
    },
    DomainCase("Normal μ wrong length", .wrongDimension(parameter: "mu", expected: 2, actual: 1)) { _ = try Normal(meanParameters: [1]) },
]

let dataCases: [DomainCase] = [
    DomainCase("Bernoulli MLE all zero", .maximumLikelihoodDoesNotExist(reason: "every observation is 0, so p̂ = 0 is on the boundary of (0, 1)")) {
        _ = try Bernoulli(p: 0.5).fitted(to: [0, 0, 0, 0])
    },
    DomainCase("Bernoulli MLE all one", .maximumLikelihoodDoesNotExist(reason: "every observation is 1, so p̂ = 1 is on the boundary of (0, 1)")) {
        _ = try Bernoulli(p: 0.5).fitted(to: [1, 1])
    },
    DomainCase("Bernoulli datum 2", .outsideSupport(index: 2, description: "x = 2 is not 0 or 1")) {
        _ = try Bernoulli(p: 0.5).fitted(to: [0, 1, 2, 1])
    },
    DomainCase("MLE of no data", .maximumLikelihoodDoesNotExist(reason: "there are no observations")) {
        _ = try Poisson(rate: 1).fitted(to: [Int]())
    },
    DomainCase("Normal MLE of no data", .maximumLikelihoodDoesNotExist(reason: "there are no observations")) {
        _ = try Normal(mean: 0, variance: 1).fitted(to: [Double]())
    },
    DomainCase("Binomial datum > n", .outsideSupport(index: 1, description: "x = 11 is not a count in 0…10")) {
        _ = try Binomial(trials: 10, p: 0.5).fitted(to: [3, 11])
    },
    DomainCase("Binomial MLE all n", .maximumLikelihoodDoesNotExist(reason: "every observation is 10 (= n), so p̂ = 1 is on the boundary of (0, 1)")) {
        _ = try Binomial(trials: 10, p: 0.5).fitted(to: [10, 10])
    },
    DomainCase("Categorical label K", .outsideSupport(index: 0, description: "x = 4 is not a category label in 0…3")) {
        _ = try Categorical(probabilities: [0.25, 0.25, 0.25, 0.25]).fitted(to: [4])
    },
    DomainCase("Categorical missing reference class", .maximumLikelihoodDoesNotExist(reason: "category 2 never occurs, so its estimated probability 0 is on the boundary")) {
        _ = try Categorical(probabilities: [0.2, 0.3, 0.5]).fitted(to: [0, 1, 1, 0])
    },
    DomainCase("Poisson datum −1", .outsideSupport(index: 3, description: "x = -1 is not a count ≥ 0")) {
        _ = try Poisson(rate: 1).fitted(to: [0, 1, 2, -1])
    },
    DomainCase("Poisson MLE all zero", .maximumLikelihoodDoesNotExist(reason: "every observation is 0, so the rate estimate 0 is on the boundary of (0, ∞)")) {
        _ = try Poisson(rate: 1).fitted(to: [0, 0])
    },
    DomainCase("Geometric MLE all zero", .maximumLikelihoodDoesNotExist(reason: "every observation is 0, so p̂ = 1 is on the boundary of (0, 1)")) {
        _ = try Geometric(p: 0.5).fitted(to: [0, 0, 0])
    },
    DomainCase("NegativeBinomial datum −3", .outsideSupport(index: 0, description: "x = -3 is not a count ≥ 0")) {
        _ = try NegativeBinomial(r: 2, p: 0.5).fitted(to: [-3])
    },
    DomainCase("Exponential datum 0", .outsideSupport(index: 1, description: "x = 0.0 is not a finite number > 0")) {
        _ = try Exponential(rate: 1).fitted(to: [1, 0])
    },
    DomainCase("Normal datum NaN", .outsideSupport(index: 2, description: "x = nan is not a finite real number")) {
        _ = try Normal(mean: 0, variance: 1).fitted(to: [1, 2, .nan])
    },
    DomainCase("Normal MLE all equal", .maximumLikelihoodDoesNotExist(reason: "all 3 observations are equal, so the variance estimate 0 is on the boundary of (0, ∞)")) {
        _ = try Normal(mean: 0, variance: 1).fitted(to: [0.1, 0.1, 0.1])
    },
    DomainCase("Normal MLE one datum", .maximumLikelihoodDoesNotExist(reason: "a single observation gives a variance estimate of 0, on the boundary of (0, ∞)")) {
        _ = try Normal(mean: 0, variance: 1).fitted(to: [3])
    },
    DomainCase("LogNormal datum −1", .outsideSupport(index: 0, description: "x = -1.0 is not a finite number > 0")) {
        _ = try LogNormal(logMean: 0, logVariance: 1).fitted(to: [-1, 2])
    },
    DomainCase("InverseGaussian MLE all equal", .maximumLikelihoodDoesNotExist(reason: "all 2 observations are equal, so 1/shape = 0 is on the boundary of (0, ∞)")) {
        _ = try InverseGaussian(mean: 1, shape: 1).fitted(to: [2, 2])
    },
    DomainCase("InverseGaussian datum ∞", .outsideSupport(index: 1, description: "x = inf is not a finite number > 0")) {
        _ = try InverseGaussian(mean: 1, shape: 1).fitted(to: [2, .infinity])
    },
    DomainCase("log density outside support", .outsideSupport(index: nil, description: "x = 3 is not 0 or 1")) {
        _ = try Bernoulli(p: 0.5).logDensity(3)
    },
    DomainCase("log likelihood names the datum", .outsideSupport(index: 2, description: "x = -0.5 is not a finite number > 0")) {
        _ = try Exponential(rate: 1).logLikelihood(of: [1, 2, -0.5])
    },
]

@Suite("Domain errors")
struct DomainErrorTests {
    @Test(arguments: usualParameterCases) func usualParameters(_ c: DomainCase) { check(c) }
    @Test(arguments: naturalParameterCases) func naturalParameters(_ c: DomainCase) { check(c) }
    @Test(arguments: meanParameterCases) func meanParameters(_ c: DomainCase) { check(c) }
    @Test(arguments: dataCases) func data(_ c: DomainCase) { check(c) }

    private func check(_ c: DomainCase) {
        #expect(throws: c.expected) { try c.attempt() }
    }

    /// An MLE on the boundary that the family has no special message for still maps the inverse map's
    /// domain error to `.maximumLikelihoodDoesNotExist`.
    @Test func genericBoundaryMessage() throws {
        let family = try Exponential(rate: 1)
        #expect(throws: ExponentialFamilyError.maximumLikelihoodDoesNotExist(
            reason: "the average sufficient statistic is not in the interior of the mean space (mu = 0.0 is outside its domain: it must be > 0)")) {
            _ = try family.withMaximumLikelihoodMean([0])
        }
    }
}
