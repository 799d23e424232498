// glm-bench: wall time, iterations and Fisher evaluations of `GeneralizedLinearModel.fit` on seeded
// synthetic logistic and Poisson regressions; optionally writes the data (and NatGrad's answer) for
// scripts/compare-glm. Heap allocations per iteration are counted by the GLMAllocations suite of the
// nested Benchmarks package (scripts/bench-allocations.sh).
import ArgumentParser
import BenchSupport
import Foundation
import NatGrad

// MARK: Data

enum Model: String, ExpressibleByArgument, CaseIterable {
    case logistic, poisson
    var family: GLMFamily { self == .logistic ? .binomial : .poisson }
}

/// Seeded synthetic data: features N(0, 1) rounded to 6 decimals (so the CSV holds exactly the same
/// doubles), slopes N(0, s²/d) with s = 1 (logistic) or 0.5 (Poisson), intercept 0.2; responses drawn
/// from the model.
func synthesize(_ model: Model, n: Int, d: Int, seed: UInt64) -> (x: Matrix, y: [Double]) {
    var g = Xoshiro256(seed: seed &+ UInt64(d) &* 1_000_003 &+ (model == .logistic ? 0 : 77))
    var storage = [Double](repeating: 0, count: n * d)
    for t in 0..<(n * d) { storage[t] = (standardNormal(using: &g) * 1e6).rounded() / 1e6 }
    let x = Matrix(rows: n, columns: d, columnMajor: storage)
    let s = model == .logistic ? 1.0 : 0.5
    let beta = (0..<d).map { _ in standardNormal(using: &g) * s / Double(d).squareRoot() }
    var eta = [Double](repeating: 0.2, count: n)
    BLAS.gemv(x, beta, beta: 1, into: &eta)
    var y = [Double](repeating: 0, count: n)
    for i in 0..<n {
        switch model {
        case .logistic:
            y[i] = openUnitUniform(using: &g) < 1 / (1 + exp(-eta[i])) ? 1 : 0
        case .poisson:
            // Inversion: count steps until the cumulative probability passes a uniform.
            let lambda = exp(eta[i])
            let u = openUnitUniform(using: &g)
            var k = 0.0, pk = exp(-lambda), cumulative = pk
            while u > cumulative && k < 1000 { k += 1; pk *= lambda / k; cumulative += pk }
            y[i] = k
        }
    }
    return (x, y)
}

func writeCSV(_ path: String, x: Matrix, y: [Double]) throws {
    var text = "y," + (1...x.columns).map { "x\($0)" }.joined(separator: ",") + "\n"
    text.reserveCapacity(x.rows * x.columns * 11)
    let e = x.elements
    for i in 0..<x.rows {
        text += String(Int(y[i]))
        for j in 0..<x.columns { text += "," + String(format: "%.6f", e[i + j * x.rows]) }
        text += "\n"
    }
    try text.write(toFile: path, atomically: true, encoding: .utf8)
}

// MARK: Robust covariances

/// The process's CPU time in seconds (single-threaded with OPENBLAS_NUM_THREADS=1: the work itself,
/// less disturbed than wall time when other processes share the cores).
func processCPUSeconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
    return Double(t.tv_sec) + 1e-9 * Double(t.tv_nsec)
}

/// Times fits with each robust covariance type against nonrobust fits, interleaved (nonrobust, type,
/// nonrobust, type, …), and prints the medians of the process CPU time and the extra time as a
/// fraction of the nonrobust fit.
func timeCovariances(_ list: String, glm: GeneralizedLinearModel, data: GLMData, options: FisherScoringOptions,
                     label: String, repeats: Int = 7) throws {
    let groups = (0..<data.count).map { $0 % 100 }
    for name in list.split(separator: ",").map(String.init) {
        guard let kind = GLMCovarianceKind(rawValue: name), kind != .nonrobust else { continue }
        let type: GLMCovarianceType
        switch kind {
        case .hc0: type = .hc0
        case .hc1: type = .hc1
        case .hc2: type = .hc2
        case .hc3: type = .hc3
        default: type = .cluster(groups: groups)
        }
        var plain = [Double](), robust = [Double]()
        for _ in 0..<repeats {
            var t0 = processCPUSeconds()
            _ = try glm.fit(data, options: options)
            plain.append(processCPUSeconds() - t0)
            t0 = processCPUSeconds()
            _ = try glm.fit(data, covariance: type, options: options)
            robust.append(processCPUSeconds() - t0)
        }
        let a = median(plain), b = median(robust)
        print(String(format: "  %@ %@: fit %.4f s CPU, with %@ %.4f s: +%.1f %% of the fit", label, kind.rawValue, a,
                     kind.rawValue, b, 100 * (b - a) / a))
    }
}

// MARK: Bare reads

/// Σ of every element of `x`, eight lanes at a time with four independent accumulators: what a pass over
/// the same memory costs when it does nothing with the numbers (the bandwidth a pass over X can reach).
func bareReadSum(_ x: [Double], _ range: Range<Int>) -> Double {
    x.withUnsafeBufferPointer { buffer in
        let base = UnsafeRawPointer(buffer.baseAddress!)
        var s0 = SIMD8<Double>(), s1 = SIMD8<Double>(), s2 = SIMD8<Double>(), s3 = SIMD8<Double>()
        var i = range.lowerBound
        let stride = MemoryLayout<Double>.stride
        while i + 32 <= range.upperBound {
            s0 += base.loadUnaligned(fromByteOffset: i * stride, as: SIMD8<Double>.self)
            s1 += base.loadUnaligned(fromByteOffset: (i + 8) * stride, as: SIMD8<Double>.self)
            s2 += base.loadUnaligned(fromByteOffset: (i + 16) * stride, as: SIMD8<Double>.self)
            s3 += base.loadUnaligned(fromByteOffset: (i + 24) * stride, as: SIMD8<Double>.self)
            i += 32
        }
        var total = (s0 + s1 + s2 + s3).sum()
        while i < range.upperBound { total += buffer[i]; i += 1 }
        return total
    }
}

/// Seconds of a bare read of `x` on `threads` threads (contiguous slices), the median of `repeats`.
func timeBareRead(_ x: [Double], threads: Int, repeats: Int, clock: () -> Double) -> Double {
    var times = [Double]()
    let sink = UnsafeMutablePointer<Double>.allocate(capacity: threads)
    defer { sink.deallocate() }
    for _ in 0..<Swift.max(1, repeats) {
        let t0 = clock()
        if threads == 1 {
            sink[0] = bareReadSum(x, 0..<x.count)
        } else {
            let n = x.count
            nonisolated(unsafe) let out = sink
            DispatchQueue.concurrentPerform(iterations: threads) { w in
                out[w] = bareReadSum(x, (w * n / threads)..<((w + 1) * n / threads))
            }
        }
        times.append(clock() - t0)
    }
    return median(times)
}

// MARK: Command

@main
struct GLMBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "glm-bench",
        abstract: "Times GLM Fisher scoring (logistic and Poisson regression).")

    @Option(name: [.customLong("rows"), .customLong("n")], help: "Rows (--n is the older spelling).") var n = 100_000
    @Option(help: "Worker threads of the fits (comma-separated: each case is fitted with each count, interleaved; default: the machine's cores).")
    var threads: String?
    @Flag(help: "Also time one evaluation pass and one XᵀWX at each thread count, and a bare read of X (GB/s).")
    var passes = false
    @Option(help: "Feature counts (comma-separated); the model adds an intercept.") var d = "50,200"
    @Option(help: "Models (comma-separated): logistic, poisson.") var models = "logistic,poisson"
    @Option(help: "Seed of the synthetic data.") var seed: UInt64 = 20_251_125
    @Option(help: "Timed fits per case (median reported).") var repeats = 3
    @Option(help: "Write <model>-d<d>.csv and <model>-d<d>.natgrad.json into this directory.") var writeData: String?
    @Flag(help: "Print the time of every step on stderr.") var verbose = false
    @Option(help: "Reuse the Fisher factorization below this relative deviance change (0: Fisher every step).") var reuseFisherBelow = 5e-2
    @Flag(help: "Iterate with the full Fisher matrix only (no subsampled preconditioner).") var noSubsample = false
    @Option(help: "Also time fits with these covariance types (comma-separated: HC0,HC1,HC2,HC3,cluster; cluster uses 100 groups), interleaved with nonrobust fits, and print the extra time as a fraction of the nonrobust fit.")
    var covariances: String?

    func run() throws {
        let sizes = d.split(separator: ",").compactMap { Int($0) }
        let modelList = models.split(separator: ",").compactMap { Model(rawValue: String($0)) }
        let threadCounts = threads.map { $0.split(separator: ",").compactMap { Int($0) } }
            ?? [ProcessInfo.processInfo.activeProcessorCount]
        print("glm-bench: n = \(n), threads = \(threadCounts.map(String.init).joined(separator: ",")), OpenBLAS threads = \(BLASThreading.threadCount)")
        print("model     d  threads    time_s   iterations  fisher(full+sub)  deviance")
        for model in modelList {
            for dim in sizes {
                let (x, y) = synthesize(model, n: n, d: dim, seed: seed)
                let data = GLMData(features: x, featureNames: (1...dim).map { "x\($0)" }, response: y)
                let glm = try GeneralizedLinearModel(family: model.family)
                let options = FisherScoringOptions(reuseFisherBelow: reuseFisherBelow, subsampleFisher: !noSubsample)
                var timesByThreads = [[Double]](repeating: [], count: threadCounts.count)
                var result: GLMFit?
                for _ in 0..<Swift.max(1, repeats) {
                  for (t, threadCount) in threadCounts.enumerated() {
                    let t0 = monotonicSeconds()
                    let fit = try glm.fit(data, options: options, execution: RowExecution(threads: threadCount)) { step in
                        if verbose {
                            FileHandle.standardError.write(Data(String(format: "  step %d at %.4f s: fisher %d, halvings %d, change %.3e\n",
                                step.iteration, monotonicSeconds() - t0, step.formedFisherMatrix ? 1 : 0, step.stepHalvings,
                                step.relativeDevianceChange).utf8))
                        }
                    }
                    timesByThreads[t].append(monotonicSeconds() - t0)
                    if let previous = result, previous.estimates != fit.estimates {
                        print("  warning: \(threadCount) threads gave other coefficients than \(threadCounts[0])")
                    }
                    result = fit
                  }
                }
                let fit = result!
                let times = timesByThreads[0]
                for (t, threadCount) in threadCounts.enumerated() {
                    print(String(format: "%-8@ %4d  %7d  %8.4f  %10d  %10@  %.10g", model.rawValue, dim, threadCount,
                                 median(timesByThreads[t]), fit.iterations,
                                 "\(fit.fisherEvaluations)+\(fit.subsampledFisherEvaluations)", fit.deviance))
                }
                if threadCounts.count > 1 {
                    print(String(format: "  speedup %d → %d threads: %.2f×", threadCounts[0], threadCounts.last!,
                                 median(timesByThreads[0]) / median(timesByThreads.last!)))
                }
                if passes {
                    for threadCount in threadCounts {
                        // One thread: the process's CPU time (less disturbed by other processes on the cores).
                        let clock: () -> Double = threadCount == 1 ? { processCPUSeconds() } : { monotonicSeconds() }
                        let timing = try glm.timePasses(data, threads: threadCount, repeats: Swift.max(5, repeats),
                                                        clock: clock)
                        let bare = timeBareRead(x.elements, threads: threadCount, repeats: Swift.max(5, repeats),
                                                clock: clock)
                        let gb = timing.bytes / 1e9
                        print(String(format: "  passes, %d thread%@: evaluation %.4f s (%.1f GB/s), XᵀWX %.4f s (%.1f GB/s); bare read of X %.4f s (%.1f GB/s): evaluation at %.0f %% of the bare read",
                                     threadCount, threadCount == 1 ? "" : "s", timing.evaluation, gb / timing.evaluation,
                                     timing.fisher, gb / timing.fisher, bare, gb / bare, 100 * bare / timing.evaluation))
                    }
                }
                if let covariances {
                    try timeCovariances(covariances, glm: glm, data: data, options: options, label: "\(model.rawValue) d=\(dim)")
                }
                if let dir = writeData {
                    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
                    let stem = "\(dir)/\(model.rawValue)-d\(dim)"
                    try writeCSV(stem + ".csv", x: x, y: y)
                    let coefficients = fit.estimates.map { String(format: "%.17g", $0) }.joined(separator: ", ")
                    let json = """
                    {"model": "\(model.rawValue)", "n": \(n), "d": \(dim), "seconds": \(median(times)), \
                    "iterations": \(fit.iterations), "fisherEvaluations": \(fit.fisherEvaluations), \
                    "coefficients": [\(coefficients)]}
                    """
                    try json.write(toFile: stem + ".natgrad.json", atomically: true, encoding: .utf8)
                }
            }
        }
    }
}
