import RealModule

// Derived quantities, written once in terms of the protocol requirements.

extension ExponentialFamily {
    public func hasSameHyperparameters(as other: Self) -> Bool { dimension == other.dimension }

    public func klDivergence(to q: Self) -> Double { bregmanDivergence(to: q) }

    /// KL(self ‖ q) in the Bregman form A(θq) − A(θp) − (θq − θp)·μp, clamped at 0 (rounding can make it
    /// slightly negative). A NaN (an overflowed A(θ) or μ) is returned as NaN, not clamped to 0.
    ///
    /// Its float64 error is about ε·(|A(θq)| + |A(θp)| + Σ|(θq − θp)ₖ μp,ₖ|): relative accuracy is lost
    /// when p ≈ q. ``klDivergence(to:)`` is the accurate entry point; this one is kept for tests.
    /// - Precondition: `hasSameHyperparameters(as: q)`.
    public func bregmanDivergence(to q: Self) -> Double {
        precondition(hasSameHyperparameters(as: q), "KL between members with different hyperparameters (\(Self.self))")
        let tp = naturalParameters, tq = q.naturalParameters, mp = meanParameters
        var inner = 0.0
        for k in tp.indices { inner += (tq[k] - tp[k]) * mp[k] }
        let divergence = q.logPartition - logPartition - inner
        return divergence.isNaN ? divergence : Swift.max(0, divergence)
    }

    public var entropy: Double {
        let t = naturalParameters, m = meanParameters
        var inner = 0.0
        for k in t.indices { inner += t[k] * m[k] }
        return logPartition - inner - expectedLogBaseMeasure
    }

    /// Cross-entropy H(p, q) = −E_p[log q(x)] = A(θq) − θq·μp − E_p[log h(x)], evaluated as
    /// H(p) + KL(p ‖ q) so that it inherits the accuracy of both.
    /// - Precondition: `hasSameHyperparameters(as: q)`.
    public func crossEntropy(to q: Self) -> Double { entropy + klDivergence(to: q) }

    public func accumulateSufficientStatistics(_ x: Observation, into sum: inout [Double]) throws(ExponentialFamilyError) {
        let t = try sufficientStatistics(x)
        for k in t.indices { sum[k] += t[k] }
    }

    public func maximumLikelihoodObstruction(averageStatistics mu: [Double]) -> String? { nil }

    public func logDensity(_ x: Observation) throws(ExponentialFamilyError) -> Double {
        let t = try sufficientStatistics(x)
        let theta = naturalParameters
        var inner = 0.0
        for k in t.indices { inner += theta[k] * t[k] }
        return try logBaseMeasure(x) + inner - logPartition
    }

    public func logLikelihood<S: Sequence>(of data: S) throws(ExponentialFamilyError) -> Double
    where S.Element == Observation {
        var sum = 0.0, compensation = 0.0
        var n = 0
        for x in data {
            let term: Double
            do { term = try logDensity(x) } catch { throw error.locatedAt(index: n) }
            let s = sum + term
            compensation += Swift.abs(sum) >= Swift.abs(term) ? (sum - s) + term : (term - s) + sum
            sum = s
            n += 1
        }
        return sum + compensation
    }

    public func fitted<S: Sequence>(to data: S) throws(ExponentialFamilyError) -> Self where S.Element == Observation {
        let mu = try averageSufficientStatistics(of: data)
        return try withMaximumLikelihoodMean(mu)
    }

    /// μ̂ = (1/n)·Σ T(xᵢ), summed with Neumaier's compensation (error ≈ 2ε·Σ|T| instead of n·ε·Σ|T|).
    /// - Throws: `.maximumLikelihoodDoesNotExist` when there are no data, `.outsideSupport(index: i, …)`.
    public func averageSufficientStatistics<S: Sequence>(of data: S) throws(ExponentialFamilyError) -> [Double]
    where S.Element == Observation {
        let d = dimension
        var t = [Double](repeating: 0, count: d)
        var sum = [Double](repeating: 0, count: d)
        var compensation = [Double](repeating: 0, count: d)
        var n = 0
        for x in data {
            for k in 0..<d { t[k] = 0 }
            do { try accumulateSufficientStatistics(x, into: &t) } catch { throw error.locatedAt(index: n) }
            for k in 0..<d {
                let s = sum[k] + t[k]
                if Swift.abs(sum[k]) >= Swift.abs(t[k]) {
                    compensation[k] += (sum[k] - s) + t[k]
                } else {
                    compensation[k] += (t[k] - s) + sum[k]
                }
                sum[k] = s
            }
            n += 1
        }
        guard n > 0 else { throw .maximumLikelihoodDoesNotExist(reason: "there are no observations") }
        return (0..<d).map { (sum[$0] + compensation[$0]) / Double(n) }
    }

    /// `withMeanParameters(mu)`, with domain errors reported as `.maximumLikelihoodDoesNotExist`
    /// (μ̂ on the boundary of, or outside, the mean space) with the family's explanation.
    public func withMaximumLikelihoodMean(_ mu: [Double]) throws(ExponentialFamilyError) -> Self {
        if let reason = maximumLikelihoodObstruction(averageStatistics: mu) {
            throw .maximumLikelihoodDoesNotExist(reason: reason)
        }
        do {
            return try withMeanParameters(mu)
        } catch {
            switch error {
            case .outsideDomain, .nonFinite:
                throw .maximumLikelihoodDoesNotExist(
                    reason: "the average sufficient statistic is not in the interior of the mean space (\(error))")
            default:
                throw error
            }
        }
    }
}

extension ExponentialFamilyError {
    /// The same error with the datum's index filled in (for `.outsideSupport`).
    func locatedAt(index: Int) -> ExponentialFamilyError {
        if case let .outsideSupport(nil, description) = self { return .outsideSupport(index: index, description: description) }
        return self
    }
}
