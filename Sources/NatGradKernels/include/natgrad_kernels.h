#ifndef NATGRAD_KERNELS_H
#define NATGRAD_KERNELS_H

/// Hand-written compute kernels for the shapes OpenBLAS handles poorly, selected at run time by the
/// instruction sets the processor and the operating system support. Each entry point returns 1 when it
/// did the work and 0 when no kernel applies (then nothing was written and the caller uses BLAS).

/// The instruction set the kernels use on this machine: 2 = AVX-512F, 0 = none (BLAS fallback).
int natgrad_kernel_level(void);

/// dst[0..<count] ← src[0..<count] and *allFinite ← 1 when no value is NaN or ±∞ (else 0; dst then holds
/// the copy all the same), in one pass. Returns 0 (and does nothing) below 64 values or without AVX-512F.
int natgrad_copy_checking_finite(long count, const double *src, double *dst, int *allFinite);

/// Lower triangle of C ← alpha·AᵀA + beta·C, as `cblas_dsyrk(ColMajor, Lower, Trans, n, k, …)`:
/// A is k × n column-major with leading dimension lda ≥ max(1, k), C is n × n column-major with
/// leading dimension ldc ≥ max(1, n); the strict upper triangle of C is not touched, and C is not read
/// when beta == 0. For the tall, narrow products of a Gram matrix over row blocks (4 ≤ n ≤ 256), where
/// OpenBLAS spends as long packing A as multiplying; returns 0 (and does nothing) outside that range or
/// without AVX-512F.
int natgrad_syrk_lower_transposed(int n, int k, double alpha, const double *a, long lda,
                                  double beta, double *c, long ldc);

/// The weighted Gram matrix of a row range, accumulated: lower triangle of C += alpha·Σ_t w[t]·z_t z_tᵀ
/// over t < rows, where z_t = (1, x[t, 0], …, x[t, k − 1]) when `intercept` (C is then (k + 1) × (k + 1),
/// the intercept first) and z_t = x[t, :] otherwise; x is column-major with leading dimension ldx ≥ rows
/// (a row range of a larger matrix: pass its first element), C has leading dimension ldc ≥ k + intercept.
/// The weights multiply the columns as they are loaded, so no scaled copy of x is made. The strict
/// upper triangle is not touched. Returns 0 (nothing written) unless 4 ≤ k ≤ 256 and AVX-512F is there.
int natgrad_weighted_gram_lower(int k, long rows, const double *x, long ldx, const double *w, double alpha,
                                int intercept, double *c, long ldc);

/// Logistic regression (binomial, logit link) on `count` observations whose responses are 0 or 1:
/// with t = e^(−|η|) and s = 1/(1 + t), μ = s (η ≥ 0) or t·s (η < 0), and
///   u[i] = w[i]·(y[i] − μ),  weights[i] = w[i]·t·s² (= w μ(1 − μ); skipped when `weights` is NULL),
///   *deviance = Σ 2·w[i]·(log(1 + t) + max(0, (1 − 2y[i])·η)),
/// or *deviance = +∞ when some t is 0 or NaN (|η| > 745 or η NaN; u and weights are then unspecified).
/// exp and log1p are evaluated in registers (≤ 2 ulp; see ObservationKernels.c). Returns 0 (nothing
/// written) without AVX-512F.
int natgrad_logistic_observations(long count, const double *eta, const double *y, const double *w,
                                  double *u, double *weights, double *deviance);

/// Poisson regression (log link): μ = e^η, u[i] = w[i]·(y[i] − μ), weights[i] = w[i]·μ (skipped when
/// NULL), *deviance = Σ 2·w[i]·(yLogY[i] − y[i]·η − y[i] + μ) with yLogY[i] = y log y (0 at y = 0), or +∞
/// when some μ is 0, +∞ or NaN. Returns 0 (nothing written) without AVX-512F.
int natgrad_poisson_observations(long count, const double *eta, const double *y, const double *w,
                                 const double *yLogY, double *u, double *weights, double *deviance);

/// One Fisher-scoring pass over `rows` rows for logistic (model 0, responses 0 or 1) or Poisson (model 1,
/// log link) regression, with x the k feature columns (column-major, leading dimension ldx ≥ rows; a row
/// range of a larger matrix: pass pointers to its first row, and likewise for the per-row arrays):
///   eta[t] = intercept + offset[t] (offset may be NULL) + Σ_j x[t, j]·beta[j],
///   u, weights (may be NULL) and the deviance as in natgrad_logistic_observations /
///   natgrad_poisson_observations (yLogY is read only by the Poisson model),
///   score[j] += Σ_t x[t, j]·u[t] (j < k),  *uSum += Σ_t u[t]  (the intercept's score).
/// *deviance = +∞ when some mean leaves the mean space (then u, weights, score, *uSum are unspecified).
/// Returns 0 (nothing written) without AVX-512F.
int natgrad_glm_pass(int model, long rows, int k, const double *x, long ldx, const double *beta,
                     double intercept, const double *offset, const double *y, const double *w,
                     const double *yLogY, double *eta, double *u, double *weights,
                     double *score, double *uSum, double *deviance);

/// The logistic working weights alone: weights[i] = w[i]·t·s² (= w μ(1 − μ)) with t = e^(−|η|),
/// s = 1/(1 + t). Returns 0 (nothing written) without AVX-512F.
int natgrad_logistic_weights(long count, const double *eta, const double *w, double *weights);

/// After a logistic fit (responses 0 or 1): mean = μ, logMean = log μ, logComplement = log(1 − μ) at every
/// η (log μ = min(η, 0) − log1p(e^(−|η|)), log(1 − μ) = −max(η, 0) − log1p(e^(−|η|))), and *pearson =
/// Σ w·(y − μ)²/(μ(1 − μ)) = Σ w·e^((1 − 2y)η) over the rows with w ≠ 0. Returns 0 (nothing written)
/// without AVX-512F.
int natgrad_logistic_finish(long count, const double *eta, const double *y, const double *w, double *mean,
                            double *logMean, double *logComplement, double *pearson);

/// result[j] = Σ_t x[t, j]·u[t] for j < k (x column-major, rows × k, leading dimension ldx ≥ rows), and
/// *bounded = 1 when every x[t, j] is finite with |x[t, j]| ≤ bound, else 0 (a NaN counts as outside), from
/// one read of x. Returns 0 (nothing written) without AVX-512F.
int natgrad_score_bounded(long rows, int k, const double *x, long ldx, const double *u, double *result,
                          double bound, int *bounded);

/// result[i] = e^(x[i]) (≤ 2 ulp; +∞ above 709.78, gradual underflow below −708.4, NaN kept); `result`
/// may equal `x`. Returns 0 (nothing written) without AVX-512F.
int natgrad_exp(long count, const double *x, double *result);

#endif
