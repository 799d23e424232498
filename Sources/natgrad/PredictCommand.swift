import ArgumentParser
import Foundation
import LinearAlgebra
import NeuralNetworks
import Tabular

/// `natgrad predict MODEL.json FILE.csv`: applies a network saved by `natgrad train --save`.
struct PredictCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "Apply a network saved by `natgrad train --save` to the rows of a CSV file.",
        discussion: """
            The file needs the model's feature columns (others are ignored); they are standardized with the \
            saved training statistics. classification: the predicted label and the class probabilities; \
            regression: the predicted mean in the response's units; counts: the predicted rate.
            """
    )

    @Argument(help: "Model file written by natgrad train --save.")
    var model: String
    @Argument(help: "CSV file with the model's feature columns.")
    var file: String
    @Option(help: "Output format: table (CSV on stdout) or json.")
    var format: OutputFormat = .table
    @OptionGroup var tableOptions: TableOptions

    func run() throws {
        let saved = try TrainedNetworkFile.read(model)
        var table = try InputTable(file: file, columns: .named(saved.features), options: tableOptions)
        try table.keepComplete(saved.features, policy: tableOptions.missing)
        let x = try featureMatrix(table, saved.features)
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
                print((["predicted"] + classes.map { "p_\(formatNumber($0))" }).joined(separator: ","))
                for i in 0..<n { print(([formatNumber(predicted[i])] + (0..<mu.rows).map { formatNumber(mu[$0, i]) }).joined(separator: ",")) }
            }
        default:
            let scale = saved.responseScale ?? 1, mean = saved.responseMean ?? 0
            let values = (0..<n).map { saved.task == "regression" ? mu.elements[$0] * scale + mean : mu.elements[$0] }
            if format == .json {
                print(JSONValue.object([("predicted", .numbers(values))]).serialized)
            } else {
                print("predicted")
                for v in values { print(formatNumber(v, digits: 10)) }
            }
        }
    }
}
