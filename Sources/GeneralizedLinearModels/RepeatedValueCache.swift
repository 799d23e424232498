/// f(x) over a sequence of x that takes few distinct values (0/1 responses, counts, the starting means
/// built from them): a 128-entry open-addressing table keyed on the bits of x, so f (a logarithm, say) is
/// evaluated once per distinct value instead of once per observation while the distinct values fit
/// (beyond that, values whose probe sequence is full are computed each time). Exact: a hit returns the
/// value f gave for the same bits.
struct RepeatedValueCache {
    private static let capacity = 128
    private static let probes = 8
    private var keys = [UInt64](repeating: 0, count: capacity)
    private var filled = [Bool](repeating: false, count: capacity)
    private var values = [Double](repeating: 0, count: capacity)

    @inline(__always)
    mutating func value(_ x: Double, _ f: (Double) -> Double) -> Double {
        let bits = x.bitPattern
        // Fibonacci hashing: the product's top 7 bits depend on every bit of x (small integers and simple
        // fractions differ only in their exponent and top mantissa bits).
        var slot = Int(truncatingIfNeeded: (bits &* 0x9E37_79B9_7F4A_7C15) >> 57)
        for _ in 0..<Self.probes {
            if !filled[slot] {
                keys[slot] = bits
                filled[slot] = true
                values[slot] = f(x)
                return values[slot]
            }
            if keys[slot] == bits { return values[slot] }
            slot = (slot + 1) & (Self.capacity - 1)
        }
        return f(x)
    }
}
