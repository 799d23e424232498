import LinearAlgebra

/// Test-set quality of predicted class probabilities P (K × N, columns sum to 1) against labels yᵢ.
///
///     accuracy = (1/N) Σᵢ [argmaxₖ Pₖᵢ = yᵢ],
///     NLL      = −(1/N) Σᵢ log P_{yᵢ i}   (probabilities floored at 1e-300 so a confident miss is finite),
///     ECE      = Σ_b (n_b/N)·|acc_b − conf_b|,
///
/// the expected calibration error over `bins` equal-width bins of the confidence maxₖ Pₖᵢ (Guo et al. 2017;
/// 15 bins by default), with acc_b and conf_b the accuracy and mean confidence in bin b.
public struct ClassificationMetrics: Sendable, Equatable, Hashable, Codable {
    /// Fraction of samples whose most probable class is the label.
    public var accuracy: Double
    /// Mean negative log-probability of the label.
    public var nll: Double
    /// Expected calibration error.
    public var ece: Double
    /// Per-bin (mean confidence, accuracy, count), for reliability diagrams.
    public var reliability: [ReliabilityBin]

    /// The metrics of `probabilities` (K × N) for labels 0..<K (as Doubles).
    public init(probabilities p: Matrix, labels: [Double], bins: Int = 15) {
        precondition(p.columns == labels.count && bins >= 1, "\(p.shapeDescription) probabilities for \(labels.count) labels")
        let n = labels.count, k = p.rows
        var correct = 0.0, nll = 0.0
        var conf = [Double](repeating: 0, count: bins), acc = conf, count = [Int](repeating: 0, count: bins)
        for i in 0..<n {
            var best = 0
            for c in 1..<k where p[c, i] > p[best, i] { best = c }
            let y = Int(labels[i])
            let hit = best == y ? 1.0 : 0.0
            correct += hit
            nll -= log(Swift.max(p[y, i], 1e-300))
            let confidence = p[best, i]
            let b = Swift.min(bins - 1, Int(confidence * Double(bins)))
            conf[b] += confidence; acc[b] += hit; count[b] += 1
        }
        var ece = 0.0
        var rel: [ReliabilityBin] = []
        for b in 0..<bins where count[b] > 0 {
            let c = Double(count[b])
            ece += c / Double(n) * Swift.abs(acc[b] / c - conf[b] / c)
            rel.append(ReliabilityBin(confidence: conf[b] / c, accuracy: acc[b] / c, count: count[b]))
        }
        accuracy = correct / Double(n)
        self.nll = nll / Double(n)
        self.ece = ece
        reliability = rel
    }
}

/// One bin of a reliability diagram.
public struct ReliabilityBin: Sendable, Equatable, Hashable, Codable {
    /// Mean confidence in the bin.
    public var confidence: Double
    /// Accuracy in the bin.
    public var accuracy: Double
    /// Samples in the bin.
    public var count: Int
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
