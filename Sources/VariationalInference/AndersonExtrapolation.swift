/// Anderson acceleration (type II) of a fixed-point map θ ↦ G(θ), from the last M + 1 evaluated pairs
/// (θₖ, G(θₖ)), with residuals fₖ = G(θₖ) − θₖ:
///
///     γ = argmin ‖fₖ − ΔF·γ‖₂,   θ_AA = G(θₖ) − ΔG·γ,
///
/// where the columns of ΔF and ΔG are the differences of consecutive residuals and images. The small
/// least-squares problem is solved through its normal equations (ΔFᵀΔF + λI)γ = ΔFᵀfₖ with
/// λ = 1e-12·tr(ΔFᵀΔF) (the differences become nearly dependent as the iteration converges). With one
/// pair the extrapolation is the plain step G(θₖ). All storage is allocated once.
struct AndersonExtrapolation {
    let dimension: Int
    let memory: Int
    private var thetas: [[Double]]
    private var images: [[Double]]
    /// Pairs held (≤ memory + 1), newest at `(newest)`.
    private(set) var count = 0
    private var newest = -1
    private var normal: [Double]
    private var rhs: [Double]
    private var gamma: [Double]

    init(dimension: Int, memory: Int) {
        self.dimension = dimension
        self.memory = memory
        let slots = memory + 1
        thetas = [[Double]](repeating: [Double](repeating: 0, count: dimension), count: slots)
        images = thetas
        normal = [Double](repeating: 0, count: memory * memory)
        rhs = [Double](repeating: 0, count: memory)
        gamma = rhs
    }

    /// Forgets every pair.
    mutating func reset() { count = 0; newest = -1 }

    /// Adds the pair (θ, G(θ)), with θ = (first, second) and G(θ) = (firstImage, secondImage), each the
    /// concatenation of two parts (first.count + second.count = dimension).
    mutating func push(_ first: [Double], _ second: [Double], images firstImage: [Double], _ secondImage: [Double]) {
        newest = (newest + 1) % (memory + 1)
        let h = first.count
        for j in 0..<h {
            thetas[newest][j] = first[j]
            images[newest][j] = firstImage[j]
        }
        for j in 0..<second.count {
            thetas[newest][h + j] = second[j]
            images[newest][h + j] = secondImage[j]
        }
        count = Swift.min(count + 1, memory + 1)
    }

    /// The slot of the pair `age` steps before the newest.
    private func slot(_ age: Int) -> Int { (newest - age + 2 * (memory + 1)) % (memory + 1) }

    /// θ_AA into `result`; false when fewer than two pairs are held or the normal equations are singular.
    mutating func extrapolate(into result: inout [Double]) -> Bool {
        let k = count - 1
        guard k >= 1 else { return false }
        let n = dimension
        let s0 = slot(0)
        // Column c (0 ..< k): Δf_c = f(age c) − f(age c + 1), likewise Δg.
        func df(_ c: Int, _ j: Int) -> Double {
            let a = slot(c), b = slot(c + 1)
            return (images[a][j] - thetas[a][j]) - (images[b][j] - thetas[b][j])
        }
        var trace = 0.0
        for p in 0..<k {
            for q in 0...p {
                var s = 0.0
                for j in 0..<n { s += df(p, j) * df(q, j) }
                normal[p * k + q] = s
                normal[q * k + p] = s
            }
            trace += normal[p * k + p]
            var r = 0.0
            for j in 0..<n { r += df(p, j) * (images[s0][j] - thetas[s0][j]) }
            rhs[p] = r
        }
        guard trace > 0 && trace.isFinite else { return false }
        for p in 0..<k { normal[p * k + p] += 1e-12 * trace }
        // Cholesky of the k × k normal matrix in place, then the two triangular solves.
        for p in 0..<k {
            var diagonal = normal[p * k + p]
            for q in 0..<p { diagonal -= normal[p * k + q] * normal[p * k + q] }
            guard diagonal > 0 else { return false }
            let l = diagonal.squareRoot()
            normal[p * k + p] = l
            for r in (p + 1)..<Swift.max(p + 1, k) {
                var v = normal[r * k + p]
                for q in 0..<p { v -= normal[r * k + q] * normal[p * k + q] }
                normal[r * k + p] = v / l
            }
        }
        for p in 0..<k {
            var v = rhs[p]
            for q in 0..<p { v -= normal[p * k + q] * gamma[q] }
            gamma[p] = v / normal[p * k + p]
        }
        for p in stride(from: k - 1, through: 0, by: -1) {
            var v = gamma[p]
            for q in (p + 1)..<Swift.max(p + 1, k) { v -= normal[q * k + p] * gamma[q] }
            gamma[p] = v / normal[p * k + p]
        }
        for j in 0..<n {
            var v = images[s0][j]
            for c in 0..<k {
                let a = slot(c), b = slot(c + 1)
                v -= gamma[c] * (images[a][j] - images[b][j])
            }
            result[j] = v
        }
        return result.allSatisfy(\.isFinite)
    }
}
