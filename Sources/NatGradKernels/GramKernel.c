// The Gram kernel: C ← α·AᵀA + β·C (lower triangle) for a k × n column-major A with few columns.
//
// Entry (i, j) of AᵀA is the dot product of columns i and j, and a column of a column-major matrix is
// contiguous, so the kernel works on 4 × 4 tiles of C: four columns of A against four others, eight rows
// at a time in AVX-512 registers (16 accumulators, 8 loads per 16 fused multiply-adds). Rows go in
// chunks whose columns fit in the L2 cache together, so each column is read from memory once per
// chunk; the partial sums of a chunk are reduced and added to C. Columns past n in the last tile repeat
// column n − 1 and their results are dropped; the rows past k in the last group of eight are masked.

#include "natgrad_kernels.h"
#include "CPUFeatures.h"

#if defined(__x86_64__)
#include <immintrin.h>

/// Adds α·(Aᵢᵀ Aⱼ) over rows [0, rows) to C for the tile with columns i₀ … i₀+3 and j₀ … j₀+3 (clamped
/// to n − 1). With `diagonal`, only entries on or below the diagonal are written.
__attribute__((target("avx512f"), always_inline))
static inline void gram_tile_body(const double *a, long lda, int rows, int n, int i0, int j0, double alpha,
                                  double *c, long ldc, int diagonal, const double *w) {
    const double *x[4], *y[4];
    for (int r = 0; r < 4; r++) {
        int i = i0 + r < n ? i0 + r : n - 1;
        int j = j0 + r < n ? j0 + r : n - 1;
        x[r] = a + (long)i * lda;
        y[r] = a + (long)j * lda;
    }
    __m512d s00 = _mm512_setzero_pd(), s01 = s00, s02 = s00, s03 = s00;
    __m512d s10 = s00, s11 = s00, s12 = s00, s13 = s00;
    __m512d s20 = s00, s21 = s00, s22 = s00, s23 = s00;
    __m512d s30 = s00, s31 = s00, s32 = s00, s33 = s00;
    int t = 0;
    for (; t + 8 <= rows; t += 8) {
        __m512d x0 = _mm512_loadu_pd(x[0] + t), x1 = _mm512_loadu_pd(x[1] + t);
        __m512d x2 = _mm512_loadu_pd(x[2] + t), x3 = _mm512_loadu_pd(x[3] + t);
        if (w) {
            __m512d wt = _mm512_loadu_pd(w + t);
            x0 = _mm512_mul_pd(wt, x0); x1 = _mm512_mul_pd(wt, x1);
            x2 = _mm512_mul_pd(wt, x2); x3 = _mm512_mul_pd(wt, x3);
        }
        __m512d y0 = _mm512_loadu_pd(y[0] + t), y1 = _mm512_loadu_pd(y[1] + t);
        __m512d y2 = _mm512_loadu_pd(y[2] + t), y3 = _mm512_loadu_pd(y[3] + t);
        s00 = _mm512_fmadd_pd(x0, y0, s00); s01 = _mm512_fmadd_pd(x0, y1, s01);
        s02 = _mm512_fmadd_pd(x0, y2, s02); s03 = _mm512_fmadd_pd(x0, y3, s03);
        s10 = _mm512_fmadd_pd(x1, y0, s10); s11 = _mm512_fmadd_pd(x1, y1, s11);
        s12 = _mm512_fmadd_pd(x1, y2, s12); s13 = _mm512_fmadd_pd(x1, y3, s13);
        s20 = _mm512_fmadd_pd(x2, y0, s20); s21 = _mm512_fmadd_pd(x2, y1, s21);
        s22 = _mm512_fmadd_pd(x2, y2, s22); s23 = _mm512_fmadd_pd(x2, y3, s23);
        s30 = _mm512_fmadd_pd(x3, y0, s30); s31 = _mm512_fmadd_pd(x3, y1, s31);
        s32 = _mm512_fmadd_pd(x3, y2, s32); s33 = _mm512_fmadd_pd(x3, y3, s33);
    }
    if (t < rows) {
        __mmask8 m = (__mmask8)((1u << (rows - t)) - 1u);
        __m512d x0 = _mm512_maskz_loadu_pd(m, x[0] + t), x1 = _mm512_maskz_loadu_pd(m, x[1] + t);
        __m512d x2 = _mm512_maskz_loadu_pd(m, x[2] + t), x3 = _mm512_maskz_loadu_pd(m, x[3] + t);
        if (w) {
            __m512d wt = _mm512_maskz_loadu_pd(m, w + t);
            x0 = _mm512_mul_pd(wt, x0); x1 = _mm512_mul_pd(wt, x1);
            x2 = _mm512_mul_pd(wt, x2); x3 = _mm512_mul_pd(wt, x3);
        }
        __m512d y0 = _mm512_maskz_loadu_pd(m, y[0] + t), y1 = _mm512_maskz_loadu_pd(m, y[1] + t);
        __m512d y2 = _mm512_maskz_loadu_pd(m, y[2] + t), y3 = _mm512_maskz_loadu_pd(m, y[3] + t);
        s00 = _mm512_fmadd_pd(x0, y0, s00); s01 = _mm512_fmadd_pd(x0, y1, s01);
        s02 = _mm512_fmadd_pd(x0, y2, s02); s03 = _mm512_fmadd_pd(x0, y3, s03);
        s10 = _mm512_fmadd_pd(x1, y0, s10); s11 = _mm512_fmadd_pd(x1, y1, s11);
        s12 = _mm512_fmadd_pd(x1, y2, s12); s13 = _mm512_fmadd_pd(x1, y3, s13);
        s20 = _mm512_fmadd_pd(x2, y0, s20); s21 = _mm512_fmadd_pd(x2, y1, s21);
        s22 = _mm512_fmadd_pd(x2, y2, s22); s23 = _mm512_fmadd_pd(x2, y3, s23);
        s30 = _mm512_fmadd_pd(x3, y0, s30); s31 = _mm512_fmadd_pd(x3, y1, s31);
        s32 = _mm512_fmadd_pd(x3, y2, s32); s33 = _mm512_fmadd_pd(x3, y3, s33);
    }
    double sums[4][4] = {
        {_mm512_reduce_add_pd(s00), _mm512_reduce_add_pd(s01), _mm512_reduce_add_pd(s02), _mm512_reduce_add_pd(s03)},
        {_mm512_reduce_add_pd(s10), _mm512_reduce_add_pd(s11), _mm512_reduce_add_pd(s12), _mm512_reduce_add_pd(s13)},
        {_mm512_reduce_add_pd(s20), _mm512_reduce_add_pd(s21), _mm512_reduce_add_pd(s22), _mm512_reduce_add_pd(s23)},
        {_mm512_reduce_add_pd(s30), _mm512_reduce_add_pd(s31), _mm512_reduce_add_pd(s32), _mm512_reduce_add_pd(s33)},
    };
    for (int q = 0; q < 4 && j0 + q < n; q++) {
        for (int r = diagonal ? q : 0; r < 4 && i0 + r < n; r++) {
            c[(i0 + r) + (long)(j0 + q) * ldc] += alpha * sums[r][q];
        }
    }
}

/// The tile of AᵀA, and of Aᵀdiag(w)A (the weights multiply the first four columns as they are loaded).
__attribute__((target("avx512f")))
static void gram_tile(const double *a, long lda, int rows, int n, int i0, int j0, double alpha,
                      double *c, long ldc, int diagonal) {
    gram_tile_body(a, lda, rows, n, i0, j0, alpha, c, ldc, diagonal, 0);
}

__attribute__((target("avx512f")))
static void weighted_gram_tile(const double *a, long lda, int rows, int n, int i0, int j0, double alpha,
                               double *c, long ldc, int diagonal, const double *w) {
    gram_tile_body(a, lda, rows, n, i0, j0, alpha, c, ldc, diagonal, w);
}

/// Rows per chunk: the chunk's n columns take ≈ 512 KB (half of a Zen 4 L2), a multiple of 8.
static long gram_chunk_rows(int n) {
    long chunk = (65536L / n) / 8 * 8;
    return chunk < 64 ? 64 : chunk;
}

__attribute__((target("avx512f")))
static void syrk_lower_transposed_avx512(int n, int k, double alpha, const double *a, long lda, double *c, long ldc) {
    long chunk = gram_chunk_rows(n);
    for (long start = 0; start < k; start += chunk) {
        int rows = (int)(k - start < chunk ? k - start : chunk);
        const double *block = a + start;
        for (int j0 = 0; j0 < n; j0 += 4) {
            for (int i0 = j0; i0 < n; i0 += 4) {
                gram_tile(block, lda, rows, n, i0, j0, alpha, c, ldc, i0 == j0);
            }
        }
    }
}

/// Σ_t w_t·x_t over the rows of each column (the intercept row of the weighted Gram matrix) and Σ_t w_t.
__attribute__((target("avx512f")))
static void weighted_column_sums(int k, long rows, const double *x, long ldx, const double *w, double alpha,
                                 double *c) {
    __m512d total = _mm512_setzero_pd();
    for (long t = 0; t < rows; t += 8) {
        __mmask8 m = rows - t >= 8 ? (__mmask8)0xFF : (__mmask8)((1u << (rows - t)) - 1u);
        total = _mm512_add_pd(total, _mm512_maskz_loadu_pd(m, w + t));
    }
    c[0] += alpha * _mm512_reduce_add_pd(total);
    for (int j = 0; j < k; j++) {
        const double *column = x + (long)j * ldx;
        __m512d s0 = _mm512_setzero_pd(), s1 = s0;
        long t = 0;
        for (; t + 16 <= rows; t += 16) {
            s0 = _mm512_fmadd_pd(_mm512_loadu_pd(w + t), _mm512_loadu_pd(column + t), s0);
            s1 = _mm512_fmadd_pd(_mm512_loadu_pd(w + t + 8), _mm512_loadu_pd(column + t + 8), s1);
        }
        for (; t < rows; t += 8) {
            __mmask8 m = rows - t >= 8 ? (__mmask8)0xFF : (__mmask8)((1u << (rows - t)) - 1u);
            s0 = _mm512_fmadd_pd(_mm512_maskz_loadu_pd(m, w + t), _mm512_maskz_loadu_pd(m, column + t), s0);
        }
        c[1 + j] += alpha * _mm512_reduce_add_pd(_mm512_add_pd(s0, s1));
    }
}

__attribute__((target("avx512f")))
static void weighted_gram_avx512(int k, long rows, const double *x, long ldx, const double *w, double alpha,
                                 int intercept, double *c, long ldc) {
    long chunk = gram_chunk_rows(k);
    double *features = c + (intercept ? 1 + ldc : 0);
    for (long start = 0; start < rows; start += chunk) {
        int count = (int)(rows - start < chunk ? rows - start : chunk);
        const double *block = x + start;
        for (int j0 = 0; j0 < k; j0 += 4) {
            for (int i0 = j0; i0 < k; i0 += 4) {
                weighted_gram_tile(block, ldx, count, k, i0, j0, alpha, features, ldc, i0 == j0, w + start);
            }
        }
        if (intercept) weighted_column_sums(k, count, block, ldx, w + start, alpha, c);
    }
}
#endif

int natgrad_weighted_gram_lower(int k, long rows, const double *x, long ldx, const double *w, double alpha,
                                int intercept, double *c, long ldc) {
#if defined(__x86_64__)
    if (k < 4 || k > 256 || rows < 0 || ldx < (rows > 1 ? rows : 1) || ldc < k + (intercept ? 1 : 0)) return 0;
    if (!natgrad_cpu_has_avx512f()) return 0;
    if (rows == 0 || alpha == 0) return 1;
    weighted_gram_avx512(k, rows, x, ldx, w, alpha, intercept ? 1 : 0, c, ldc);
    return 1;
#else
    (void)k; (void)rows; (void)x; (void)ldx; (void)w; (void)alpha; (void)intercept; (void)c; (void)ldc;
    return 0;
#endif
}

int natgrad_kernel_level(void) {
#if defined(__x86_64__)
    return natgrad_cpu_has_avx512f() ? 2 : 0;
#else
    return 0;
#endif
}

int natgrad_syrk_lower_transposed(int n, int k, double alpha, const double *a, long lda,
                                  double beta, double *c, long ldc) {
#if defined(__x86_64__)
    if (n < 4 || n > 256 || k < 0 || lda < (k > 1 ? k : 1) || ldc < n) return 0;
    if (!natgrad_cpu_has_avx512f()) return 0;
    for (int j = 0; j < n; j++) {
        double *column = c + (long)j * ldc;
        if (beta == 0) {
            for (int i = j; i < n; i++) column[i] = 0;
        } else if (beta != 1) {
            for (int i = j; i < n; i++) column[i] *= beta;
        }
    }
    if (k == 0 || alpha == 0) return 1;
    syrk_lower_transposed_avx512(n, k, alpha, a, lda, c, ldc);
    return 1;
#else
    (void)n; (void)k; (void)alpha; (void)a; (void)lda; (void)beta; (void)c; (void)ldc;
    return 0;
#endif
}
