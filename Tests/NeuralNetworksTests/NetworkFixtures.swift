import Foundation
import LinearAlgebra
import NeuralNetworks
import TestSupport

/// N samples with d features N(0, 1) and targets drawn from a fixed random "teacher" of each family.
func syntheticData(_ output: OutputFamily, samples n: Int, features d: Int, seed: UInt64) throws -> LabeledData {
    var g = SeededGenerator(seed: seed)
    var rows: [[Double]] = []
    var y: [Double] = []
    var vectorTargets: [Double] = []
    let k = output.naturalDimension
    let teacher = (0..<(k * d)).map { _ in g.nextGaussian() * 0.8 }
    for _ in 0..<n {
        let x = (0..<d).map { _ in g.nextGaussian() }
        var eta = [Double](repeating: 0, count: k)
        for c in 0..<k { for j in 0..<d { eta[c] += teacher[c * d + j] * x[j] } }
        let u = Double(g.next() >> 11) * 0x1p-53
        switch output {
        case .categorical:
            let m = eta.max()!
            let e = eta.map { Foundation.exp($0 - m) }
            let s = e.reduce(0, +)
            var c = 0.0, cls = k - 1
            for (i, v) in e.enumerated() { c += v / s; if u < c { cls = i; break } }
            y.append(Double(cls))
        case .bernoulli: y.append(u < 1 / (1 + Foundation.exp(-eta[0])) ? 1 : 0)
        case .normal: y.append(eta[0] + g.nextGaussian())
        case .normalWithLogPrecision: y.append(eta[0] + Foundation.exp(0.3 * eta[1]) * g.nextGaussian())
        case .diagonalNormal: for c in 0..<k { vectorTargets.append(eta[c] + g.nextGaussian()) }
        case .poisson:
            // Inversion.
            let lambda = Foundation.exp(0.5 * eta[0])
            var kk = 0.0, p = Foundation.exp(-lambda), s = p
            while u > s && kk < 200 { kk += 1; p *= lambda / kk; s += p }
            y.append(kk)
        }
        rows.append(x)
    }
    if case .diagonalNormal = output {
        var f = Matrix(rows: d, columns: n)
        for i in 0..<n { for j in 0..<d { f[j, i] = rows[i][j] } }
        return try LabeledData(features: f, targets: Matrix(rows: k, columns: n, columnMajor: vectorTargets), output: output)
    }
    return try LabeledData(rows: rows, responses: y, output: output)
}

let allOutputs: [OutputFamily] = [.categorical(classes: 3), .bernoulli, .normal, .poisson, .diagonalNormal(dimensions: 2),
                                  .normalWithLogPrecision]
