/// An optimizer that updates a network from the batch loaded in a workspace; ``Trainer`` runs every
/// optimizer through the same data pipeline (same shuffles, same batches, same initialization).
public protocol NetworkOptimizer {
    /// A name for reports ("adam", "sgd", "kfac", "blr").
    var name: String { get }
    /// One update on the loaded batch.
    /// - Returns: the batch loss at the weights before the update (for the BLR: at the sampled weights).
    /// - Throws: ``NeuralNetworkError`` when a factorization fails beyond recovery.
    mutating func step(_ network: inout MultilayerPerceptron, _ ws: inout NetworkWorkspace) throws(NeuralNetworkError) -> Double
}
