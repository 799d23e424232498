import ExponentialFamilies

/// Seeded random variates for initialization, shuffling, weight perturbation and label sampling,
/// drawn from ``Xoshiro256`` so that a seed fixes a run bit for bit.
struct NetworkRandom {
    var generator: Xoshiro256
    private var spareNormal: Double?

    init(seed: UInt64) { generator = Xoshiro256(seed: seed) }

    /// U(0, 1) with 53 random bits, never 0.
    mutating func uniform() -> Double {
        (Double(generator.next() >> 11) + 0.5) * 0x1p-53
    }

    /// N(0, 1) by the Box–Muller transform (pairs, the second kept for the next call).
    mutating func normal() -> Double {
        if let s = spareNormal { spareNormal = nil; return s }
        let r = (-2 * log(uniform())).squareRoot()
        let t = 2 * Double.pi * uniform()
        spareNormal = r * sin(t)
        return r * cos(t)
    }

    /// An integer uniform on 0..<n (Lemire's multiply-shift, unbiased by rejection).
    mutating func index(below n: Int) -> Int {
        precondition(n > 0)
        return Int(generator.next(upperBound: UInt64(n)))
    }

    /// Poisson(λ) by inversion for λ ≤ 30, and a rounded normal approximation above (used only to
    /// draw Monte Carlo labels for curvature estimates, where the tail shape barely matters).
    mutating func poisson(_ lambda: Double) -> Double {
        if lambda > 30 { return Swift.max(0, (lambda + lambda.squareRoot() * normal()).rounded()) }
        var k = 0.0
        var p = exp(-lambda)
        var s = p
        let u = uniform()
        while u > s && k < 1000 { k += 1; p *= lambda / k; s += p }
        return k
    }

    /// In-place Fisher–Yates shuffle.
    mutating func shuffle(_ a: inout [Int]) {
        if a.count < 2 { return }
        for i in stride(from: a.count - 1, to: 0, by: -1) {
            let j = index(below: i + 1)
            a.swapAt(i, j)
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
