/// Newton's method for the inverse map μ → θ of a family without a closed form.
///
/// The natural parameters θ* with μ(θ*) = μ minimize the convex function
///
///     g(θ) = A(θ) − θ·μ,   ∇g(θ) = μ(θ) − μ,   ∇²g(θ) = F(θ),
///
/// so Newton's step δ solves F(θ)·δ = μ − μ(θ). By default it is computed by a Cholesky solve of the
/// explicit Fisher matrix (a family with structure can pass its own solver, e.g. Sherman–Morrison for
/// the Dirichlet's diagonal-plus-rank-one F). If F is numerically not positive definite the Cholesky
/// factorization is retried with `JitterPolicy.standard` damping (a damped Newton step is still a
/// descent direction).
///
/// Step control: θ + t·δ with t = 1, ½, ¼, … (at most ``maximumHalvings`` halvings) until the candidate
/// is in the natural domain (the family's `withNaturalParameters(_:)` accepts it) and either satisfies
/// the Armijo condition g(θ + tδ) ≤ g(θ) + 10⁻⁴·t·∇g·δ or reduces the residual (the second test lets
/// the quadratic endgame proceed when g changes by less than its rounding error). For μ in the
/// interior of the mean space g is strictly convex with bounded level sets, so the Armijo-damped
/// iteration converges from any start in the domain; the residual-decrease alternative only
/// shortcuts the final steps (tested from starts many orders of magnitude away).
///
/// Convergence: the scaled residual maxᵢ |μ(θ)ᵢ − μᵢ| / max(1, |μᵢ|) ≤ ``tolerance``.
///
/// Failure is never silent: after ``maximumIterations`` Newton steps without convergence, or when no
/// halving gives an acceptable point, it throws `.inverseMapDidNotConverge(iterations:residual:)` with
/// the number of steps taken and the (unscaled) max-norm residual ‖μ(θ) − μ‖_∞ reached.
public struct NewtonInverseMap: Sendable, Equatable {
    /// Cap on Newton steps (≥ 0; 0 only checks the start). Default 100.
    public var maximumIterations: Int
    /// Target scaled residual (> 0). Default 10⁻¹².
    public var tolerance: Double
    /// Cap on step halvings within one Newton step. Default 60.
    public var maximumHalvings: Int

    /// A Newton policy for the mean-to-natural map.
    public init(maximumIterations: Int = 100, tolerance: Double = 1e-12, maximumHalvings: Int = 60) {
        precondition(maximumIterations >= 0, "maximumIterations must be ≥ 0, got \(maximumIterations)")
        precondition(tolerance > 0 && tolerance.isFinite, "tolerance must be finite and > 0, got \(tolerance)")
        precondition(maximumHalvings >= 0, "maximumHalvings must be ≥ 0, got \(maximumHalvings)")
        self.maximumIterations = maximumIterations
        self.tolerance = tolerance
        self.maximumHalvings = maximumHalvings
    }

    /// The default settings.
    public static let standard = NewtonInverseMap()

    /// The member found, with how it was reached.
    public struct Solution<Family: ExponentialFamily>: Sendable {
        /// The family member with μ(θ) ≈ the target.
        public var member: Family
        /// Newton steps taken.
        public var iterations: Int
        /// Final unscaled residual ‖μ(θ) − μ‖_∞.
        public var residual: Double
    }

    /// Solves μ(θ) = `target` starting from `start`, with Cholesky-solved steps.
    /// - Parameters:
    ///   - target: the mean parameters μ (count `start.dimension`, finite; the caller checks that μ is
    ///     in the interior of the mean space, which guarantees a solution exists).
    ///   - start: a member whose θ is the starting point (a good closed-form guess makes this fast).
    /// - Throws: `.nonFinite("mu[i]")`, `.inverseMapDidNotConverge(iterations:residual:)`.
    public func solve<Family: ExponentialFamily>(
        meanParameters target: [Double], from start: Family
    ) throws(ExponentialFamilyError) -> Solution<Family> {
        try solve(meanParameters: target, from: start) { (member: Family, rhs: [Double]) throws(ExponentialFamilyError) -> [Double] in
            try NewtonInverseMap.choleskyStep(fisher: member.fisherInformation, rhs)
        }
    }

    /// Solves μ(θ) = `target` from `start`, with a caller-supplied Newton-step solver.
    /// - Parameters:
    ///   - target: the mean parameters μ, as in ``solve(meanParameters:from:)``.
    ///   - start: the member whose θ starts the iteration.
    ///   - stepSolver: given the current member and r = μ − μ(θ), returns δ with F(θ)·δ = r.
    /// - Throws: as ``solve(meanParameters:from:)``, plus whatever `stepSolver` throws.
    public func solve<Family: ExponentialFamily>(
        meanParameters target: [Double], from start: Family,
        stepSolver: (Family, [Double]) throws(ExponentialFamilyError) -> [Double]
    ) throws(ExponentialFamilyError) -> Solution<Family> {
        let n = start.dimension
        precondition(target.count == n, "Newton inverse map: target μ has \(target.count) entries, the family has dimension \(n)")
        for i in 0..<n where !target[i].isFinite { throw .nonFinite(parameter: "mu[\(i)]") }

        var current = start
        var theta = start.naturalParameters
        var gradient = Self.difference(current.meanParameters, target)  // μ(θ) − μ
        var residual = Self.maxNorm(gradient)
        var scaled = scaledResidual(gradient, target)
        var objective = current.logPartition - Self.dot(theta, target)
        var rhs = [Double](repeating: 0, count: n)
        var candidateTheta = theta

        for iteration in 0...maximumIterations {
            if scaled <= tolerance {
                return Solution(member: current, iterations: iteration, residual: residual)
            }
            if iteration == maximumIterations { break }
            for i in 0..<n { rhs[i] = -gradient[i] }
            let delta = try stepSolver(current, rhs)
            precondition(delta.count == n, "Newton step solver returned \(delta.count) entries for dimension \(n)")
            // A non-finite step (F numerically singular) cannot be taken: report how far we got.
            if delta.contains(where: { !$0.isFinite }) {
                throw .inverseMapDidNotConverge(iterations: iteration, residual: residual)
            }
            let slope = Self.dot(gradient, delta)
            var t = 1.0
            var accepted = false
            for _ in 0...maximumHalvings {
                for i in 0..<n { candidateTheta[i] = theta[i] + t * delta[i] }
                if let candidate = try? current.withNaturalParameters(candidateTheta) {
                    let candidateObjective = candidate.logPartition - Self.dot(candidateTheta, target)
                    let candidateGradient = Self.difference(candidate.meanParameters, target)
                    let candidateScaled = scaledResidual(candidateGradient, target)
                    if candidateObjective.isFinite, candidateScaled.isFinite,
                       candidateObjective <= objective + 1e-4 * t * slope || candidateScaled < scaled {
                        current = candidate
                        theta = candidateTheta
                        gradient = candidateGradient
                        residual = Self.maxNorm(gradient)
                        scaled = candidateScaled
                        objective = candidateObjective
                        accepted = true
                        break
                    }
                }
                t *= 0.5
            }
            if !accepted {
                throw .inverseMapDidNotConverge(iterations: iteration, residual: residual)
            }
        }
        throw .inverseMapDidNotConverge(iterations: maximumIterations, residual: residual)
    }

    /// δ with F·δ = r by Cholesky (jitter only if F is numerically not positive definite).
    /// - Throws: `.linearAlgebra` when even the damped factorization fails (F not finite).
    public static func choleskyStep(fisher: Matrix, _ r: [Double]) throws(ExponentialFamilyError) -> [Double] {
        do {
            let factor = try Cholesky(fisher, jitter: .standard)
            return try factor.solving(r)
        } catch {
            throw .linearAlgebra(error)
        }
    }

    private func scaledResidual(_ gradient: [Double], _ target: [Double]) -> Double {
        var s = 0.0
        for i in gradient.indices {
            let r = Swift.abs(gradient[i]) / Swift.max(1, Swift.abs(target[i]))
            if r.isNaN { return .nan }
            s = Swift.max(s, r)
        }
        return s
    }

    private static func difference(_ a: [Double], _ b: [Double]) -> [Double] {
        var d = a
        for i in d.indices { d[i] -= b[i] }
        return d
    }

    private static func maxNorm(_ a: [Double]) -> Double {
        var m = 0.0
        for x in a { m = Swift.max(m, Swift.abs(x)) }
        return m
    }

    private static func dot(_ a: [Double], _ b: [Double]) -> Double {
        var s = 0.0
        for i in a.indices { s += a[i] * b[i] }
        return s
    }
}
