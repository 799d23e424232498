import Testing
import Foundation
import LinearAlgebra
import NaturalGradient
import NaturalGradientOptimizer
import TestSupport

/// L(θ) = θ⁴ in one dimension with a deliberately wrong (too small) curvature C = 10⁻³: the first
/// trial step δ = −4/(10⁻³ + λ) overshoots and increases the loss.
struct OvershootingQuartic: OptimizationObjective {
    var parameterCount: Int { 1 }
    func loss(at t: [Double]) -> Double { t[0] * t[0] * t[0] * t[0] }
    mutating func evaluate(at t: [Double], gradient: inout [Double]) -> Evaluation {
        gradient[0] = 4 * t[0] * t[0] * t[0]
        return Evaluation(loss: loss(at: t), curvature: .fisher(Matrix(rows: [[1e-3]])))
    }
}

@Suite("NaturalGradientOptimizer (Levenberg–Marquardt)")
struct NaturalGradientOptimizerTests {
    @Test("the LM rule raises λ and rejects a step that increases the loss")
    func raisesDampingOnIncrease() throws {
        var objective = OvershootingQuartic()
        let rule = LevenbergMarquardtRule(initialDamping: 1e-2)
        var optimizer = NaturalGradientOptimizer(
            parameterCount: 1, options: OptimizerOptions(damping: .levenbergMarquardt(rule), maximumIterations: 60))
        let result = try optimizer.minimize(&objective, from: [1])
        let first = result.iterations[0]
        // δ = −4/(0.011) ≈ −364: L(1 + δ) ≈ 1.7e10 > 1, ρ < 0.
        #expect(first.trialLoss > first.loss)
        #expect(first.ratio < 0)
        #expect(!first.accepted)
        #expect(first.nextDamping == first.damping * rule.increaseFactor)
        // θ did not move on a rejected step: the second trial starts from the same loss.
        #expect(result.iterations[1].loss == first.loss)
        // λ keeps growing until a step is accepted, and the loss then decreases monotonically.
        let firstAccepted = try #require(result.iterations.firstIndex { $0.accepted })
        #expect(firstAccepted > 0)
        for k in 1...firstAccepted { #expect(result.iterations[k].damping > result.iterations[k - 1].damping) }
        #expect(result.loss < 1e-3)
    }

    @Test("the LM rule lowers λ when the model predicts well (ρ > ¾) and keeps it in between")
    func ruleThresholds() {
        let rule = LevenbergMarquardtRule(initialDamping: 1, increaseFactor: 2, decreaseFactor: 0.5)
        #expect(rule.nextDamping(after: 1, ratio: 0.9) == 0.5)
        #expect(rule.nextDamping(after: 1, ratio: 0.5) == 1)
        #expect(rule.nextDamping(after: 1, ratio: 0.1) == 2)
        #expect(rule.nextDamping(after: 1, ratio: .nan) == 2)
        #expect(rule.nextDamping(after: 1e10, ratio: -1) == 1e10)   // clamped at λmax
    }

    @Test("logistic regression: LM converges where the same start at fixed λ = 1e-2 does not in 300 steps")
    func logisticConvergesWithAdaptation() throws {
        // Seed and scale picked (by a scan over 12 seeds × 3 scales) as a nearly separable but finite-MLE
        // case: the fixed-damping loop crawls, the adaptive one shrinks λ and takes Newton steps.
        let (x, y) = logisticData(n: 60, trueBeta: [0.5, 4, -4, 3], seed: 8)
        var fixedObjective = LogisticObjective(x: x, y: y, form: .dense)
        var fixed = NaturalGradientOptimizer(
            parameterCount: 4,
            options: OptimizerOptions(damping: .fixed(1e-2), acceptance: .always, maximumIterations: 300,
                                      gradientTolerance: 1e-9))
        let fixedResult = try fixed.minimize(&fixedObjective, from: [0, 0, 0, 0])

        var lmObjective = LogisticObjective(x: x, y: y, form: .dense)
        var lm = NaturalGradientOptimizer(
            parameterCount: 4,
            options: OptimizerOptions(damping: .levenbergMarquardt(LevenbergMarquardtRule(initialDamping: 1e-2)),
                                      maximumIterations: 300, gradientTolerance: 1e-9))
        let lmResult = try lm.minimize(&lmObjective, from: [0, 0, 0, 0])
        print("fixed:", fixedResult.termination, fixedResult.iterations.count, fixedResult.gradientNorm,
              "LM:", lmResult.termination, lmResult.iterations.count, lmResult.damping)
        let fixedConverged = fixedResult.converged
        #expect(!fixedConverged)
        #expect(lmResult.termination == .gradientTolerance)
        #expect(lmResult.iterations.count < 100)
        #expect(lmResult.loss < fixedResult.loss)
        // The reference: at the MLE an undamped Newton step (C⁻¹g, C the exact Hessian) is ~0.
        var g = [Double](repeating: 0, count: 4)
        let evaluation = lmObjective.evaluate(at: lmResult.parameters, gradient: &g)
        guard case let .fisher(c) = evaluation.curvature else { Issue.record("dense form expected"); return }
        let newton = try NaturalGradient.solve(fisher: c, gradient: g).direction
        #expect(BLAS.norm(newton) <= 1e-6 * Swift.max(1, BLAS.norm(lmResult.parameters)))
    }

    @Test("dense Fisher, per-sample factors and Fisher-vector products reach the same MLE")
    func curvatureFormsAgree() throws {
        let (x, y) = logisticData(n: 200, trueBeta: [0.2, 0.5, -0.4], seed: 11)
        var results: [[Double]] = []
        for form in [LogisticObjective.Form.dense, .samples, .product] {
            var objective = LogisticObjective(x: x, y: y, form: form)
            var optimizer = NaturalGradientOptimizer(parameterCount: 3, options: OptimizerOptions(gradientTolerance: 1e-11))
            let result = try optimizer.minimize(&objective, from: [0, 0, 0])
            #expect(result.termination == .gradientTolerance)
            results.append(result.parameters)
            if form == .product { #expect(result.iterations.allSatisfy { $0.conditioning.conjugateGradientIterations > 0 }) }
        }
        // ‖g‖∞ ≤ 1e-11 with κ(C) ≲ 10³ here puts every answer within ~1e-8 of the MLE.
        #expect(relativeError(results[1], results[0]) <= 1e-7)
        #expect(relativeError(results[2], results[0]) <= 1e-7)
    }

    @Test("a duplicated column (singular Fisher) is reported, not solved silently")
    func duplicatedColumnIsReported() throws {
        let (x0, y) = logisticData(n: 100, trueBeta: [0.3, 1, -1], seed: 5)
        var x = Matrix(rows: 100, columns: 4)
        for i in 0..<100 { for j in 0..<3 { x[i, j] = x0[i, j] }; x[i, 3] = x0[i, 1] }
        var objective = LogisticObjective(x: x, y: y, form: .dense)
        let rule = LevenbergMarquardtRule(initialDamping: 0, minimumDamping: 0)
        var optimizer = NaturalGradientOptimizer(
            parameterCount: 4, options: OptimizerOptions(damping: .levenbergMarquardt(rule), maximumIterations: 3))
        let result = try optimizer.minimize(&objective, from: [0, 0, 0, 0])
        let first = result.iterations[0]
        print("duplicated column:", first.conditioning, result.warnings)
        // Either dpotrf failed at λ = 0 (reported, λ grown) or it succeeded with 1/κ ≈ ε (reported).
        let flagged = result.warnings.contains { w in
            switch w {
            case let .illConditionedCurvature(iteration, rcond, _): return iteration == 1 && rcond < 1e-12
            case let .factorizationFailed(iteration, _): return iteration == 1
            }
        }
        #expect(flagged)
        #expect(first.conditioning.isIllConditioned(threshold: 1e-12) || first.conditioning.factorizationFailures > 0)
    }

    @Test("the step-norm constraint bounds every step")
    func stepNormConstraint() throws {
        let (x, y) = logisticData(n: 60, trueBeta: [0.5, 2, -2, 1.5], seed: 3)
        var objective = LogisticObjective(x: x, y: y, form: .dense)
        var optimizer = NaturalGradientOptimizer(
            parameterCount: 4, options: OptimizerOptions(maximumStepNorm: 0.5, maximumIterations: 400))
        let result = try optimizer.minimize(&objective, from: [0, 0, 0, 0])
        #expect(result.iterations.allSatisfy { $0.stepNorm <= 0.5 * (1 + 1e-15) })
        #expect(result.iterations.contains { $0.stepWasConstrained })
        #expect(result.converged)
    }

    @Test("bad data comes back as typed errors")
    func typedErrors() throws {
        struct NaNStart: OptimizationObjective {
            var parameterCount: Int { 1 }
            func loss(at t: [Double]) -> Double { .nan }
            mutating func evaluate(at t: [Double], gradient: inout [Double]) -> Evaluation {
                gradient[0] = 0
                return Evaluation(loss: .nan, curvature: .fisher(Matrix(rows: [[1]])))
            }
        }
        struct WrongShape: OptimizationObjective {
            var parameterCount: Int { 2 }
            func loss(at t: [Double]) -> Double { 0 }
            mutating func evaluate(at t: [Double], gradient: inout [Double]) -> Evaluation {
                gradient = [1, 1]
                return Evaluation(loss: 0, curvature: .fisher(Matrix(rows: [[1]])))
            }
        }
        var a = NaNStart()
        var o1 = NaturalGradientOptimizer(parameterCount: 1)
        #expect(throws: OptimizerError.self) { try o1.minimize(&a, from: [0]) }
        var b = WrongShape()
        var o2 = NaturalGradientOptimizer(parameterCount: 2)
        #expect(throws: OptimizerError.curvatureShapeMismatch(rows: 1, columns: 1, parameters: 2)) {
            try o2.minimize(&b, from: [0, 0])
        }
    }
}

/// Logistic regression on a rotating mini-batch: `evaluate` moves to the next batch (sizes alternate
/// 7, 12, 7, …), `loss(at:)` stays on the batch of the last `evaluate`; per-sample gradients as curvature.
struct MiniBatchLogistic: OptimizationObjective {
    let full: LogisticObjective
    let sizes = [7, 12]
    var call = 0
    var current: LogisticObjective

    init(x: Matrix, y: [Double]) {
        full = LogisticObjective(x: x, y: y, form: .samples)
        current = full
    }

    var parameterCount: Int { full.x.columns }

    mutating func loss(at beta: [Double]) -> Double { current.loss(at: beta) }

    mutating func evaluate(at beta: [Double], gradient: inout [Double]) -> Evaluation {
        let n = sizes[call % 2]
        let start = (call * 5) % (full.x.rows - n)
        call += 1
        var xb = Matrix(rows: n, columns: full.x.columns)
        for i in 0..<n { for j in 0..<full.x.columns { xb[i, j] = full.x[start + i, j] } }
        current = LogisticObjective(x: xb, y: Array(full.y[start..<(start + n)]), form: .samples)
        return current.evaluate(at: beta, gradient: &gradient)
    }
}

@Suite("NaturalGradientOptimizer on mini-batches")
struct MiniBatchTests {
    @Test("mini-batches of varying size (n < p: the Woodbury solve) with a damping floor lower the full-data loss")
    func varyingBatches() throws {
        var g = SeededGenerator(seed: 2)
        let p = 20
        let beta = (0..<p).map { _ in 0.3 * g.nextGaussian() }
        let (x, y) = logisticData(n: 400, trueBeta: beta, seed: 13)
        var objective = MiniBatchLogistic(x: x, y: y)
        var optimizer = NaturalGradientOptimizer(
            // On batches smaller than p the batch loss can be driven to ~0, and an unfloored λ then shrinks
            // until the steps overfit each batch: a floor λmin = 0.1 and a step bound keep it honest.
            parameterCount: p, options: OptimizerOptions(
                damping: .levenbergMarquardt(LevenbergMarquardtRule(initialDamping: 1, minimumDamping: 0.1)),
                maximumStepNorm: 0.5))
        var theta = [Double](repeating: 0, count: p)
        let before = objective.full.loss(at: theta)
        var accepted = 0
        for _ in 0..<200 {
            let (report, _) = try optimizer.step(&objective, parameters: &theta)
            if report.accepted { accepted += 1 }
            // Woodbury (n < 0.7p) reports no dense condition estimate.
            #expect(report.conditioning.reciprocalCondition == nil)
        }
        let after = objective.full.loss(at: theta)
        #expect(accepted > 50)
        #expect(after < before - 0.05)
    }
}
