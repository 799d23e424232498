// Copy with a fused finiteness check: one pass over the source instead of a scan (dasum or the bit
// scan) followed by a memmove. A double is NaN or ±∞ exactly when its 11 exponent bits are all ones;
// adding one unit of the exponent field to the masked exponent then carries into the sign bit, so
// OR-ing (bits & exponentMask) + exponentUnit over every value and testing the sign bit at the end is
// a branch-free check: integer ops only, no per-element compare, four independent accumulators.

#include "natgrad_kernels.h"
#include "CPUFeatures.h"

#if defined(__x86_64__)
#include <immintrin.h>
#include <stdint.h>

__attribute__((target("avx512f")))
static int copy_checking_finite_avx512(long count, const double *src, double *dst) {
    const __m512i mask = _mm512_set1_epi64(0x7FF0000000000000LL);
    const __m512i unit = _mm512_set1_epi64(0x0010000000000000LL);
    __m512i f0 = _mm512_setzero_si512(), f1 = f0, f2 = f0, f3 = f0;
    long i = 0;
    for (; i + 32 <= count; i += 32) {
        __m512i a = _mm512_loadu_si512((const void *)(src + i));
        __m512i b = _mm512_loadu_si512((const void *)(src + i + 8));
        __m512i c = _mm512_loadu_si512((const void *)(src + i + 16));
        __m512i d = _mm512_loadu_si512((const void *)(src + i + 24));
        _mm512_storeu_si512((void *)(dst + i), a);
        _mm512_storeu_si512((void *)(dst + i + 8), b);
        _mm512_storeu_si512((void *)(dst + i + 16), c);
        _mm512_storeu_si512((void *)(dst + i + 24), d);
        f0 = _mm512_or_si512(f0, _mm512_add_epi64(_mm512_and_si512(a, mask), unit));
        f1 = _mm512_or_si512(f1, _mm512_add_epi64(_mm512_and_si512(b, mask), unit));
        f2 = _mm512_or_si512(f2, _mm512_add_epi64(_mm512_and_si512(c, mask), unit));
        f3 = _mm512_or_si512(f3, _mm512_add_epi64(_mm512_and_si512(d, mask), unit));
    }
    for (; i + 8 <= count; i += 8) {
        __m512i a = _mm512_loadu_si512((const void *)(src + i));
        _mm512_storeu_si512((void *)(dst + i), a);
        f0 = _mm512_or_si512(f0, _mm512_add_epi64(_mm512_and_si512(a, mask), unit));
    }
    if (i < count) {
        __mmask8 m = (__mmask8)((1u << (count - i)) - 1u);
        __m512i a = _mm512_maskz_loadu_epi64(m, (const void *)(src + i));
        _mm512_mask_storeu_epi64((void *)(dst + i), m, a);
        f1 = _mm512_or_si512(f1, _mm512_add_epi64(_mm512_and_si512(a, mask), unit));  // masked-off lanes are 0: finite
    }
    __m512i f = _mm512_or_si512(_mm512_or_si512(f0, f1), _mm512_or_si512(f2, f3));
    // Any sign bit set ⇒ some value was NaN or ±∞.
    return _mm512_test_epi64_mask(f, _mm512_set1_epi64((long long)0x8000000000000000ULL)) == 0;
}
#endif

int natgrad_copy_checking_finite(long count, const double *src, double *dst, int *allFinite) {
#if defined(__x86_64__)
    if (count < 64 || !natgrad_cpu_has_avx512f()) return 0;
    *allFinite = copy_checking_finite_avx512(count, src, dst);
    return 1;
#else
    (void)count; (void)src; (void)dst; (void)allFinite;
    return 0;
#endif
}
