import COpenBLAS
import LinearAlgebra

// The wrapper-overhead benchmark of the linear-algebra layer, and the BLAS/LAPACK throughput that
// puts its numbers in context. This file is a benchmark baseline: it calls COpenBLAS directly
// (the library itself keeps every C call inside LinearAlgebra/Backend).

/// One size of the wrapper-overhead comparison: Cholesky factor + solve of an n × n SPD system.
public struct MatrixLayerRow: Codable, Sendable, Equatable {
    /// Dimension n.
    public var n: Int
    /// Median seconds per factor + solve made directly through LAPACKE (copy A into a preallocated
    /// buffer, `LAPACKE_dpotrf_work`, copy b, `LAPACKE_dpotrs_work`).
    public var rawLAPACKESeconds: Double
    /// Median seconds per factor + solve through LinearAlgebra (`Cholesky.refactor` into reused
    /// storage, copy b, in-place `Cholesky.solve`), including its NaN/±∞ scans and pivot check.
    public var wrapperSeconds: Double
    /// wrapperSeconds / rawLAPACKESeconds.
    public var overhead: Double
    /// max |x_wrapper − x_raw| / max |x_raw|: 0 when both paths made the same LAPACK calls.
    public var maxRelativeDifference: Double
}

/// The reused state of the wrapper variant.
struct WrapperState {
    var cholesky: Cholesky
    var x: [Double]
}

/// dgemm and dpotrf throughput at one size.
public struct BLASThroughputRow: Codable, Sendable, Equatable {
    /// Dimension n (square matrices).
    public var n: Int
    /// OpenBLAS threads used during the measurement.
    public var threads: Int
    /// 2n³ / median seconds of C ← A·B (cblas_dgemm), in 10⁹ flop/s.
    public var dgemmGFLOPS: Double
    /// (n³/3) / median seconds of LAPACKE_dpotrf_work (lower), in 10⁹ flop/s. The copy of A that
    /// every factorization of a fresh matrix needs is timed separately and subtracted.
    public var dpotrfGFLOPS: Double
    /// dpotrfGFLOPS / dgemmGFLOPS (Cholesky's physical reference: ≥ 0.7 is good).
    public var ratio: Double
}

/// The sizes of the overhead table: n = 2, 4, 16, 64, 256, 1024, 2048, or a quick subset.
public func matrixLayerSizes(quick: Bool) -> [Int] {
    quick ? [2, 4, 16, 64, 256] : [2, 4, 16, 64, 256, 1024, 2048]
}

/// A well-conditioned SPD test matrix with entries from a fixed recurrence (no generator needed):
/// Aᵢⱼ = 1/(1 + |i − j|) scaled off the diagonal, plus n on the diagonal (diagonally dominant).
func benchmarkSPD(_ n: Int) -> Matrix {
    var a = Matrix(rows: n, columns: n)
    for j in 0..<n {
        for i in 0..<n { a[i, j] = i == j ? Double(n) + 1 : 0.5 / Double(1 + abs(i - j)) }
    }
    return a
}

/// Times Cholesky factor + solve through LinearAlgebra against the same LAPACKE calls made directly,
/// in one process, interleaved (raw, wrapper, raw, wrapper, …) after warm-up, and returns the medians.
///
/// Both variants do the same work per call: copy the n × n matrix into preallocated storage (the
/// wrapper's copy doubles as its NaN/±∞ scan), factor with dpotrf, copy b into a preallocated
/// right-hand side, solve with dpotrs. The wrapper additionally scans b and x for NaN/±∞ and checks
/// the pivots; that is the overhead measured. The raw path uses the `_work` entry points (the ones
/// the wrapper calls); plain `LAPACKE_dpotrf` would add LAPACKE's own NaN scan to the baseline.
///
/// - Parameters:
///   - sizes: the dimensions to time (see ``matrixLayerSizes(quick:)``).
///   - rounds: timed samples per variant (median taken); at most 21 for n ≥ 1024.
///   - warmup: untimed rounds first.
///   - target: seconds per timed sample (sets the inner repetition count).
public func matrixLayerOverhead(sizes: [Int], rounds: Int = 61, warmup: Int = 5, target: Double = 5e-4) -> [MatrixLayerRow] {
    sizes.map { n in
        let a = benchmarkSPD(n)
        let b = (0..<n).map { Double($0 % 7) - 3 }

        // Raw LAPACKE: preallocated buffers, no Swift arrays touched in the loop.
        let rawSource = UnsafeMutablePointer<Double>.allocate(capacity: max(n * n, 1))
        let rawWork = UnsafeMutablePointer<Double>.allocate(capacity: max(n * n, 1))
        let rawB = UnsafeMutablePointer<Double>.allocate(capacity: max(n, 1))
        let rawX = UnsafeMutablePointer<Double>.allocate(capacity: max(n, 1))
        defer { rawSource.deallocate(); rawWork.deallocate(); rawB.deallocate(); rawX.deallocate() }
        a.elements.withUnsafeBufferPointer { rawSource.initialize(from: $0.baseAddress!, count: n * n) }
        b.withUnsafeBufferPointer { rawB.initialize(from: $0.baseAddress!, count: n) }
        let n32 = Int32(n)
        let lower = CChar(UInt8(ascii: "L"))
        let raw = {
            rawWork.update(from: rawSource, count: n * n)
            let info = LAPACKE_dpotrf_work(Int32(LAPACK_COL_MAJOR), lower, n32, rawWork, n32)
            precondition(info == 0, "raw dpotrf failed: \(info)")
            rawX.update(from: rawB, count: n)
            let info2 = LAPACKE_dpotrs_work(Int32(LAPACK_COL_MAJOR), lower, n32, 1, rawWork, n32, rawX, n32)
            precondition(info2 == 0, "raw dpotrs failed: \(info2)")
        }

        // Wrapper: one Cholesky value and one right-hand side, reused (in-place refactor and solve).
        // The state lives behind a pointer so that the closure's accesses carry no dynamic
        // exclusivity checks (a captured `var` would add them, a harness cost, not the wrapper's).
        let state = UnsafeMutablePointer<WrapperState>.allocate(capacity: 1)
        state.initialize(to: WrapperState(cholesky: try! Cholesky(a), x: b))
        defer { state.deinitialize(count: 1); state.deallocate() }
        let wrapper = {
            do {
                try state.pointee.cholesky.refactor(a)
                state.pointee.x.withUnsafeMutableBufferPointer { xb in
                    b.withUnsafeBufferPointer { bb in xb.baseAddress!.update(from: bb.baseAddress!, count: n) }
                }
                try state.pointee.cholesky.solve(&state.pointee.x)
            } catch {
                preconditionFailure("wrapper factor/solve failed: \(error)")
            }
        }

        let inner = max(calibrateInner(target: target, raw), 1)
        // n ≥ 1024 takes ≳ 10 ms per call and its overhead is O(1/n) of the work: fewer rounds suffice.
        let sizeRounds = n >= 1024 ? min(rounds, 21) : rounds
        let medians = interleavedMedians(warmup: n >= 1024 ? 1 : warmup, rounds: sizeRounds, inner: inner, [raw, wrapper])

        raw()
        wrapper()
        var diff = 0.0, scale = 0.0
        for i in 0..<n {
            diff = max(diff, abs(state.pointee.x[i] - rawX[i]))
            scale = max(scale, abs(rawX[i]))
        }
        return MatrixLayerRow(
            n: n, rawLAPACKESeconds: medians[0], wrapperSeconds: medians[1],
            overhead: medians[1] / medians[0], maxRelativeDifference: scale > 0 ? diff / scale : diff)
    }
}

/// Measures dgemm (C ← A·B) and dpotrf GFLOP/s at each size with `threads` OpenBLAS threads
/// (default 1), interleaved with medians, then restores the previous thread count.
/// dgemm counts 2n³ flops, dpotrf n³/3; dpotrf's time excludes the O(n²) copy of A (timed alone
/// in the same interleaved loop and subtracted).
public func blasThroughput(sizes: [Int] = [1024, 2048], threads: Int = 1, rounds: Int = 11, warmup: Int = 1) -> [BLASThroughputRow] {
    let previous = BLASThreading.threadCount
    BLASThreading.setThreadCount(threads)
    defer { BLASThreading.setThreadCount(previous) }
    return sizes.map { n in
        let count = n * n
        let a = UnsafeMutablePointer<Double>.allocate(capacity: count)
        let b = UnsafeMutablePointer<Double>.allocate(capacity: count)
        let c = UnsafeMutablePointer<Double>.allocate(capacity: count)
        let spd = UnsafeMutablePointer<Double>.allocate(capacity: count)
        let work = UnsafeMutablePointer<Double>.allocate(capacity: count)
        defer { a.deallocate(); b.deallocate(); c.deallocate(); spd.deallocate(); work.deallocate() }
        for k in 0..<count {
            a[k] = Double((k * 7919) % 1000) / 1000 - 0.5
            b[k] = Double((k * 104_729) % 1000) / 1000 - 0.5
            c[k] = 0
        }
        benchmarkSPD(n).elements.withUnsafeBufferPointer { spd.initialize(from: $0.baseAddress!, count: count) }
        work.initialize(from: spd, count: count)
        let n32 = Int32(n)
        let gemm = {
            cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, n32, n32, n32, 1, a, n32, b, n32, 0, c, n32)
        }
        let copy = { work.update(from: spd, count: count) }
        let factor = {
            work.update(from: spd, count: count)
            let info = LAPACKE_dpotrf_work(Int32(LAPACK_COL_MAJOR), CChar(UInt8(ascii: "L")), n32, work, n32)
            precondition(info == 0, "dpotrf failed: \(info)")
        }
        let m = interleavedMedians(warmup: warmup, rounds: rounds, inner: 1, [gemm, factor, copy])
        let nd = Double(n)
        let gemmRate = 2 * nd * nd * nd / m[0] / 1e9
        let potrfRate = nd * nd * nd / 3 / max(m[1] - m[2], 1e-12) / 1e9
        return BLASThroughputRow(n: n, threads: threads, dgemmGFLOPS: gemmRate, dpotrfGFLOPS: potrfRate,
                                 ratio: potrfRate / gemmRate)
    }
}
