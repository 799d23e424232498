// vi-bench: natural-gradient VI (the Bayesian learning rule) against Euclidean gradient ascent on the
// ELBO, for Bayesian logistic regression on seeded synthetic data; plus the fast-path step against the
// generic F⁻¹∇θ step over the Gaussian's d + d(d+1)/2 natural parameters.
import ArgumentParser
import BenchSupport
import Foundation
import NatGrad

@main
struct VIBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vi-bench",
        abstract: "Iterations and time to a relative ELBO change of --tolerance: natural-gradient VI vs Euclidean gradient ascent."
    )

    @Option(help: "Observations n.")
    var observations = 10_000

    @Option(help: "Comma-separated dimensions d (the intercept counts).")
    var dimensions = "20,100"

    @Option(help: "Relative ELBO change that stops every method.")
    var tolerance = 1e-8

    @Option(help: "Comma-separated Euclidean step sizes, as multiples of 1/L with L = λmax(XᵀX)/4 + α (the Lipschitz constant of the mean gradient), tried from the largest down; the search stops at the first step that does worse than the previous one.")
    var grid = "0.5,1,1.5,2,3,4"

    @Option(help: "Iteration cap for each Euclidean run.")
    var euclideanCap = 3000

    @Option(help: "Data seed.")
    var seed: UInt64 = 20_240_601

    @Flag(help: "Skip the generic F⁻¹∇θ step (it needs (d + d(d+1)/2)² doubles: 212 MB at d = 100).")
    var skipGeneric = false

    @Option(help: "Threads of the natural-gradient fits' row passes.")
    var threads = 1

    @Option(help: "p ≫ n cases as ROWSxCOLUMNS, comma-separated (full covariance in the n × n Woodbury form, and the mean field); empty to skip.")
    var wide = "50x1000,50x5000"

    @Flag(help: "Natural gradient from the library's default curvature-informed start instead of the prior.")
    var defaultStart = false

    @Flag(help: "Only the p ≫ n cases.")
    var onlyWide = false

    @Option(help: "Allocation probe: fit a small problem (n = 300, d = 8) capped at this many iterations, full and diagonal, and exit (run under `valgrind` at two caps: equal counts per extra iteration = allocations per iteration).")
    var allocationProbe: Int?

    func run() throws {
        if let cap = allocationProbe {
            let model = try syntheticLogistic(n: 300, d: 8, seed: seed)
            // stepTolerance 0 and no ELBO stop: every fit runs to the cap (it cannot converge).
            let options = VariationalOptions(stepTolerance: 0, maximumIterations: cap)
            let full = try model.fitFullCovariance(options: options)
            let diagonal = try model.fitDiagonal(options: options)
            say("allocation probe: \(full.iterations) full and \(diagonal.iterations) diagonal iterations; checksum \(full.elbo + diagonal.elbo)")
            return
        }
        let dims = dimensions.split(separator: ",").compactMap { Int($0) }
        let multiples = grid.split(separator: ",").compactMap { Double($0) }.sorted(by: >)
        say("vi-bench: Bayesian logistic regression, n = \(observations), prior N(0, I), 64-point Gauss–Hermite,")
        say("natural gradient: default stopping rule (relative step of mean and precision ≤ 1e-12), \(threads) thread(s);")
        say("Euclidean: stop at |ΔELBO| ≤ \(tolerance)·|ELBO|; OPENBLAS_NUM_THREADS=\(ProcessInfo.processInfo.environment["OPENBLAS_NUM_THREADS"] ?? "unset")")
        try runWide()
        if onlyWide { return }
        for d in dims {
            let model = try syntheticLogistic(n: observations, d: d, seed: seed &+ UInt64(d))
            say("\n== d = \(d) ==")
            let options = VariationalOptions(maximumIterations: 10_000)

            // Natural gradient, full covariance and mean-field (median of 3 timed runs each). Both start from
            // the prior, as Euclidean gradient ascent does, so the comparison is like for like (the library's
            // default curvature-informed start would save NGVI a further iteration or two).
            let fullPrior = try FullGaussianPosterior.prior(dimension: d, precision: model.priorPrecision)
            let diagonalPrior = try DiagonalGaussianPosterior.prior(dimension: d, precision: model.priorPrecision)
            var fullFit: VariationalFit<FullGaussianPosterior>? = nil
            var diagonalFit: VariationalFit<DiagonalGaussianPosterior>? = nil
            let times = interleavedMedians(warmup: 0, rounds: 3, [
                { fullFit = try? model.fitFullCovariance(options: options, initial: defaultStart ? nil : fullPrior) },
            ]) + interleavedMedians(warmup: 0, rounds: 1, [
                { diagonalFit = try? model.fitDiagonal(options: options, initial: defaultStart ? nil : diagonalPrior) },
            ])
            guard let full = fullFit, let diagonal = diagonalFit else { throw ExitCode.failure }
            say(row("natural gradient, full", iterations: full.iterations, converged: full.converged, seconds: times[0], elbo: full.elbo))
            say(row("natural gradient, diagonal", iterations: diagonal.iterations, converged: diagonal.converged, seconds: times[1], elbo: diagonal.elbo))
            say(String(format: "  per evaluated posterior (passes = iterations + rejections + 1): full %.2f ms, diagonal %.2f ms",
                       1e3 * times[0] / Double(full.iterations + full.rejectedSteps + 1),
                       1e3 * times[1] / Double(diagonal.iterations + diagonal.rejectedSteps + 1)))
            say(String(format: "  diagonal / full iterations: %.2f; final relative steps %.1e (full), %.1e (diagonal)",
                       Double(diagonal.iterations) / Double(max(full.iterations, 1)), full.relativeStep, diagonal.relativeStep))

            // Euclidean gradient ascent over (m, C), Σ = CCᵀ, each step size of the grid once. Two
            // stopping rules from the same run: (a) the first iteration with the natural-gradient rule
            // |ΔELBO| ≤ tol·|ELBO|; (b) reaching the natural optimum's ELBO to within tol·|ELBO*| (a slow
            // fixed step can satisfy (a) while still far from the optimum). The run continues to (b).
            let target = full.elbo - tolerance * abs(full.elbo)
            say("Euclidean gradient ascent over (m, C), Σ = CCᵀ, step γ (cap \(euclideanCap) iterations):")
            var runs: [(gamma: Double, fit: EuclideanGradientAscentFit, seconds: Double)] = []
            let gram = BLAS.gram(model.design)
            let lipschitz = try SymmetricEigendecomposition(gram).eigenvalues.last! / 4 + model.priorPrecision
            say(String(format: "  L = λmax(XᵀX)/4 + α = %.4g; grid γ = c/L for c in %@", lipschitz, grid))
            for c in multiples {
                let gamma = c / lipschitz
                let t0 = monotonicSeconds()
                let fit = try model.fitByEuclideanGradientAscent(stepSize: gamma, maximumIterations: euclideanCap,
                                                                 relativeTolerance: tolerance, targetELBO: target)
                let seconds = monotonicSeconds() - t0
                let diverged = fit.termination == .stepSizeUnderflow
                let a = fit.firstSmallChangeIteration.map(String.init) ?? "–"
                say("  γ = \(String(format: "%-9.3g", gamma))" + (diverged ? " diverged after \(fit.iterations) iterations" :
                    String(format: " (a) at %@ it, (b) %@ at %d it, %.3f s (%.2f ms/it), final ELBO gap %.2e",
                           a, fit.converged ? "reached" : "NOT reached", fit.iterations, seconds,
                           1e3 * seconds / Double(max(fit.iterations, 1)), full.elbo - fit.elbo)))
                if diverged { continue }
                if let last = runs.last, worse(fit, than: last.fit) {
                    runs.append((gamma, fit, seconds))
                    break
                }
                runs.append((gamma, fit, seconds))
            }
            if let bestA = runs.filter({ $0.fit.firstSmallChangeIteration != nil }).min(by: { $0.fit.firstSmallChangeIteration! < $1.fit.firstSmallChangeIteration! }) {
                let it = bestA.fit.firstSmallChangeIteration!
                say(String(format: "  rule (a): best γ = %.3g needs %d iterations vs natural %d → %.1f× fewer iterations (natural total %.3f s vs ≈ %.3f s)",
                             bestA.gamma, it, full.iterations, Double(it) / Double(full.iterations), times[0],
                             bestA.seconds * Double(it) / Double(max(bestA.fit.iterations, 1))))
            } else {
                say("  rule (a): no step size of the grid met it within the cap")
            }
            if let bestB = runs.filter({ $0.fit.converged }).min(by: { $0.fit.iterations < $1.fit.iterations }) {
                say(String(format: "  rule (b): best γ = %.3g needs %d iterations, %.3f s vs natural %d, %.3f s → %.1f× fewer iterations, %.1f× less time",
                             bestB.gamma, bestB.fit.iterations, bestB.seconds, full.iterations, times[0],
                             Double(bestB.fit.iterations) / Double(full.iterations), bestB.seconds / times[0]))
            } else if let closest = runs.max(by: { $0.fit.elbo < $1.fit.elbo }) {
                say(String(format: "  rule (b): no step size reached the target within %d iterations (closest: γ = %.3g, gap %.2e) → ≥ %.0f× fewer iterations for natural gradient",
                             euclideanCap, closest.gamma, full.elbo - closest.fit.elbo, Double(euclideanCap) / Double(full.iterations)))
            }

            // One step of the fast path vs the generic path from the same non-optimal point.
            if !skipGeneric {
                let prior = try FullGaussianPosterior.prior(dimension: d, precision: model.priorPrecision)
                let start = try model.learningRuleStep(from: prior, stepSize: 0.5)
                var fast: FullGaussianPosterior? = nil, generic: FullGaussianPosterior? = nil
                let rounds = d <= 30 ? 5 : 1
                let stepTimes = interleavedMedians(warmup: d <= 30 ? 1 : 0, rounds: rounds, [
                    { fast = try? model.learningRuleStep(from: start, stepSize: 1) },
                    { generic = try? model.genericNaturalGradientStep(from: start, stepSize: 1) },
                ])
                guard let f = fast, let g = generic else { throw ExitCode.failure }
                let a = f.naturalParameters, b = g.naturalParameters
                var diff = 0.0, scale = 0.0
                for k in a.indices { diff = max(diff, abs(a[k] - b[k])); scale = max(scale, abs(a[k])) }
                say(String(format: "one step from the same point: fast path %.4f s, generic F⁻¹∇θ path (dim %d) %.4f s → %.0f×; max relative difference in θ %.2e",
                             stepTimes[0], GaussianNaturalCoordinates.parameterCount(dimension: d), stepTimes[1],
                             stepTimes[1] / stepTimes[0], diff / scale))
            }
        }
    }

    /// More iterations to rule (b), or not reaching it while the other did, or a lower final ELBO.
    func worse(_ a: EuclideanGradientAscentFit, than b: EuclideanGradientAscentFit) -> Bool {
        if a.converged != b.converged { return !a.converged }
        return a.converged ? a.iterations > b.iterations : a.elbo < b.elbo
    }

    func row(_ label: String, iterations: Int, converged: Bool, seconds: Double, elbo: Double) -> String {
        label.padding(toLength: 34, withPad: " ", startingAt: 0)
            + String(format: "%6d it  %-13@ %9.3f s   ELBO %.10g", iterations, converged ? "converged" : "not converged", seconds, elbo)
    }

    /// Seeded logistic data: intercept plus d − 1 standard-normal features with pairwise correlation ½
    /// (a shared factor), true coefficients N(0, 1/d) and intercept −0.5.
    func syntheticLogistic(n: Int, d: Int, seed: UInt64) throws -> BayesianGLM {
        var g = Xoshiro256(seed: seed)
        let w = (0..<d).map { j in j == 0 ? -0.5 : 2 * standardNormal(using: &g) / Double(d).squareRoot() }
        var x = Matrix(rows: n, columns: d)
        var y = [Double](repeating: 0, count: n)
        for i in 0..<n {
            x[i, 0] = 1
            let shared = standardNormal(using: &g)
            var a = w[0]
            for j in 1..<d {
                let v = (0.5).squareRoot() * shared + (0.5).squareRoot() * standardNormal(using: &g)
                x[i, j] = v
                a += v * w[j]
            }
            y[i] = openUnitUniform(using: &g) < 1 / (1 + exp(-a)) ? 1 : 0
        }
        return try BayesianGLM(design: x, response: y, likelihood: .bernoulliLogit, priorPrecision: 1,
                               execution: RowExecution(threads: threads))
    }

    /// p ≫ n: features N(0, 1/p) (prior predictive variance ≈ 1), 10 informative; Woodbury full covariance
    /// and mean field, from the default start.
    func runWide() throws {
        for spec in wide.split(separator: ",") {
            let parts = spec.split(separator: "x").compactMap { Int($0) }
            guard parts.count == 2 else { continue }
            let (n, p) = (parts[0], parts[1])
            var g = Xoshiro256(seed: seed &+ UInt64(p))
            var x = Matrix(rows: n, columns: p)
            var y = [Double](repeating: 0, count: n)
            for i in 0..<n {
                x[i, 0] = 1
                var a = -0.3
                for j in 1..<p {
                    x[i, j] = standardNormal(using: &g) / Double(p).squareRoot()
                    if j <= 10 { a += 3 * x[i, j] }
                }
                y[i] = openUnitUniform(using: &g) < 1 / (1 + exp(-a)) ? 1 : 0
            }
            let model = try BayesianGLM(design: x, response: y, likelihood: .bernoulliLogit, priorPrecision: 1)
            say("\n== p ≫ n: n = \(n), p = \(p) ==")
            var woodbury: VariationalFit<WoodburyGaussianPosterior>? = nil
            var diagonal: VariationalFit<DiagonalGaussianPosterior>? = nil
            let times = interleavedMedians(warmup: 0, rounds: 1, [
                { woodbury = try? model.fitWoodbury() },
                { diagonal = try? model.fitDiagonal() },
            ])
            guard let w = woodbury, let dg = diagonal else { throw ExitCode.failure }
            say(row("full (n × n Woodbury form)", iterations: w.iterations, converged: w.converged, seconds: times[0], elbo: w.elbo))
            say(row("diagonal", iterations: dg.iterations, converged: dg.converged, seconds: times[1], elbo: dg.elbo))
        }
    }
}

/// Writes a line to stdout unbuffered (progress stays visible when redirected to a file).
func say(_ line: String) { FileHandle.standardOutput.write(Data((line + "\n").utf8)) }
