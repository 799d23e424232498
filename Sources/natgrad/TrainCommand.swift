import ArgumentParser
import Foundation
import LinearAlgebra
import NeuralNetworks
import Tabular

/// `natgrad train FILE.csv --response COL --task classification|regression|counts --optimizer kfac|blr|adam|sgd …`:
/// trains a multilayer perceptron with an exponential-family output (softmax, unit-variance normal on the
/// standardized response, Poisson) and reports the loss per epoch and test metrics.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a neural network (MLP) by K-FAC, the Bayesian learning rule, Adam or SGD.",
        discussion: """
            Features (every column but the response) are standardized with the training means and standard \
            deviations, which are saved with the model. classification: softmax over the distinct labels; \
            regression: Gaussian mean with unit variance on the standardized response; counts: Poisson log-rate. \
            Progress goes to stderr once per epoch. Test metrics: accuracy, NLL and ECE (15 bins) for \
            classification; RMSE and NLL (in the response's units) otherwise. The BLR (prior precision 1, h₀ = 1, \
            settings chosen on a digits validation split) predicts by averaging 32 posterior samples.
            """
    )

    enum Task: String, ExpressibleByArgument, CaseIterable { case classification, regression, counts }
    enum OptimizerName: String, ExpressibleByArgument, CaseIterable { case kfac, blr, adam, sgd }

    @Argument(help: "Training CSV file with a header row.")
    var file: String
    @Option(help: "Name of the response column.")
    var response: String
    @Option(help: "classification, regression or counts.")
    var task: Task
    @Option(help: "Comma-separated hidden-layer widths (empty for none).")
    var hidden: String = "64,64"
    @Option(help: "Hidden activation: tanh or relu.")
    var activation: Activation = .tanh
    @Option(help: "kfac, blr, adam or sgd.")
    var optimizer: OptimizerName
    @Option(help: "Epochs (passes over the training data).")
    var epochs: Int = 20
    @Option(help: "Mini-batch size.")
    var batch: Int = 64
    @Option(name: .customLong("learning-rate"), help: "η (default: adam 1e-3, sgd 0.05, blr 0.02; kfac: cap on the automatic step scale, 1).")
    var learningRate: Double?
    @Option(help: "Seed of initialization, shuffling and sampling.")
    var seed: UInt64 = 0
    @Option(help: "Test CSV file with the same columns.")
    var test: String?
    @Option(help: "Write the trained model (JSON) here.")
    var save: String?
    @Option(help: "Output format: table or json.")
    var format: OutputFormat = .table
    @OptionGroup var tableOptions: TableOptions

    func validate() throws {
        guard epochs >= 1 else { throw CLIError("--epochs must be ≥ 1, got \(epochs)") }
        guard batch >= 1 else { throw CLIError("--batch must be ≥ 1, got \(batch)") }
        if let lr = learningRate, !(lr > 0 && lr.isFinite) { throw CLIError("--learning-rate must be finite and > 0, got \(lr)") }
        _ = try hiddenWidths()
    }

    func hiddenWidths() throws(CLIError) -> [Int] {
        let items = commaList(hidden)
        var out: [Int] = []
        for item in items {
            guard let w = Int(item), w >= 1, w <= 100_000 else { throw CLIError("--hidden: '\(item)' is not a width between 1 and 100000") }
            out.append(w)
        }
        return out
    }

    func run() throws {
        var table = try InputTable(file: file, columns: .all, options: tableOptions)
        try table.require([response])
        let featureNames = table.columnNames.filter { $0 != response }
        guard !featureNames.isEmpty else { throw CLIError("no feature columns besides '\(response)'") }
        try table.keepComplete(table.columnNames, policy: tableOptions.missing)
        let rawX = try featureMatrix(table, featureNames)
        var y = try table.numbers(response)
        let output: OutputFamily
        var classes: [Double]?
        var responseMean: Double?, responseScale: Double?
        switch task {
        case .classification:
            let labels = Array(Set(y)).sorted()
            guard labels.count >= 2 else { throw CLIError("classification needs ≥ 2 distinct labels in '\(response)', found \(labels.count)") }
            guard labels.count <= 10_000 else { throw CLIError("'\(response)' has \(labels.count) distinct labels (limit 10000)") }
            let index = Dictionary(uniqueKeysWithValues: labels.enumerated().map { ($1, Double($0)) })
            y = y.map { index[$0]! }
            classes = labels
            output = .categorical(classes: labels.count)
        case .regression:
            let m = y.reduce(0, +) / Double(y.count)
            let s = (y.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(y.count)).squareRoot()
            responseMean = m
            responseScale = s > 0 ? s : 1
            y = y.map { ($0 - m) / responseScale! }
            output = .normal
        case .counts:
            output = .poisson
        }
        let standardization = FeatureStandardization(fitting: rawX)
        let data: LabeledData
        do { data = try LabeledData(features: standardization.apply(rawX), responses: y, output: output) } catch {
            throw CLIError("\(file): \(error.description)")
        }
        var network = MultilayerPerceptron(inputs: featureNames.count, hidden: try hiddenWidths(), activation: activation,
                                           output: output, seed: seed)
        let trainer = Trainer(batchSize: batch, seed: seed &+ 1)
        let progress: (EpochRecord) -> Void = { r in
            reportProgress("epoch \(r.epoch)/\(epochs): train loss \(formatNumber(r.trainLoss)) (\(String(format: "%.3f", r.seconds)) s)")
        }
        var history: [EpochRecord] = []
        var posteriorVariance: [[Double]]?
        do {
            switch optimizer {
            case .adam:
                var o = Adam(for: network, learningRate: learningRate ?? 1e-3)
                history = try trainer.train(&network, on: data, with: &o, epochs: epochs, progress: progress)
            case .sgd:
                var o = MomentumSGD(for: network, learningRate: learningRate ?? 0.05)
                history = try trainer.train(&network, on: data, with: &o, epochs: epochs, progress: progress)
            case .kfac:
                var o = KFAC(for: network, maximumStepScale: learningRate ?? 1, seed: seed &+ 2)
                history = try trainer.train(&network, on: data, with: &o, epochs: epochs, progress: progress)
            case .blr:
                var o = BayesianLearningRule(for: network, datasetSize: data.count, learningRate: learningRate ?? 0.02,
                                             initialCurvature: 1, seed: seed &+ 2)
                history = try trainer.train(&network, on: data, with: &o, epochs: epochs, progress: progress)
                posteriorVariance = o.posteriorVariance.map(\.elements)
            }
        } catch {
            throw CLIError(error.description)
        }
        let model = TrainedNetworkFile(task: task.rawValue, optimizer: optimizer.rawValue, response: response, features: featureNames,
                                       standardization: standardization, classes: classes, responseMean: responseMean,
                                       responseScale: responseScale, network: network, posteriorVariance: posteriorVariance)
        var testFields: [(String, JSONValue)]?
        if let testFile = test {
            testFields = try evaluate(model, on: testFile)
        }
        if let path = save { try model.write(path) }

        switch format {
        case .json:
            var fields: [(String, JSONValue)] = [
                ("optimizer", .string(optimizer.rawValue)),
                ("epochs", .array(history.map { .object([("epoch", .integer($0.epoch)), ("trainLoss", .finiteOrNull($0.trainLoss)),
                                                         ("seconds", .number($0.seconds))]) })),
            ]
            if let t = testFields { fields.append(("test", .object(t))) }
            print(JSONValue.object(fields).serialized)
        case .table:
            print("\(optimizer.rawValue): MLP \(network.sizes.map(String.init).joined(separator: "-")) (\(activation.rawValue)), \(task.rawValue), \(data.count) training rows")
            print("epoch  train loss      seconds")
            for r in history {
                print(String(r.epoch).padding(toLength: 7, withPad: " ", startingAt: 0)
                      + formatNumber(r.trainLoss).padding(toLength: 16, withPad: " ", startingAt: 0) + String(format: "%.3f", r.seconds))
            }
            if let t = testFields {
                print("test: " + t.map { "\($0.0) \($0.1.serialized)" }.joined(separator: ", "))
            }
        }
    }

    /// Test metrics of a trained model on another CSV file with the same columns.
    func evaluate(_ model: TrainedNetworkFile, on testFile: String) throws(CLIError) -> [(String, JSONValue)] {
        var table = try InputTable(file: testFile, columns: .named(model.features + [model.response]), options: tableOptions)
        try table.keepComplete(model.features + [model.response], policy: tableOptions.missing)
        let x = try featureMatrix(table, model.features)
        let y = try table.numbers(model.response)
        guard !y.isEmpty else { throw CLIError("\(testFile): no test rows") }
        let mu = try model.predictMeans(x)
        switch task {
        case .classification:
            let index = Dictionary(uniqueKeysWithValues: model.classes!.enumerated().map { ($1, Double($0)) })
            var labels: [Double] = []
            for (i, v) in y.enumerated() {
                guard let c = index[v] else { throw CLIError("\(testFile): label \(v) in row \(i + 1) did not occur in training") }
                labels.append(c)
            }
            let m = ClassificationMetrics(probabilities: mu, labels: labels)
            return [("accuracy", .number(m.accuracy)), ("nll", .finiteOrNull(m.nll)), ("ece", .number(m.ece))]
        case .regression:
            let mean = model.responseMean!, scale = model.responseScale!
            var se = 0.0, nll = 0.0
            for i in 0..<y.count {
                let e = y[i] - (mu.elements[i] * scale + mean)
                se += e * e
                // Unit variance on the standardized scale is N(ŷ, s²) in the response's units.
                nll += 0.5 * (e / scale) * (e / scale) + 0.5 * Foundation.log(2 * Double.pi) + Foundation.log(scale)
            }
            return [("rmse", .number((se / Double(y.count)).squareRoot())), ("nll", .finiteOrNull(nll / Double(y.count)))]
        case .counts:
            var se = 0.0, nll = 0.0
            for i in 0..<y.count {
                guard y[i] >= 0, y[i] == y[i].rounded() else { throw CLIError("\(testFile): count \(y[i]) in row \(i + 1) is not a non-negative integer") }
                let rate = mu.elements[i]
                se += (y[i] - rate) * (y[i] - rate)
                nll += rate - y[i] * Foundation.log(rate) + Foundation.lgamma(y[i] + 1)
            }
            return [("rmse", .number((se / Double(y.count)).squareRoot())), ("nll", .finiteOrNull(nll / Double(y.count)))]
        }
    }
}

/// The named numeric columns over the kept rows as a d × N matrix (columns are samples).
func featureMatrix(_ table: InputTable, _ names: [String]) throws(CLIError) -> Matrix {
    var columns: [[Double]] = []
    for name in names { columns.append(try table.numbers(name)) }
    let n = columns.first?.count ?? 0
    var x = Matrix(rows: names.count, columns: n)
    for (j, c) in columns.enumerated() { for i in 0..<n { x.elements[j + i * names.count] = c[i] } }
    return x
}

extension Activation: ExpressibleByArgument {}
