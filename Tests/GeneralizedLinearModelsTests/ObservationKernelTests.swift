import Foundation
import Testing
import LinearAlgebra
import NatGradKernels
import TestSupport
@testable import GeneralizedLinearModels

// The AVX-512 per-observation kernels against libm (Foundation's exp and log1p) evaluated row by row, and
// whole fits with the kernels against the scalar loops. Tolerances: the kernels' exp and log1p are within
// 2 ulp and μ, μ(1 − μ) take a few more roundings, so μ-derived values are held to 8ε relative to their
// size (u = p(y − μ) to 8ε·p·(|y| + μ), where the subtraction may cancel); deviance sums of n terms in a
// different order to 1e-13 relative; fitted coefficients to 1e-10 (the iteration's own tolerance).
// On a machine without AVX-512F the kernels must decline.

@Suite("AVX-512 observation kernels")
struct ObservationKernelTests {
    static let eps = Double.ulpOfOne

    static func etas(using g: inout SeededGenerator) -> [Double] {
        var values: [Double] = [0, -0.0, 1e-300, -1e-300, 20, -20, 36.7, -36.7, 100, -100, 700, -700, 744, -744,
                                0.4142, -0.4142, 0.41422, 1, -1]
        for _ in 0..<1000 { values.append(3 * g.nextGaussian()) }
        return values
    }

    @Test("natgrad_exp within 2 ulp of libm over the whole range; overflow, underflow and NaN")
    func expAccuracy() {
        var g = SeededGenerator(seed: 5)
        var x: [Double] = [0, -0.0, 1, -1, 709.78, -708.39, -720, -745.1, 1e-20, -1e-20]
        for _ in 0..<20_000 { x.append(Double.random(in: -745...709.7, using: &g)) }
        for _ in 0..<5_000 { x.append(Double.random(in: -2...2, using: &g)) }
        x += [710, 1e300, .infinity, -750, -1e300, -.infinity, .nan]
        var result = [Double](repeating: 0, count: x.count)
        let done = natgrad_exp(x.count, x, &result)
        guard natgrad_kernel_level() >= 2 else { #expect(done == 0); return }
        #expect(done == 1)
        var worst = 0.0
        for (v, r) in zip(x, result) {
            let expected = Foundation.exp(v)
            if expected.isNaN { #expect(r.isNaN); continue }
            if expected.isInfinite || expected == 0 { #expect(r == expected, "exp(\(v)) = \(r)"); continue }
            // Subnormal results: error measured in units of the smallest subnormal spacing.
            let ulp = max(expected.ulp, Double.leastNonzeroMagnitude)
            let error = abs(r - expected) / ulp
            worst = max(worst, error)
            #expect(error <= 2, "exp(\(v)) = \(r), libm \(expected)")
        }
        #expect(worst <= 2)
    }

    @Test("logistic kernel: u, W and deviance against libm row by row")
    func logistic() throws {
        var g = SeededGenerator(seed: 11)
        let eta = Self.etas(using: &g)
        let n = eta.count
        let y = (0..<n).map { _ in Double(Int.random(in: 0...1, using: &g)) }
        let p = (0..<n).map { i in i % 7 == 0 ? 0 : Double.random(in: 0.1...3, using: &g) }
        var u = [Double](repeating: .nan, count: n), w = [Double](repeating: .nan, count: n)
        // An odd sub-range exercises the masked tail and the start offset.
        let rows = 3..<(n - 2)
        guard let deviance = ObservationKernels.logistic(rows, eta: eta, response: y, priorWeights: p, u: &u,
                                                         weights: &w, writeWeights: true) else {
            #expect(!ObservationKernels.available)
            return
        }
        var expectedDeviance = 0.0, magnitude = 0.0
        for i in 0..<n {
            guard rows.contains(i) else { #expect(u[i].isNaN && w[i].isNaN); continue }
            let e = eta[i]
            let mu = e >= 0 ? 1 / (1 + Foundation.exp(-e)) : Foundation.exp(e) / (1 + Foundation.exp(e))
            let variance = mu * (1 - mu) == 0 ? Foundation.exp(-abs(e)) : Foundation.exp(-abs(e)) / ((1 + Foundation.exp(-abs(e))) * (1 + Foundation.exp(-abs(e))))
            #expect(abs(u[i] - p[i] * (y[i] - mu)) <= 8 * Self.eps * p[i] * (y[i] + mu), "u at η = \(e)")
            #expect(abs(w[i] - p[i] * variance) <= 8 * Self.eps * p[i] * variance, "W at η = \(e)")
            let unit = 2 * (Foundation.log1p(Foundation.exp(-abs(e))) + max(0, (1 - 2 * y[i]) * e))
            expectedDeviance += p[i] * unit
            magnitude += abs(p[i] * unit)
        }
        #expect(abs(deviance - expectedDeviance) <= 1e-13 * magnitude)
        // Means that round to 0 or 1 beyond representability, and NaN, are +∞.
        for bad in [746.0, -800, .nan] {
            var e = eta
            e[500] = bad
            let d = ObservationKernels.logistic(rows, eta: e, response: y, priorWeights: p, u: &u, weights: &w, writeWeights: false)
            #expect(d == .infinity, "η = \(bad)")
        }
    }

    @Test("logistic weights kernel against libm")
    func logisticWeights() {
        var g = SeededGenerator(seed: 13)
        let eta = Self.etas(using: &g)
        let p = eta.indices.map { i in i % 7 == 0 ? 0 : Double.random(in: 0.1...3, using: &g) }
        var w = [Double](repeating: .nan, count: eta.count)
        guard ObservationKernels.logisticWeights(eta: eta, priorWeights: p, into: &w) else {
            #expect(!ObservationKernels.available)
            return
        }
        for (i, e) in eta.enumerated() {
            let t = Foundation.exp(-abs(e)), variance = t / ((1 + t) * (1 + t))
            #expect(abs(w[i] - p[i] * variance) <= 8 * Self.eps * p[i] * variance, "W at η = \(e)")
        }
    }

    @Test("logistic finish kernel: μ, log μ, log(1 − μ) and Pearson χ² against libm")
    func logisticFinish() {
        var g = SeededGenerator(seed: 14)
        let eta = Self.etas(using: &g).filter { abs($0) < 700 }  // Pearson terms e^|η| stay finite
        let n = eta.count
        let y = (0..<n).map { _ in Double(Int.random(in: 0...1, using: &g)) }
        let p = (0..<n).map { i in i % 7 == 0 ? 0 : Double.random(in: 0.1...3, using: &g) }
        var mu = [Double](repeating: .nan, count: n), lm = mu, lc = mu
        guard let pearson = ObservationKernels.logisticFinish(eta: eta, response: y, priorWeights: p, mean: &mu,
                                                              logMean: &lm, logComplement: &lc) else {
            #expect(!ObservationKernels.available)
            return
        }
        var expected = 0.0
        for i in 0..<n {
            let e = eta[i], t = Foundation.exp(-abs(e))
            let mean = e >= 0 ? 1 / (1 + t) : t / (1 + t)
            let l = Foundation.log1p(t)
            let logMean = min(e, 0) - l, logComplement = -max(e, 0) - l
            #expect(abs(mu[i] - mean) <= 4 * Self.eps * mean, "μ at η = \(e)")
            #expect(abs(lm[i] - logMean) <= 4 * Self.eps * abs(logMean) + 1e-300, "log μ at η = \(e)")
            #expect(abs(lc[i] - logComplement) <= 4 * Self.eps * abs(logComplement) + 1e-300, "log(1 − μ) at η = \(e)")
            if p[i] != 0 {
                let variance = t / ((1 + t) * (1 + t)), r = y[i] - mean
                expected += p[i] * r * r / variance
            }
        }
        #expect(abs(pearson - expected) <= 1e-12 * expected)
    }

    @Test("Poisson kernel: u, W and deviance against libm row by row")
    func poisson() {
        var g = SeededGenerator(seed: 12)
        var eta = Self.etas(using: &g).map { max(-700, min(700, $0)) }
        eta += [709.7, -745]
        let n = eta.count
        let y = (0..<n).map { _ in Double(Int.random(in: 0...12, using: &g)) }
        let p = (0..<n).map { i in i % 5 == 0 ? 0 : Double.random(in: 0.1...3, using: &g) }
        let yLogY = y.map { $0 > 0 ? $0 * Foundation.log($0) : 0 }
        var u = [Double](repeating: .nan, count: n), w = [Double](repeating: .nan, count: n)
        let rows = 1..<(n - 2)  // excludes η = −745 (μ underflows to a subnormal, allowed) and the tail
        guard let deviance = ObservationKernels.poisson(rows, eta: eta, response: y, priorWeights: p,
                                                        responseLogResponse: yLogY, u: &u, weights: &w,
                                                        writeWeights: true) else {
            #expect(!ObservationKernels.available)
            return
        }
        var expectedDeviance = 0.0, magnitude = 0.0
        for i in rows {
            let mu = Foundation.exp(eta[i])
            #expect(abs(u[i] - p[i] * (y[i] - mu)) <= 8 * Self.eps * p[i] * (y[i] + mu), "u at η = \(eta[i])")
            #expect(abs(w[i] - p[i] * mu) <= 8 * Self.eps * p[i] * mu, "W at η = \(eta[i])")
            let unit = 2 * (yLogY[i] - y[i] * eta[i] - y[i] + mu)
            expectedDeviance += p[i] * unit
            magnitude += abs(p[i] * (2 * (abs(yLogY[i]) + abs(y[i] * eta[i]) + y[i] + mu)))
        }
        #expect(abs(deviance - expectedDeviance) <= 1e-13 * magnitude)
        for bad in [710.0, -746, .nan] {
            var e = eta
            e[500] = bad
            let d = ObservationKernels.poisson(rows, eta: e, response: y, priorWeights: p, responseLogResponse: yLogY,
                                               u: &u, weights: &w, writeWeights: false)
            #expect(d == .infinity, "η = \(bad)")
        }
    }

    @Test("fits with the kernels equal fits with the scalar loops and scaled-copy Gram products", arguments: ["logistic", "poisson"])
    func fitsAgree(model: String) throws {
        guard ObservationKernels.available else { return }
        var g = SeededGenerator(seed: 21)
        let n = 30_000, k = 12
        let x = randomGaussianMatrix(n, k, using: &g)
        let truth = (0..<k).map { _ in 0.3 * g.nextGaussian() }
        var eta = [Double](repeating: 0.2, count: n)
        BLAS.gemv(x, truth, beta: 1, into: &eta)
        let y: [Double]
        let family: GLMFamily
        if model == "logistic" {
            y = eta.map { bernoulliResponse(eta: $0, using: &g) }
            family = .binomial
        } else {
            y = eta.map { poissonResponse(eta: $0, using: &g) }
            family = .poisson
        }
        let weights = (0..<n).map { _ in Double.random(in: 0.5...2, using: &g) }
        let data = try GLMData(features: x, response: y, weights: weights)
        let model = try GeneralizedLinearModel(family: family)
        let prepared = try model.prepare(data)
        var vectorized = FisherScoringSolver(family: family, link: model.link, data: prepared, options: FisherScoringOptions())
        #expect(vectorized.plan.observationKernel != .scalar)
        #expect(vectorized.plan.gramKernel == .fusedAVX512)
        // The same plan with the Swift loops and √W-scaled copies and syrk.
        var scalarPlan = vectorized.plan
        scalarPlan.observationKernel = .scalar
        scalarPlan.gramKernel = .scaledCopySyrk
        var scalar = FisherScoringSolver(family: family, link: model.link, data: prepared, options: FisherScoringOptions(),
                                         plan: scalarPlan)
        let a = try vectorized.run(progress: nil), b = try scalar.run(progress: nil)
        #expect(a.converged && b.converged)
        let scale = a.coefficients.map(abs).max()!
        for (ca, cb) in zip(a.coefficients, b.coefficients) { #expect(abs(ca - cb) <= 1e-10 * scale) }
        #expect(abs(a.deviance - b.deviance) <= 1e-12 * b.deviance)
        // The Fisher matrices at the final coefficients (standard errors) agree to rounding: sums of n
        // products in different orders, ≈ nε relative at worst.
        let fa = try vectorized.finalInverseFisher(), fb = try scalar.finalInverseFisher()
        for j in 0..<fa.columns { #expect(abs(fa[j, j] - fb[j, j]) <= 1e-9 * fb[j, j]) }
    }

    @Test("fused pass: η, u, W, the score and the deviance against BLAS and the row kernels",
          arguments: [(0, 0..<70), (3, 5..<133), (9, 64..<192), (13, 1..<1000), (50, 100..<3000)])
    func fusedPass(k: Int, rows: Range<Int>) {
        guard ObservationKernels.available else { return }
        var g = SeededGenerator(seed: UInt64(1000 + k))
        let n = rows.upperBound + 3
        let x = randomGaussianMatrix(n, k, using: &g)
        let beta = (0..<k).map { _ in 0.4 * g.nextGaussian() / Double(max(1, k)).squareRoot() }
        let offset = (0..<n).map { _ in 0.3 * g.nextGaussian() }
        let p = (0..<n).map { i in i % 9 == 0 ? 0 : Double.random(in: 0.5...2, using: &g) }
        for model in [ObservationKernels.PassModel.logistic, .poisson] {
            for useOffset in [false, true] {
                let intercept = 0.25
                // Reference η by BLAS, then the row kernel for u, W and the deviance, then Xᵀu by BLAS.
                var etaReference = [Double](repeating: intercept, count: n)
                if useOffset { for i in 0..<n { etaReference[i] += offset[i] } }
                if k > 0 { BLAS.gemv(x, beta, beta: 1, into: &etaReference) }
                let y: [Double] = etaReference.map { e in
                    model == .logistic ? (Double.random(in: 0..<1, using: &g) < 1 / (1 + Foundation.exp(-e)) ? 1 : 0)
                                       : Double(Int.random(in: 0...4, using: &g))
                }
                let yLogY = y.map { $0 > 0 ? $0 * Foundation.log($0) : 0 }
                var uReference = [Double](repeating: 0, count: n), wReference = [Double](repeating: 0, count: n)
                let devianceReference = model == .logistic
                    ? ObservationKernels.logistic(rows, eta: etaReference, response: y, priorWeights: p, u: &uReference,
                                                  weights: &wReference, writeWeights: true)!
                    : ObservationKernels.poisson(rows, eta: etaReference, response: y, priorWeights: p,
                                                 responseLogResponse: yLogY, u: &uReference, weights: &wReference,
                                                 writeWeights: true)!
                var eta = [Double](repeating: .nan, count: n), u = eta, w = eta
                var score = [Double](repeating: 1, count: k), uSum = 2.0
                let deviance = ObservationKernels.pass(
                    model, rows, features: x, coefficients: beta, intercept: intercept, offset: useOffset ? offset : nil,
                    response: y, priorWeights: p, responseLogResponse: yLogY, eta: &eta, u: &u, weights: &w,
                    writeWeights: true, score: &score, uSum: &uSum)!
                var magnitude = 0.0
                for i in 0..<n {
                    guard rows.contains(i) else { #expect(eta[i].isNaN && u[i].isNaN && w[i].isNaN); continue }
                    var size = abs(intercept) + (useOffset ? abs(offset[i]) : 0)
                    for j in 0..<k { size += abs(x[i, j] * beta[j]) }
                    #expect(abs(eta[i] - etaReference[i]) <= 2 * gamma(k + 2) * size, "η[\(i)]")
                    // u and W follow η: a change δη moves μ by at most μ·δη (Poisson) or δη/4 (logistic).
                    let slack = 4 * gamma(k + 2) * size * (model == .poisson ? Foundation.exp(etaReference[i]) : 1)
                    #expect(abs(u[i] - uReference[i]) <= p[i] * slack + 8 * Self.eps * abs(uReference[i]) + 1e-300)
                    #expect(abs(w[i] - wReference[i]) <= p[i] * slack + 8 * Self.eps * wReference[i] + 1e-300)
                    magnitude += abs(p[i]) * (abs(etaReference[i]) + 2 + abs(yLogY[i]) + y[i] * (1 + abs(etaReference[i])))
                }
                #expect(abs(deviance - devianceReference) <= 1e-12 * magnitude)
                var scoreReference = [Double](repeating: 0, count: k)
                if k > 0 { BLAS.gemv(x, rows: rows, transposed: true, uReference, xStart: rows.lowerBound, into: &scoreReference) }
                var uTotal = 0.0, uMagnitude = 0.0
                for i in rows { uTotal += uReference[i]; uMagnitude += abs(uReference[i]) }
                #expect(abs(uSum - 2 - uTotal) <= 1e-12 * (uMagnitude + 2))
                for j in 0..<k {
                    var size = 0.0
                    for i in rows { size += abs(x[i, j] * uReference[i]) }
                    #expect(abs(score[j] - 1 - scoreReference[j]) <= 1e-11 * (size + 1), "score[\(j)]")
                }
            }
        }
    }

    @Test("score with the bound check: Xᵀu against BLAS, and every kind of bad entry found", arguments: [0, 3, 17])
    func scoreBounded(k: Int) {
        guard ObservationKernels.available else { return }
        var g = SeededGenerator(seed: UInt64(40 + k))
        let n = 9_001  // three row blocks of 4096, the last partial
        var x = randomGaussianMatrix(n, k, using: &g)
        let u = (0..<n).map { _ in g.nextGaussian() }
        var score = [Double](repeating: .nan, count: k)
        #expect(ObservationKernels.scoreBounded(x, u, bound: 1e150, into: &score) == true)
        var reference = [Double](repeating: 0, count: k)
        if k > 0 { BLAS.gemv(x, transposed: true, u, into: &reference) }
        for j in 0..<k {
            var size = 0.0
            for i in 0..<n { size += abs(x[i, j] * u[i]) }
            #expect(abs(score[j] - reference[j]) <= 2 * gamma(n + 2) * size)
        }
        guard k > 0 else { return }
        for bad in [Double.nan, .infinity, -.infinity, 2e150, -2e150] {
            for row in [0, 4095, 4096, n - 1] {
                for column in Set([0, k / 2, k - 1]) {
                    let saved = x[row, column]
                    x[row, column] = bad
                    #expect(ObservationKernels.scoreBounded(x, u, bound: 1e150, into: &score) == false,
                            "\(bad) at (\(row), \(column))")
                    x[row, column] = saved
                }
            }
        }
        x[5, 0] = 1e150  // the bound itself is allowed
        #expect(ObservationKernels.scoreBounded(x, u, bound: 1e150, into: &score) == true)
    }

    @Test("fused pass: a mean outside the mean space gives +∞")
    func fusedPassInfinity() {
        guard ObservationKernels.available else { return }
        let n = 100, k = 4
        let x = Matrix(rows: n, columns: k, repeating: 1)
        let y = [Double](repeating: 1, count: n), p = [Double](repeating: 1, count: n)
        for (model, bad) in [(ObservationKernels.PassModel.logistic, 200.0), (.poisson, 200.0), (.poisson, -200.0)] {
            var eta = [Double](repeating: 0, count: n), u = eta, w = eta, score = [Double](repeating: 0, count: k)
            var uSum = 0.0
            let d = ObservationKernels.pass(model, 0..<n, features: x, coefficients: [bad, bad, bad, bad], intercept: 0,
                                            offset: nil, response: y, priorWeights: p, responseLogResponse: p.map { _ in 0 },
                                            eta: &eta, u: &u, weights: &w, writeWeights: false, score: &score, uSum: &uSum)
            #expect(d == .infinity, "\(model) at η = \(4 * bad)")
        }
    }
}
