import BenchSupport
import NatGrad

/// Timing settings shared by every section.
struct TimingPlan {
    /// Target seconds per timed sample (each variant repeats its call this long).
    var sampleSeconds: Double
    var warmup: Int
    var rounds: Int
    /// Fewer rounds for variants slower than this many seconds per call.
    var slowCallSeconds: Double = 0.05
    var slowRounds: Int = 3

    static let quick = TimingPlan(sampleSeconds: 1e-3, warmup: 2, rounds: 9)
    static let full = TimingPlan(sampleSeconds: 5e-3, warmup: 2, rounds: 11)

    /// Median seconds per call of each variant, interleaved (A B C A B C …) after warm-up; each variant
    /// gets its own repetition count so that a 50 ns fast path and a 1 s factorization are both timed
    /// well above timer resolution.
    func medians(_ variants: [() -> Void]) -> [Double] {
        let inners = variants.map { calibrateInner(target: sampleSeconds, maximum: 1_000_000, $0) }
        var oneCall = [Double]()
        for (v, inner) in zip(variants, inners) {
            let t0 = monotonicSeconds()
            for _ in 0..<inner { v() }
            oneCall.append((monotonicSeconds() - t0) / Double(inner))
        }
        let slow = oneCall.max() ?? 0 > slowCallSeconds
        let wrapped: [() -> Void] = zip(variants, inners).map { v, inner in { for _ in 0..<inner { v() } } }
        let raw = interleavedMedians(warmup: slow ? 1 : warmup, rounds: slow ? slowRounds : rounds, inner: 1, wrapped)
        return zip(raw, inners).map { $0 / Double($1) }
    }
}

/// One problem instance for a family: q = q_θ, the target p, and the linear expected-loss weights b in
/// L(θ) = KL(q_θ‖p) + E_q[bᵀT(x)] = KL(q_θ‖p) + bᵀμ(θ), whose mean-parameter gradient is
/// ∇μL = θ − θₚ + b (closed form) and whose natural-parameter gradient is ∇θL = F(θ)·∇μL.
struct FamilyProblem<Family: ExponentialFamily> {
    let name: String
    let q: Family
    let target: Family
    let b: [Double]
    /// (A′): writes the structured Cholesky-path direction F⁻¹∇θL into its last argument, starting from
    /// q and ∇μL (it must form ∇θL itself through the structure of F). nil when there is none.
    let structured: ((Family, [Double], inout [Double]) -> Void)?

    /// ∇μL = θ − θₚ + b into `out` (the fast path; O(p), no matrix).
    @inline(__always)
    static func meanGradient(_ q: Family, _ targetTheta: [Double], _ b: [Double], into out: inout [Double]) {
        let theta = q.naturalParameters
        for i in out.indices { out[i] = theta[i] - targetTheta[i] + b[i] }
    }

    func run(_ plan: TimingPlan) throws -> ComparisonRow {
        let p = q.dimension
        let targetTheta = target.naturalParameters
        let q = self.q, b = self.b
        var fast = [Double](repeating: 0, count: p)
        var dense = fast, denseMean = fast, structuredOut = fast, structuredMean = fast
        var workspace = DenseFisherWorkspace(dimension: p)
        var failure: NaturalGradientError?

        // (A) dense Cholesky path: ∇μL, F(θ) built densely, ∇θL = F·∇μL, factor F, solve.
        let denseVariant: () -> Void = {
            Self.meanGradient(q, targetTheta, b, into: &denseMean)
            let f = q.fisherInformation
            BLAS.symv(f, denseMean, into: &dense)
            do throws(NaturalGradientError) { try workspace.solve(fisher: f, gradient: &dense) } catch { failure = error }
        }
        // (B) fast path: the natural gradient is ∇μL.
        let fastVariant: () -> Void = { Self.meanGradient(q, targetTheta, b, into: &fast) }
        var variants = [denseVariant, fastVariant]
        if let structured {
            variants.append {
                Self.meanGradient(q, targetTheta, b, into: &structuredMean)
                structured(q, structuredMean, &structuredOut)
            }
        }
        let times = plan.medians(variants)
        if let failure { throw failure }
        var difference = relativeDifference(dense, fast)
        if structured != nil { difference = max(difference, relativeDifference(structuredOut, fast)) }
        return ComparisonRow(family: name, dimension: p, denseCholeskySeconds: times[0],
                             structuredCholeskySeconds: structured == nil ? nil : times[2],
                             fastPathSeconds: times[1], maxRelativeDifference: difference)
    }
}

/// max|xᵢ − yᵢ| / max|yᵢ| (NaN anywhere gives +∞ so that a check fails loudly).
func relativeDifference(_ x: [Double], _ y: [Double]) -> Double {
    precondition(x.count == y.count, "comparing vectors of lengths \(x.count) and \(y.count)")
    var d = 0.0, s = 0.0
    for i in x.indices {
        let e = abs(x[i] - y[i])
        if !e.isFinite { return .infinity }
        d = max(d, e)
        s = max(s, abs(y[i]))
    }
    return s == 0 ? d : d / s
}
