import ExponentialFamilies

/// The general (Cholesky) path: the natural gradient (F + λI)⁻¹g for a dense symmetric Fisher matrix F.
///
/// F + λI = LLᵀ is factored (dpotrf, n³/3 flops) and the direction solved in place (dpotrs, 2n²
/// flops). λ ≥ 0 is Levenberg–Marquardt damping; with a `JitterPolicy` a failed factorization is
/// retried with growing λ and the λ actually used is reported in ``DampingReport``. Only the lower
/// triangle of F is read; every entry must be finite.
///
/// The workspace keeps the factor's storage: after the first call, repeated solves of the same
/// dimension allocate nothing (the factor is refactored in place).
///
/// Edge cases: dimension 0 is valid (the direction is empty, the report says λ and 1 attempt).
public struct DenseFisherWorkspace: Sendable {
    /// The dimension p of F and g.
    public let dimension: Int
    private var factor: Cholesky?

    /// A workspace for p × p Fisher matrices. Storage for the factor is allocated on the first solve.
    public init(dimension: Int) {
        precondition(dimension >= 0, "dimension must be ≥ 0, got \(dimension)")
        self.dimension = dimension
    }

    /// Overwrites g with (F + λI)⁻¹g.
    /// - Parameters:
    ///   - fisher: F, p × p, symmetric; its lower triangle is read.
    ///   - gradient: g on entry (length p), the natural gradient on return. Unspecified after a throw.
    ///   - damping: λ ≥ 0 (default 0: no damping).
    ///   - jitter: opt-in escalating damping when F + λI is not numerically positive definite.
    /// - Returns: the λ used and the number of factorizations.
    /// - Throws: `.shapeMismatch` (F not p × p or g not of length p), `.invalidDamping` (λ < 0 or not finite), `.nonFiniteGradient` (NaN/±∞ in g),
    ///   `.linearAlgebra(.nonFiniteMatrixEntry)` (NaN/±∞ in F), `.linearAlgebra(.notPositiveDefinite)`
    ///   with the failing minor and last λ tried, `.linearAlgebra(.nonFiniteResult)` on overflow.
    @discardableResult
    public mutating func solve(
        fisher: Matrix, gradient: inout [Double], damping: Double = 0, jitter: JitterPolicy? = nil
    ) throws(NaturalGradientError) -> DampingReport {
        guard fisher.rows == dimension && fisher.columns == dimension else {
            throw .shapeMismatch(operation: "dense Fisher solve", expected: "a \(dimension)×\(dimension) Fisher matrix (the workspace's)",
                                 actual: "\(fisher.shapeDescription)")
        }
        guard gradient.count == dimension else {
            throw .shapeMismatch(operation: "dense Fisher solve", expected: "a gradient of length \(dimension) (a \(dimension)×\(dimension) Fisher matrix)",
                                 actual: "length \(gradient.count)")
        }
        try requireValidDamping(damping)
        try requireFiniteGradient(gradient)
        do {
            if factor == nil {
                factor = try Cholesky(fisher, damping: damping, jitter: jitter)
            } else {
                try factor!.refactor(fisher, damping: damping, jitter: jitter)
            }
            try factor!.solve(&gradient)
        } catch {
            throw .linearAlgebra(error)
        }
        return DampingReport(factor!)
    }

    /// (F + λI)⁻¹g as a new vector, with the damping report.
    /// - Throws: as ``solve(fisher:gradient:damping:jitter:)``.
    public mutating func solving(
        fisher: Matrix, gradient: [Double], damping: Double = 0, jitter: JitterPolicy? = nil
    ) throws(NaturalGradientError) -> NaturalGradientSolution {
        var x = gradient
        let report = try solve(fisher: fisher, gradient: &x, damping: damping, jitter: jitter)
        return NaturalGradientSolution(direction: x, report: report)
    }
}

/// One-shot forms of the Cholesky path.
public enum NaturalGradient {
    /// (F + λI)⁻¹g for a supplied Fisher matrix (a fresh workspace; use ``DenseFisherWorkspace`` in loops).
    /// - Throws: as ``DenseFisherWorkspace/solve(fisher:gradient:damping:jitter:)``.
    public static func solve(
        fisher: Matrix, gradient: [Double], damping: Double = 0, jitter: JitterPolicy? = nil
    ) throws(NaturalGradientError) -> NaturalGradientSolution {
        var workspace = DenseFisherWorkspace(dimension: fisher.rows)
        return try workspace.solving(fisher: fisher, gradient: gradient, damping: damping, jitter: jitter)
    }

    /// The exact-Fisher Cholesky path for an exponential family: (F(θ) + λI)⁻¹∇θL with F(θ) = ∇²A(θ)
    /// from `ExponentialFamily.fisherInformation`. With λ = 0 this equals ∇μL (the fast path), at
    /// O(p³) instead of O(p) cost.
    /// - Throws: as ``DenseFisherWorkspace/solve(fisher:gradient:damping:jitter:)``.
    public static func solve<Family: ExponentialFamily>(
        family: Family, naturalParameterGradient gradient: [Double], damping: Double = 0,
        jitter: JitterPolicy? = nil
    ) throws(NaturalGradientError) -> NaturalGradientSolution {
        guard gradient.count == family.dimension else {
            throw .shapeMismatch(operation: "exact-Fisher solve", expected: "a gradient of length \(family.dimension) (the family's dimension)",
                                 actual: "length \(gradient.count)")
        }
        return try solve(fisher: family.fisherInformation, gradient: gradient, damping: damping, jitter: jitter)
    }
}
