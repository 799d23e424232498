import ArgumentParser
import Foundation
import LinearAlgebra
import NeuralNetworks
import NaturalGradientOptimizer

/// Optimizer comparison on the digits data (MLP 64-128-128-10) and a regression on the diabetes data.
/// Every optimizer gets the same initialization, the same shuffles and batches (Trainer seed), and runs
/// in this process one after the other; times are wall-clock seconds inside optimizer steps.
struct NNBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "nn-bench")

    @Option(help: "Directory with digits_train.csv, digits_test.csv and diabetes.csv.")
    var data = "Tests/Reference/datasets"
    @Option(help: "Epochs for every optimizer.")
    var epochs = 100
    @Option(help: "Mini-batch size.")
    var batch = 64
    @Option(help: "Directory for the per-epoch CSV curves.")
    var output = ".build/nn-bench"
    @Option(help: "Hidden activation: tanh or relu.")
    var activation = "tanh"
    @Option(help: "Epochs (= full-batch steps) of the autoencoder comparison (0 skips it).")
    var autoencoderEpochs = 300
    @Flag(help: "Skip the diabetes regression.")
    var classificationOnly = false
    @Option(help: "BLR prior precision δ.")
    var blrPrior = 1.0
    @Option(help: "BLR learning rate α.")
    var blrLearningRate = 0.02
    @Option(help: "In the BLR grid, only the tempered settings (any value).")
    var blrSettingFilter: String?
    @Option(help: "BLR initial curvature h₀ (σ² starts at 1/(N h₀ + δ)).")
    var blrInitialCurvature = 1.0
    @Option(help: "BLR effective-sample-size factor τ (σ² = 1/(τN·h + δ)).")
    var blrTemper = 1
    @Option(help: "Profile one optimizer on digits (kfac, blr or adam) and exit.")
    var profile: String?

    func run() throws {
        try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
        let act = Activation(rawValue: activation) ?? .tanh
        if let name = profile { try profileOne(name, act); return }
        try digits(act)
        if autoencoderEpochs > 0 { try autoencoder(act) }
        if !classificationOnly { try diabetes(act) }
    }

    func write(_ name: String, _ records: [EpochRecord]) throws {
        var text = "epoch,trainLoss,seconds\n"
        for r in records { text += "\(r.epoch),\(r.trainLoss),\(r.seconds)\n" }
        try text.write(toFile: output + "/" + name + ".csv", atomically: true, encoding: .utf8)
    }

    func digits(_ act: Activation) throws {
        let train = try loadTable(data + "/digits_train.csv", response: "label")
        let test = try loadTable(data + "/digits_test.csv", response: "label")
        let out = OutputFamily.categorical(classes: 10)
        let standardization = FeatureStandardization(fitting: train.features)
        let trainData = try LabeledData(features: standardization.apply(train.features), responses: train.responses, output: out)
        let testData = try LabeledData(features: standardization.apply(test.features), responses: test.responses, output: out)
        let initial = MultilayerPerceptron(inputs: 64, hidden: [128, 128], activation: act, output: out, seed: 2026)
        let trainer = Trainer(batchSize: batch, seed: 17)
        print("## digits: MLP 64-128-128-10 (\(act.rawValue)), batch \(batch), \(epochs) epochs, N = \(trainData.count)\n")

        // Adam: grid of 5 learning rates, best final training loss.
        var adamRuns: [(Double, [EpochRecord], MultilayerPerceptron)] = []
        for lr in [1e-4, 3e-4, 1e-3, 3e-3, 1e-2] {
            var net = initial
            var adam = Adam(for: net, learningRate: lr)
            let h = try trainer.train(&net, on: trainData, with: &adam, epochs: epochs)
            adamRuns.append((lr, h, net))
            print("adam lr \(lr): final train loss \(h.last!.trainLoss), \(fmt(h.last!.seconds)) s")
        }
        let bestAdam = adamRuns.min { $0.1.last!.trainLoss < $1.1.last!.trainLoss }!
        try write("digits-adam", bestAdam.1)
        var sgdRuns: [(Double, [EpochRecord], MultilayerPerceptron)] = []
        for lr in [0.01, 0.03, 0.1] {
            var net = initial
            var sgd = MomentumSGD(for: net, learningRate: lr, momentum: 0.9)
            let h = try trainer.train(&net, on: trainData, with: &sgd, epochs: epochs)
            sgdRuns.append((lr, h, net))
            print("sgd lr \(lr): final train loss \(h.last!.trainLoss)")
        }
        let bestSGD = sgdRuns.min { $0.1.last!.trainLoss < $1.1.last!.trainLoss }!
        try write("digits-sgd", bestSGD.1)

        var kfacNet = initial
        var kfac = KFAC(for: kfacNet, seed: 5)
        let kfacHistory = try trainer.train(&kfacNet, on: trainData, with: &kfac, epochs: epochs)
        try write("digits-kfac", kfacHistory)

        var blrNet = initial
        var blr = BayesianLearningRule(for: blrNet, datasetSize: trainData.count * blrTemper, learningRate: blrLearningRate, beta1: 0.9,
                                       beta2: 0.999, priorPrecision: blrPrior, initialCurvature: blrInitialCurvature, seed: 5)
        let blrHistory = try trainer.train(&blrNet, on: trainData, with: &blr, epochs: epochs)
        try write("digits-blr", blrHistory)

        let target = bestAdam.1.last!.trainLoss
        print("\nAdam's best learning rate \(bestAdam.0); its final training loss \(sci(target)) is the target.\n")
        print("| optimizer | final train loss | epochs to Adam's final loss | seconds to it | total seconds | s/epoch |")
        print("|---|---|---|---|---|---|")
        for (name, h) in [("Adam (lr \(bestAdam.0))", bestAdam.1), ("SGD+momentum (lr \(bestSGD.0))", bestSGD.1),
                          ("K-FAC", kfacHistory), ("BLR (posterior mean)", blrHistory)] {
            let hit = h.first { $0.trainLoss <= target }
            print("| \(name) | \(sci(h.last!.trainLoss)) | \(hit.map { "\($0.epoch)" } ?? "not reached") | "
                + "\(hit.map { fmt($0.seconds) } ?? "–") | \(fmt(h.last!.seconds)) | \(fmt(h.last!.seconds / Double(h.count))) |")
        }
        print("\nK-FAC final λ = \(sci(kfac.damping)), last ρ = \(fmt(kfac.lastRatio))\n")

        // Test-set quality: Adam's point estimate (best lr) vs the BLR's predictive average.
        let adamProbabilities = try bestAdam.2.predictMeans(testData.features)
        let blrPredictive = try blr.predictiveMeans(blrNet, testData.features, samples: 32, seed: 9)
        let blrMean = try blrNet.predictMeans(testData.features)
        let kfacProbabilities = try kfacNet.predictMeans(testData.features)
        print("| model (test set, N = \(testData.count)) | accuracy | NLL | ECE (15 bins) |")
        print("|---|---|---|---|")
        var reliability = "model,confidence,accuracy,count\n"
        for (name, p) in [("Adam (lr \(bestAdam.0))", adamProbabilities), ("K-FAC", kfacProbabilities),
                          ("BLR predictive (32 samples)", blrPredictive), ("BLR at the posterior mean", blrMean)] {
            let m = ClassificationMetrics(probabilities: p, labels: testData.responses)
            print("| \(name) | \(fmt(100 * m.accuracy)) % | \(fmt(m.nll)) | \(fmt(m.ece)) |")
            for b in m.reliability { reliability += "\(name),\(b.confidence),\(b.accuracy),\(b.count)\n" }
        }
        // Every Adam learning rate on the test set, so the comparison is not only against the one chosen by training loss.
        print("\nBLR: α = \(blrLearningRate), prior precision δ = \(blrPrior), effective sample size \(blrTemper)·N, β₂ = 0.999, h₀ = \(blrInitialCurvature).")
        print("\n| Adam lr | test accuracy | test NLL | test ECE |")
        print("|---|---|---|---|")
        for (lr, _, net) in adamRuns {
            let m = ClassificationMetrics(probabilities: try net.predictMeans(testData.features), labels: testData.responses)
            print("| \(lr) | \(fmt(100 * m.accuracy)) % | \(fmt(m.nll)) | \(fmt(m.ece)) |")
        }
        try reliability.write(toFile: output + "/digits-reliability.csv", atomically: true, encoding: .utf8)
        print("")
    }

    /// BLR settings chosen on a validation split of the training file (first 80 % train, last 20 % validate).
    func blrGrid(_ act: Activation) throws {
        let train = try loadTable(data + "/digits_train.csv", response: "label")
        let n = train.responses.count, cut = n * 4 / 5
        let out = OutputFamily.categorical(classes: 10)
        let fitX = selectColumns(train.features, Array(0..<cut)), valX = selectColumns(train.features, Array(cut..<n))
        let st = FeatureStandardization(fitting: fitX)
        let fit = try LabeledData(features: st.apply(fitX), responses: Array(train.responses[0..<cut]), output: out)
        let valY = Array(train.responses[cut..<n]), valF = st.apply(valX)
        let initial = MultilayerPerceptron(inputs: 64, hidden: [128, 128], activation: act, output: out, seed: 2026)
        let trainer = Trainer(batchSize: batch, seed: 17)
        print("| optimizer | setting | validation accuracy | NLL | ECE |")
        print("|---|---|---|---|---|")
        for lr in [1e-3, 1e-2] {
            var net = initial
            var o = Adam(for: net, learningRate: lr)
            _ = try trainer.train(&net, on: fit, with: &o, epochs: epochs)
            let m = ClassificationMetrics(probabilities: try net.predictMeans(valF), labels: valY)
            print("| Adam | lr \(lr) | \(fmt(100 * m.accuracy)) % | \(fmt(m.nll)) | \(fmt(m.ece)) |")
        }
        // δ and α first (ESS factor 1), then the effective sample size N·τ (a tempered posterior, τ > 1).
        let settings: [(Double, Double, Int)] = [(1, 0.02, 1), (1, 0.05, 1), (1, 0.1, 1), (10, 0.02, 1), (10, 0.05, 1),
                                                 (10, 0.1, 1), (100, 0.02, 1), (100, 0.05, 1), (100, 0.1, 1),
                                                 (1, 0.02, 4), (1, 0.02, 16), (1, 0.05, 4), (1, 0.05, 16)]
        if blrSettingFilter != "h0" {
            for (prior, lr, tau) in settings where blrSettingFilter == nil || tau > 1 {
                var net = initial
                var o = BayesianLearningRule(for: net, datasetSize: fit.count * tau, learningRate: lr, priorPrecision: prior, seed: 5)
                _ = try trainer.train(&net, on: fit, with: &o, epochs: epochs)
                let m = ClassificationMetrics(probabilities: try o.predictiveMeans(net, valF, samples: 32, seed: 9), labels: valY)
                print("| BLR | δ \(prior), α \(lr), N·\(tau) | \(fmt(100 * m.accuracy)) % | \(fmt(m.nll)) | \(fmt(m.ece)) |")
            }
        }
        // The curvature's start h₀ and its averaging β₂ (δ = 1).
        let curvatureSettings: [(Double, Double, Double)] = [(0.02, 1, 0.999), (0.05, 1, 0.999), (0.1, 1, 0.999),
                                                             (0.02, 0.1, 0.9999), (0.05, 1, 0.9999)]
        for (lr, h0, b2) in curvatureSettings where blrSettingFilter == nil || blrSettingFilter == "h0" {
            var net = initial
            var o = BayesianLearningRule(for: net, datasetSize: fit.count, learningRate: lr, beta2: b2, priorPrecision: 1,
                                         initialCurvature: h0, seed: 5)
            _ = try trainer.train(&net, on: fit, with: &o, epochs: epochs)
            let m = ClassificationMetrics(probabilities: try o.predictiveMeans(net, valF, samples: 32, seed: 9), labels: valY)
            print("| BLR | δ 1, α \(lr), h₀ \(h0), β₂ \(b2) | \(fmt(100 * m.accuracy)) % | \(fmt(m.nll)) | \(fmt(m.ece)) |")
        }
    }

    func profileOne(_ name: String, _ act: Activation) throws {
        if name == "blr-grid" { try blrGrid(act); return }
        let train = try loadTable(data + "/digits_train.csv", response: "label")
        let out = OutputFamily.categorical(classes: 10)
        let st = FeatureStandardization(fitting: train.features)
        let trainData = try LabeledData(features: st.apply(train.features), responses: train.responses, output: out)
        var net = MultilayerPerceptron(inputs: 64, hidden: [128, 128], activation: act, output: out, seed: 2026)
        let trainer = Trainer(batchSize: batch, seed: 17)
        let h: [EpochRecord]
        switch name {
        case "kfac": var o = KFAC(for: net, seed: 5); h = try trainer.train(&net, on: trainData, with: &o, epochs: epochs)
        case "blr": var o = BayesianLearningRule(for: net, datasetSize: trainData.count, learningRate: 0.05, seed: 5); h = try trainer.train(&net, on: trainData, with: &o, epochs: epochs)
        default: var o = Adam(for: net, learningRate: 0.01); h = try trainer.train(&net, on: trainData, with: &o, epochs: epochs)
        }
        let perEpoch = zip(h, [EpochRecord(epoch: 0, trainLoss: 0, seconds: 0)] + h).map { $0.seconds - $1.seconds }.sorted()
        print("\(name): median \(String(format: "%.4f", perEpoch[perEpoch.count / 2])) s/epoch, mean \(String(format: "%.4f", h.last!.seconds / Double(h.count))), final train loss \(sci(h.last!.trainLoss))")
    }

    /// Full-batch autoencoder 64-32-8-32-64 on the standardized training digits: unit-variance Gaussian
    /// reconstruction (a diagonalNormal(64) output), Adam (best of 5 learning rates) against K-FAC.
    func autoencoder(_ act: Activation) throws {
        let train = try loadTable(data + "/digits_train.csv", response: "label")
        let st = FeatureStandardization(fitting: train.features)
        let x = st.apply(train.features)
        let out = OutputFamily.diagonalNormal(dimensions: 64)
        let data = try LabeledData(features: x, targets: x, output: out)
        let initial = MultilayerPerceptron(inputs: 64, hidden: [32, 8, 32], activation: act, output: out, seed: 2026)
        let trainer = Trainer(batchSize: data.count, seed: 17)
        let e = autoencoderEpochs
        print("## autoencoder 64-32-8-32-64 (\(act.rawValue)), full batch (N = \(data.count)), \(e) steps\n")
        var best: (Double, [EpochRecord])?
        for lr in [1e-3, 3e-3, 1e-2, 3e-2, 1e-1] {
            var net = initial
            var adam = Adam(for: net, learningRate: lr)
            let h = try trainer.train(&net, on: data, with: &adam, epochs: e)
            print("adam lr \(lr): final train loss \(h.last!.trainLoss)")
            if best == nil || h.last!.trainLoss < best!.1.last!.trainLoss { best = (lr, h) }
        }
        try write("ae-adam", best!.1)
        var kn = initial
        var kfac = KFAC(for: kn, seed: 5)
        let kh = try trainer.train(&kn, on: data, with: &kfac, epochs: e)
        try write("ae-kfac", kh)
        let target = best!.1.last!.trainLoss
        print("\nLoss = mean over images of ½‖x − x̂‖² + 32 log 2π (32 log 2π ≈ 58.81 is the floor).\n")
        print("| optimizer | final train loss | steps to Adam's final loss | seconds to it | total seconds |")
        print("|---|---|---|---|---|")
        for (name, h) in [("Adam (lr \(best!.0))", best!.1), ("K-FAC", kh)] {
            let hit = h.first { $0.trainLoss <= target }
            print("| \(name) | \(fmt(h.last!.trainLoss)) | \(hit.map { "\($0.epoch)" } ?? "not reached") | \(hit.map { fmt($0.seconds) } ?? "–") | \(fmt(h.last!.seconds)) |")
        }
        print("\nK-FAC final λ = \(sci(kfac.damping))\n")
    }

    func diabetes(_ act: Activation) throws {
        let all = try loadTable(data + "/diabetes.csv", response: "progression")
        let n = all.responses.count
        // A fixed 80/20 split: every fifth row (in file order) is a test row.
        let testIdx = (0..<n).filter { $0 % 5 == 4 }, trainIdx = (0..<n).filter { $0 % 5 != 4 }
        let trainX = selectColumns(all.features, trainIdx), testX = selectColumns(all.features, testIdx)
        let trainY = trainIdx.map { all.responses[$0] }, testY = testIdx.map { all.responses[$0] }
        let ym = trainY.reduce(0, +) / Double(trainY.count)
        let ys = (trainY.map { ($0 - ym) * ($0 - ym) }.reduce(0, +) / Double(trainY.count)).squareRoot()
        let st = FeatureStandardization(fitting: trainX)
        let trainData = try LabeledData(features: st.apply(trainX), responses: trainY.map { ($0 - ym) / ys }, output: .normal)
        let testFeatures = st.apply(testX)
        let initial = MultilayerPerceptron(inputs: trainX.rows, hidden: [64, 64], activation: act, output: .normal, seed: 2026)
        let trainer = Trainer(batchSize: 32, seed: 17)
        print("## diabetes: MLP \(trainX.rows)-64-64-1 (\(act.rawValue)), normal output on the standardized response, batch 32, \(epochs) epochs, N = \(trainY.count) / \(testY.count)\n")
        print("| optimizer | final train loss | total seconds | test RMSE (original units) |")
        print("|---|---|---|---|")
        func rmse(_ mu: Matrix) -> Double {
            var s = 0.0
            for i in 0..<testY.count { let e = mu.elements[i] * ys + ym - testY[i]; s += e * e }
            return (s / Double(testY.count)).squareRoot()
        }
        var adamBest: (Double, [EpochRecord], MultilayerPerceptron)?
        for lr in [1e-4, 3e-4, 1e-3, 3e-3, 1e-2] {
            var net = initial
            var adam = Adam(for: net, learningRate: lr)
            let h = try trainer.train(&net, on: trainData, with: &adam, epochs: epochs)
            if adamBest == nil || h.last!.trainLoss < adamBest!.1.last!.trainLoss { adamBest = (lr, h, net) }
        }
        let adamRMSE = rmse(try adamBest!.2.predictMeans(testFeatures))
        print("| Adam (lr \(adamBest!.0)) | \(fmt(adamBest!.1.last!.trainLoss)) | \(fmt(adamBest!.1.last!.seconds)) | \(fmt(adamRMSE)) |")
        var kn = initial
        var kfac = KFAC(for: kn, seed: 5)
        let kh = try trainer.train(&kn, on: trainData, with: &kfac, epochs: epochs)
        let kfacRMSE = rmse(try kn.predictMeans(testFeatures))
        print("| K-FAC | \(fmt(kh.last!.trainLoss)) | \(fmt(kh.last!.seconds)) | \(fmt(kfacRMSE)) |")
        var bn = initial
        var blr = BayesianLearningRule(for: bn, datasetSize: trainY.count, learningRate: 0.05, priorPrecision: 1, seed: 5)
        let bh = try trainer.train(&bn, on: trainData, with: &blr, epochs: epochs)
        let blrRMSE = rmse(try blr.predictiveMeans(bn, testFeatures, samples: 32, seed: 9))
        print("| BLR (predictive mean, 32 samples) | \(fmt(bh.last!.trainLoss)) | \(fmt(bh.last!.seconds)) | \(fmt(blrRMSE)) |")
        print("\nThe training loss is the mean Gaussian NLL with unit variance on the standardized response (½ log 2π ≈ 0.919 is its floor).")
    }
}

func fmt(_ x: Double) -> String { String(format: "%.3f", x) }
func sci(_ x: Double) -> String { String(format: "%.3e", x) }

NNBench.main()
