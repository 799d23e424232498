import RowPasses

extension FisherScoringSolver {
    /// Certifies (quasi-)separation of binomial data along a direction d in coefficient space.
    ///
    /// The data are separated along d when sᵢ = xᵢᵀd has the sign of the response for every
    /// observation at y = 1 (sᵢ ≥ 0) and y = 0 (sᵢ ≤ 0), is 0 for observations with 0 < y < 1, and is
    /// non-zero for some: then the likelihood keeps increasing along d and the maximum-likelihood
    /// estimate does not exist. Fisher scoring on such data moves along the separating direction at
    /// every step, so the last step is the direction to test. A tolerance of 1e-3·maxᵢ|sᵢ| absorbs
    /// the part of the step that still converges on the non-separated observations.
    /// On a distributed fit the largest |sᵢ|, the counts, the sign test's outcome and the column norms are
    /// completed over the processes.
    /// - Returns: the `.separation` error, or nil when d does not separate the data (or `.reductionFailed`).
    mutating func detectSeparation(direction d: [Double]) -> GLMError? {
        guard d.contains(where: { $0 != 0 && $0.isFinite }), !d.contains(where: { !$0.isFinite }) else { return nil }
        // Two passes over the plan's partition: sᵢ = xᵢᵀd (written to the rows of the score contributions, an
        // output used as scratch) and the largest |sᵢ|; then the sign test against 1e-3 of it, on those sᵢ
        // (X is read once: recomputing sᵢ would add a read of X, ≈ 5 % of a logistic fit at d = 200).
        let partition = plan.passPartition
        let direction = design.split(d, features: &featureCoefficients)
        let s = scoreContributions
        let design = self.design, data = self.data, coefficients = featureCoefficients
        var largest = SeparationLargest()
        _ = executor.run(partition, total: &largest,
                         slots: GroupSlots(count: partition.groupCount) { SeparationLargest() }) { rows, sum in
            design.linearPredictor(rows, featureCoefficients: coefficients, intercept: direction, offset: nil, into: s)
            for i in rows where data.priorWeights[i] > 0 { sum.value = Swift.max(sum.value, Swift.abs(s[i])) }
            return true
        }
        var largestValue = [largest.value]
        do throws(GLMError) { try sums.maximum(&largestValue) } catch { return error }
        largest.value = largestValue[0]
        guard largest.value > 0 else { return nil }
        let tolerance = 1e-3 * largest.value
        var counts = SeparationCounts()
        let separates = executor.run(partition, total: &counts,
                                     slots: GroupSlots(count: partition.groupCount) { SeparationCounts() }) { rows, sum in
            for i in rows where data.priorWeights[i] > 0 {
                sum.weighted += 1
                let si = s[i], y = data.response[i]
                if y == 1 {
                    if si < -tolerance { return false }
                } else if y == 0 {
                    if si > tolerance { return false }
                } else if Swift.abs(si) > tolerance {
                    return false
                }
                if Swift.abs(si) > tolerance { sum.separated += 1 }
            }
            return true
        }
        var tally = [separates ? 0 : 1, Double(counts.separated), Double(counts.weighted)]
        do throws(GLMError) { try sums.sum(&tally) } catch { return error }
        guard tally[0] == 0, tally[1] > 0 else { return nil }
        let separated = Int(tally[1]), weighted = Int(tally[2])
        // Columns ranked by their contribution |dⱼ|·‖xⱼ‖ to the separating combination.
        var norms = [Double](repeating: 0, count: p)
        for j in 0..<p {
            if data.hasIntercept && j == 0 {
                norms[j] = Double(data.totalRows)
            } else {
                let column = j - (data.hasIntercept ? 1 : 0)
                for i in 0..<n { let x = data.features[i, column]; norms[j] += x * x }
            }
        }
        if sums.reduction != nil {
            if data.hasIntercept { norms[0] = 0 }
            do throws(GLMError) { try sums.sum(&norms) } catch { return error }
            if data.hasIntercept { norms[0] = Double(data.totalRows) }
        }
        let contribution = (0..<p).map { j in (j, Swift.abs(d[j]) * norms[j].squareRoot()) }
        let top = contribution.map(\.1).max() ?? 0
        let columns = contribution.filter { $0.1 > 1e-3 * top }.sorted { $0.1 > $1.1 }.prefix(5).map { data.names[$0.0] }
        return .separation(perfect: separated == weighted, separatedObservations: separated, columns: columns)
    }
}

/// The largest |xᵢᵀd| over the rows added (the separation check's first pass).
struct SeparationLargest: RowAccumulator {
    var value = 0.0
    mutating func reset() { value = 0 }
    mutating func merge(_ other: SeparationLargest) { value = Swift.max(value, other.value) }
}

/// The rows with a positive weight, and those among them with |xᵢᵀd| above the tolerance (its second pass).
struct SeparationCounts: RowAccumulator {
    var weighted = 0
    var separated = 0
    mutating func reset() { weighted = 0; separated = 0 }
    mutating func merge(_ other: SeparationCounts) { weighted += other.weighted; separated += other.separated }
}
