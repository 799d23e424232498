import ExponentialFamilies

/// What a converged conjugate-gradient solve did.
public struct ConjugateGradientReport: Sendable, Equatable, Hashable {
    /// Iterations run (matrix-vector products made; 0 when the initial guess already met the tolerance).
    public var iterations: Int
    /// ‖b − (F + λI)x‖₂ / ‖b‖₂ at the returned x, from the CG recurrence (0 when b = 0).
    public var relativeResidual: Double

    /// A report of a finished CG solve.
    public init(iterations: Int, relativeResidual: Double) {
        self.iterations = iterations
        self.relativeResidual = relativeResidual
    }
}

/// Matrix-free natural gradient: solves (F + λI)x = g by conjugate gradient, touching F only through a
/// Fisher-vector product v ↦ F·v — for p too large to form or factor F.
///
/// Each iteration costs one product plus 10p flops. In exact arithmetic CG converges in at most p
/// iterations; in practice the count grows like √κ(F + λI)·log(1/tolerance), so damping λ > 0 both
/// regularizes and speeds it up. The solve stops when ‖r‖₂ ≤ tolerance·‖g‖₂ (success) or after
/// `maximumIterations` (a thrown, typed non-convergence that carries the residual reached).
///
/// The three work vectors live in the workspace: with a product closure that writes into its output
/// without allocating, repeated solves allocate nothing.
public struct ConjugateGradientWorkspace: Sendable {
    /// p.
    public let dimension: Int
    private var residual: [Double]
    private var direction: [Double]
    private var product: [Double]

    /// A workspace for p-dimensional solves.
    public init(dimension: Int) {
        precondition(dimension >= 0, "dimension must be ≥ 0, got \(dimension)")
        self.dimension = dimension
        residual = [Double](repeating: 0, count: dimension)
        direction = residual
        product = residual
    }

    /// Solves (F + λI)x = g by conjugate gradient, starting from the x passed in (pass zeros, or the
    /// previous direction as a warm start).
    /// - Parameters:
    ///   - gradient: g (length p), finite.
    ///   - x: (label `solution`) the initial guess on entry, the solution on return. After a throw it holds the
    ///     last iterate (or the initial guess for input errors).
    ///   - damping: λ ≥ 0.
    ///   - tolerance: stop when ‖g − (F + λI)x‖₂ ≤ tolerance·‖g‖₂; must be > 0.
    ///   - maximumIterations: cap on products (≥ 0); default 2p + 10.
    ///   - fisherVectorProduct: writes F·v into its second argument (length p); it must not read it.
    /// - Returns: iterations and final relative residual.
    /// - Throws: `.invalidDamping`, `.nonFiniteGradient` (g or the initial x),
    ///   `.conjugateGradientDidNotConverge(iterations:relativeResidual:tolerance:)` at the cap,
    ///   `.conjugateGradientBreakdown(iteration:curvature:)` when pᵀ(F + λI)p ≤ 0 or is not finite
    ///   (F + λI is not positive definite, or the product returned NaN).
    @discardableResult
    public mutating func solve(
        gradient: [Double], solution x: inout [Double], damping: Double = 0, tolerance: Double = 1e-10,
        maximumIterations: Int? = nil,
        fisherVectorProduct: (_ v: [Double], _ result: inout [Double]) -> Void
    ) throws(NaturalGradientError) -> ConjugateGradientReport {
        guard gradient.count == dimension && x.count == dimension else {
            throw .shapeMismatch(operation: "conjugate gradient", expected: "a gradient and a solution of length \(dimension) (the workspace's dimension)",
                                 actual: "lengths \(gradient.count) and \(x.count)")
        }
        precondition(tolerance > 0 && tolerance.isFinite, "tolerance must be finite and > 0, got \(tolerance)")
        let cap = maximumIterations ?? (2 * dimension + 10)
        precondition(cap >= 0, "maximumIterations must be ≥ 0, got \(cap)")
        try requireValidDamping(damping)
        try requireFiniteGradient(gradient)
        try requireFiniteGradient(x)
        let bNorm = BLAS.norm(gradient)
        if bNorm == 0 {
            for i in x.indices { x[i] = 0 }
            return ConjugateGradientReport(iterations: 0, relativeResidual: 0)
        }
        // r = g − (F + λI)x, p = r.
        fisherVectorProduct(x, &product)
        for i in 0..<dimension {
            residual[i] = gradient[i] - product[i] - damping * x[i]
            direction[i] = residual[i]
        }
        var rr = BLAS.dot(residual, residual)
        let target = tolerance * bNorm
        var iteration = 0
        // Written as "not yet ≤" so that a NaN residual (a product that returned NaN) enters the loop and
        // is reported as a breakdown instead of ending it as if converged.
        while !(rr.squareRoot() <= target) {
            if iteration >= cap {
                throw .conjugateGradientDidNotConverge(iterations: iteration, relativeResidual: rr.squareRoot() / bNorm,
                                                       tolerance: tolerance)
            }
            iteration += 1
            fisherVectorProduct(direction, &product)
            if damping != 0 { BLAS.axpy(damping, direction, &product) }
            let curvature = BLAS.dot(direction, product)
            guard curvature > 0, curvature.isFinite else {
                throw .conjugateGradientBreakdown(iteration: iteration, curvature: curvature)
            }
            let alpha = rr / curvature
            BLAS.axpy(alpha, direction, &x)
            BLAS.axpy(-alpha, product, &residual)
            let rrNext = BLAS.dot(residual, residual)
            let beta = rrNext / rr
            rr = rrNext
            // p ← r + βp.
            for i in 0..<dimension { direction[i] = residual[i] + beta * direction[i] }
        }
        return ConjugateGradientReport(iterations: iteration, relativeResidual: rr.squareRoot() / bNorm)
    }

    /// Conjugate gradient with the exact Fisher of an exponential family, through its
    /// `ExponentialFamily.fisherVectorProduct(_:)` (which returns a new array: this form allocates
    /// one p-vector per iteration; pass an in-place closure to the other form to avoid it).
    /// - Throws: as ``solve(gradient:solution:damping:tolerance:maximumIterations:fisherVectorProduct:)``.
    @discardableResult
    public mutating func solve<Family: ExponentialFamily>(
        family: Family, gradient: [Double], solution x: inout [Double], damping: Double = 0,
        tolerance: Double = 1e-10, maximumIterations: Int? = nil
    ) throws(NaturalGradientError) -> ConjugateGradientReport {
        try solve(gradient: gradient, solution: &x, damping: damping, tolerance: tolerance,
                  maximumIterations: maximumIterations) { v, result in
            let fv = family.fisherVectorProduct(v)
            for i in result.indices { result[i] = fv[i] }
        }
    }
}
