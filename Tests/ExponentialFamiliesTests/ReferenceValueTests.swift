import ExponentialFamilies
import Foundation
import Testing
import TestSupport

/// Compares with ../shared/reference/exponential-families/expfam_reference.json (50-digit mpmath values
/// for exact-double θ). Every family here uses the file's θ and T; the only convention difference is
/// Categorical's labels (file 1…K, ours 0…K−1, the reference class last in both), which does not change θ.
///
/// Tolerances (ε = 2⁻⁵²), from first-order error analysis of the float64 evaluation:
/// - A: each of the few roundings in θ ↦ A perturbs θₖ or an intermediate by ~ε relative, which moves A
///   by ~ε·Σ|θₖ μₖ| (the θ-condition of A) plus ~ε·|A| for the final operations: allow 32ε times that.
/// - μ: likewise 32ε·(|μᵢ| + Σₖ|Fᵢₖ θₖ|).
/// - F: 64ε·(‖F‖max + max over the third-derivative scale), bounded here by 64ε·‖F‖max·(1 + ‖θ‖∞·‖μ‖∞).
/// - entropy: the file's `entropy_cancellation_factor` c says the formula loses log10(c) digits;
///   allow 8·c·1e-15 relative to max(|H|, 1) (our closed forms lose less; this bound covers both).
/// - KL: likewise 8·(bregman_cancellation_factor)·1e-15 relative to KL.
@Suite("Reference values (expfam_reference.json)")
struct ReferenceValueTests {
    /// Parsed afresh per use (JSON objects are not Sendable, so no shared static).
    static var json: [String: Any] {
        let root = (try? referenceJSON("exponential-families/expfam_reference.json")) as? [String: Any]
        return (root?["families"] as? [String: Any]) ?? [:]
    }

    static let names = ["Bernoulli", "Binomial", "Categorical", "Poisson", "Geometric", "NegativeBinomial",
                        "Exponential", "Normal", "LogNormal", "InverseGaussian"]

    @Test(arguments: names)
    func referenceValues(_ name: String) throws {
        let family = try #require(Self.json[name] as? [String: Any], "family \(name) missing from the reference file")
        switch name {
        case "Bernoulli": try compare(family) { try Bernoulli(naturalParameters: $0) }
        case "Binomial": try compare(family) { try Binomial(trials: 10, naturalParameters: $0) }
        case "Categorical": try compare(family) { try Categorical(categories: 4, naturalParameters: $0) }
        case "Poisson": try compare(family) { try Poisson(naturalParameters: $0) }
        case "Geometric": try compare(family) { try Geometric(naturalParameters: $0) }
        case "NegativeBinomial": try compare(family) { try NegativeBinomial(r: 5, naturalParameters: $0) }
        case "Exponential": try compare(family) { try Exponential(naturalParameters: $0) }
        case "Normal": try compare(family) { try Normal(naturalParameters: $0) }
        case "LogNormal": try compare(family) { try LogNormal(naturalParameters: $0) }
        case "InverseGaussian": try compare(family) { try InverseGaussian(naturalParameters: $0) }
        default: Issue.record("no mapping for \(name)")
        }
    }

    /// Usual parameters recovered from θ, against the file's `usual` (relative 1e-13: a few roundings).
    @Test func usualParameters() throws {
        let json = Self.json
        func point(_ family: String, _ i: Int) -> [String: Any] {
            ((json[family] as! [String: Any])["points"] as! [[String: Any]])[i]
        }
        func theta(_ p: [String: Any]) -> [Double] { (p["theta"] as! [Any]).map { number($0) } }
        func usual(_ p: [String: Any], _ key: String) -> Double { number((p["usual"] as! [String: Any])[key]) }
        func close(_ a: Double, _ b: Double, _ what: String) {
            #expect(Swift.abs(a - b) <= 1e-13 * Swift.abs(b), "\(what): \(a) vs \(b)")
        }
        for i in 0..<2 {
            var p = point("Bernoulli", i)
            close(try Bernoulli(naturalParameters: theta(p)).p, usual(p, "p"), "Bernoulli p")
            p = point("Poisson", i)
            close(try Poisson(naturalParameters: theta(p)).rate, usual(p, "rate"), "Poisson rate")
            p = point("Geometric", i)
            close(try Geometric(naturalParameters: theta(p)).p, usual(p, "p"), "Geometric p")
            p = point("NegativeBinomial", i)
            close(try NegativeBinomial(r: 5, naturalParameters: theta(p)).p, usual(p, "p"), "NegativeBinomial p")
            p = point("Exponential", i)
            close(try Exponential(naturalParameters: theta(p)).rate, usual(p, "rate"), "Exponential rate")
            p = point("Normal", i)
            let normal = try Normal(naturalParameters: theta(p))
            close(normal.mean, usual(p, "mean"), "Normal mean")
            close(normal.variance, usual(p, "var"), "Normal variance")
            p = point("LogNormal", i)
            let logNormal = try LogNormal(naturalParameters: theta(p))
            close(logNormal.logMean, usual(p, "m"), "LogNormal m")
            close(logNormal.logVariance, usual(p, "s2"), "LogNormal s2")
            p = point("InverseGaussian", i)
            let ig = try InverseGaussian(naturalParameters: theta(p))
            close(ig.mean, usual(p, "mean"), "InverseGaussian mean")
            close(ig.shape, usual(p, "shape"), "InverseGaussian shape")
            p = point("Categorical", i)
            let probabilities = try Categorical(categories: 4, naturalParameters: theta(p)).probabilities
            let expected = ((p["usual"] as! [String: Any])["p"] as! [Any]).map { number($0) }
            for k in 0..<4 { close(probabilities[k], expected[k], "Categorical p[\(k)]") }
        }
    }

    private func compare<F: ExponentialFamily>(_ family: [String: Any], _ make: ([Double]) throws -> F) throws {
        let eps = Double.ulpOfOne
        let points = try #require(family["points"] as? [[String: Any]])
        let members = try points.map { try make(($0["theta"] as! [Any]).map { number($0) }) }
        for (i, point) in points.enumerated() {
            let f = members[i]
            let theta = f.naturalParameters
            let a = number(point["A"])
            let mu = (point["mu"] as! [Any]).map { number($0) }
            let fisher = (point["fisher"] as! [[Any]]).map { $0.map { number($0) } }
            let d = mu.count
            var thetaMu = 0.0
            for k in 0..<d { thetaMu += Swift.abs(theta[k] * mu[k]) }
            #expect(Swift.abs(f.logPartition - a) <= 32 * eps * (Swift.abs(a) + thetaMu),
                    "A at point \(i): \(f.logPartition) vs \(a)")
            let muHat = f.meanParameters
            for r in 0..<d {
                var scale = Swift.abs(mu[r])
                for k in 0..<d { scale += Swift.abs(fisher[r][k] * theta[k]) }
                #expect(Swift.abs(muHat[r] - mu[r]) <= 32 * eps * scale, "μ[\(r)] at point \(i): \(muHat[r]) vs \(mu[r])")
            }
            let fHat = f.fisherInformation
            let fMax = fisher.flatMap { $0 }.map(Swift.abs).max()!
            let thetaMax = theta.map(Swift.abs).max()!, muMax = mu.map(Swift.abs).max()!
            for r in 0..<d {
                for c in 0..<d {
                    #expect(Swift.abs(fHat[r, c] - fisher[r][c]) <= 64 * eps * fMax * (1 + thetaMax * muMax),
                            "F[\(r),\(c)] at point \(i): \(fHat[r, c]) vs \(fisher[r][c])")
                }
            }
            let h = number(point["entropy"])
            let hFactor = number(point["entropy_cancellation_factor"])
            #expect(Swift.abs(f.entropy - h) <= 8 * hFactor * 1e-15 * Swift.max(Swift.abs(h), 1),
                    "entropy at point \(i): \(f.entropy) vs \(h)")
            if let eLogH = point["E_log_h"], let value = Double(eLogH as? String ?? "") {
                #expect(Swift.abs(f.expectedLogBaseMeasure - value) <= 8 * hFactor * 1e-15 * Swift.max(Swift.abs(value), 1),
                        "E[log h] at point \(i): \(f.expectedLogBaseMeasure) vs \(value)")
            }
        }
        let consecutive = try #require(family["kl_consecutive"] as? [[String: Any]])
        for entry in consecutive {
            let from = entry["from_index"] as! Int, to = entry["to_index"] as! Int
            let kl = number(entry["kl"])
            let factor = number(entry["bregman_cancellation_factor"])
            let value = members[from].klDivergence(to: members[to])
            #expect(Swift.abs(value - kl) <= 8 * factor * 1e-15 * kl, "KL(\(from)‖\(to)): \(value) vs \(kl)")
            let bregman = members[from].bregmanDivergence(to: members[to])
            #expect(Swift.abs(bregman - kl) <= 8 * factor * 1e-15 * kl, "Bregman KL(\(from)‖\(to)): \(bregman) vs \(kl)")
        }
    }
}
