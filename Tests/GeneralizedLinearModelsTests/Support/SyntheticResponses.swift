import Foundation
import TestSupport

/// A Bernoulli draw with success probability 1/(1 + e^(−η)).
func bernoulliResponse(eta: Double, using g: inout SeededGenerator) -> Double {
    Double.random(in: 0..<1, using: &g) < 1 / (1 + Foundation.exp(-eta)) ? 1 : 0
}

/// A Poisson draw with mean e^η by inversion of the distribution function (capped at 200; the tests
/// keep means small).
func poissonResponse(eta: Double, using g: inout SeededGenerator) -> Double {
    let mean = Foundation.exp(eta)
    var count = 0.0, probability = Foundation.exp(-mean), cumulative = probability
    let target = Double.random(in: 0..<1, using: &g)
    while cumulative < target && count < 200 {
        count += 1
        probability *= mean / count
        cumulative += probability
    }
    return count
}
