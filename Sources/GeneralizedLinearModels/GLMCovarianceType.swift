/// Which covariance of the coefficients a fit reports (its standard errors, z statistics, p-values and
/// confidence intervals follow it), as statsmodels' `GLM.fit(cov_type=…, use_t=False)` defines them.
///
/// With H = −∂²ℓ/∂β∂βᵀ the observed information at β̂ (statsmodels' `hessian`; equal to the Fisher
/// information XᵀWX for canonical links), sᵢ = ∂ℓᵢ/∂β the score of row i, fᵢ its frequency weight and
/// n_w = Σfᵢ:
/// - `nonrobust`: φ·(XᵀWX)⁻¹, the model-based covariance (φ the dispersion).
/// - `hc0`: H⁻¹ (Σᵢ sᵢsᵢᵀ/fᵢ) H⁻¹, White's sandwich (a row of weight f counts as f rows, as in statsmodels).
/// - `hc1`: n_w/(n_w − p) · HC0.
/// - `hc2`, `hc3`: the meat terms divided by (1 − hᵢ) and (1 − hᵢ)², hᵢ the leverage of one replicate
///   of row i (the hat value of `GLMDiagnostics` divided by fᵢ).
/// - `cluster(groups:)`: H⁻¹ (Σ_g S_g S_gᵀ) H⁻¹ · G/(G − 1) · (N − 1)/(N − p), S_g the sum of the scores
///   of cluster g, G clusters, N rows (CRV1 with statsmodels' default small-sample correction).
/// The dispersion cancels from every sandwich. statsmodels 0.15's GLM returns HC0 for `HC1`, `HC2` and
/// `HC3` alike (its GLM results have no `cov_HC1`…`cov_HC3`); NatGrad computes the three corrections
/// above, which for the Gaussian with identity link are statsmodels' OLS `HC1`…`HC3`.
public enum GLMCovarianceType: Sendable, Hashable {
    /// Model-based: φ·(XᵀWX)⁻¹.
    case nonrobust
    /// White's sandwich: H⁻¹ (Σᵢ sᵢsᵢᵀ/fᵢ) H⁻¹.
    case hc0
    /// HC0 scaled by n_w/(n_w − p).
    case hc1
    /// The sandwich with meat terms divided by (1 − hᵢ).
    case hc2
    /// The sandwich with meat terms divided by (1 − hᵢ)².
    case hc3
    /// Cluster-robust; `groups[i]` is the cluster of data row i (any integers).
    case cluster(groups: [Int])

    /// The type without its data (what a saved model records).
    public var kind: GLMCovarianceKind {
        switch self {
        case .nonrobust: return .nonrobust
        case .hc0: return .hc0
        case .hc1: return .hc1
        case .hc2: return .hc2
        case .hc3: return .hc3
        case .cluster: return .cluster
        }
    }
}

/// The name of a covariance type, as the command line and saved models spell it.
public enum GLMCovarianceKind: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
    /// `GLMCovarianceType.nonrobust`, spelled "nonrobust".
    case nonrobust
    /// `GLMCovarianceType.hc0`, spelled "HC0".
    case hc0 = "HC0"
    /// `GLMCovarianceType.hc1`, spelled "HC1".
    case hc1 = "HC1"
    /// `GLMCovarianceType.hc2`, spelled "HC2".
    case hc2 = "HC2"
    /// `GLMCovarianceType.hc3`, spelled "HC3".
    case hc3 = "HC3"
    /// `GLMCovarianceType.cluster(groups:)` without its groups, spelled "cluster".
    case cluster

    public var description: String { rawValue }
}
