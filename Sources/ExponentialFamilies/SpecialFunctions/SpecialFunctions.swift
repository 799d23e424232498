import RealModule

/// Special functions the exponential families need that swift-numerics does not provide.
///
/// log Γ comes from swift-numerics (`Double.logGamma`); ψ = (log Γ)′ (``digamma(_:)``), ψ′
/// (``trigamma(_:)``) and ψ⁻¹ (``inverseDigamma(_:)``) are implemented here with the accuracy stated on
/// each function and tested against 50-digit mpmath values.
///
/// These are mathematical functions in the style of swift-numerics: NaN in gives NaN out, and a pole
/// gives NaN (the families validate their parameters before calling them).
public enum SpecialFunctions {
    /// log Γ(x), from swift-numerics RealModule.
    @inlinable
    public static func logGamma(_ x: Double) -> Double { Double.logGamma(x) }
}
