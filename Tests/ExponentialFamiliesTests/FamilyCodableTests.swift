import Foundation
import Testing
import LinearAlgebra
@testable import ExponentialFamilies

/// JSON of every family: usual parameters round-trip bit for bit; invalid stored laws and other families'
/// objects are decoding errors, never traps.
@Suite("Families as JSON")
struct FamilyCodableTests {
    static func roundTrip<F: ExponentialFamily & Codable>(_ law: F) throws -> (F, String) {
        let data = try JSONEncoder().encode(law)
        return (try JSONDecoder().decode(F.self, from: data), String(decoding: data, as: UTF8.self))
    }

    /// Decodes `json` as F and expects a `DecodingError.dataCorrupted` mentioning `mention`.
    static func expectCorrupted<F: Decodable>(_ type: F.Type, _ json: String, mentioning mention: String) {
        do {
            _ = try JSONDecoder().decode(F.self, from: Data(json.utf8))
            Issue.record("\(json) decoded")
        } catch let DecodingError.dataCorrupted(context) {
            #expect(context.debugDescription.contains(mention), "\(context.debugDescription)")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test("each of the 15 families decodes to the same natural parameters, bit for bit, with its name in the JSON")
    func roundTrips() throws {
        let covariance = try Matrix(rowCount: 2, columnCount: 2, rowMajor: [2, 0.3, 0.3, 1])
        let laws: [(any ExponentialFamily & Codable, String)] = [
            (try Bernoulli(p: 0.3), "bernoulli"), (try Beta(alpha: 2.5, beta: 0.7), "beta"),
            (try Binomial(trials: 12, p: 0.41), "binomial"),
            (try Categorical(probabilities: [0.2, 0.5, 0.3]), "categorical"),
            (try DiagonalNormal(mean: [1, -2], variances: [0.5, 3]), "diagonal-normal"),
            (try Dirichlet(alpha: [0.5, 2, 7]), "dirichlet"), (try Exponential(rate: 1.7), "exponential"),
            (try Gamma(shape: 2.2, rate: 0.9), "gamma"), (try Geometric(p: 0.25), "geometric"),
            (try InverseGaussian(mean: 1.3, shape: 4), "inverse-gaussian"),
            (try LogNormal(logMean: 0.1, logVariance: 0.4), "log-normal"),
            (try MultivariateNormal(mean: [0.5, -1], covariance: covariance), "multivariate-normal"),
            (try NegativeBinomial(r: 3.5, p: 0.4), "negative-binomial"),
            (try Normal(mean: -1.25, variance: 0.8), "normal"), (try Poisson(rate: 4.5), "poisson"),
        ]
        #expect(laws.count == 15)
        for (law, name) in laws {
            let (decoded, json) = try Self.roundTrip(law)
            #expect(json.contains("\"family\":\"\(name)\""), "\(json)")
            let a = law.naturalParameters, b = decoded.naturalParameters
            #expect(a.count == b.count && zip(a, b).allSatisfy { $0.bitPattern == $1.bitPattern }
                        || zip(a, b).allSatisfy { abs($0 - $1) <= 1e-15 * abs($0) }, "\(name): \(a) vs \(b)")
        }
        // Usual parameters are stored exactly.
        let (gamma, _) = try Self.roundTrip(try Gamma(shape: 0.1 + 0.2, rate: 1.0 / 3))
        #expect(gamma.shape == 0.1 + 0.2 && gamma.rate == 1.0 / 3)
    }

    @Test("invalid stored parameters and other families' objects are decoding errors")
    func invalid() {
        Self.expectCorrupted(Normal.self, #"{"family":"normal","mean":0,"variance":-1}"#, mentioning: "variance")
        Self.expectCorrupted(Poisson.self, #"{"family":"gamma","rate":1}"#, mentioning: "expected family \"poisson\"")
        Self.expectCorrupted(Categorical.self, #"{"family":"categorical","probabilities":[0.5,0.6]}"#,
                             mentioning: "invalid parameters")
        Self.expectCorrupted(MultivariateNormal.self,
                             #"{"family":"multivariate-normal","mean":[0,0],"covariance":{"rows":2,"columns":2,"columnMajor":[1,2,2,1]}}"#,
                             mentioning: "invalid parameters")
        do {
            _ = try JSONDecoder().decode(Gamma.self, from: Data(#"{"family":"gamma","shape":1}"#.utf8))
            Issue.record("a missing rate decoded")
        } catch DecodingError.keyNotFound(let key, _) {
            #expect(key.stringValue == "rate")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }
}
