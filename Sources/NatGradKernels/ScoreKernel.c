// The score Xᵀu of a column-major X together with the check that every entry is finite and at most a
// bound in magnitude: one read of X for both (a separate check would read all of X once more).

#include "natgrad_kernels.h"
#include "CPUFeatures.h"

#if defined(__x86_64__)
#include <immintrin.h>

/// Rows per block: u's block (32 KB) stays in L1 while every column's segment streams past it.
enum { SCORE_BLOCK = 4096 };

__attribute__((target("avx512f")))
static int score_bounded_avx512(long rows, int k, const double *x, long ldx, const double *u, double *result,
                                double bound) {
    const __m512i absMask = _mm512_set1_epi64(0x7FFFFFFFFFFFFFFFLL);
    const __m512d limit = _mm512_set1_pd(bound);
    __mmask8 outside = 0;
    for (int j = 0; j < k; j++) result[j] = 0;
    for (long r0 = 0; r0 < rows; r0 += SCORE_BLOCK) {
        long count = rows - r0 < SCORE_BLOCK ? rows - r0 : SCORE_BLOCK;
        const double *ub = u + r0;
        for (int j = 0; j < k; j++) {
            const double *column = x + (long)j * ldx + r0;
            __m512d s0 = _mm512_setzero_pd(), s1 = s0;
            long t = 0;
            for (; t + 16 <= count; t += 16) {
                __m512d a0 = _mm512_loadu_pd(column + t), a1 = _mm512_loadu_pd(column + t + 8);
                s0 = _mm512_fmadd_pd(a0, _mm512_loadu_pd(ub + t), s0);
                s1 = _mm512_fmadd_pd(a1, _mm512_loadu_pd(ub + t + 8), s1);
                __m512d m0 = _mm512_castsi512_pd(_mm512_and_si512(_mm512_castpd_si512(a0), absMask));
                __m512d m1 = _mm512_castsi512_pd(_mm512_and_si512(_mm512_castpd_si512(a1), absMask));
                outside |= _mm512_cmp_pd_mask(m0, limit, _CMP_NLE_UQ) | _mm512_cmp_pd_mask(m1, limit, _CMP_NLE_UQ);
            }
            for (; t < count; t += 8) {
                __mmask8 m = count - t >= 8 ? (__mmask8)0xFF : (__mmask8)((1u << (count - t)) - 1u);
                __m512d a0 = _mm512_maskz_loadu_pd(m, column + t);
                s0 = _mm512_fmadd_pd(a0, _mm512_maskz_loadu_pd(m, ub + t), s0);
                __m512d m0 = _mm512_castsi512_pd(_mm512_and_si512(_mm512_castpd_si512(a0), absMask));
                outside |= _mm512_mask_cmp_pd_mask(m, m0, limit, _CMP_NLE_UQ);
            }
            result[j] += _mm512_reduce_add_pd(_mm512_add_pd(s0, s1));
        }
    }
    return outside == 0;
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
