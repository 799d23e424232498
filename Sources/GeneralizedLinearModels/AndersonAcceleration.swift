/// Anderson acceleration (type II, memory m) of a fixed-point iteration β ← β + r(β).
///
/// Fisher scoring's chord steps are such an iteration, with r(β) = F̃⁻¹U(β) for a fixed factorization F̃
/// (the score U = Xᵀu at β): it converges linearly, at the rate ρ of F̃'s error as a preconditioner of
/// the exact Fisher matrix (≈ 0.07–0.1 for the 1/4 subsample). Given the last m + 1 iterates βᵢ and
/// residuals rᵢ, with ΔBⱼ = βⱼ₊₁ − βⱼ and ΔRⱼ = rⱼ₊₁ − rⱼ, the accelerated step from βₖ is
///   δ = rₖ − (ΔB + ΔR)γ,   γ = argmin_γ ‖rₖ − ΔRγ‖₂,
/// the step of the secant model that best cancels the residual (on a linear problem the iterates are
/// those of GMRES on the preconditioned system, so the rate improves from ρ towards ρ/(1 + √(1 − ρ²)) on a
/// symmetric-like spectrum). The least-squares problem is solved by modified Gram–Schmidt; a difference
/// whose new direction is below 1e-8 of its length (nearly dependent on the others) is left out, and γ
/// with a coefficient above 1e4 is not used (then δ = rₖ). The caller verifies every accelerated step
/// (the deviance must not rise) and falls back to the plain step `residual`.
///
/// All storage is allocated once (m·p differences, m·p orthogonal directions, m² triangle).
struct AndersonAcceleration {
    let dimension: Int
    let memory: Int
    /// ΔB and ΔR, column j at j·dimension, used as a ring of `memory` columns.
    private var betaDifferences: [Double]
    private var residualDifferences: [Double]
    private var orthogonal: [Double]
    private var triangle: [Double]
    private var coefficients: [Double]
    private var used: [Bool]
    private var previousBeta: [Double]
    /// The plain step rₖ of the last call.
    private(set) var residual: [Double]
    private var stored = 0
    private var nextColumn = 0
    private var hasPrevious = false

    init(dimension: Int, memory: Int) {
        precondition(dimension >= 0 && memory >= 0)
        self.dimension = dimension
        self.memory = memory
        betaDifferences = [Double](repeating: 0, count: dimension * memory)
        residualDifferences = [Double](repeating: 0, count: dimension * memory)
        orthogonal = [Double](repeating: 0, count: dimension * memory)
        triangle = [Double](repeating: 0, count: memory * memory)
        coefficients = [Double](repeating: 0, count: memory)
        used = [Bool](repeating: false, count: memory)
        previousBeta = [Double](repeating: 0, count: dimension)
        residual = [Double](repeating: 0, count: dimension)
    }

    /// Forgets the history (the factorization changed, or a step was halved).
    mutating func reset() {
        stored = 0
        nextColumn = 0
        hasPrevious = false
    }

    /// Records (βₖ, rₖ), with `step` = rₖ on entry, and the differences from the previous call; then
    /// overwrites `step` with the accelerated step when the history allows one. Returns whether it did.
    mutating func accelerate(beta: [Double], step: inout [Double]) -> Bool {
        let p = dimension
        precondition(beta.count == p && step.count == p)
        guard memory > 0 else { return false }
        if hasPrevious {
            let base = nextColumn * p
            for i in 0..<p {
                betaDifferences[base + i] = beta[i] - previousBeta[i]
                residualDifferences[base + i] = step[i] - residual[i]
            }
            nextColumn = (nextColumn + 1) % memory
            stored = Swift.min(stored + 1, memory)
        }
        for i in 0..<p {
            previousBeta[i] = beta[i]
            residual[i] = step[i]
        }
        hasPrevious = true
        guard stored > 0 else { return false }
        // Modified Gram–Schmidt on the ΔR columns (oldest first), R upper triangular in `triangle`.
        var rank = 0
        for c in 0..<stored {
            let column = (nextColumn - stored + c + memory) % memory
            used[c] = false
            let source = column * p, target = rank * p
            var length = 0.0
            for i in 0..<p {
                orthogonal[target + i] = residualDifferences[source + i]
                length += residualDifferences[source + i] * residualDifferences[source + i]
            }
            for q in 0..<rank {
                var dot = 0.0
                for i in 0..<p { dot += orthogonal[q * p + i] * orthogonal[target + i] }
                triangle[q * memory + rank] = dot
                for i in 0..<p { orthogonal[target + i] -= dot * orthogonal[q * p + i] }
            }
            var remaining = 0.0
            for i in 0..<p { remaining += orthogonal[target + i] * orthogonal[target + i] }
            guard remaining > 1e-16 * length, remaining > 0, remaining.isFinite else { continue }
            let norm = remaining.squareRoot()
            triangle[rank * memory + rank] = norm
            for i in 0..<p { orthogonal[target + i] /= norm }
            used[c] = true
            rank += 1
        }
        guard rank > 0 else { return false }
        // γ = R⁻¹Qᵀrₖ.
        for q in 0..<rank {
            var dot = 0.0
            for i in 0..<p { dot += orthogonal[q * p + i] * residual[i] }
            coefficients[q] = dot
        }
        for q in stride(from: rank - 1, through: 0, by: -1) {
            var value = coefficients[q]
            for s in (q + 1)..<rank { value -= triangle[q * memory + s] * coefficients[s] }
            coefficients[q] = value / triangle[q * memory + q]
            if !(Swift.abs(coefficients[q]) <= 1e4) { return false }
        }
        // δ = rₖ − Σ γⱼ(ΔBⱼ + ΔRⱼ) over the columns used.
        var q = 0
        for c in 0..<stored where used[c] {
            let column = (nextColumn - stored + c + memory) % memory
            let gamma = coefficients[q]
            for i in 0..<p {
                step[i] -= gamma * (betaDifferences[column * p + i] + residualDifferences[column * p + i])
            }
            q += 1
        }
        return true
    }
}
