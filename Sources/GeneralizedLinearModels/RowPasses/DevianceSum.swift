import RowPasses

/// A deviance Σᵢ pᵢd(yᵢ, μᵢ) over the rows added so far (the null deviance's pass).
struct DevianceSum: RowAccumulator {
    var deviance = 0.0

    mutating func reset() { deviance = 0 }

    mutating func merge(_ other: DevianceSum) { deviance += other.deviance }
}
