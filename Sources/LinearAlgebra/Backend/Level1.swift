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

/// Σ|xᵢ| (dasum) of a buffer.
func backendAbsoluteSum(_ x: UnsafeBufferPointer<Double>) -> Double {
    cblas_dasum(lapackInt(x.count), x.baseAddress, 1)
}

func backendNorm2(_ x: [Double]) -> Double {
    x.withUnsafeBufferPointer { cblas_dnrm2(lapackInt($0.count), $0.baseAddress, 1) }
}

/// workspace[i, j] ← a[i, j]·fᵢ with fᵢ = √wᵢ (`squareRootOfWeights`) or wᵢ, for column-major a (rows × columns).
func backendScaleRows(
    _ a: [Double], rows: Int, columns: Int, weights w: [Double], squareRootOfWeights: Bool,
    into workspace: inout [Double]
) {
    precondition(a.count == rows * columns && workspace.count == a.count && w.count == rows,
                 "row scaling of \(rows)×\(columns) storage (\(a.count)) with \(w.count) weights into \(workspace.count)")
    a.withUnsafeBufferPointer { ab in
        w.withUnsafeBufferPointer { wb in
            workspace.withUnsafeMutableBufferPointer { out in
                for j in 0..<columns {
                    let base = j * rows
                    if squareRootOfWeights {
                        for i in 0..<rows { out[base + i] = ab[base + i] * wb[i].squareRoot() }
                    } else {
                        for i in 0..<rows { out[base + i] = ab[base + i] * wb[i] }
                    }
                }
            }
        }
    }
}

/// Sets every value to zero (BLAS's β = 0 convention: the old contents, even NaN, are not read).
func backendZero(_ x: inout [Double]) {
    x.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
}

/// Copies the strict lower triangle of the n × n column-major `a` onto its strict upper triangle.
func backendSymmetrizeFromLower(n: Int, _ a: inout [Double]) {
    precondition(a.count == n * n, "symmetrizing \(a.count) values as \(n)×\(n)")
    a.withUnsafeMutableBufferPointer { m in
        for j in 0..<n {
            var i = j + 1
            while i < n {
                m[j + i * n] = m[i + j * n]
                i += 1
            }
        }
    }
}

/// Sets the strict upper triangle of the n × n column-major `a` to zero.
func backendZeroStrictUpper(n: Int, _ a: inout [Double]) {
    precondition(a.count == n * n, "zeroing the upper triangle of \(a.count) values as \(n)×\(n)")
    a.withUnsafeMutableBufferPointer { m in
        for j in 0..<n {
            for i in 0..<j { m[i + j * n] = 0 }
        }
    }
}
