/// The number of threads OpenBLAS uses inside one BLAS/LAPACK call.
///
/// NatGrad does not change it: by default OpenBLAS reads `OPENBLAS_NUM_THREADS` (or
/// `OMP_NUM_THREADS`) at load time and otherwise uses every core. Set it to 1 for small problems
/// (n ≲ 256: on a 2-core machine two threads make dpotrf 4× slower at n = 64) and when the
/// application already runs many solves in parallel; leave it at the core count for large n.
/// OpenBLAS's pthread build is safe to call from several threads at once.
public enum BLASThreading {
    /// Current OpenBLAS thread count.
    public static var threadCount: Int { backendThreadCount() }

    /// Sets the OpenBLAS thread count for subsequent calls (process-wide).
    public static func setThreadCount(_ n: Int) {
        precondition(n >= 1, "OpenBLAS thread count must be ≥ 1, got \(n)")
        backendSetThreadCount(n)
    }
}
