import LinearAlgebra

/// How ``EmpiricalFisherWorkspace`` solves (GᵀG/n + λI)x = g.
public enum EmpiricalFisherMethod: String, Sendable, Equatable, Hashable, CaseIterable {
    /// Form F = GᵀG/n (p × p, syrk: n·p² flops), factor F + λI (p³/3 flops), solve.
    case dense
    /// The Woodbury identity through the n × n system (2n²p + n³/3 flops, no p × p matrix):
    /// (GᵀG/n + λI)⁻¹g = (g − Gᵀ(nλI + GGᵀ)⁻¹Gg)/λ. Needs λ > 0.
    case woodbury
}

/// What ``EmpiricalFisherWorkspace`` did: the method and the damping actually used.
public struct EmpiricalFisherReport: Sendable, Equatable, Hashable {
    /// Dense or Woodbury.
    public var method: EmpiricalFisherMethod
    /// λ used and factorizations made. For Woodbury the n × n system is nλ'I + GGᵀ and λ' = (its
    /// damping)/n is reported, so `damping` always means the λ in GᵀG/n + λI.
    public var damping: DampingReport
}

/// The natural gradient with the empirical Fisher F = GᵀG/n of n per-sample gradients (the rows of
/// G, n × p): x = (GᵀG/n + λI)⁻¹g.
///
/// The method is chosen by flop count (``preferredMethod(samples:parameters:damping:)``): dense costs
/// n·p² + p³/3, Woodbury 2n²p + n³/3, so Woodbury wins when n is below about 0.7·p — and it never
/// forms the p × p matrix. Woodbury divides by λ, so it needs λ > 0.
///
/// **λ = 0 with n < p**: GᵀG/n has rank ≤ n < p, so it is singular and F⁻¹g does not exist; the
/// solve throws ``NaturalGradientError/singularEmpiricalFisher(samples:parameters:)`` before any
/// factorization rather than returning a direction amplified by rounding noise.
///
/// The workspace keeps F (or GGᵀ), its factor and an n-vector: after the first call, repeated solves
/// with the same n, p and method allocate nothing.
public struct EmpiricalFisherWorkspace: Sendable {
    /// n, the number of per-sample gradients (rows of G).
    public let samples: Int
    /// p, the number of parameters (columns of G).
    public let parameters: Int
    private var fisher: Matrix?
    private var dense: DenseFisherWorkspace
    private var kernel: Matrix?
    private var kernelFactor: Cholesky?
    private var projected: [Double]

    /// A workspace for n × p gradient matrices; the p × p or n × n storage is allocated on first use.
    /// n = 0 (an empty batch) is accepted here and reported by ``solve(gradients:gradient:damping:jitter:method:)``
    /// as `.noSamples`.
    /// - Precondition: n ≥ 0 and p ≥ 0 (counts; no data produces a negative one).
    public init(samples: Int, parameters: Int) {
        precondition(samples >= 0 && parameters >= 0, "need samples ≥ 0 and parameters ≥ 0, got \(samples)×\(parameters)")
        self.samples = samples
        self.parameters = parameters
        dense = DenseFisherWorkspace(dimension: parameters)
        projected = [Double](repeating: 0, count: samples)
    }

    /// The method chosen for n samples, p parameters and damping λ: Woodbury when λ > 0 and its flop
    /// count 2n²p + n³/3 is below the dense n·p² + p³/3; dense otherwise.
    public static func preferredMethod(samples n: Int, parameters p: Int, damping: Double) -> EmpiricalFisherMethod {
        guard damping > 0 else { return .dense }
        let nd = Double(n), pd = Double(p)
        let woodbury = 2 * nd * nd * pd + nd * nd * nd / 3
        let denseCost = nd * pd * pd + pd * pd * pd / 3
        return woodbury < denseCost ? .woodbury : .dense
    }

    /// F = GᵀG/n (syrk), p × p, symmetric. For n = 0 (no samples) the empty sum: the p × p zero matrix
    /// (no information; a solve with it then needs λ > 0).
    public static func fisher(gradients g: Matrix) -> Matrix {
        guard g.rows >= 1 else { return Matrix(rows: g.columns, columns: g.columns) }
        var f = Matrix(rows: g.columns, columns: g.columns)
        BLAS.gram(g, alpha: 1 / Double(g.rows), into: &f)
        return f
    }

    /// Overwrites `gradient` with (GᵀG/n + λI)⁻¹·gradient.
    /// - Parameters:
    ///   - g: (label `gradients`) G, n × p, one per-sample gradient per row; entries must be finite.
    ///   - gradient: g (length p) on entry, the direction on return; unspecified after a throw.
    ///   - damping: λ ≥ 0.
    ///   - jitter: opt-in escalating damping when the system is numerically not positive definite.
    ///   - method: force a method; nil (default) chooses by cost.
    /// - Returns: the method and the λ used.
    /// - Throws: `.invalidDamping`, `.nonFiniteGradient`, `.singularEmpiricalFisher` (λ = 0 and n < p),
    ///   `.linearAlgebra(...)` from the factorization (non-finite G shows up as a non-finite matrix entry).
    ///   `.shapeMismatch` (G not n × p, g not of length p), `.noSamples` (n = 0),
    ///   `.woodburyNeedsDamping` (`.woodbury` forced with λ = 0).
    @discardableResult
    public mutating func solve(
        gradients g: Matrix, gradient: inout [Double], damping: Double, jitter: JitterPolicy? = nil,
        method: EmpiricalFisherMethod? = nil
    ) throws(NaturalGradientError) -> EmpiricalFisherReport {
        guard g.rows == samples && g.columns == parameters else {
            throw .shapeMismatch(operation: "empirical Fisher solve", expected: "\(samples)×\(parameters) per-sample gradients (the workspace's)",
                                 actual: "\(g.shapeDescription)")
        }
        guard gradient.count == parameters else {
            throw .shapeMismatch(operation: "empirical Fisher solve", expected: "a gradient of length \(parameters) (\(samples)×\(parameters) per-sample gradients)",
                                 actual: "length \(gradient.count)")
        }
        guard samples >= 1 else { throw .noSamples }
        try requireValidDamping(damping)
        try requireFiniteGradient(gradient)
        if damping == 0 && samples < parameters { throw .singularEmpiricalFisher(samples: samples, parameters: parameters) }
        let chosen = method ?? Self.preferredMethod(samples: samples, parameters: parameters, damping: damping)
        switch chosen {
        case .dense:
            if fisher == nil { fisher = Matrix(rows: parameters, columns: parameters) }
            BLAS.gram(g, alpha: 1 / Double(samples), into: &fisher!)
            let report = try dense.solve(fisher: fisher!, gradient: &gradient, damping: damping, jitter: jitter)
            return EmpiricalFisherReport(method: .dense, damping: report)
        case .woodbury:
            guard damping > 0 else { throw .woodburyNeedsDamping(damping) }
            return try solveWoodbury(g, &gradient, damping: damping, jitter: jitter)
        }
    }

    private mutating func solveWoodbury(
        _ g: Matrix, _ gradient: inout [Double], damping: Double, jitter: JitterPolicy?
    ) throws(NaturalGradientError) -> EmpiricalFisherReport {
        let n = Double(samples)
        if kernel == nil { kernel = Matrix(rows: samples, columns: samples) }
        // K = GGᵀ (n × n); the system is nλI + K.
        BLAS.gemm(g, transposed: false, g, transposed: true, into: &kernel!)
        do {
            if kernelFactor == nil {
                kernelFactor = try Cholesky(kernel!, damping: n * damping, jitter: jitter)
            } else {
                try kernelFactor!.refactor(kernel!, damping: n * damping, jitter: jitter)
            }
            // u = G·g, v = (nλ'I + GGᵀ)⁻¹u.
            BLAS.gemv(g, gradient, into: &projected)
            try kernelFactor!.solve(&projected)
        } catch {
            throw .linearAlgebra(error)
        }
        let lambdaUsed = kernelFactor!.damping / n
        // x = (g − Gᵀv)/λ'.
        BLAS.gemv(g, transposed: true, projected, alpha: -1, beta: 1, into: &gradient)
        BLAS.scale(1 / lambdaUsed, &gradient)
        for i in gradient.indices where !gradient[i].isFinite { throw .linearAlgebra(.nonFiniteResult) }
        return EmpiricalFisherReport(method: .woodbury,
                                     damping: DampingReport(kernelFactor!, damping: lambdaUsed))
    }
}
