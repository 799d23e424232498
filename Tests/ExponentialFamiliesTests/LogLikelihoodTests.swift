import ExponentialFamilies
import Testing

/// Log-likelihoods against scipy.stats (`logpdf(...).sum()`, printed with %.17g) for the same doubles.
/// Each of the 8 terms is accurate to a few ulps of its size in both codes, so 1e-13 relative to the
/// total is a safe bound. The shifted Normal (data near 10⁶, variance 1.2) and the InverseGaussian with
/// shape 400 are where log h + θ·T − A cancels: they check that the generic `logLikelihood(of:)` reaches
/// each family's cancellation-free `logDensity` (dynamic dispatch through the protocol requirement).
@Suite("Log-likelihood against scipy")
struct LogLikelihoodTests {
    static let x = [1.9, 0.4, 2.7, 0.8, 1.3, 3.6, 0.2, 1.1]
    static let counts = [3, 1, 4, 2, 0, 5, 2, 3]

    private func close(_ value: Double, _ expected: Double, _ what: String) {
        #expect(Swift.abs(value - expected) <= 1e-13 * Swift.abs(expected), "\(what): \(value) vs scipy \(expected)")
    }

    /// Calls through a generic function, as the CLI and the engine do.
    private func generic<F: ExponentialFamily>(_ f: F, _ data: [F.Observation]) throws -> Double {
        try f.logLikelihood(of: data)
    }

    @Test func continuous() throws {
        close(try generic(try InverseGaussian(mean: 1.5, shape: 1.25), Self.x), -11.164604366953043, "InverseGaussian")
        close(try generic(try InverseGaussian(mean: 1.5, shape: 400), Self.x), -1238.0633692291822, "InverseGaussian shape 400")
        close(try generic(try LogNormal(logMean: 0.07, logVariance: 0.8), Self.x), -11.085419781304299, "LogNormal")
        close(try generic(try Normal(mean: 1e6 + 1.5, variance: 1.2), Self.x.map { $0 + 1e6 }), -12.08079449273559, "shifted Normal")
    }

    @Test func counts() throws {
        close(try generic(try Poisson(rate: 2.5), Self.counts), -14.609544235222891, "Poisson")
        close(try generic(try NegativeBinomial(r: 2.5, p: 0.45), Self.counts), -15.634031929599001, "NegativeBinomial")
        close(try generic(try Binomial(trials: 9, p: 0.3), Self.counts), -14.728093305494792, "Binomial")
    }
}
