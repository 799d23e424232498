import Foundation
import LinearAlgebra
import NeuralNetworks
import Tabular

extension TrainedNetworkFile {
    /// Whether `path` holds a network file (`"format": "natgrad-network"`), so that `natgrad predict`
    /// sends it here rather than to the GLM reader. Unreadable or non-JSON files answer false (the GLM
    /// reader then reports them).
    static func isNetworkFile(_ path: String) -> Bool {
        struct Header: Decodable { var format: String? }
        guard let data = try? Data(contentsOf: URL(fileURLWithPath: path)),
              let header = try? JSONDecoder().decode(Header.self, from: data) else { return false }
        return header.format == "natgrad-network"
    }
}

extension PredictCommand {
    /// `natgrad predict NETWORK.json FILE.csv`: the saved standardization, then the network (averaged
    /// over 32 posterior samples for a BLR model). classification: `predicted` and one `p_<label>`
    /// column per class; regression: the mean in the response's units; counts: the rate.
    func predictNetwork() throws {
        let saved = try TrainedNetworkFile.read(model)
        var table = try InputTable(file: file, columns: .named(saved.features), options: tableOptions)
        try table.keepComplete(saved.features, policy: tableOptions.missing)
        let x = try featureMatrix(table, saved.features)
        guard x.columns > 0 else { throw CLIError("\(file): no rows to predict") }
        let mu = try saved.predictMeans(x)
        let n = x.columns
        switch saved.task {
        case "classification":
            let classes = saved.classes ?? []
            var predicted: [Double] = []
            for i in 0..<n {
                var best = 0
                for c in 1..<mu.rows where mu[c, i] > mu[best, i] { best = c }
                predicted.append(classes.indices.contains(best) ? classes[best] : Double(best))
            }
            if format == .json {
                print(JSONValue.object([("predicted", .numbers(predicted)),
                                        ("probabilities", .array((0..<n).map { i in .numbers((0..<mu.rows).map { mu[$0, i] }) }))]).serialized)
            } else {
                print((["predicted"] + classes.map { "p_\(csvNumber($0))" }).joined(separator: ","))
                for i in 0..<n { print(([csvNumber(predicted[i])] + (0..<mu.rows).map { csvNumber(mu[$0, i]) }).joined(separator: ",")) }
            }
        default:
            let scale = saved.responseScale ?? 1, mean = saved.responseMean ?? 0
            let values = (0..<n).map { saved.task == "regression" ? mu[0, $0] * scale + mean : mu[0, $0] }
            if format == .json {
                print(JSONValue.object([("predicted", .numbers(values))]).serialized)
            } else {
                print("predicted")
                for v in values { print(csvNumber(v)) }
            }
        }
    }
}
