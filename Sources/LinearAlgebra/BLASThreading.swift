/// The number of threads OpenBLAS uses inside one BLAS/LAPACK call (process-wide).
///
/// NatGrad never changes it on its own. OpenBLAS (the pthread build Debian ships) reads
/// `OPENBLAS_NUM_THREADS`, then `GOTO_NUM_THREADS`, then `OMP_NUM_THREADS` when the library is
/// loaded; with none set it uses every core (2 on the reference machine). ``setThreadCount(_:)``
/// changes it at run time for all later calls from every thread.
///
/// Use 1 thread for small problems (n ≲ 256: on the 2-core reference machine two threads made the
/// n = 64 factor + solve 2.2× slower) and whenever the application already runs many solves in
/// parallel (Swift tasks, as the test suite does); leave it at the core count for large n.
/// Concurrent calls from several threads are safe and give the same bits as serial calls (tested).
public enum BLASThreading {
    /// The current OpenBLAS thread count (≥ 1).
    public static var threadCount: Int { backendThreadCount() }

    /// Sets the OpenBLAS thread count for subsequent calls (process-wide, all threads).
    /// - Parameter n: ≥ 1 (precondition); OpenBLAS caps it at its build's maximum (64 on Debian).
    public static func setThreadCount(_ n: Int) {
        precondition(n >= 1, "OpenBLAS thread count must be ≥ 1, got \(n)")
        backendSetThreadCount(n)
    }
}
