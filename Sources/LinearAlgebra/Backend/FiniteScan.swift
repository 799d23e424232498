/// Returns the index of the first NaN or ±∞ in `values`, or nil.
///
/// A sum of x·0 is NaN exactly when some x is NaN or ±∞, so the common all-finite case is one
/// branch-free pass; only then is the first offender located.
@inline(__always)
func firstNonFiniteIndex(_ values: [Double]) -> Int? {
    values.withUnsafeBufferPointer { buffer in
        var probe = 0.0
        for x in buffer { probe += x * 0 }
        if probe == 0 { return nil }
        return buffer.firstIndex { !$0.isFinite }
    }
}
