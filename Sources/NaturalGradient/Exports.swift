// The engine's vocabulary (Matrix, BLAS, Cholesky, JitterPolicy, ExponentialFamily) comes with it.
@_exported import ExponentialFamilies
