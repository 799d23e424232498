#if canImport(Glibc)
import Glibc
#endif

/// Monotonic time in seconds (CLOCK_MONOTONIC).
@inline(__always)
public func monotonicSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}

/// Median of a non-empty sample.
public func median(_ xs: [Double]) -> Double {
    precondition(!xs.isEmpty, "median of an empty sample")
    let s = xs.sorted()
    let n = s.count
    return n % 2 == 1 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2])
}

/// Times several variants of the same work *interleaved* (A B C A B C …) so that drift in machine
/// load affects all alike, after `warmup` untimed rounds, and returns each variant's median seconds
/// per call. Each timed sample runs the variant `inner` times back to back (choose `inner` so a sample
/// lasts ≳ 50 µs; timer resolution and call overhead then vanish), and reports time / inner.
public func interleavedMedians(
    warmup: Int = 3, rounds: Int = 15, inner: Int = 1, _ variants: [() -> Void]
) -> [Double] {
    precondition(rounds >= 1 && inner >= 1)
    for _ in 0..<warmup { for v in variants { for _ in 0..<inner { v() } } }
    var samples = [[Double]](repeating: [], count: variants.count)
    for _ in 0..<rounds {
        for (k, v) in variants.enumerated() {
            let t0 = monotonicSeconds()
            for _ in 0..<inner { v() }
            samples[k].append((monotonicSeconds() - t0) / Double(inner))
        }
    }
    return samples.map(median)
}

/// Chooses an inner repetition count so that one call of `body` repeated takes about `target` seconds.
public func calibrateInner(target: Double = 2e-3, maximum: Int = 1_000_000, _ body: () -> Void) -> Int {
    body()
    var inner = 1
    while inner < maximum {
        let t0 = monotonicSeconds()
        for _ in 0..<inner { body() }
        let t = monotonicSeconds() - t0
        if t >= target { break }
        inner = t <= 0 ? inner * 10 : Swift.min(maximum, Swift.max(inner * 2, Int(Double(inner) * target / t) + 1))
    }
    return inner
}

/// Keeps the optimizer from deleting a computation whose result is otherwise unused.
@inline(never)
public func blackHole<T>(_ value: T) { withExtendedLifetime(value) {} }
