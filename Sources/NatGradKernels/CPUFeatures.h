#ifndef NATGRAD_CPU_FEATURES_H
#define NATGRAD_CPU_FEATURES_H

#if defined(__x86_64__)
#include <cpuid.h>
#include <stdlib.h>
#include <string.h>

/// AVX-512F usable: the processor has it (CPUID leaf 7, EBX bit 16) and the operating system saves
/// the opmask and ZMM registers on context switches (XCR0 bits 1, 2, 5, 6, 7, read with XGETBV, which
/// OSXSAVE = CPUID leaf 1, ECX bit 27 permits), and the environment does not set NATGRAD_KERNELS=off
/// (which selects the OpenBLAS and scalar paths, for comparisons). Computed once; a race only
/// recomputes the same answer.
static inline int natgrad_cpu_has_avx512f(void) {
    static int cached = -1;
    int value = __atomic_load_n(&cached, __ATOMIC_RELAXED);
    if (value >= 0) return value;
    unsigned eax, ebx, ecx, edx;
    value = 0;
    const char *setting = getenv("NATGRAD_KERNELS");
    if (setting && strcmp(setting, "off") == 0) {
        __atomic_store_n(&cached, value, __ATOMIC_RELAXED);
        return value;
    }
    if (__get_cpuid(1, &eax, &ebx, &ecx, &edx) && (ecx & (1u << 27))) {
        unsigned lo, hi;
        __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
        (void)hi;
        if ((lo & 0xE6u) == 0xE6u && __get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx) && (ebx & (1u << 16))) {
            value = 1;
        }
    }
    __atomic_store_n(&cached, value, __ATOMIC_RELAXED);
    return value;
}
#endif

#endif
