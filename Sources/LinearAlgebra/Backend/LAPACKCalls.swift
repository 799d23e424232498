import COpenBLAS
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// LAPACK through the `_work` entry points of LAPACKE: no hidden NaN scan and no allocation.
// Finiteness is checked in Swift before any call (LAPACKE's own check misreports NaN as an
// illegal argument and lets ±∞ through).

/// Factors the lower triangle in place: A = LLᵀ. Returns LAPACK's `info`:
/// 0 on success, k > 0 when the leading minor of order k is not positive definite.
/// The strict upper triangle is left untouched (callers zero it).
func backendPotrf(n: Int, a: inout [Double]) -> Int {
    if n == 0 { return 0 }
    let info = a.withUnsafeMutableBufferPointer {
        LAPACKE_dpotrf_work(columnMajor, Triangle.lower.lapack, lapackInt(n), $0.baseAddress, lapackInt(n))
    }
    precondition(info >= 0, "dpotrf rejected argument \(-info): a NatGrad wrapper bug")
    return Int(info)
}

/// 1-based index of the first diagonal entry of the factor that is not a finite positive number, or 0.
///
/// OpenBLAS's dpotrf only rejects pivots ≤ 0: a NaN pivot (from ∞ − ∞ or ∞·0 when intermediate
/// values overflow, with every input finite) passes and yields info = 0 with NaN in L. LAPACK's own
/// convention (dpotf2) treats a NaN pivot as a failure of that minor; callers apply this check after
/// every successful `backendPotrf` to restore it.
func backendFirstInvalidPivot(n: Int, _ l: [Double]) -> Int {
    l.withUnsafeBufferPointer { b in
        for i in 0..<n {
            let d = b[i + i * n]
            if !(d > 0 && d.isFinite) { return i + 1 }
        }
        return 0
    }
}

/// Solves LLᵀX = B in place for B (n × nrhs), L from `backendPotrf`.
func backendPotrs(n: Int, nrhs: Int, l: [Double], b: inout [Double]) {
    if n == 0 || nrhs == 0 { return }
    let info = l.withUnsafeBufferPointer { lb in
        b.withUnsafeMutableBufferPointer { bb in
            LAPACKE_dpotrs_work(
                columnMajor, Triangle.lower.lapack, lapackInt(n), lapackInt(nrhs),
                lb.baseAddress, lapackInt(n), bb.baseAddress, lapackInt(n))
        }
    }
    precondition(info == 0, "dpotrs rejected argument \(-info): a NatGrad wrapper bug")
}

/// Overwrites L (lower) with the lower triangle of (LLᵀ)⁻¹. Returns `info` (> 0: singular factor).
func backendPotri(n: Int, a: inout [Double]) -> Int {
    if n == 0 { return 0 }
    let info = a.withUnsafeMutableBufferPointer {
        LAPACKE_dpotri_work(columnMajor, Triangle.lower.lapack, lapackInt(n), $0.baseAddress, lapackInt(n))
    }
    precondition(info >= 0, "dpotri rejected argument \(-info): a NatGrad wrapper bug")
    return Int(info)
}

/// Reciprocal 1-norm condition estimate from the Cholesky factor and ‖A‖₁.
func backendPocon(n: Int, l: [Double], anorm: Double) -> Double {
    if n == 0 { return 1 }
    var rcond = 0.0
    let work = UnsafeMutablePointer<Double>.allocate(capacity: 3 * n)
    let iwork = UnsafeMutablePointer<Int32>.allocate(capacity: n)
    defer { work.deallocate(); iwork.deallocate() }
    let info = l.withUnsafeBufferPointer {
        LAPACKE_dpocon_work(
            columnMajor, Triangle.lower.lapack, lapackInt(n), $0.baseAddress, lapackInt(n), anorm, &rcond,
            work, iwork)
    }
    precondition(info == 0, "dpocon rejected argument \(-info): a NatGrad wrapper bug")
    return rcond
}

/// Symmetric eigendecomposition by divide and conquer (dsyevd, lower triangle). On return `a` holds
/// the orthonormal eigenvectors (columns) and `w` the eigenvalues in ascending order.
/// Returns `info` (> 0: failed to converge).
func backendSyevd(n: Int, a: inout [Double], w: inout [Double]) -> Int {
    if n == 0 { return 0 }
    let jobz = CChar(UInt8(ascii: "V"))
    let uplo = Triangle.lower.lapack
    // Workspace query, then the call.
    var workSize = 0.0
    var iworkSize: Int32 = 0
    var info = a.withUnsafeMutableBufferPointer { ab in
        w.withUnsafeMutableBufferPointer { wb in
            LAPACKE_dsyevd_work(
                columnMajor, jobz, uplo, lapackInt(n), ab.baseAddress, lapackInt(n), wb.baseAddress,
                &workSize, -1, &iworkSize, -1)
        }
    }
    precondition(info == 0, "dsyevd workspace query failed (\(info)): a NatGrad wrapper bug")
    let lwork = Swift.max(1, Int(workSize))
    let liwork = Swift.max(1, Int(iworkSize))
    let work = UnsafeMutablePointer<Double>.allocate(capacity: lwork)
    let iwork = UnsafeMutablePointer<Int32>.allocate(capacity: liwork)
    defer { work.deallocate(); iwork.deallocate() }
    info = a.withUnsafeMutableBufferPointer { ab in
        w.withUnsafeMutableBufferPointer { wb in
            LAPACKE_dsyevd_work(
                columnMajor, jobz, uplo, lapackInt(n), ab.baseAddress, lapackInt(n), wb.baseAddress,
                work, lapackInt(lwork), iwork, lapackInt(liwork))
        }
    }
    precondition(info >= 0, "dsyevd rejected argument \(-info): a NatGrad wrapper bug")
    return Int(info)
}

/// OpenBLAS's thread count.
func backendSetThreadCount(_ n: Int) { openblas_set_num_threads(Int32(n)) }
func backendThreadCount() -> Int { Int(openblas_get_num_threads()) }

/// Natural logarithm (libm), for the few places the layer needs it.
@inline(__always)
func naturalLog(_ x: Double) -> Double { log(x) }
