/// Draws from the standard laws, for applications (the families' `sample(using:)` methods use the same
/// generators). Each checks its parameters and throws `ExponentialFamilyError` where they are outside the
/// law's domain, so a parameter that came from data never traps; the algorithms are those documented on
/// the package-internal generators (Marsaglia's polar method, Marsaglia–Tsang, Hörmann's PTRS and BTRS,
/// inversion).
public enum RandomVariates {
    /// U ~ Uniform(0, 1) on the open interval: (k + ½)·2⁻⁵² with k the top 52 bits of one word.
    public static func openUnitUniform<G: RandomNumberGenerator>(using g: inout G) -> Double {
        ExponentialFamilies.openUnitUniform(using: &g)
    }

    /// Z ~ N(0, 1).
    public static func standardNormal<G: RandomNumberGenerator>(using g: inout G) -> Double {
        ExponentialFamilies.standardNormal(using: &g)
    }

    /// X ~ Gamma(shape k, rate 1).
    /// - Throws: `.nonFinite("shape")`, `.outsideDomain("shape", k, "> 0")`.
    public static func gamma<G: RandomNumberGenerator>(shape k: Double,
                                                      using g: inout G) throws(ExponentialFamilyError) -> Double {
        try DomainCheck.positive(k, "shape")
        return standardGamma(shape: k, using: &g)
    }

    /// N ~ Poisson(λ), λ ≥ 0.
    /// - Throws: `.nonFinite("rate")`, `.outsideDomain("rate", λ, "≥ 0")`.
    public static func poisson<G: RandomNumberGenerator>(rate lambda: Double,
                                                        using g: inout G) throws(ExponentialFamilyError) -> Int {
        guard lambda.isFinite else { throw .nonFinite(parameter: "rate") }
        guard lambda >= 0 else { throw .outsideDomain(parameter: "rate", value: lambda, requirement: "≥ 0") }
        return poissonVariate(rate: lambda, using: &g)
    }

    /// N ~ Binomial(n, p), n ≥ 0, 0 ≤ p ≤ 1.
    /// - Throws: `.outsideDomain("trials", n, "≥ 0")`, `.nonFinite("p")`, `.outsideDomain("p", p, "in [0, 1]")`.
    public static func binomial<G: RandomNumberGenerator>(trials n: Int, p: Double,
                                                         using g: inout G) throws(ExponentialFamilyError) -> Int {
        guard n >= 0 else { throw .outsideDomain(parameter: "trials", value: Double(n), requirement: "≥ 0") }
        guard p.isFinite else { throw .nonFinite(parameter: "p") }
        guard p >= 0 && p <= 1 else { throw .outsideDomain(parameter: "p", value: p, requirement: "in [0, 1]") }
        return binomialVariate(trials: n, p: p, using: &g)
    }

    /// N ~ Geometric(p) (failures before the first success), 0 < p ≤ 1.
    /// - Throws: `.nonFinite("p")`, `.outsideDomain("p", p, "in (0, 1]")`.
    public static func geometric<G: RandomNumberGenerator>(p: Double,
                                                          using g: inout G) throws(ExponentialFamilyError) -> Int {
        guard p.isFinite else { throw .nonFinite(parameter: "p") }
        guard p > 0 && p <= 1 else { throw .outsideDomain(parameter: "p", value: p, requirement: "in (0, 1]") }
        return geometricVariate(p: p, using: &g)
    }

    /// N ~ NegativeBinomial(r, p) (failures before the r-th success), r > 0, 0 < p ≤ 1.
    /// - Throws: `.nonFinite`/`.outsideDomain` for "r" (> 0) or "p" (in (0, 1]).
    public static func negativeBinomial<G: RandomNumberGenerator>(
        r: Double, p: Double, using g: inout G
    ) throws(ExponentialFamilyError) -> Int {
        try DomainCheck.positive(r, "r")
        guard p.isFinite else { throw .nonFinite(parameter: "p") }
        guard p > 0 && p <= 1 else { throw .outsideDomain(parameter: "p", value: p, requirement: "in (0, 1]") }
        return negativeBinomialVariate(r: r, p: p, using: &g)
    }

    /// K ∈ 0 ..< probabilities.count with P(k) ∝ probabilities[k].
    /// - Throws: `.wrongDimension("probabilities", 1, 0)` for none; `.nonFinite("probabilities[k]")`,
    ///   `.outsideDomain("probabilities[k]", …, "≥ 0")`; `.outsideDomain("sum of probabilities", …, "> 0")`.
    public static func categorical<G: RandomNumberGenerator>(
        probabilities: [Double], using g: inout G
    ) throws(ExponentialFamilyError) -> Int {
        guard !probabilities.isEmpty else {
            throw .wrongDimension(parameter: "probabilities", expected: 1, actual: 0)
        }
        var sum = 0.0
        for (k, p) in probabilities.enumerated() {
            guard p.isFinite else { throw .nonFinite(parameter: "probabilities[\(k)]") }
            guard p >= 0 else { throw .outsideDomain(parameter: "probabilities[\(k)]", value: p, requirement: "≥ 0") }
            sum += p
        }
        guard sum > 0 && sum.isFinite else {
            throw .outsideDomain(parameter: "sum of probabilities", value: sum, requirement: "> 0 and finite")
        }
        return categoricalVariate(probabilities: probabilities, using: &g)
    }
}
