import Foundation
import TestSupport
@testable import ExponentialFamilies

/// One point of `exponential-families/expfam_reference.json` (mpmath, 50 digits, rounded to 17).
struct ReferencePoint: CustomStringConvertible {
    var family: String
    var index: Int
    var theta: [Double]
    var logPartition: Double
    var mu: [Double]
    var fisher: Matrix
    var entropy: Double
    var expectedLogBaseMeasure: Double
    var entropyCancellationFactor: Double
    var klNext: Double?
    var usual: [String: Any]

    var description: String { "\(family)[\(index)]" }
}


/// The points of one family, and the Bregman cancellation factors of its consecutive KL values.
func referencePoints(_ family: String) throws -> [ReferencePoint] {
    let root = try referenceJSON("exponential-families/expfam_reference.json") as! [String: Any]
    let fam = (root["families"] as! [String: Any])[family] as! [String: Any]
    let points = fam["points"] as! [[String: Any]]
    return points.map { p in
        let fisherRows = (p["fisher"] as! [[Any]]).map { $0.map(number) }
        return ReferencePoint(
            family: family, index: p["index"] as! Int,
            theta: (p["theta"] as! [Any]).map(number),
            logPartition: number(p["A"]),
            mu: (p["mu"] as! [Any]).map(number),
            fisher: Matrix(rows: fisherRows),
            entropy: number(p["entropy"]),
            expectedLogBaseMeasure: number(p["E_log_h"]),
            entropyCancellationFactor: number(p["entropy_cancellation_factor"]),
            klNext: p["kl_next"].map(number),
            usual: p["usual"] as! [String: Any])
    }
}

/// Bregman cancellation factor of KL(point 0 ‖ point 1).
func bregmanCancellationFactor(_ family: String) throws -> Double {
    let root = try referenceJSON("exponential-families/expfam_reference.json") as! [String: Any]
    let fam = (root["families"] as! [String: Any])[family] as! [String: Any]
    return number((fam["kl_consecutive"] as! [[String: Any]])[0]["bregman_cancellation_factor"])
}

/// max |aᵢ − bᵢ| / max(1, max |bᵢ|): the relative error in the max norm, absolute below 1.
func maxRelativeError(_ a: [Double], _ b: [Double]) -> Double {
    relativeError(a, b, floor: 1)
}

/// Entropy and Bregman KL from a family's own A, μ and E[log h] (the formulas of the reference file):
/// H = A − θ·μ − E[log h], KL(p‖q) = A(θq) − A(θp) − (θq − θp)·μp.
func entropyFromParts<F: ExponentialFamily>(_ p: F) -> Double {
    let theta = p.naturalParameters, mu = p.meanParameters
    var s = p.logPartition - p.expectedLogBaseMeasure
    for i in theta.indices { s -= theta[i] * mu[i] }
    return s
}

func bregmanKL<F: ExponentialFamily>(_ p: F, _ q: F) -> Double {
    let tp = p.naturalParameters, tq = q.naturalParameters, mu = p.meanParameters
    var s = q.logPartition - p.logPartition
    for i in tp.indices { s -= (tq[i] - tp[i]) * mu[i] }
    return s
}

/// Central-difference gradient of a scalar function (step h·max(1, |xᵢ|)).
func centralGradient(_ f: ([Double]) -> Double, at x: [Double], h: Double = 1e-5) -> [Double] {
    var g = [Double](repeating: 0, count: x.count)
    for i in x.indices {
        let step = h * Swift.max(1, Swift.abs(x[i]))
        var xp = x, xm = x
        xp[i] += step
        xm[i] -= step
        g[i] = (f(xp) - f(xm)) / (2 * step)
    }
    return g
}
