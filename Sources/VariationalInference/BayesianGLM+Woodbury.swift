import LinearAlgebra
import RealModule

/// A Woodbury-form iterate: S = αI + Xᵀdiag(a)X and Sm = b = σ·αm₀ + Xᵀc (σ the product of the
/// (1 − ρ) factors so far, m₀ the start's mean), so the state is (a, c, σ) in ℝⁿ × ℝⁿ × ℝ.
struct WoodburyIterate {
    var a: [Double]
    var c: [Double]
    var sigma: Double
    /// B = αI + A^½KA^½ = LLᵀ.
    var factor: Cholesky
    var mean: [Double]
    var elbo = 0.0
    var slack = 0.0
}

/// Buffers of the Woodbury fit (n × n and n- or d-vectors; allocated once per fit).
struct WoodburyBuffers {
    /// K = XXᵀ.
    let gram: Matrix
    /// X m₀.
    let startPredictor: [Double]
    var b: Matrix
    var w: Matrix
    var inverseFactor: Matrix
    var h: [Double]
    var xb: [Double]
    var t: [Double]
    var xm: [Double]
    var v: [Double]
    var kt: [Double]
    var targetA: [Double]
    var targetR: [Double]
    var scratch: [Double]
}

extension BayesianGLM {
    /// Fits the full-covariance Gaussian by the Bayesian learning rule in the n × n Woodbury form, for
    /// n < d: every iterate's precision is S = αI + Xᵀdiag(a)X (the start's and every target's are,
    /// and blends keep the form: a′ = (1 − ρ)a + ρ·(−cᵢE[ℓ″ᵢ])), so with K = XXᵀ (formed once, n²d) and
    /// B = αIₙ + A^½KA^½ = LLᵀ:
    ///
    ///     Xm = α⁻¹[Xb − KA^½B⁻¹A^½Xb],   vᵢ = α⁻¹[Kᵢᵢ − ‖(L⁻¹A^½K)₍:,i₎‖²],
    ///     tr Σ = α⁻¹[d − n + α‖L⁻¹‖²_F],  log det S = (d − n)·log α + log det B,
    ///     m = α⁻¹[σαm₀ + Xᵀ(c − A^½B⁻¹A^½Xb)].
    ///
    /// Each iteration costs O(n³ + nd); no d × d matrix is formed. The step control and the stopping
    /// rule are those of ``fitFullCovariance(options:initial:)`` (the relative step measured on m and
    /// a), and the optimum is the same (tested against the dense path to 1e-10). As in the mean-field
    /// fit, each iteration first tries the Anderson extrapolation of the map (a, c) ↦ targets
    /// (`options.acceleration` past pairs; 0 turns it off): with many more features than rows the plain
    /// map can oscillate (ρ = 1 rejected, ρ = ½ contracting slowly). Needs −E[ℓ″] ≥ 0
    /// (concave log-likelihoods: every canonical link; a step with a negative weight is rejected).
    ///
    /// The n × n form needs every row in one process: with a cross-process reduction it throws
    /// `.unsupportedExecution` (fit the d × d form, ``fitFullCovariance(options:initial:)``, instead).
    /// - Throws: as ``fitFullCovariance(options:initial:)``; `.unsupportedExecution`.
    public func fitWoodbury(options: VariationalOptions = VariationalOptions()) throws(VariationalInferenceError)
        -> VariationalFit<WoodburyGaussianPosterior>
    {
        try options.validate()
        if execution.reduction != nil {
            throw .unsupportedExecution(reason: "the n × n Woodbury fit needs every row in one process (K = XXᵀ couples "
                + "all rows); fit the d × d form (fitFullCovariance) across processes")
        }
        let rule = try ExpectationRule(options.expectation, model: observation)
        let n = observationCount, d = dimension
        let (m0, d0) = try startingMeanAndCurvature()
        var k = Matrix(rows: n, columns: n)
        BLAS.gemm(design, transposed: false, design, transposed: true, into: &k)
        k.symmetrizeFromLower()
        var u0 = [Double](repeating: 0, count: n)
        BLAS.gemv(design, m0, into: &u0)
        let zeros = [Double](repeating: 0, count: n)
        var buffers = WoodburyBuffers(gram: k, startPredictor: u0, b: Matrix(rows: n, columns: n), w: Matrix(rows: n, columns: n),
                                      inverseFactor: Matrix(rows: n, columns: n), h: zeros, xb: zeros, t: zeros, xm: zeros,
                                      v: zeros, kt: zeros, targetA: zeros, targetR: zeros,
                                      scratch: [Double](repeating: 0, count: d))
        let c0 = (0..<n).map { d0[$0] * u0[$0] }
        let identity: Cholesky
        do { identity = try Cholesky(Matrix.identity(n)) } catch { throw .linearAlgebra(error) }
        var current = WoodburyIterate(a: d0, c: c0, sigma: 1, factor: identity, mean: m0)
        guard let start = try woodburyEvaluate(&current, m0: m0, rule: rule, buffers: &buffers), start.elbo.isFinite else {
            throw .nonFiniteObjective(iteration: 0)
        }
        (current.elbo, current.slack) = start
        var targetA = buffers.targetA, targetR = buffers.targetR
        var trial = current
        var record = FitRecord(start: current.elbo, options: options)
        var rho = options.initialStepSize
        var anderson = AndersonExtrapolation(dimension: 2 * n, memory: Swift.max(options.acceleration, 1))
        var candidate = [Double](repeating: 0, count: 2 * n)
        while record.iterations < options.maximumIterations {
            var accepted = false
            var stepRho = rho
            if options.acceleration > 0 {
                // Anderson extrapolation of (a, c) ↦ (targets); σ has image 0 (the targets have no m₀ part).
                anderson.push(current.a, current.c, images: targetA, targetR)
                if anderson.extrapolate(into: &candidate) {
                    var valid = true
                    for i in 0..<n {
                        trial.a[i] = candidate[i]
                        trial.c[i] = candidate[n + i]
                        if !(trial.a[i] >= 0) { valid = false }
                    }
                    trial.sigma = 0
                    if valid, let (value, slack) = try woodburyEvaluate(&trial, m0: m0, rule: rule, buffers: &buffers),
                       value.isFinite, value >= current.elbo - current.slack {
                        trial.elbo = value
                        trial.slack = slack
                        accepted = true
                        stepRho = 1
                    } else {
                        record.rejectedSteps += 1
                        anderson.reset()
                        anderson.push(current.a, current.c, images: targetA, targetR)
                    }
                }
            }
            while !accepted && rho >= options.minimumStepSize {
                var valid = true
                for i in 0..<n {
                    trial.a[i] = (1 - rho) * current.a[i] + rho * targetA[i]
                    trial.c[i] = (1 - rho) * current.c[i] + rho * targetR[i]
                    if !(trial.a[i] >= 0) { valid = false }
                }
                trial.sigma = (1 - rho) * current.sigma
                if valid, let (value, slack) = try woodburyEvaluate(&trial, m0: m0, rule: rule, buffers: &buffers),
                   value.isFinite, value >= current.elbo - current.slack {
                    trial.elbo = value
                    trial.slack = slack
                    accepted = true
                    stepRho = rho
                    break
                }
                record.rejectedSteps += 1
                rho *= 0.5
            }
            guard accepted else { record.termination = .stepSizeUnderflow; break }
            let step = Swift.max(relativeChange(trial.mean, current.mean), relativeChange(trial.a, current.a)) / stepRho
            swap(&current, &trial)
            for i in 0..<n { targetA[i] = buffers.targetA[i]; targetR[i] = buffers.targetR[i] }
            if record.accept(elbo: current.elbo, previous: trial.elbo, slack: current.slack, rho: stepRho, step: step, options: options) { break }
            options.progress?(VariationalProgress(iteration: record.iterations, elbo: current.elbo, relativeStep: step))
            rho = Swift.min(options.maximumStepSize, 2 * rho)
        }
        return record.fit(WoodburyGaussianPosterior(mean: current.mean, priorPrecision: priorPrecision, rowWeights: current.a,
                                                    design: design, factor: current.factor))
    }

    /// Factors B, forms m, Xm and v, evaluates the expectations and the ELBO, and leaves the targets
    /// (−cᵢE[ℓ″ᵢ], cᵢ(E[ℓ′ᵢ] − E[ℓ″ᵢ](Xm)ᵢ)) in the buffers. nil when B is not positive definite.
    func woodburyEvaluate(_ q: inout WoodburyIterate, m0: [Double], rule: ExpectationRule,
                          buffers z: inout WoodburyBuffers) throws(VariationalInferenceError) -> (elbo: Double, slack: Double)? {
        let n = observationCount, d = dimension, alpha = priorPrecision
        for i in 0..<n { z.h[i] = q.a[i].squareRoot() }
        for j in 0..<n { for i in 0..<n { z.b.elements[j * n + i] = z.h[i] * z.gram.elements[j * n + i] * z.h[j] } }
        z.b.addToDiagonal(alpha)
        do { try q.factor.refactor(z.b) } catch { return nil }
        // Xb = σα·Xm₀ + Kc; t = B⁻¹A^½Xb; Xm = α⁻¹[Xb − KA^½t].
        BLAS.gemv(z.gram, q.c, into: &z.xb)
        for i in 0..<n { z.xb[i] += q.sigma * alpha * z.startPredictor[i]; z.t[i] = z.h[i] * z.xb[i] }
        do { try q.factor.solve(&z.t) } catch { return nil }
        for i in 0..<n { z.t[i] *= z.h[i] }
        BLAS.gemv(z.gram, z.t, into: &z.kt)
        for i in 0..<n { z.xm[i] = (z.xb[i] - z.kt[i]) / alpha }
        // m = α⁻¹[σαm₀ + Xᵀ(c − A^½t)] (t already holds A^½B⁻¹A^½Xb).
        for i in 0..<n { z.kt[i] = q.c[i] - z.t[i] }
        BLAS.gemv(design, transposed: true, z.kt, into: &q.mean)
        for j in 0..<d { q.mean[j] = (q.mean[j] + q.sigma * alpha * m0[j]) / alpha }
        // vᵢ = α⁻¹[Kᵢᵢ − ‖(L⁻¹A^½K)₍:,i₎‖²].
        for j in 0..<n { for i in 0..<n { z.w.elements[j * n + i] = z.h[i] * z.gram.elements[j * n + i] } }
        do { try q.factor.solveLower(&z.w) } catch { return nil }
        for k in z.inverseFactor.elements.indices { z.inverseFactor.elements[k] = 0 }
        for i in 0..<n { z.inverseFactor[i, i] = 1 }
        do { try q.factor.solveLower(&z.inverseFactor) } catch { return nil }
        var expected = 0.0, magnitude = 0.0
        for i in 0..<n {
            var s = 0.0
            for r in 0..<n { let t = z.w.elements[i * n + r]; s += t * t }
            z.v[i] = Swift.max(0, (z.gram[i, i] - s) / alpha)
            let c = weights?[i] ?? 1
            let e = observation.expectations(mean: z.xm[i] + (offset?[i] ?? 0), variance: z.v[i], response: response[i], rule: rule)
            expected += c * e.value
            magnitude += Swift.abs(c * e.value)
            z.targetA[i] = -c * e.curvature
            z.targetR[i] = c * (e.slope - e.curvature * z.xm[i])
        }
        var inverseTrace = 0.0
        for t in z.inverseFactor.elements { inverseTrace += t * t }
        let traceCovariance = (Double(d - n) + alpha * inverseTrace) / alpha
        let logDetS = Double(d - n) * Double.log(alpha) + q.factor.logDeterminant
        let meanSquare = BLAS.dot(q.mean, q.mean)
        let kl = 0.5 * (alpha * traceCovariance + alpha * meanSquare - Double(d) - Double(d) * Double.log(alpha) + logDetS)
        let total = expected + likelihoodConstant
        let slack = 64 * Double.ulpOfOne * (magnitude + Swift.abs(likelihoodConstant) + Swift.abs(kl)
                                            + alpha * (traceCovariance + meanSquare) + Swift.abs(logDetS))
        return (total - kl, slack)
    }
}
