import ExponentialFamilies
import LinearAlgebra
import Testing

/// The generic identity harness over the Newton and multivariate families: θ → μ → θ (Newton for
/// Gamma, Beta, Dirichlet; closed form for the Gaussians), μ = ∇A and F = ∂μ/∂θ by central differences,
/// F symmetric PD, F·v = F formed·v, KL identities, Monte Carlo moments/entropy/KL, and MLE recovery.
/// Points include small shapes/concentrations (the k < 1 gamma sampler branch) and correlated,
/// non-zero-mean Gaussians.
let newtonIdentityCases: [IdentityCase] = [
    IdentityCase("Gamma k=3.48", seed: 41) {
        (try Gamma(shape: 3.47548, rate: 0.85972), try Gamma(shape: 26.6567, rate: 0.34041))
    },
    IdentityCase("Gamma k=0.4", seed: 42) { (try Gamma(shape: 0.4, rate: 2), try Gamma(shape: 0.6, rate: 1.5)) },
    IdentityCase("Beta 0.33, 2.55", seed: 43) {
        (try Beta(alpha: 0.327296, beta: 2.54934), try Beta(alpha: 0.726683, beta: 3.26186))
    },
    IdentityCase("Beta 5, 1.5", seed: 44) { (try Beta(alpha: 5, beta: 1.5), try Beta(alpha: 4, beta: 2)) },
    IdentityCase("Dirichlet K=3", seed: 45) {
        (try Dirichlet(alpha: [4.31599, 1.75021, 2.1484]), try Dirichlet(alpha: [0.673995, 0.811111, 8.7076]))
    },
    IdentityCase("Dirichlet K=5 small α", seed: 46) {
        (try Dirichlet(alpha: [0.5, 0.8, 1.2, 3, 0.9]), try Dirichlet(alpha: [1, 1, 1, 1, 1]))
    },
    IdentityCase("MultivariateNormal d=3", seed: 47) {
        (try MultivariateNormal(mean: [0.888301, -4.01072, 0.683661],
                                covariance: Matrix(rows: [[1.19923, -0.337958, 0.158763],
                                                          [-0.337958, 1.19405, 0.280491],
                                                          [0.158763, 0.280491, 1.37077]])),
         try MultivariateNormal(mean: [0.466845, 1.60602, -1.53046],
                                covariance: Matrix(rows: [[3.27463, -0.0742703, 1.85884],
                                                          [-0.0742703, 1.94047, -0.217553],
                                                          [1.85884, -0.217553, 2.2885]])))
    },
    IdentityCase("MultivariateNormal d=2 strong correlation", seed: 48) {
        (try MultivariateNormal(mean: [1, -1], covariance: Matrix(rows: [[1, 0.9], [0.9, 1]])),
         try MultivariateNormal(mean: [0, 0], covariance: Matrix(rows: [[2, 0.5], [0.5, 1]])))
    },
    IdentityCase("DiagonalNormal d=3", seed: 49) {
        (try DiagonalNormal(mean: [1, -2, 0.5], variances: [0.5, 2, 1]),
         try DiagonalNormal(mean: [0, -1, 1], variances: [1, 1, 3]))
    },
]

@Suite("Identities of the Newton and multivariate families")
struct NewtonFamilyIdentityTests {
    @Test(arguments: newtonIdentityCases)
    func identities(_ testCase: IdentityCase) throws {
        try testCase.run()
    }
}
