import LinearAlgebra

/// One epoch of a training run.
public struct EpochRecord: Sendable, Equatable, Hashable, Codable {
    /// 1-based.
    public var epoch: Int
    /// Mean loss on the whole training set after the epoch (for the BLR: at the posterior mean).
    public var trainLoss: Double
    /// Cumulative wall-clock seconds spent in optimizer steps (evaluation excluded).
    public var seconds: Double

    /// A record.
    public init(epoch: Int, trainLoss: Double, seconds: Double) {
        self.epoch = epoch
        self.trainLoss = trainLoss
        self.seconds = seconds
    }
}

/// The shared data pipeline: every epoch a seeded permutation of the training samples, cut into
/// batches of B (the last one smaller when B does not divide N), each loaded into a workspace and
/// handed to the optimizer. The shuffle stream depends only on `seed`, so two optimizers see the same
/// batches in the same order, and a seeded run is reproducible bit for bit.
public struct Trainer {
    /// B.
    public let batchSize: Int
    /// Seed of the shuffle stream.
    public let seed: UInt64

    /// A pipeline with batch size B ≥ 1 and a shuffle seed.
    public init(batchSize: Int, seed: UInt64) {
        precondition(batchSize >= 1, "batch size must be ≥ 1, got \(batchSize)")
        self.batchSize = batchSize
        self.seed = seed
    }

    /// Trains for `epochs` epochs, calling `progress` after each.
    /// - Throws: ``NeuralNetworkError/featureCountMismatch(columns:expected:)`` when the data do not fit
    ///   the network (features or target rows), ``NeuralNetworkError/divergence(epoch:loss:)`` when the
    ///   training loss is not finite, or the optimizer's error.
    public func train<Optimizer: NetworkOptimizer>(
        _ network: inout MultilayerPerceptron, on data: LabeledData, with optimizer: inout Optimizer, epochs: Int,
        progress: (EpochRecord) -> Void = { _ in }
    ) throws(NeuralNetworkError) -> [EpochRecord] {
        try network.check(data)
        let n = data.count
        let b = Swift.min(batchSize, n)
        var full = NetworkWorkspace(for: network, batchSize: b)
        let remainder = n % b
        var last = remainder > 0 ? NetworkWorkspace(for: network, batchSize: remainder) : nil
        var evaluation = NetworkWorkspace(for: network, batchSize: n)
        evaluation.load(data, indices: Array(0..<n)[...])
        var random = NetworkRandom(seed: seed)
        var order = Array(0..<n)
        var records: [EpochRecord] = []
        var seconds = 0.0
        let clock = ContinuousClock()
        for epoch in 1...Swift.max(1, epochs) where epochs > 0 {
            random.shuffle(&order)
            let start = clock.now
            var offset = 0
            while offset < n {
                let count = Swift.min(b, n - offset)
                let slice = order[offset..<(offset + count)]
                if count == b {
                    full.load(data, indices: slice)
                    _ = try optimizer.step(&network, &full)
                } else {
                    last!.load(data, indices: slice)
                    _ = try optimizer.step(&network, &last!)
                }
                offset += count
            }
            let elapsed = clock.now - start
            seconds += Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
            let loss = network.forward(&evaluation)
            guard loss.isFinite else { throw .divergence(epoch: epoch, loss: loss) }
            let record = EpochRecord(epoch: epoch, trainLoss: loss, seconds: seconds)
            records.append(record)
            progress(record)
        }
        return records
    }
}
