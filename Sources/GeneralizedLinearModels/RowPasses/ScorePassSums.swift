import RowPasses

/// The sums of one evaluation pass at β (`FisherScoringSolver.evaluate`): the deviance Σᵢ pᵢd(yᵢ, μᵢ), the
/// intercept's score Σᵢuᵢ and the features' score X_featuresᵀu, over the rows added so far.
struct ScorePassSums: RowAccumulator {
    var deviance = 0.0
    var uSum = 0.0
    /// k entries.
    var featureScore: [Double]

    init(featureCount k: Int) {
        featureScore = [Double](repeating: 0, count: k)
    }

    mutating func reset() {
        deviance = 0
        uSum = 0
        for j in featureScore.indices { featureScore[j] = 0 }
    }

    mutating func merge(_ other: ScorePassSums) {
        deviance += other.deviance
        uSum += other.uSum
        for j in featureScore.indices { featureScore[j] += other.featureScore[j] }
    }
}
