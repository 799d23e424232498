import LinearAlgebra
import RealModule

/// The data of a penalized GLM fit: a `MixedDesign` (dense columns and categorical blocks), the response,
/// and the optional frequency weights s, offset and exposure (η = Xβ + offset + log(exposure)).
/// Binomial responses are 0/1 or proportions (no trials column: give the trials as weights).
public struct PenalizedGLMData: Sendable {
    /// The design X (n rows): an optional intercept, dense columns and categorical blocks.
    public var design: MixedDesign
    /// n responses.
    public var response: [Double]
    /// Frequency weights sᵢ ≥ 0, or nil for all 1.
    public var weights: [Double]?
    /// A known term of η, or nil.
    public var offset: [Double]?
    /// Exposures > 0 whose logarithms join the offset, or nil.
    public var exposure: [Double]?

    /// Creates the data; the values are checked when a fit prepares them.
    public init(design: MixedDesign, response: [Double], weights: [Double]? = nil, offset: [Double]? = nil,
                exposure: [Double]? = nil) {
        self.design = design
        self.response = response
        self.weights = weights
        self.offset = offset
        self.exposure = exposure
    }

    /// The dense data of an unpenalized fit, as a penalized fit's data (trials are not carried over).
    /// - Throws: `GLMError.nonFiniteValue` for a non-finite feature, `.shapeMismatch` for names that do not fit.
    public init(_ data: GLMData) throws(GLMError) {
        try self.init(design: MixedDesign(features: data.features, names: data.featureNames, intercept: data.includeIntercept),
                      response: data.response, weights: data.weights, offset: data.offset, exposure: data.exposure)
    }

    /// The checked arrays the solver uses: s (all 1 when nil), the total offset o = offset + log(exposure)
    /// (nil when neither is given), and Σs.
    /// - Throws: `.shapeMismatch`, `.nonFiniteValue`, `.responseOutsideSupport`, `.negativeWeight`,
    ///   `.nonPositiveExposure`, `.noObservations` (Σs = 0), `.degenerateResponse` (all counts 0, all
    ///   binomial responses 0 or all 1).
    func prepared(for family: GLMFamily) throws(GLMError) -> (weights: [Double], offset: [Double]?, weightSum: Double) {
        let n = design.rows
        let shape = "\(n) rows"
        if response.count != n { throw .shapeMismatch(variable: "response", count: response.count, features: shape) }
        for (label, v) in [("weights", weights), ("offset", offset), ("exposure", exposure)] {
            if let v, v.count != n { throw .shapeMismatch(variable: label, count: v.count, features: shape) }
        }
        let s = weights ?? [Double](repeating: 1, count: n)
        var total: [Double]? = nil
        if offset != nil || exposure != nil {
            var o = [Double](repeating: 0, count: n)
            for i in 0..<n {
                if let offset {
                    guard offset[i].isFinite else { throw .nonFiniteValue(variable: "offset", row: i) }
                    o[i] = offset[i]
                }
                if let exposure {
                    guard exposure[i].isFinite else { throw .nonFiniteValue(variable: "exposure", row: i) }
                    guard exposure[i] > 0 else { throw .nonPositiveExposure(row: i, value: exposure[i]) }
                    o[i] += Double.log(exposure[i])
                }
            }
            total = o
        }
        var sum = 0.0, allZero = true, allOne = true
        for i in 0..<n {
            guard s[i].isFinite else { throw .nonFiniteValue(variable: "weights", row: i) }
            guard s[i] >= 0 else { throw .negativeWeight(row: i, value: s[i]) }
            let y = response[i]
            guard y.isFinite else { throw .nonFiniteValue(variable: "response", row: i) }
            guard family.isInSupport(y) else {
                throw .responseOutsideSupport(row: i, value: y, family: family.name, requirement: family.supportDescription)
            }
            sum += s[i]
            if s[i] > 0 {
                if y != 0 { allZero = false }
                if y != 1 { allOne = false }
            }
        }
        guard sum > 0 else { throw .noObservations }
        switch family {
        case .poisson, .negativeBinomial, .tweedie, .binomial:
            if allZero { throw .degenerateResponse(value: 0, family: family.name) }
            if case .binomial = family, allOne { throw .degenerateResponse(value: 1, family: family.name) }
        default: break
        }
        return (s, total, sum)
    }
}
