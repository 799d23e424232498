#ifndef NATGRAD_KERNELS_H
#define NATGRAD_KERNELS_H

/// Hand-written compute kernels for the shapes OpenBLAS handles poorly, selected at run time by the
/// instruction sets the processor and the operating system support. Each entry point returns 1 when it
/// did the work and 0 when no kernel applies (then nothing was written and the caller uses BLAS).

/// The instruction set the kernels use on this machine: 2 = AVX-512F, 0 = none (BLAS fallback).
int natgrad_kernel_level(void);

/// Lower triangle of C ← alpha·AᵀA + beta·C, as `cblas_dsyrk(ColMajor, Lower, Trans, n, k, …)`:
/// A is k × n column-major with leading dimension lda ≥ max(1, k), C is n × n column-major with
/// leading dimension ldc ≥ max(1, n); the strict upper triangle of C is not touched, and C is not read
/// when beta == 0. For the tall, narrow products of a Gram matrix over row blocks (4 ≤ n ≤ 256), where
/// OpenBLAS spends as long packing A as multiplying; returns 0 (and does nothing) outside that range or
/// without AVX-512F.
int natgrad_syrk_lower_transposed(int n, int k, double alpha, const double *a, long lda,
                                  double beta, double *c, long ldc);

#endif
