/// The network's output layer: an exponential family p(y | η) = h(y)·exp(⟨η, T(y)⟩ − A(η)) whose
/// natural parameter η is the last layer's pre-activation.
///
/// With the per-sample loss ℓ(η; y) = −log p(y | η) = A(η) − ⟨η, T(y)⟩ − log h(y):
///
///     ∇η ℓ = ∇A(η) − T(y) = μ(η) − T(y),     ∇²η ℓ = ∇²A(η) = F(η),
///
/// so the Gauss–Newton matrix Jᵀ∇²ℓ J of the network equals its Fisher Jᵀ F(η) J — the fast-path
/// identity (natural gradient in η = ∇μ) at the output layer. The families:
///
/// | case | η (dim) | T(y) | A(η) | F(η) | log h(y) |
/// |---|---|---|---|---|---|
/// | categorical(K) | logits (K) | one-hot e_y | log Σₖ e^{ηₖ} | diag(p) − ppᵀ | 0 |
/// | bernoulli | logit (1) | y ∈ {0, 1} | log(1 + e^η) | σ(1 − σ) | 0 |
/// | normal | mean (1), unit variance | y | η²/2 | 1 | −y²/2 − ½log 2π |
/// | poisson | log-rate (1) | y ∈ ℕ | e^η | e^η | −log y! |
/// | diagonalNormal(k) | mean (k), unit variances | y ∈ ℝᵏ | ‖η‖²/2 | I | −‖y‖²/2 − (k/2)log 2π |
///
/// ``normalWithLogPrecision`` is the one output *not* in natural parameters: η = (μ, s) with precision
/// τ = eˢ, ℓ = ½τ(y − μ)² − ½s + ½log 2π, ∇ℓ = (τ(μ − y), ½(τ(y − μ)² − 1)) and Fisher F(η) = diag(τ, ½)
/// (the expected Hessian, which ``MultilayerPerceptron/gaussNewtonProduct(_:direction:into:)`` uses; the
/// Hessian of ℓ itself differs off the mean). Its targets are stored as T(y) = (y, y²).
///
/// The categorical uses all K logits (softmax), so η ↦ p is invariant under adding a constant to every
/// logit and F(η) is singular along (1, …, 1): damping (or the data) resolves that direction.
public enum OutputFamily: Sendable, Equatable, Hashable, Codable {
    /// Softmax over K ≥ 2 classes; targets are class indices 0..<K.
    case categorical(classes: Int)
    /// Logistic output; targets 0 or 1.
    case bernoulli
    /// Gaussian mean with unit variance (squared-error loss); any real target.
    case normal
    /// Log-linear counts; targets non-negative integers.
    case poisson
    /// k independent unit-variance Gaussian means (squared-error loss on a vector target, e.g. an
    /// autoencoder's reconstruction); targets come as a k × N matrix (``LabeledData/init(features:targets:output:)``).
    case diagonalNormal(dimensions: Int)
    /// A Gaussian with learned mean and log-precision per sample (heteroscedastic regression).
    case normalWithLogPrecision

    /// dim η, the number of network outputs.
    public var naturalDimension: Int {
        switch self {
        case let .categorical(k): return k
        case let .diagonalNormal(k): return k
        case .normalWithLogPrecision: return 2
        default: return 1
        }
    }

    /// Writes T(y) for target `y` into column `column` of the k × B matrix `t`.
    /// - Throws: ``NeuralNetworkError/invalidTarget(index:value:family:)`` when y is outside the support.
    func writeSufficientStatistic(_ y: Double, index: Int, into t: inout [Double], column: Int) throws(NeuralNetworkError) {
        let k = naturalDimension
        switch self {
        case let .categorical(classes):
            guard y.isFinite, y == y.rounded(), y >= 0, y < Double(classes) else {
                throw .invalidTarget(index: index, value: y, family: description)
            }
            for r in 0..<k { t[r + column * k] = 0 }
            t[Int(y) + column * k] = 1
        case .bernoulli:
            guard y == 0 || y == 1 else { throw .invalidTarget(index: index, value: y, family: description) }
            t[column] = y
        case .normal:
            guard y.isFinite else { throw .invalidTarget(index: index, value: y, family: description) }
            t[column] = y
        case .poisson:
            guard y.isFinite, y >= 0, y == y.rounded() else { throw .invalidTarget(index: index, value: y, family: description) }
            t[column] = y
        case let .diagonalNormal(k):
            // A scalar target fits only k = 1; vector targets go through the matrix initializer.
            guard k == 1, y.isFinite else { throw .invalidTarget(index: index, value: y, family: description) }
            t[column] = y
        case .normalWithLogPrecision:
            guard y.isFinite else { throw .invalidTarget(index: index, value: y, family: description) }
            t[2 * column] = y
            t[2 * column + 1] = y * y
        }
    }

    /// A short name for messages and saved models.
    public var description: String {
        switch self {
        case let .categorical(k): return "categorical(\(k))"
        case .bernoulli: return "bernoulli"
        case .normal: return "normal"
        case .poisson: return "poisson"
        case let .diagonalNormal(k): return "diagonalNormal(\(k))"
        case .normalWithLogPrecision: return "normalWithLogPrecision"
        }
    }

    /// For column b of η (k × B) and T (k × B): writes μ(η_b) into `mean` (column b, k × B) and returns
    /// ℓ = A(η_b) − ⟨η_b, T_b⟩ − log h(y_b). Softmax and softplus are evaluated stably (max shift,
    /// log1p of a non-positive exponent).
    @inline(__always)
    func lossAndMean(eta: [Double], t: [Double], column b: Int, mean: inout [Double]) -> Double {
        switch self {
        case let .categorical(k):
            let o = b * k
            var m = eta[o]
            for r in 1..<k { m = Swift.max(m, eta[o + r]) }
            var s = 0.0
            for r in 0..<k { let e = exp(eta[o + r] - m); mean[o + r] = e; s += e }
            let inv = 1 / s
            var dot = 0.0
            for r in 0..<k { mean[o + r] *= inv; dot += eta[o + r] * t[o + r] }
            return m + log(s) - dot
        case .bernoulli:
            let e = eta[b]
            mean[b] = e >= 0 ? 1 / (1 + exp(-e)) : exp(e) / (1 + exp(e))
            let softplus = e > 0 ? e + log1p(exp(-e)) : log1p(exp(e))
            return softplus - e * t[b]
        case .normal:
            let e = eta[b], y = t[b]
            mean[b] = e
            return 0.5 * (e - y) * (e - y) + 0.5 * log(2 * Double.pi)
        case .poisson:
            let e = eta[b], y = t[b]
            let rate = exp(e)
            mean[b] = rate
            return rate - e * y + lgamma(y + 1)
        case let .diagonalNormal(k):
            let o = b * k
            var s = 0.0
            for r in 0..<k { let e = eta[o + r]; mean[o + r] = e; let d = e - t[o + r]; s += d * d }
            return 0.5 * s + 0.5 * Double(k) * log(2 * Double.pi)
        case .normalWithLogPrecision:
            // `mean` holds (μ, τ) for this family.
            let mu = eta[2 * b], logTau = eta[2 * b + 1], y = t[2 * b]
            let tau = exp(logTau)
            mean[2 * b] = mu
            mean[2 * b + 1] = tau
            return 0.5 * tau * (y - mu) * (y - mu) - 0.5 * logTau + 0.5 * log(2 * Double.pi)
        }
    }

    /// u ← F(η_b)·u in place for column b, given μ(η_b) in `mean`.
    @inline(__always)
    func fisherTimes(_ u: inout [Double], mean: [Double], column b: Int) {
        switch self {
        case let .categorical(k):
            let o = b * k
            var pu = 0.0
            for r in 0..<k { pu += mean[o + r] * u[o + r] }
            for r in 0..<k { u[o + r] = mean[o + r] * (u[o + r] - pu) }
        case .bernoulli:
            u[b] *= mean[b] * (1 - mean[b])
        case .normal, .diagonalNormal:
            break
        case .poisson:
            u[b] *= mean[b]
        case .normalWithLogPrecision:
            u[2 * b] *= mean[2 * b + 1]
            u[2 * b + 1] *= 0.5
        }
    }

    /// Draws y ~ p(· | η_b) and writes T(y) into column b of `t` (Monte Carlo labels for the Fisher).
    func sampleSufficientStatistic(mean: [Double], column b: Int, into t: inout [Double], random: inout NetworkRandom) {
        switch self {
        case let .categorical(k):
            let o = b * k
            let u = random.uniform()
            var c = 0.0
            var chosen = k - 1
            for r in 0..<k {
                c += mean[o + r]
                if u < c { chosen = r; break }
            }
            for r in 0..<k { t[o + r] = r == chosen ? 1 : 0 }
        case .bernoulli:
            t[b] = random.uniform() < mean[b] ? 1 : 0
        case .normal:
            t[b] = mean[b] + random.normal()
        case .poisson:
            t[b] = random.poisson(mean[b])
        case let .diagonalNormal(k):
            for r in (b * k)..<((b + 1) * k) { t[r] = mean[r] + random.normal() }
        case .normalWithLogPrecision:
            let y = mean[2 * b] + random.normal() / mean[2 * b + 1].squareRoot()
            t[2 * b] = y
            t[2 * b + 1] = y * y
        }
    }

    /// d = s·∇ηℓ for every column: s·(μ(η) − T(y)) for the natural-parameter families, and
    /// s·(τ(μ − y), ½(τ(y − μ)² − 1)) for ``normalWithLogPrecision``. `mean` is what `lossAndMean` wrote.
    func writeOutputGradient(scale s: Double, mean: [Double], targets t: [Double], into d: inout [Double]) {
        switch self {
        case .normalWithLogPrecision:
            for b in 0..<(mean.count / 2) {
                let mu = mean[2 * b], tau = mean[2 * b + 1], y = t[2 * b]
                d[2 * b] = s * (tau * (mu - y))
                d[2 * b + 1] = s * (0.5 * (tau * (y - mu) * (y - mu) - 1))
            }
        default:
            for k in 0..<mean.count { d[k] = s * (mean[k] - t[k]) }
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
