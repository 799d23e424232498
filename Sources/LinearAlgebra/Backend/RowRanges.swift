import COpenBLAS
import NatGradKernels

// BLAS calls on a contiguous range of rows of a column-major matrix, without copying it: the
// sub-matrix A[r₀ ..< r₀ + m, :] starts at element r₀ and keeps the leading dimension of A.

/// y[yStart ..< yStart + len] ← α·op(A[rows, :])·x[xStart ..< xStart + len′] + β·y[…], A is aRows × columns.
func backendGemvRows(
    _ t: Transposition, a: [Double], aRows: Int, columns: Int, rows: Range<Int>,
    alpha: Double, x: [Double], xStart: Int, beta: Double, y: inout [Double], yStart: Int
) {
    if rows.isEmpty || columns == 0 { return }
    a.withUnsafeBufferPointer { ab in
        x.withUnsafeBufferPointer { xb in
            y.withUnsafeMutableBufferPointer { yb in
                cblas_dgemv(
                    CblasColMajor, t.cblas, lapackInt(rows.count), lapackInt(columns), alpha,
                    ab.baseAddress! + rows.lowerBound, lapackInt(Swift.max(1, aRows)),
                    xb.baseAddress! + xStart, 1, beta, yb.baseAddress! + yStart, 1)
            }
        }
    }
}

/// block[rowStart + t, columnStart + j] ← f[factorStart + t]·A[rows.lowerBound + t, j] for every row t of
/// the range and every column j of A (aRows × columns); block is blockRows × blockColumns, column-major.
func backendScaleRowRange(
    _ a: [Double], aRows: Int, columns: Int, rows: Range<Int>, factors f: [Double], factorStart: Int,
    into block: inout [Double], blockRows: Int, rowStart: Int, columnStart: Int
) {
    let m = rows.count
    if m == 0 || columns == 0 { return }
    a.withUnsafeBufferPointer { ab in
        f.withUnsafeBufferPointer { fb in
            block.withUnsafeMutableBufferPointer { bb in
                let factors = fb.baseAddress! + factorStart
                for j in 0..<columns {
                    let source = ab.baseAddress! + (rows.lowerBound + j * aRows)
                    let target = bb.baseAddress! + (rowStart + (columnStart + j) * blockRows)
                    for t in 0..<m { target[t] = source[t] * factors[t] }
                }
            }
        }
    }
}

/// Lower triangle of C += α·Σ_{i ∈ rows} wᵢ zᵢzᵢᵀ with zᵢ = (1, A[i, :]) or A[i, :] (the AVX-512 kernel of
/// `NatGradKernels`); false, with nothing written, where the kernel does not apply.
func backendWeightedGramRows(
    _ a: [Double], aRows: Int, columns: Int, rows: Range<Int>, weights w: [Double], alpha: Double,
    intercept: Bool, into c: inout [Double], cRows: Int
) -> Bool {
    a.withUnsafeBufferPointer { ab in
        w.withUnsafeBufferPointer { wb in
            c.withUnsafeMutableBufferPointer { cb in
                natgrad_weighted_gram_lower(
                    Int32(columns), rows.count, ab.baseAddress.map { $0 + rows.lowerBound }, Swift.max(1, aRows),
                    wb.baseAddress.map { $0 + rows.lowerBound }, alpha, intercept ? 1 : 0, cb.baseAddress, cRows) == 1
            }
        }
    }
}
