import Testing
import LinearAlgebra
import NeuralNetworks

@Suite("Seeded training is reproducible bit for bit")
struct ReproducibilityTests {
    func run(_ optimizer: String) throws -> (MultilayerPerceptron, [Double]) {
        let data = try syntheticData(.categorical(classes: 3), samples: 100, features: 4, seed: 8)
        var net = MultilayerPerceptron(inputs: 4, hidden: [8], activation: .relu, output: .categorical(classes: 3), seed: 6)
        let trainer = Trainer(batchSize: 32, seed: 10)
        let history: [EpochRecord]
        switch optimizer {
        case "adam": var o = Adam(for: net); history = try trainer.train(&net, on: data, with: &o, epochs: 3)
        case "sgd": var o = MomentumSGD(for: net); history = try trainer.train(&net, on: data, with: &o, epochs: 3)
        case "kfac": var o = KFAC(for: net, seed: 3); history = try trainer.train(&net, on: data, with: &o, epochs: 3)
        default: var o = BayesianLearningRule(for: net, datasetSize: 100, seed: 3); history = try trainer.train(&net, on: data, with: &o, epochs: 3)
        }
        return (net, history.map(\.trainLoss))
    }

    @Test("two runs with the same seeds give identical weights and losses", arguments: ["adam", "sgd", "kfac", "blr"])
    func identical(optimizer: String) throws {
        let (a, la) = try run(optimizer)
        let (b, lb) = try run(optimizer)
        #expect(a == b)
        #expect(la == lb)
        #expect(la.allSatisfy { $0.isFinite })
    }
}
