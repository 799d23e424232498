import COpenBLAS

// Level-1 BLAS on whole Double arrays (unit stride). Internal: the public API is `BLAS`.

func backendDot(_ x: [Double], _ y: [Double]) -> Double {
    x.withUnsafeBufferPointer { xb in
        y.withUnsafeBufferPointer { yb in cblas_ddot(lapackInt(xb.count), xb.baseAddress, 1, yb.baseAddress, 1) }
    }
}

func backendAxpy(_ alpha: Double, _ x: [Double], _ y: inout [Double]) {
    x.withUnsafeBufferPointer { xb in
        y.withUnsafeMutableBufferPointer { yb in
            cblas_daxpy(lapackInt(xb.count), alpha, xb.baseAddress, 1, yb.baseAddress, 1)
        }
    }
}

func backendScale(_ alpha: Double, _ x: inout [Double]) {
    x.withUnsafeMutableBufferPointer { cblas_dscal(lapackInt($0.count), alpha, $0.baseAddress, 1) }
}

func backendNorm2(_ x: [Double]) -> Double {
    x.withUnsafeBufferPointer { cblas_dnrm2(lapackInt($0.count), $0.baseAddress, 1) }
}

/// Copies `source` into `destination` (same count) and reports whether every value was finite,
/// in one pass (the copy a factorization needs anyway doubles as the NaN/±∞ scan).
func backendCopyCheckingFinite(_ source: [Double], into destination: inout [Double]) -> Bool {
    precondition(source.count == destination.count, "copy of \(source.count) values into \(destination.count)")
    return source.withUnsafeBufferPointer { s in
        destination.withUnsafeMutableBufferPointer { d in
            var probe = 0.0
            for k in 0..<s.count {
                let x = s[k]
                probe += x * 0
                d[k] = x
            }
            return probe == 0
        }
    }
}
