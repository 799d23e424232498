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

    @Option(help: "Comma-separated Euclidean step sizes, as multiples of 1/n.")
    var grid = "1,2,4,8,16,32"

    @Option(help: "Iteration cap for each Euclidean run.")
    var euclideanCap = 5000

    @Option(help: "Data seed.")
    var seed: UInt64 = 20_240_601

    @Flag(help: "Skip the generic F⁻¹∇θ step (it needs (d + d(d+1)/2)² doubles: 212 MB at d = 100).")
    var skipGeneric = false

    func run() throws {
        let dims = dimensions.split(separator: ",").compactMap { Int($0) }
        let multiples = grid.split(separator: ",").compactMap { Double($0) }
        print("vi-bench: Bayesian logistic regression, n = \(observations), prior N(0, I), 64-point Gauss–Hermite,")
        print("stop at |ΔELBO| ≤ \(tolerance)·|ELBO|; OPENBLAS_NUM_THREADS=\(ProcessInfo.processInfo.environment["OPENBLAS_NUM_THREADS"] ?? "unset")")
        for d in dims {
            let model = try syntheticLogistic(n: observations, d: d, seed: seed &+ UInt64(d))
            print("\n== d = \(d) ==")
            let options = VariationalOptions(relativeTolerance: tolerance, maximumIterations: 10_000)

            // Natural gradient, full covariance and mean-field (median of 3 timed runs each).
            var fullFit: VariationalFit<FullGaussianPosterior>? = nil
            var diagonalFit: VariationalFit<DiagonalGaussianPosterior>? = nil
            let times = interleavedMedians(warmup: 0, rounds: 3, [
                { fullFit = try? model.fitFullCovariance(options: options) },
                { diagonalFit = try? model.fitDiagonal(options: options) },
            ])
            guard let full = fullFit, let diagonal = diagonalFit else { throw ExitCode.failure }
            print(row("natural gradient, full", iterations: full.iterations, converged: full.converged, seconds: times[0], elbo: full.elbo))
            print(row("natural gradient, diagonal", iterations: diagonal.iterations, converged: diagonal.converged, seconds: times[1], elbo: diagonal.elbo))

            // Euclidean gradient ascent over (m, C), Σ = CCᵀ, each step size of the grid once, with two
            // stopping rules: (a) the same relative ELBO change as natural gradient; (b) reaching the
            // natural-gradient optimum's ELBO to within tolerance·|ELBO| (a slow fixed step can satisfy
            // (a) while still far from the optimum).
            let target = full.elbo - tolerance * abs(full.elbo)
            for (rule, targetELBO) in [("(a) |ΔELBO| ≤ tol·|ELBO|", nil), ("(b) ELBO ≥ ELBO* − tol·|ELBO*|", Optional(target))] {
                print("Euclidean gradient ascent, stopping rule \(rule):")
                var best: (gamma: Double, fit: EuclideanGradientAscentFit, seconds: Double)? = nil
                for c in multiples {
                    let gamma = c / Double(observations)
                    let t0 = monotonicSeconds()
                    let fit = try model.fitByEuclideanGradientAscent(stepSize: gamma, maximumIterations: euclideanCap,
                                                                     relativeTolerance: tolerance, targetELBO: targetELBO)
                    let seconds = monotonicSeconds() - t0
                    let label = "  γ = \(String(format: "%.3g", gamma))" + (fit.termination == .stepSizeUnderflow ? " (diverged)" : "")
                    print(row(label, iterations: fit.iterations, converged: fit.converged, seconds: seconds, elbo: fit.elbo))
                    if fit.termination != .stepSizeUnderflow {
                        let better: Bool
                        if let b = best {
                            better = fit.converged && (!b.fit.converged || fit.iterations < b.fit.iterations)
                                || (!fit.converged && !b.fit.converged && fit.elbo > b.fit.elbo)
                        } else { better = true }
                        if better { best = (gamma, fit, seconds) }
                    }
                    // Larger steps than a diverging one diverge too.
                    if fit.termination == .stepSizeUnderflow { break }
                }
                if let b = best {
                    let ratio = Double(b.fit.iterations) / Double(max(full.iterations, 1))
                    let capNote = b.fit.converged ? "" : " (cap of \(euclideanCap) reached: the ratios are lower bounds)"
                    print(String(format: "  best γ = %.3g: %d iterations, %.3f s, ELBO gap to natural %.2e; natural/full %d iterations, %.3f s → %.1f× fewer iterations, %.1f× less time%@",
                                 b.gamma, b.fit.iterations, b.seconds, full.elbo - b.fit.elbo, full.iterations, times[0], ratio,
                                 b.seconds / times[0], capNote))
                }
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
                print(String(format: "one step from the same point: fast path %.4f s, generic F⁻¹∇θ path (dim %d) %.4f s → %.0f×; max relative difference in θ %.2e",
                             stepTimes[0], GaussianNaturalCoordinates.parameterCount(dimension: d), stepTimes[1],
                             stepTimes[1] / stepTimes[0], diff / scale))
            }
        }
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
        return try BayesianGLM(design: x, response: y, likelihood: .bernoulliLogit, priorPrecision: 1)
    }
}
