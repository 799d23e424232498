extension FisherScoringSolver {
    /// Certifies (quasi-)separation of binomial data along a direction d in coefficient space.
    ///
    /// The data are separated along d when sᵢ = xᵢᵀd has the sign of the response for every
    /// observation at y = 1 (sᵢ ≥ 0) and y = 0 (sᵢ ≤ 0), is 0 for observations with 0 < y < 1, and is
    /// non-zero for some: then the likelihood keeps increasing along d and the maximum-likelihood
    /// estimate does not exist. Fisher scoring on such data moves along the separating direction at
    /// every step, so the last step is the direction to test. A tolerance of 1e-3·maxᵢ|sᵢ| absorbs
    /// the part of the step that still converges on the non-separated observations.
    /// - Returns: the `.separation` error, or nil when d does not separate the data.
    mutating func detectSeparation(direction d: [Double]) -> GLMError? {
        guard d.contains(where: { $0 != 0 && $0.isFinite }), !d.contains(where: { !$0.isFinite }) else { return nil }
        var v = [Double]()
        swap(&v, &scoreContributions)
        linearPredictor(d, into: &v)
        swap(&v, &scoreContributions)
        var largest = 0.0
        for i in 0..<n where data.priorWeights[i] > 0 { largest = Swift.max(largest, Swift.abs(scoreContributions[i])) }
        guard largest > 0 else { return nil }
        let tolerance = 1e-3 * largest
        var separated = 0, weighted = 0
        for i in 0..<n where data.priorWeights[i] > 0 {
            weighted += 1
            let s = scoreContributions[i], y = data.response[i]
            if y == 1 {
                if s < -tolerance { return nil }
            } else if y == 0 {
                if s > tolerance { return nil }
            } else if Swift.abs(s) > tolerance {
                return nil
            }
            if Swift.abs(s) > tolerance { separated += 1 }
        }
        guard separated > 0 else { return nil }
        // Columns ranked by their contribution |dⱼ|·‖xⱼ‖ to the separating combination.
        var contribution = [(Int, Double)]()
        for j in 0..<p {
            var norm = 0.0
            if data.hasIntercept && j == 0 {
                norm = Double(n)
            } else {
                let column = j - (data.hasIntercept ? 1 : 0)
                for i in 0..<n { let x = data.features[i, column]; norm += x * x }
            }
            contribution.append((j, Swift.abs(d[j]) * norm.squareRoot()))
        }
        let top = contribution.map(\.1).max() ?? 0
        let columns = contribution.filter { $0.1 > 1e-3 * top }.sorted { $0.1 > $1.1 }.prefix(5).map { data.names[$0.0] }
        return .separation(perfect: separated == weighted, separatedObservations: separated, columns: columns)
    }
}
