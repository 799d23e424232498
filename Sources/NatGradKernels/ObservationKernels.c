// The per-observation work of Fisher scoring for the two commonest canonical GLMs, eight observations
// per AVX-512 register: η → μ, the score contributions u, the working weights W and the deviance.
// (The vector exp and log1p are in ObservationMath.h.)

#include "natgrad_kernels.h"
#include "CPUFeatures.h"
#include "ObservationMath.h"

#if defined(__x86_64__)
NG_AVX512 static void logistic_weights_avx512(long count, const double *eta, const double *w, double *weights) {
    const __m512d one = _mm512_set1_pd(1.0);
    for (long i = 0; i < count; i += 8) {
        __mmask8 m = ng_lanes(count, i);
        __m512d e = _mm512_maskz_loadu_pd(m, eta + i);
        __m512d t = ng_logistic_t(e);
        __m512d s = _mm512_div_pd(one, _mm512_add_pd(one, t));
        __m512d variance = _mm512_mul_pd(_mm512_mul_pd(t, s), s);
        _mm512_mask_storeu_pd(weights + i, m, _mm512_mul_pd(_mm512_maskz_loadu_pd(m, w + i), variance));
    }
}

NG_AVX512 static double logistic_finish_avx512(long count, const double *eta, const double *y, const double *w,
                                               double *mean, double *logMean, double *logComplement) {
    const __m512d zero = _mm512_setzero_pd(), one = _mm512_set1_pd(1.0), two = _mm512_set1_pd(2.0);
    __m512d pearson = zero;
    for (long i = 0; i < count; i += 8) {
        __mmask8 m = ng_lanes(count, i);
        __m512d e = _mm512_maskz_loadu_pd(m, eta + i);
        __m512d t = ng_logistic_t(e);
        __m512d s = _mm512_div_pd(one, _mm512_add_pd(one, t));
        __mmask8 negative = _mm512_cmp_pd_mask(e, zero, _CMP_LT_OQ);
        _mm512_mask_storeu_pd(mean + i, m, _mm512_mask_mul_pd(s, negative, t, s));
        __m512d l = ng_log1p_unit(t);
        _mm512_mask_storeu_pd(logMean + i, m, _mm512_sub_pd(_mm512_min_pd(e, zero), l));
        _mm512_mask_storeu_pd(logComplement + i, m, _mm512_sub_pd(_mm512_sub_pd(zero, _mm512_max_pd(e, zero)), l));
        // (y − μ)²/(μ(1 − μ)) = e^((1 − 2y)η) for y ∈ {0, 1}; rows of weight 0 are left out.
        __m512d yi = _mm512_maskz_loadu_pd(m, y + i), wi = _mm512_maskz_loadu_pd(m, w + i);
        __mmask8 weighted = _mm512_mask_cmp_pd_mask(m, wi, zero, _CMP_NEQ_UQ);
        __m512d term = ng_exp(_mm512_mul_pd(_mm512_fnmadd_pd(two, yi, one), e));
        pearson = _mm512_mask3_fmadd_pd(wi, term, pearson, weighted);
    }
    return _mm512_reduce_add_pd(pearson);
}

NG_AVX512 static void exp_avx512(long count, const double *x, double *result) {
    for (long i = 0; i < count; i += 8) {
        __mmask8 m = ng_lanes(count, i);
        _mm512_mask_storeu_pd(result + i, m, ng_exp(_mm512_maskz_loadu_pd(m, x + i)));
    }
}
#endif

int natgrad_logistic_observations(long count, const double *eta, const double *y, const double *w,
                                  double *u, double *weights, double *deviance) {
#if defined(__x86_64__)
    if (count < 0 || !natgrad_cpu_has_avx512f()) return 0;
    *deviance = logistic_avx512(count, eta, y, w, u, weights);
    return 1;
#else
    (void)count; (void)eta; (void)y; (void)w; (void)u; (void)weights; (void)deviance;
    return 0;
#endif
}

int natgrad_poisson_observations(long count, const double *eta, const double *y, const double *w,
                                 const double *yLogY, double *u, double *weights, double *deviance) {
#if defined(__x86_64__)
    if (count < 0 || !natgrad_cpu_has_avx512f()) return 0;
    *deviance = poisson_avx512(count, eta, y, w, yLogY, u, weights);
    return 1;
#else
    (void)count; (void)eta; (void)y; (void)w; (void)yLogY; (void)u; (void)weights; (void)deviance;
    return 0;
#endif
}

int natgrad_logistic_weights(long count, const double *eta, const double *w, double *weights) {
#if defined(__x86_64__)
    if (count < 0 || !natgrad_cpu_has_avx512f()) return 0;
    logistic_weights_avx512(count, eta, w, weights);
    return 1;
#else
    (void)count; (void)eta; (void)w; (void)weights;
    return 0;
#endif
}

int natgrad_logistic_finish(long count, const double *eta, const double *y, const double *w, double *mean,
                            double *logMean, double *logComplement, double *pearson) {
#if defined(__x86_64__)
    if (count < 0 || !natgrad_cpu_has_avx512f()) return 0;
    *pearson = logistic_finish_avx512(count, eta, y, w, mean, logMean, logComplement);
    return 1;
#else
    (void)count; (void)eta; (void)y; (void)w; (void)mean; (void)logMean; (void)logComplement; (void)pearson;
    return 0;
#endif
}

int natgrad_exp(long count, const double *x, double *result) {
#if defined(__x86_64__)
    if (count < 0 || !natgrad_cpu_has_avx512f()) return 0;
    exp_avx512(count, x, result);
    return 1;
#else
    (void)count; (void)x; (void)result;
    return 0;
#endif
}
