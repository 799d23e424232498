// expfam-bench: how the cost of μ(θ) and of the Fisher-vector product F·v grows with dimension.
//
// For each family and size it times, after warm-up, `rounds` samples of `inner` back-to-back calls
// (inner calibrated so a sample lasts ≈ 2 ms, BenchSupport.calibrateInner):
//   μ(θ)  = `withNaturalParameters(θ).meanParameters` (validation + everything μ needs, from θ), and
//   F·v   = `fisherVectorProduct(v)` on a built member (never forming F).
// It prints the median and the best (minimum) time per call, and the growth exponent between consecutive
// sizes, log(t₂/t₁)/log(n₂/n₁), computed from the best times (on a shared, oversubscribed machine the
// minimum is the estimate least disturbed by other processes; medians are printed for reference),
// next to the stated complexity: O(d³) in d for the multivariate normal,
// O(dim) for Categorical, Dirichlet and DiagonalNormal. The stated cost is an upper bound: at these
// sizes fixed per-call overheads (validation, allocation, BLAS dispatch) and the rising efficiency of
// BLAS-3 on larger blocks make the measured exponent *smaller* than the bound, so the check is one-sided:
// `--check` exits with status 1 when the exponent between the two largest sizes exceeds the stated one
// by more than 0.5 — which is what an O(dim²) implementation would do (exponent 2 in dim, 4 in d for
// the multivariate normal, whose dim grows like d²/2). `--quick` uses fewer rounds; `--extended` adds
// larger sizes (d = 128, 256; dim = 65536) to show the asymptotic slope.
//
// Run: swift build -c release --product expfam-bench && OPENBLAS_NUM_THREADS=1 .build/release/expfam-bench

import BenchSupport
import Foundation
import NatGrad

let arguments = Set(CommandLine.arguments.dropFirst())
let quick = arguments.contains("--quick")
let check = arguments.contains("--check")
let rounds = quick ? 5 : 15
let extended = arguments.contains("--extended")
setenv("OPENBLAS_NUM_THREADS", "1", 0)

/// One family at one size: a closure that computes μ(θ) from θ, and one that computes F·v.
struct Case {
    var size: Int
    var dimension: Int
    var meanParameters: () -> Void
    var fisherVectorProduct: () -> Void
}

/// A row of the table: a family, how its size is measured, the stated exponent, and its cases.
struct Series {
    var family: String
    var sizeName: String
    var expectedExponent: Double
    var complexity: String
    var cases: [Case]
}

func makeCase<F: ExponentialFamily>(_ p: F, size: Int, seed: UInt64) -> Case {
    var g = Xoshiro256(seed: seed)
    let theta = p.naturalParameters
    let v = (0..<p.dimension).map { _ in standardNormal(using: &g) }
    return Case(
        size: size, dimension: p.dimension,
        meanParameters: { blackHole((try? p.withNaturalParameters(theta))?.meanParameters) },
        fisherVectorProduct: { blackHole(p.fisherVectorProduct(v)) })
}

func randomSPD(_ d: Int, seed: UInt64) -> Matrix {
    var g = Xoshiro256(seed: seed)
    let a = Matrix(rows: d, columns: d, columnMajor: (0..<(d * d)).map { _ in standardNormal(using: &g) })
    var s = BLAS.gram(a)
    for k in s.elements.indices { s.elements[k] /= Double(d) }
    s.addToDiagonal(1)
    return s
}

func positiveVector(_ n: Int, seed: UInt64, low: Double, high: Double) -> [Double] {
    var g = Xoshiro256(seed: seed)
    return (0..<n).map { _ in low + (high - low) * openUnitUniform(using: &g) }
}

func normalVector(_ n: Int, seed: UInt64) -> [Double] {
    var g = Xoshiro256(seed: seed)
    return (0..<n).map { _ in standardNormal(using: &g) }
}

let vectorSizes = extended ? [16, 256, 4096, 65536] : [16, 256, 4096]
let gaussianSizes = extended ? [8, 32, 64, 128, 256] : [8, 32, 64]
var series: [Series] = []
do {
    series.append(Series(
        family: "MultivariateNormal", sizeName: "d", expectedExponent: 3, complexity: "O(d³)",
        cases: try gaussianSizes.map { d in
            makeCase(try MultivariateNormal(mean: normalVector(d, seed: 1), covariance: randomSPD(d, seed: 2)), size: d, seed: 3)
        }))
    series.append(Series(
        family: "Categorical", sizeName: "dim", expectedExponent: 1, complexity: "O(dim)",
        cases: try vectorSizes.map { n in
            // K = dim + 1 categories (minimal parametrization).
            let w = positiveVector(n + 1, seed: 4, low: 0.5, high: 2)
            let total = w.reduce(0, +)
            return makeCase(try Categorical(probabilities: w.map { $0 / total }), size: n, seed: 5)
        }))
    series.append(Series(
        family: "Dirichlet", sizeName: "dim", expectedExponent: 1, complexity: "O(dim)",
        cases: try vectorSizes.map { n in
            makeCase(try Dirichlet(alpha: positiveVector(n, seed: 6, low: 0.2, high: 20)), size: n, seed: 7)
        }))
    series.append(Series(
        family: "DiagonalNormal", sizeName: "dim", expectedExponent: 1, complexity: "O(dim)",
        cases: try vectorSizes.map { n in
            // dim = 2d.
            makeCase(try DiagonalNormal(mean: normalVector(n / 2, seed: 8),
                                        variances: positiveVector(n / 2, seed: 9, low: 0.1, high: 3)), size: n, seed: 10)
        }))
} catch {
    FileHandle.standardError.write(Data("expfam-bench: building the benchmark members failed: \(error)\n".utf8))
    exit(2)
}

/// `rounds` samples (seconds per call) of `inner` back-to-back calls, after `warmup` untimed samples.
func samples(rounds: Int, inner: Int, warmup: Int = 3, _ body: () -> Void) -> [Double] {
    for _ in 0..<(warmup * inner) { body() }
    return (0..<rounds).map { _ in
        let t0 = monotonicSeconds()
        for _ in 0..<inner { body() }
        return (monotonicSeconds() - t0) / Double(inner)
    }
}

func formatTime(_ seconds: Double) -> String {
    if seconds < 1e-6 { return String(format: "%.1f ns", seconds * 1e9) }
    if seconds < 1e-3 { return String(format: "%.2f µs", seconds * 1e6) }
    return String(format: "%.3f ms", seconds * 1e3)
}

func pad(_ s: String, _ width: Int) -> String {
    s.count >= width ? s : s + String(repeating: " ", count: width - s.count)
}

print("expfam-bench: time per call, median and best of \(rounds) samples after warm-up; growth exponent (from best) vs the previous size")
print(pad("family", 20) + pad("size", 11) + pad("dim", 7) + pad("μ(θ) median", 13) + pad("best", 12) + pad("exp.", 7)
      + pad("F·v median", 13) + pad("best", 12) + pad("exp.", 7) + "stated")
var failures: [String] = []
for s in series {
    var previous: (size: Int, mu: Double, fv: Double)?
    for c in s.cases {
        let innerMu = calibrateInner(c.meanParameters)
        let innerFv = calibrateInner(c.fisherVectorProduct)
        let sMu = samples(rounds: rounds, inner: innerMu, c.meanParameters)
        let sFv = samples(rounds: rounds, inner: innerFv, c.fisherVectorProduct)
        let tMu = sMu.min()!, tFv = sFv.min()!
        var eMu = "", eFv = ""
        if let p = previous {
            let r = log(Double(c.size) / Double(p.size))
            let xMu = log(tMu / p.mu) / r, xFv = log(tFv / p.fv) / r
            eMu = String(format: "%.2f", xMu)
            eFv = String(format: "%.2f", xFv)
            if c.size == s.cases.last!.size {
                for (what, x) in [("μ(θ)", xMu), ("F·v", xFv)] where x > s.expectedExponent + 0.5 {
                    failures.append("\(s.family) \(what): exponent \(String(format: "%.2f", x)) between \(s.sizeName) = \(p.size) and \(c.size) exceeds the stated \(s.complexity)")
                }
            }
        }
        print(pad(s.family, 20) + pad("\(s.sizeName)=\(c.size)", 11) + pad("\(c.dimension)", 7)
              + pad(formatTime(median(sMu)), 13) + pad(formatTime(tMu), 12) + pad(eMu, 7)
              + pad(formatTime(median(sFv)), 13) + pad(formatTime(tFv), 12) + pad(eFv, 7) + s.complexity)
        previous = (c.size, tMu, tFv)
    }
}
// For contrast: the same product through the explicit Fisher matrix (forming F costs O(dim²) = O(d⁴)
// entries, then a gemv O(dim²)), which is what the Fisher-vector product avoids.
print("")
print("MultivariateNormal F·v without forming F vs explicit F (dim × dim) then gemv (best of \(rounds)):")
print(pad("size", 11) + pad("dim", 7) + pad("F·v", 12) + pad("F formed·v", 14) + "ratio")
for d in gaussianSizes where d <= 64 {
    guard let p = try? MultivariateNormal(mean: normalVector(d, seed: 1), covariance: randomSPD(d, seed: 2)) else { continue }
    let v = normalVector(p.dimension, seed: 3)
    let fast = { blackHole(p.fisherVectorProduct(v)) }
    let explicit = { blackHole(p.fisherInformation * v) }
    let tFast = samples(rounds: rounds, inner: calibrateInner(fast), fast).min()!
    let tExplicit = samples(rounds: rounds, inner: calibrateInner(explicit), explicit).min()!
    print(pad("d=\(d)", 11) + pad("\(p.dimension)", 7) + pad(formatTime(tFast), 12) + pad(formatTime(tExplicit), 14)
          + String(format: "%.0f×", tExplicit / tFast))
}
print("")
if failures.isEmpty {
    print("growth between the two largest sizes is within the stated complexity (exponent ≤ stated + 0.5) for every family")
} else {
    for f in failures { print("MISMATCH: \(f)") }
    if check { exit(1) }
}
