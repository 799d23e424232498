// The score Xᵀu of a column-major X together with the check that every entry is finite and at most a
// bound in magnitude: one read of X for both (a separate check would read all of X once more).
//
// Four columns at a time over blocks of rows (four long sequential streams, which the hardware
// prefetchers follow; u's block is reused by the four).

#include "natgrad_kernels.h"
#include "CPUFeatures.h"

#if defined(__x86_64__)
#include <immintrin.h>

/// Rows per block: u's block (128 KB) stays in L2 while four columns stream past it.
enum { SCORE_BLOCK = 16384 };

#define NG_ABS(v) _mm512_castsi512_pd(_mm512_and_si512(_mm512_castpd_si512(v), absMask))

/// Adds the four dot products of columns c0 … c3 with u over `count` rows into s[0 … 3], and returns the
/// largest |entry| seen (NaN entries are not seen here: they make the dot products NaN, checked by the
/// caller).
__attribute__((target("avx512f"), always_inline))
static inline __m512d four_columns(const double *c0, const double *c1, const double *c2, const double *c3,
                                   const double *ub, long count, double *s) {
    const __m512i absMask = _mm512_set1_epi64(0x7FFFFFFFFFFFFFFFLL);
    __m512d s0 = _mm512_setzero_pd(), s1 = s0, s2 = s0, s3 = s0, largest = s0;
    long t = 0;
    for (; t + 8 <= count; t += 8) {
        __m512d w = _mm512_loadu_pd(ub + t);
        __m512d a0 = _mm512_loadu_pd(c0 + t), a1 = _mm512_loadu_pd(c1 + t);
        __m512d a2 = _mm512_loadu_pd(c2 + t), a3 = _mm512_loadu_pd(c3 + t);
        s0 = _mm512_fmadd_pd(a0, w, s0);
        s1 = _mm512_fmadd_pd(a1, w, s1);
        s2 = _mm512_fmadd_pd(a2, w, s2);
        s3 = _mm512_fmadd_pd(a3, w, s3);
        largest = _mm512_max_pd(largest, _mm512_max_pd(_mm512_max_pd(NG_ABS(a0), NG_ABS(a1)),
                                                       _mm512_max_pd(NG_ABS(a2), NG_ABS(a3))));
    }
    if (t < count) {
        __mmask8 m = (__mmask8)((1u << (count - t)) - 1u);
        __m512d w = _mm512_maskz_loadu_pd(m, ub + t);
        __m512d a0 = _mm512_maskz_loadu_pd(m, c0 + t), a1 = _mm512_maskz_loadu_pd(m, c1 + t);
        __m512d a2 = _mm512_maskz_loadu_pd(m, c2 + t), a3 = _mm512_maskz_loadu_pd(m, c3 + t);
        s0 = _mm512_fmadd_pd(a0, w, s0);
        s1 = _mm512_fmadd_pd(a1, w, s1);
        s2 = _mm512_fmadd_pd(a2, w, s2);
        s3 = _mm512_fmadd_pd(a3, w, s3);
        largest = _mm512_max_pd(largest, _mm512_max_pd(_mm512_max_pd(NG_ABS(a0), NG_ABS(a1)),
                                                       _mm512_max_pd(NG_ABS(a2), NG_ABS(a3))));
    }
    s[0] += _mm512_reduce_add_pd(s0);
    s[1] += _mm512_reduce_add_pd(s1);
    s[2] += _mm512_reduce_add_pd(s2);
    s[3] += _mm512_reduce_add_pd(s3);
    return largest;
}

/// Returns 1 when every entry is finite with |x| ≤ bound. The largest magnitude is tracked with VMAXPD,
/// which drops NaNs; a NaN or ±∞ entry instead makes its column's dot product NaN or ±∞ (NaN·u and
/// ∞·0 are NaN), so non-finite results count as outside too. (A finite result that overflows only
/// raises a false alarm; the caller then searches X for the entry and finds none.)
__attribute__((target("avx512f")))
static int score_bounded_avx512(long rows, int k, const double *x, long ldx, const double *u, double *result,
                                double bound) {
    __m512d largest = _mm512_setzero_pd();
    double tail[4];
    for (int j = 0; j < k; j++) result[j] = 0;
    for (long r0 = 0; r0 < rows; r0 += SCORE_BLOCK) {
        long count = rows - r0 < SCORE_BLOCK ? rows - r0 : SCORE_BLOCK;
        const double *ub = u + r0;
        int j = 0;
        for (; j + 4 <= k; j += 4) {
            const double *c0 = x + (long)j * ldx + r0;
            largest = _mm512_max_pd(largest, four_columns(c0, c0 + ldx, c0 + 2 * ldx, c0 + 3 * ldx, ub, count,
                                                          result + j));
        }
        if (j < k) {
            // The last one to three columns, the missing ones standing in as repeats of the last (their
            // sums dropped).
            const double *c[4];
            for (int q = 0; q < 4; q++) c[q] = x + (long)(j + q < k ? j + q : k - 1) * ldx + r0;
            tail[0] = tail[1] = tail[2] = tail[3] = 0;
            largest = _mm512_max_pd(largest, four_columns(c[0], c[1], c[2], c[3], ub, count, tail));
            for (int q = 0; j + q < k; q++) result[j + q] += tail[q];
        }
    }
    int bounded = _mm512_cmp_pd_mask(largest, _mm512_set1_pd(bound), _CMP_NLE_UQ) == 0;
    for (int j = 0; j < k; j++) {
        if (!(result[j] - result[j] == 0)) bounded = 0;  // NaN or ±∞
    }
    return bounded;
}
#endif

int natgrad_score_bounded(long rows, int k, const double *x, long ldx, const double *u, double *result,
                          double bound, int *bounded) {
#if defined(__x86_64__)
    if (rows < 0 || k < 0 || (k > 0 && ldx < (rows > 1 ? rows : 1))) return 0;
    if (!natgrad_cpu_has_avx512f()) return 0;
    *bounded = score_bounded_avx512(rows, k, x, ldx, u, result, bound);
    return 1;
#else
    (void)rows; (void)k; (void)x; (void)ldx; (void)u; (void)result; (void)bound; (void)bounded;
    return 0;
#endif
}
