import COpenBLAS
import NatGradKernels

// Level-2/3 BLAS on column-major arrays. Leading dimensions are max(1, rows).

@inline(__always)
private func leading(_ rows: Int) -> Int32 { lapackInt(Swift.max(1, rows)) }

/// C ← α·op(A)·op(B) + β·C, C is m × n, op(A) is m × k.
func backendGemm(
    _ ta: Transposition, _ tb: Transposition, m: Int, n: Int, k: Int,
    alpha: Double, a: [Double], aRows: Int, b: [Double], bRows: Int, beta: Double, c: inout [Double]
) {
    if m == 0 || n == 0 { return }
    a.withUnsafeBufferPointer { ab in
        b.withUnsafeBufferPointer { bb in
            c.withUnsafeMutableBufferPointer { cb in
                cblas_dgemm(
                    CblasColMajor, ta.cblas, tb.cblas, lapackInt(m), lapackInt(n), lapackInt(k),
                    alpha, ab.baseAddress, leading(aRows), bb.baseAddress, leading(bRows),
                    beta, cb.baseAddress, leading(m))
            }
        }
    }
}

/// y ← α·op(A)·x + β·y, A is rows × columns.
func backendGemv(
    _ t: Transposition, rows: Int, columns: Int, alpha: Double, a: [Double],
    x: [Double], beta: Double, y: inout [Double]
) {
    if y.isEmpty { return }
    a.withUnsafeBufferPointer { ab in
        x.withUnsafeBufferPointer { xb in
            y.withUnsafeMutableBufferPointer { yb in
                cblas_dgemv(
                    CblasColMajor, t.cblas, lapackInt(rows), lapackInt(columns), alpha, ab.baseAddress,
                    leading(rows), xb.baseAddress, 1, beta, yb.baseAddress, 1)
            }
        }
    }
}

/// y ← α·A·x + β·y for symmetric A (n × n), reading only the given triangle.
func backendSymv(_ tri: Triangle, n: Int, alpha: Double, a: [Double], x: [Double], beta: Double, y: inout [Double]) {
    if n == 0 { return }
    a.withUnsafeBufferPointer { ab in
        x.withUnsafeBufferPointer { xb in
            y.withUnsafeMutableBufferPointer { yb in
                cblas_dsymv(
                    CblasColMajor, tri.cblas, lapackInt(n), alpha, ab.baseAddress, leading(n),
                    xb.baseAddress, 1, beta, yb.baseAddress, 1)
            }
        }
    }
}

/// C ← α·op(A)·op(A)ᵀ + β·C on the given triangle of C (n × n). With `.transpose`, A is k × n and
/// the product is AᵀA; with `.none`, A is n × k and the product is AAᵀ.
func backendSyrk(
    _ tri: Triangle, _ t: Transposition, n: Int, k: Int, alpha: Double,
    a: [Double], aRows: Int, beta: Double, c: inout [Double]
) {
    if n == 0 { return }
    a.withUnsafeBufferPointer { ab in
        c.withUnsafeMutableBufferPointer { cb in
            // AᵀA into the lower triangle with few columns: the AVX-512 kernel when it applies
            // (`NatGradKernels`; 1.6–1.7× OpenBLAS's syrk at n = 52 and 204), else OpenBLAS.
            if tri == .lower && t == .transpose && natgrad_syrk_lower_transposed(
                Int32(n), Int32(k), alpha, ab.baseAddress, Int(leading(aRows)), beta, cb.baseAddress, n) == 1 {
                return
            }
            cblas_dsyrk(
                CblasColMajor, tri.cblas, t.cblas, lapackInt(n), lapackInt(k), alpha, ab.baseAddress,
                leading(aRows), beta, cb.baseAddress, leading(n))
        }
    }
}

/// x ← op(L)·x (`solve == false`) or x ← op(L)⁻¹·x for lower-triangular, non-unit L (n × n).
func backendTriangular(solve: Bool, _ t: Transposition, n: Int, l: [Double], x: inout [Double]) {
    if n == 0 { return }
    l.withUnsafeBufferPointer { lb in
        x.withUnsafeMutableBufferPointer { xb in
            if solve {
                cblas_dtrsv(CblasColMajor, CblasLower, t.cblas, CblasNonUnit, lapackInt(n), lb.baseAddress,
                            leading(n), xb.baseAddress, 1)
            } else {
                cblas_dtrmv(CblasColMajor, CblasLower, t.cblas, CblasNonUnit, lapackInt(n), lb.baseAddress,
                            leading(n), xb.baseAddress, 1)
            }
        }
    }
}

/// B ← op(L)⁻¹·B for lower-triangular L (n × n) and B (n × nrhs).
func backendTriangularSolveMatrix(_ t: Transposition, n: Int, nrhs: Int, l: [Double], b: inout [Double]) {
    if n == 0 || nrhs == 0 { return }
    l.withUnsafeBufferPointer { lb in
        b.withUnsafeMutableBufferPointer { bb in
            cblas_dtrsm(CblasColMajor, CblasLeft, CblasLower, t.cblas, CblasNonUnit, lapackInt(n),
                        lapackInt(nrhs), 1.0, lb.baseAddress, leading(n), bb.baseAddress, leading(n))
        }
    }
}

/// B ← B·L⁻ᵀ for lower-triangular L (n × n) and B (m × n): each row bᵢᵀ of B
/// becomes (L⁻¹bᵢ)ᵀ (dtrsm from the right).
func backendTriangularSolveRows(n: Int, m: Int, l: [Double], b: inout [Double]) {
    if n == 0 || m == 0 { return }
    l.withUnsafeBufferPointer { lb in
        b.withUnsafeMutableBufferPointer { bb in
            cblas_dtrsm(CblasColMajor, CblasRight, CblasLower, CblasTrans, CblasNonUnit, lapackInt(m),
                        lapackInt(n), 1.0, lb.baseAddress, leading(n), bb.baseAddress, leading(m))
        }
    }
}
