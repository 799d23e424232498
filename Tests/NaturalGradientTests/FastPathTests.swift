import Testing
import NaturalGradient
import TestSupport
import Foundation

/// L(θ) = KL(q_θ‖p) + bᵀμ(θ), with KL(q_θ‖p) = (θ − θₚ)ᵀμ(θ) − A(θ) + A(θₚ).
/// Its mean-parameter gradient is ∇μL = θ − θₚ + b (closed form).
func klPlusLinear<F: ExponentialFamily>(_ q: F, target: F, b: [Double]) -> Double {
    let mu = q.meanParameters
    var s = target.logPartition - q.logPartition
    for i in mu.indices { s += (q.naturalParameters[i] - target.naturalParameters[i] + b[i]) * mu[i] }
    return s
}

/// Checks, for one family member q and target p:
/// 1. the fast path ∇μL and the Cholesky path F⁻¹∇θL agree, with ∇θL from central finite differences of
///    L (an independent route: it uses only A and μ, never F);
/// 2. F⁻¹(F·v) = v for the exact Fisher (round trip of the two conversions), within a κ-aware bound;
/// 3. natural-gradient descent with ρ = 1 on KL(q‖p) lands on p in one step.
func checkFastPath<F: ExponentialFamily>(_ q: F, target p: F, b: [Double], name: String) throws {
    let n = q.dimension
    let theta = q.naturalParameters
    let fast = (0..<n).map { theta[$0] - p.naturalParameters[$0] + b[$0] }

    // (1) central differences, step h = 1e-5·max(1, |θᵢ|): truncation O(h²) ≈ 1e-10 and rounding
    // ε·|L|/h ≈ 1e-11 relative, so ∇θL is good to ~1e-8 relative after the F⁻¹ amplification below.
    var gradTheta = [Double](repeating: 0, count: n)
    for i in 0..<n {
        let h = 1e-5 * max(1, abs(theta[i]))
        var plus = theta, minus = theta
        plus[i] += h
        minus[i] -= h
        gradTheta[i] = (klPlusLinear(try q.withNaturalParameters(plus), target: p, b: b)
            - klPlusLinear(try q.withNaturalParameters(minus), target: p, b: b)) / (2 * h)
    }
    let cholesky = try q.meanGradient(fromNaturalParameterGradient: gradTheta)
    #expect(cholesky.report.damping == 0 && cholesky.report.attempts == 1)
    let rcond = try Cholesky(q.fisherInformation, conditionEstimate: true).reciprocalConditionNumber!
    // Finite-difference error ≲ 1e-9 relative in ∇θL, amplified by κ₁(F) = 1/rcond in the solve.
    let fdBound = max(1e-7, 1e-9 / rcond)
    #expect(relativeError(cholesky.direction, fast) <= fdBound, "\(name): fast path vs Cholesky path (FD gradient), bound \(fdBound)")

    // (2) exact round trip; κ-aware: a backward-stable solve has forward error ≲ c·n·ε·κ.
    let exactTheta = q.naturalParameterGradient(fromMeanGradient: fast)
    let back = try q.meanGradient(fromNaturalParameterGradient: exactTheta).direction
    let bound = 16 * Double(n) * Double.ulpOfOne / rcond
    #expect(relativeError(back, fast) <= bound, "\(name): F⁻¹(F·∇μL) vs ∇μL, bound \(bound)")
    // ∇θL through the Fisher-vector product equals the dense product F·∇μL.
    #expect(relativeError(exactTheta, q.fisherInformation * fast) <= 1e-12, "\(name): fisherVectorProduct")

    // (3) ρ = 1 on pure KL: θ − (θ − θₚ) = θₚ up to one rounding per entry.
    let step = try q.naturalGradientStep(meanGradient: fast.indices.map { fast[$0] - b[$0] }, stepSize: 1)
    #expect(step.halvings == 0 && step.stepSize == 1)
    #expect(relativeError(step.updated.naturalParameters, p.naturalParameters) <= 4 * Double.ulpOfOne,
            "\(name): one NGD step reaches the target")
}

/// Every family of the library (plus the test-local toy), with random members (q, p) and weights b.
/// ``FastPathTests/everyFamilyIsCovered()`` fails when a family is added to the library but not here.
enum FamilyCase: String, CaseIterable, Sendable, CustomStringConvertible {
    case Bernoulli, Beta, Binomial, Categorical, DiagonalNormal, Dirichlet, Exponential, Gamma, Geometric, InverseGaussian
    case LogNormal, MultivariateNormal, NegativeBinomial, Normal, Poisson, ToyDiagonalNormal
    var description: String { rawValue }

    func check(seed: UInt64) throws {
        var g = SeededGenerator(seed: seed)
        func u(_ lo: Double, _ hi: Double) -> Double { Double.random(in: lo..<hi, using: &g) }
        func us(_ n: Int, _ lo: Double, _ hi: Double) -> [Double] { (0..<n).map { _ in u(lo, hi) } }
        func run<F: ExponentialFamily>(_ member: () throws -> F) throws {
            let q = try member(), p = try member()
            try checkFastPath(q, target: p, b: us(q.dimension, -0.3, 0.3), name: rawValue)
        }
        switch self {
        case .Bernoulli: try run { try ExponentialFamilies.Bernoulli(p: u(0.2, 0.8)) }
        case .Beta: try run { try ExponentialFamilies.Beta(alpha: u(1, 4), beta: u(1, 4)) }
        case .Binomial: try run { try ExponentialFamilies.Binomial(trials: 7, p: u(0.2, 0.8)) }
        case .Categorical:
            try run {
                let w = us(5, 0.5, 1.5), total = w.reduce(0, +)
                return try ExponentialFamilies.Categorical(probabilities: w.map { $0 / total })
            }
        case .DiagonalNormal: try run { try ExponentialFamilies.DiagonalNormal(mean: us(3, -1, 1), variances: us(3, 0.5, 2)) }
        case .Dirichlet: try run { try ExponentialFamilies.Dirichlet(alpha: us(4, 1, 3)) }
        case .Exponential: try run { try ExponentialFamilies.Exponential(rate: u(0.5, 2)) }
        case .Gamma: try run { try ExponentialFamilies.Gamma(shape: u(1, 4), rate: u(0.5, 2)) }
        case .Geometric: try run { try ExponentialFamilies.Geometric(p: u(0.2, 0.8)) }
        case .InverseGaussian: try run { try ExponentialFamilies.InverseGaussian(mean: u(0.5, 2), shape: u(0.5, 2)) }
        case .LogNormal: try run { try ExponentialFamilies.LogNormal(logMean: u(-1, 1), logVariance: u(0.5, 2)) }
        case .MultivariateNormal:
            try run {
                let d = 3
                let a = Matrix(rows: d, columns: d, columnMajor: us(d * d, -1, 1))
                var covariance = BLAS.multiply(a, transposed: false, a, transposed: true)
                covariance.addToDiagonal(0.5)
                return try ExponentialFamilies.MultivariateNormal(mean: us(d, -1, 1), covariance: covariance)
            }
        case .NegativeBinomial: try run { try ExponentialFamilies.NegativeBinomial(r: 3.5, p: u(0.2, 0.8)) }
        case .Normal: try run { try ExponentialFamilies.Normal(mean: u(-1, 1), variance: u(0.5, 2)) }
        case .Poisson: try run { try ExponentialFamilies.Poisson(rate: u(0.5, 4)) }
        case .ToyDiagonalNormal:
            try run {
                let m = us(4, -1, 1), v = us(4, 0.5, 2)
                return try NaturalGradientTests.ToyDiagonalNormal(theta: (0..<4).map { m[$0] / v[$0] } + v.map { -1 / (2 * $0) })
            }
        }
    }
}

@Suite("Fast path (∇μL) versus the Cholesky path (F⁻¹∇θL)")
struct FastPathTests {
    @Test("fast path == Cholesky path, conversions round-trip, ρ = 1 reaches the target",
          arguments: FamilyCase.allCases, [1, 2, 3] as [UInt64])
    func fastPathMatchesCholesky(family: FamilyCase, seed: UInt64) throws {
        try family.check(seed: seed)
    }

    @Test("every family of the library is in FamilyCase")
    func everyFamilyIsCovered() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let folder = root.appendingPathComponent("Sources/ExponentialFamilies/Families")
        var declared = Set<String>()
        for file in try FileManager.default.contentsOfDirectory(atPath: folder.path) where file.hasSuffix(".swift") {
            let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
            for line in text.split(separator: "\n") where line.hasPrefix("public struct ") && line.contains(": ExponentialFamily") {
                declared.insert(String(line.dropFirst("public struct ".count).prefix { $0 != ":" && $0 != " " }))
            }
        }
        #expect(!declared.isEmpty)
        #expect(declared.isSubset(of: Set(FamilyCase.allCases.map(\.rawValue))), "missing: \(declared.subtracting(FamilyCase.allCases.map(\.rawValue)))")
    }

    @Test("a step that would leave the domain is halved")
    func halving() throws {
        // λ₁ = −1; ∇μL has −3 in the λ slot: ρ = 1 → λ = 2, ρ = ½ → 0.5 (both outside λ < 0),
        // ρ = ¼ → −0.25 (inside). Expected: two halvings, ρ = 0.25, θ = (0 − 0.25·1, −0.25).
        let q = try ToyDiagonalNormal(theta: [0, -1])
        let step = try q.naturalGradientStep(meanGradient: [1, -3], stepSize: 1)
        #expect(step.halvings == 2 && step.stepSize == 0.25)
        #expect(step.updated.naturalParameters == [-0.25, -0.25])
    }

    @Test("a MultivariateNormal step keeps the precision positive definite by halving")
    func precisionStaysPositiveDefinite() throws {
        // Σ = I (d = 2): θ = (η = 0, Λ upper = (−½, 0, −½)). A gradient of −1 on both diagonal Λ entries
        // gives Λ = +½I at ρ = 1 and Λ = 0 at ρ = ½ (precision −2Λ not PD either time), Λ = −¼I at ρ = ¼.
        let q = try MultivariateNormal(mean: [0, 0], covariance: .identity(2))
        #expect(q.naturalParameters == [0, 0, -0.5, 0, -0.5])
        let step = try q.naturalGradientStep(meanGradient: [0, 0, -1, 0, -1], stepSize: 1)
        #expect(step.halvings == 2 && step.stepSize == 0.25)
        #expect(step.updated.naturalParameters == [0, 0, -0.25, 0, -0.25])
        // With no halving allowed the step is rejected with the family's reason, ρ = 1 the last tried.
        do throws(NaturalGradientError) {
            _ = try q.naturalGradientStep(meanGradient: [0, 0, -1, 0, -1], stepSize: 1, maximumHalvings: 0)
            Issue.record("the step was accepted")
        } catch {
            guard case let .stepLeftDomain(lastStepSize, halvings, _) = error else { Issue.record("unexpected \(error)"); return }
            #expect(lastStepSize == 1 && halvings == 0)
        }
    }

    @Test("a step that cannot be brought back into the domain is a typed error with the last ρ")
    func rejection() throws {
        let q = try ToyDiagonalNormal(theta: [0, -1])
        do throws(NaturalGradientError) {
            _ = try q.naturalGradientStep(meanGradient: [0, -3], stepSize: 1, maximumHalvings: 1)
            Issue.record("the step was accepted")
        } catch {
            guard case let .stepLeftDomain(lastStepSize, halvings, reason) = error else {
                Issue.record("unexpected \(error)"); return
            }
            // ρ = 1 and ρ = ½ both leave λ < 0; the second (λ = 0.5) is the last one tried.
            #expect(lastStepSize == 0.5 && halvings == 1)
            #expect(reason == .outsideDomain(parameter: "theta[1]", value: 0.5, requirement: "< 0"))
        }
        #expect(throws: NaturalGradientError.invalidStepSize(0)) { try q.naturalGradientStep(meanGradient: [0, 1], stepSize: 0) }
        #expect(throws: NaturalGradientError.nonFiniteGradient(index: 0)) {
            try q.naturalGradientStep(meanGradient: [.nan, 1], stepSize: 1)
        }
    }

    @Test("matrix-free CG with the family's Fisher-vector product recovers ∇μL")
    func cgWithFamily() throws {
        let q = try ToyDiagonalNormal(theta: [0.3, -0.2, -0.8, -1.5])
        let meanGradient = [0.5, -1.0, 0.25, 2.0]
        let thetaGradient = q.naturalParameterGradient(fromMeanGradient: meanGradient)
        var workspace = ConjugateGradientWorkspace(dimension: 4)
        var x = [Double](repeating: 0, count: 4)
        let report = try workspace.solve(family: q, gradient: thetaGradient, solution: &x, tolerance: 1e-14)
        // 4 × 4 SPD with κ < 100: CG needs ≤ 4 steps in exact arithmetic (a few more in floating point).
        #expect(report.iterations <= 10)
        #expect(relativeError(x, meanGradient) <= 1e-11)
    }
}
