import NatGradKernels

// Finiteness scans. A Double is NaN or ±∞ exactly when its 11 exponent bits are all ones; adding
// one unit of the exponent field to the masked exponent then carries into the sign bit. OR-ing
// those sums is associative integer arithmetic, so the loop vectorizes (a floating-point
// accumulator would form one serial dependency chain, ~4 cycles per element).

private let exponentMask: UInt64 = 0x7FF0_0000_0000_0000
private let exponentUnit: UInt64 = 0x0010_0000_0000_0000
private let signBit: UInt64 = 0x8000_0000_0000_0000

/// `true` when every value in `buffer` is finite.
@inline(__always)
func allFinite(_ buffer: UnsafeBufferPointer<Double>) -> Bool {
    var flags: UInt64 = 0
    for x in buffer { flags |= (x.bitPattern & exponentMask) &+ exponentUnit }
    return flags & signBit == 0
}

/// Returns the index of the first NaN or ±∞ in `values`, or nil. One vectorized pass when all
/// values are finite (the common case); only then is the first offender located.
@inline(__always)
func firstNonFiniteIndex(_ values: [Double]) -> Int? {
    values.withUnsafeBufferPointer { buffer in
        if allFinite(buffer) { return nil }
        return buffer.firstIndex { !$0.isFinite }
    }
}

/// Copies `source` into `destination` (same count) and reports whether every value was finite.
///
/// The scan runs first, on the source: short arrays use the vectorized bit scan above; long ones use
/// OpenBLAS's dasum, whose AVX2 kernel is about 3.5× faster than the baseline-x86-64 Swift loop
/// (measured: 143 ns vs 520 ns for 4096 values). Σ|xᵢ| is NaN or +∞ exactly when some xᵢ is NaN or
/// ±∞, or when the sum of finite values overflows; only then does the bit scan tell the two apart.
/// The copy is then a plain memmove, as fast as the raw-LAPACKE baseline's.
func backendCopyCheckingFinite(_ source: [Double], into destination: inout [Double]) -> Bool {
    precondition(source.count == destination.count, "copy of \(source.count) values into \(destination.count)")
    return source.withUnsafeBufferPointer { s in
        destination.withUnsafeMutableBufferPointer { d in
            guard let from = s.baseAddress, let to = d.baseAddress else { return true }
            // AVX-512F: the check fused into the copy (one pass; NatGradKernels/FiniteCopyKernel.c).
            var fusedFinite: Int32 = 0
            if natgrad_copy_checking_finite(s.count, from, to, &fusedFinite) != 0 { return fusedFinite != 0 }
            let finite = s.count < blasScanThreshold || !backendAbsoluteSum(s).isFinite ? allFinite(s) : true
            if finite { to.update(from: from, count: s.count) }
            return finite
        }
    }
}

/// Below this many values the Swift scan beats the cost of a BLAS call.
let blasScanThreshold = 1024

/// `true` when every value is finite with |xᵢ| ≤ `bound`. For long arrays OpenBLAS's dasum decides
/// in one vectorized pass when Σ|xᵢ| ≤ bound (then every |xᵢ| ≤ bound and none is NaN); otherwise, or
/// for short arrays, each value is compared (a NaN fails the comparison).
func backendAllBounded(_ values: [Double], by bound: Double) -> Bool {
    values.withUnsafeBufferPointer { buffer in
        if buffer.count >= blasScanThreshold && backendAbsoluteSum(buffer) <= bound { return true }
        for x in buffer where !(Swift.abs(x) <= bound) { return false }
        return true
    }
}
