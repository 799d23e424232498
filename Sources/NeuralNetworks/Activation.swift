/// The elementwise nonlinearity φ of the hidden layers, a = φ(z).
///
/// The derivative is written in terms of the output a (what the forward pass keeps):
/// tanh: φ′ = 1 − a²; ReLU: φ′ = 1 when a > 0, else 0 (the subgradient 0 at z = 0).
public enum Activation: String, Sendable, Equatable, Hashable, Codable, CaseIterable {
    /// a = tanh z.
    case tanh
    /// a = max(0, z).
    case relu

    /// φ(z).
    @inlinable
    public func callAsFunction(_ z: Double) -> Double {
        switch self {
        case .tanh: return _tanh(z)
        case .relu: return z > 0 ? z : 0
        }
    }

    /// φ′ at the point whose output is a.
    @inlinable
    public func derivative(output a: Double) -> Double {
        switch self {
        case .tanh: return 1 - a * a
        case .relu: return a > 0 ? 1 : 0
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@usableFromInline
func _tanh(_ z: Double) -> Double { tanh(z) }
