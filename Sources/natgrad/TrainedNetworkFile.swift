import Foundation
import LinearAlgebra
import NeuralNetworks

/// The JSON file `natgrad train --save` writes and `natgrad predict` reads (format "natgrad-network",
/// version 1): the network, the feature names and their training standardization, the task, class
/// labels (classification) or the response's training mean and scale (regression), and for the BLR the
/// posterior variances of the weights (predictions then average over posterior samples).
struct TrainedNetworkFile: Codable {
    var format = "natgrad-network"
    var version = 1
    var task: String
    var optimizer: String
    var response: String
    var features: [String]
    var standardization: FeatureStandardization
    var classes: [Double]?
    var responseMean: Double?
    var responseScale: Double?
    var network: MultilayerPerceptron
    var posteriorVariance: [[Double]]?

    static func read(_ path: String) throws(CLIError) -> TrainedNetworkFile {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch { throw CLIError("cannot read \(path): \(error.localizedDescription)") }
        let file: TrainedNetworkFile
        do { file = try JSONDecoder().decode(TrainedNetworkFile.self, from: data) } catch {
            throw CLIError("\(path) is not a natgrad network file: \(error)")
        }
        guard file.format == "natgrad-network", file.version == 1 else {
            throw CLIError("\(path): format \(file.format) version \(file.version) is not natgrad-network version 1")
        }
        guard file.features.count == file.network.sizes[0], file.standardization.means.count == file.features.count,
              file.standardization.scales.count == file.features.count else {
            throw CLIError("\(path): \(file.features.count) feature names for a network with \(file.network.sizes[0]) inputs")
        }
        if let v = file.posteriorVariance {
            guard v.count == file.network.layerCount,
                  zip(v, file.network.weights).allSatisfy({ $0.count == $1.elements.count && $0.allSatisfy { $0 >= 0 && $0.isFinite } }) else {
                throw CLIError("\(path): the posterior variances do not fit the network")
            }
        }
        return file
    }

    func write(_ path: String) throws(CLIError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        do { try encoder.encode(self).write(to: URL(fileURLWithPath: path)) } catch {
            throw CLIError("cannot write \(path): \(error.localizedDescription)")
        }
    }

    /// Predicted means μ (k × N) at raw features (d × N): standardized, then the network, averaged over
    /// 32 posterior draws (seed 9) when variances are saved.
    func predictMeans(_ raw: Matrix) throws(CLIError) -> Matrix {
        do { return try predictMeansOrThrow(raw) } catch { throw CLIError(error.description) }
    }

    private func predictMeansOrThrow(_ raw: Matrix) throws(NeuralNetworkError) -> Matrix {
        let x = standardization.apply(raw)
        guard let v = posteriorVariance else { return try network.predictMeans(x) }
        var draw = network
        var total = Matrix(rows: network.output.naturalDimension, columns: raw.columns)
        var g = SplitMix(seed: 9)
        let samples = 32
        for _ in 0..<samples {
            for l in 0..<network.layerCount {
                for k in 0..<v[l].count { draw.weights[l].elements[k] = network.weights[l].elements[k] + v[l][k].squareRoot() * g.normal() }
            }
            BLAS.axpy(1 / Double(samples), try draw.predictMeans(x).elements, &total.elements)
        }
        return total
    }
}

/// A small seeded normal generator for predictive sampling in the CLI (SplitMix64 + Box–Muller).
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func normal() -> Double {
        let u = (Double(next() >> 11) + 0.5) * 0x1p-53, w = (Double(next() >> 11) + 0.5) * 0x1p-53
        return (-2 * Foundation.log(u)).squareRoot() * Foundation.cos(2 * Double.pi * w)
    }
}
