#ifndef NATGRAD_OBSERVATION_MATH_H
#define NATGRAD_OBSERVATION_MATH_H

// Vector math of the observation kernels (included by ObservationKernels.c and PassKernel.c): eight
// observations per AVX-512 register.
//
// exp: x = k·ln 2 + r with k = round(x/ln 2) and |r| ≤ ln 2 / 2 (ln 2 split in a 32-bit head, whose
// products with k are exact, and a tail); eʳ by its Taylor polynomial of degree 13 (remainder
// < 0.347¹⁴/14! ≈ 4e-18 relative); 2ᵏ applied by VSCALEFPD, which rounds once and handles overflow to
// +∞ and gradual underflow to 0. Arguments are clamped to ±1100 (beyond the range of finite, nonzero
// results) with NaN kept.
// log1p on [0, 1]: log(1 + t) = 2 atanh(s) with s = t/(2 + t), or, above t = √2 − 1, ln 2 + 2 atanh(s)
// with s = (t − 1)/(t + 3) (= atanh argument of (1 + t)/2), so |s| ≤ 0.1716 and s² ≤ 0.0295; atanh(s)/s
// by its series to s²⁰ (remainder < 0.0295¹¹/23 ≈ 6e-19 relative). s is formed from t, not from the
// rounded 1 + t, so small t keep their relative accuracy.

#include <math.h>

#if defined(__x86_64__)
#include <immintrin.h>

#define NG_AVX512 __attribute__((target("avx512f")))

NG_AVX512 static inline __m512d ng_exp(__m512d x) {
    const __m512d log2e = _mm512_set1_pd(1.4426950408889634074);
    const __m512d ln2hi = _mm512_set1_pd(6.93147180369123816490e-01);  // 32 significant bits
    const __m512d ln2lo = _mm512_set1_pd(1.90821492927058770002e-10);
    // Clamp with NaN kept: VMAXPD/VMINPD return the second operand when either is NaN.
    x = _mm512_max_pd(_mm512_set1_pd(-1100.0), x);
    x = _mm512_min_pd(_mm512_set1_pd(1100.0), x);
    __m512d k = _mm512_roundscale_pd(_mm512_mul_pd(x, log2e), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    __m512d r = _mm512_fnmadd_pd(k, ln2hi, x);
    r = _mm512_fnmadd_pd(k, ln2lo, r);
    // Horner on 1/13!, 1/12!, …, 1/1!, 1.
    __m512d p = _mm512_set1_pd(1.0 / 6227020800.0);
    p = _mm512_fmadd_pd(p, r, _mm512_set1_pd(1.0 / 479001600.0));
    p = _mm512_fmadd_pd(p, r, _mm512_set1_pd(1.0 / 39916800.0));
    p = _mm512_fmadd_pd(p, r, _mm512_set1_pd(1.0 / 3628800.0));
    p = _mm512_fmadd_pd(p, r, _mm512_set1_pd(1.0 / 362880.0));
    p = _mm512_fmadd_pd(p, r, _mm512_set1_pd(1.0 / 40320.0));
    p = _mm512_fmadd_pd(p, r, _mm512_set1_pd(1.0 / 5040.0));
    p = _mm512_fmadd_pd(p, r, _mm512_set1_pd(1.0 / 720.0));
    p = _mm512_fmadd_pd(p, r, _mm512_set1_pd(1.0 / 120.0));
    p = _mm512_fmadd_pd(p, r, _mm512_set1_pd(1.0 / 24.0));
    p = _mm512_fmadd_pd(p, r, _mm512_set1_pd(1.0 / 6.0));
    p = _mm512_fmadd_pd(p, r, _mm512_set1_pd(0.5));
    p = _mm512_fmadd_pd(p, r, _mm512_set1_pd(1.0));
    p = _mm512_fmadd_pd(p, r, _mm512_set1_pd(1.0));
    return _mm512_scalef_pd(p, k);
}

/// log(1 + t) for t in [0, 1] (see the file comment).
NG_AVX512 static inline __m512d ng_log1p_unit(__m512d t) {
    const __m512d one = _mm512_set1_pd(1.0), two = _mm512_set1_pd(2.0), three = _mm512_set1_pd(3.0);
    __mmask8 big = _mm512_cmp_pd_mask(t, _mm512_set1_pd(0.41421356237309504880), _CMP_GT_OQ);
    __m512d numerator = _mm512_mask_sub_pd(t, big, t, one);
    __m512d denominator = _mm512_mask_add_pd(_mm512_add_pd(t, two), big, t, three);
    __m512d s = _mm512_div_pd(numerator, denominator);
    __m512d z = _mm512_mul_pd(s, s);
    __m512d q = _mm512_set1_pd(1.0 / 21.0);
    q = _mm512_fmadd_pd(q, z, _mm512_set1_pd(1.0 / 19.0));
    q = _mm512_fmadd_pd(q, z, _mm512_set1_pd(1.0 / 17.0));
    q = _mm512_fmadd_pd(q, z, _mm512_set1_pd(1.0 / 15.0));
    q = _mm512_fmadd_pd(q, z, _mm512_set1_pd(1.0 / 13.0));
    q = _mm512_fmadd_pd(q, z, _mm512_set1_pd(1.0 / 11.0));
    q = _mm512_fmadd_pd(q, z, _mm512_set1_pd(1.0 / 9.0));
    q = _mm512_fmadd_pd(q, z, _mm512_set1_pd(1.0 / 7.0));
    q = _mm512_fmadd_pd(q, z, _mm512_set1_pd(1.0 / 5.0));
    q = _mm512_fmadd_pd(q, z, _mm512_set1_pd(1.0 / 3.0));
    // 2s + 2s·z·q, then + ln 2 where t was reduced.
    __m512d twoS = _mm512_add_pd(s, s);
    __m512d result = _mm512_fmadd_pd(_mm512_mul_pd(twoS, z), q, twoS);
    return _mm512_mask_add_pd(result, big, result, _mm512_set1_pd(0.69314718055994530942));
}

/// The lanes of rows i … i + 7 that are below `count`.
NG_AVX512 static inline __mmask8 ng_lanes(long count, long i) {
    return count - i >= 8 ? (__mmask8)0xFF : (__mmask8)((1u << (count - i)) - 1u);
}

/// t = e^(−|η|) of the logistic link (in (0, 1]; 0 beyond |η| ≈ 745, NaN for NaN).
NG_AVX512 static inline __m512d ng_logistic_t(__m512d eta) {
    const __m512i absMask = _mm512_set1_epi64(0x7FFFFFFFFFFFFFFFLL);
    __m512d a = _mm512_castsi512_pd(_mm512_and_si512(_mm512_castpd_si512(eta), absMask));
    return ng_exp(_mm512_sub_pd(_mm512_setzero_pd(), a));
}

/// Logistic block: see natgrad_logistic_observations. Returns the deviance or +∞.
NG_AVX512 static inline double logistic_avx512(long count, const double *eta, const double *y, const double *w,
                                        double *u, double *weights) {
    const __m512d zero = _mm512_setzero_pd(), one = _mm512_set1_pd(1.0), two = _mm512_set1_pd(2.0);
    __m512d deviance = zero;
    __mmask8 bad = 0;
    for (long i = 0; i < count; i += 8) {
        __mmask8 m = ng_lanes(count, i);
        __m512d e = _mm512_maskz_loadu_pd(m, eta + i);
        __m512d yi = _mm512_maskz_loadu_pd(m, y + i);
        __m512d wi = _mm512_maskz_loadu_pd(m, w + i);
        __m512d t = ng_logistic_t(e);
        bad |= _mm512_mask_cmp_pd_mask(m, t, zero, _CMP_NGT_UQ);  // t ≤ 0 or NaN
        __m512d s = _mm512_div_pd(one, _mm512_add_pd(one, t));
        __mmask8 negative = _mm512_cmp_pd_mask(e, zero, _CMP_LT_OQ);
        __m512d mean = _mm512_mask_mul_pd(s, negative, t, s);
        _mm512_mask_storeu_pd(u + i, m, _mm512_mul_pd(wi, _mm512_sub_pd(yi, mean)));
        if (weights) _mm512_mask_storeu_pd(weights + i, m, _mm512_mul_pd(wi, _mm512_mul_pd(_mm512_mul_pd(t, s), s)));
        // Unit deviance for y ∈ {0, 1}: 2[log(1 + t) + max(0, (1 − 2y)η)].
        __m512d linear = _mm512_max_pd(zero, _mm512_mul_pd(_mm512_fnmadd_pd(two, yi, one), e));
        __m512d unit = _mm512_add_pd(ng_log1p_unit(t), linear);
        deviance = _mm512_mask3_fmadd_pd(wi, unit, deviance, m);
    }
    if (bad) return INFINITY;
    return 2.0 * _mm512_reduce_add_pd(deviance);
}

/// Poisson block: see natgrad_poisson_observations. Returns the deviance or +∞.
NG_AVX512 static inline double poisson_avx512(long count, const double *eta, const double *y, const double *w,
                                       const double *yLogY, double *u, double *weights) {
    const __m512d zero = _mm512_setzero_pd();
    const __m512d largest = _mm512_set1_pd(1.7976931348623157e308);
    __m512d deviance = zero;
    __mmask8 bad = 0;
    for (long i = 0; i < count; i += 8) {
        __mmask8 m = ng_lanes(count, i);
        __m512d e = _mm512_maskz_loadu_pd(m, eta + i);
        __m512d yi = _mm512_maskz_loadu_pd(m, y + i);
        __m512d wi = _mm512_maskz_loadu_pd(m, w + i);
        __m512d h = _mm512_maskz_loadu_pd(m, yLogY + i);
        __m512d mean = ng_exp(e);
        bad |= _mm512_mask_cmp_pd_mask(m, mean, zero, _CMP_NGT_UQ);      // μ ≤ 0 or NaN
        bad |= _mm512_mask_cmp_pd_mask(m, mean, largest, _CMP_GT_OQ);    // μ = +∞
        _mm512_mask_storeu_pd(u + i, m, _mm512_mul_pd(wi, _mm512_sub_pd(yi, mean)));
        if (weights) _mm512_mask_storeu_pd(weights + i, m, _mm512_mul_pd(wi, mean));
        // Unit deviance 2(y log y − yη − y + μ).
        __m512d unit = _mm512_add_pd(_mm512_sub_pd(_mm512_fnmadd_pd(yi, e, h), yi), mean);
        deviance = _mm512_mask3_fmadd_pd(wi, unit, deviance, m);
    }
    if (bad) return INFINITY;
    return 2.0 * _mm512_reduce_add_pd(deviance);
}

#endif

#endif
