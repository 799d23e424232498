/// AVX-512 kernels for the per-observation work of Fisher scoring in the two commonest canonical GLMs —
/// logistic regression with 0/1 responses and Poisson regression with the log link — eight observations
/// per register, with exp and log1p evaluated in registers (≤ 2 ulp against libm) instead of one libm call
/// per observation (the C target `NatGradKernels`, chosen at run time).
///
/// Every function returns nil (or false for the `Bool` ones), having written nothing, when the processor
/// lacks AVX-512F or the environment sets `NATGRAD_KERNELS=off`: the caller then runs its scalar loops.
/// Functions on `rows` work on that range of every per-observation array (η, y, prior weights p, u, W)
/// and return the deviance of those rows, or +∞ when some mean leaves the mean space (u and W are then
/// unspecified). Array sizes are checked with preconditions. Package access: the kernels serve the GLM solver
/// (`FisherScoringPlan` chooses them), they are not a public API.
package enum ObservationKernels {
    /// Whether the kernels run on this machine (AVX-512F, and `NATGRAD_KERNELS` is not `off`).
    package static let available: Bool = backendKernelLevel() >= 2

    /// The models of the fused pass.
    package enum PassModel: Sendable {
        /// Binomial with the logit link and 0/1 responses.
        case logistic
        /// Poisson with the log link.
        case poisson

        var code: Int32 { self == .logistic ? 0 : 1 }
    }

    /// Logistic regression with 0/1 responses, on `rows`: with t = e^(−|η|) and s = 1/(1 + t), μ = s (η ≥ 0)
    /// or t·s (η < 0); u = p(y − μ), W = p·t·s² = p·μ(1 − μ) (when `writeWeights`), and the deviance
    /// Σ 2p(log(1 + t) + max(0, (1 − 2y)η)).
    package static func logistic(_ rows: Range<Int>, eta: [Double], response: [Double], priorWeights: [Double],
                                u: inout [Double], weights: inout [Double], writeWeights: Bool) -> Double? {
        backendObservationsLogistic(rows, eta: eta, response: response, priorWeights: priorWeights, u: &u,
                                    weights: &weights, writeWeights: writeWeights)
    }

    /// Poisson regression with the log link, on `rows`: μ = e^η, u = p(y − μ), W = p·μ (when
    /// `writeWeights`), and the deviance Σ 2p(y log y − yη − y + μ) with `responseLogResponse` = y log y.
    package static func poisson(_ rows: Range<Int>, eta: [Double], response: [Double], priorWeights: [Double],
                               responseLogResponse: [Double], u: inout [Double], weights: inout [Double],
                               writeWeights: Bool) -> Double? {
        backendObservationsPoisson(rows, eta: eta, response: response, priorWeights: priorWeights,
                                   responseLogResponse: responseLogResponse, u: &u, weights: &weights,
                                   writeWeights: writeWeights)
    }

    /// The logistic working weights alone at every η: W = p·t/(1 + t)² = p·μ(1 − μ), t = e^(−|η|).
    package static func logisticWeights(eta: [Double], priorWeights: [Double], into weights: inout [Double]) -> Bool {
        backendObservationsLogisticWeights(eta: eta, priorWeights: priorWeights, into: &weights)
    }

    /// After a logistic fit with 0/1 responses, at every η: μ, log μ = min(η, 0) − log1p(e^(−|η|)),
    /// log(1 − μ) = −max(η, 0) − log1p(e^(−|η|)); returns the Pearson χ² Σ p(y − μ)²/(μ(1 − μ)) =
    /// Σ p·e^((1 − 2y)η) over the rows with p ≠ 0.
    package static func logisticFinish(eta: [Double], response: [Double], priorWeights: [Double], mean: inout [Double],
                                      logMean: inout [Double], logComplement: inout [Double]) -> Double? {
        backendObservationsLogisticFinish(eta: eta, response: response, priorWeights: priorWeights, mean: &mean,
                                          logMean: &logMean, logComplement: &logComplement)
    }

    /// score[j] = Σᵢ xᵢⱼuᵢ over all rows of `features`, and whether every entry is finite with magnitude at
    /// most `bound` (a NaN counts as outside), from one read of the matrix.
    package static func scoreBounded(_ features: Matrix, _ u: [Double], bound: Double, into score: inout [Double]) -> Bool? {
        backendObservationsScoreBounded(features, u, bound: bound, into: &score)
    }

    /// result[i] = e^(x[i]) for every i (≤ 2 ulp; +∞ above 709.78, gradual underflow, NaN kept).
    package static func exp(_ x: [Double], into result: inout [Double]) -> Bool {
        backendObservationsExp(x, into: &result)
    }

    /// One fused pass over `rows`: η = intercept + offset + Xβ (offset nil: none), u (and W when
    /// `writeWeights`) by the model's observation kernel, `score[j] += Σᵢ xᵢⱼuᵢ` for the k features and
    /// `uSum += Σᵢ uᵢ`, in sub-blocks of 64 rows read once from memory and once from L1. Returns the rows'
    /// deviance (+∞ outside the mean space).
    package static func pass(
        _ model: PassModel, _ rows: Range<Int>, features: Matrix, coefficients: [Double], intercept: Double,
        offset: [Double]?, response: [Double], priorWeights: [Double], responseLogResponse: [Double],
        eta: inout [Double], u: inout [Double], weights: inout [Double], writeWeights: Bool,
        score: inout [Double], uSum: inout Double
    ) -> Double? {
        backendObservationsPass(model, rows, features: features, coefficients: coefficients, intercept: intercept,
                                offset: offset, response: response, priorWeights: priorWeights,
                                responseLogResponse: responseLogResponse, eta: &eta, u: &u, weights: &weights,
                                writeWeights: writeWeights, score: &score, uSum: &uSum)
    }

    // MARK: On row buffers (the solver's per-row workspaces, shared by the workers of a pass)

    /// `logistic(_:eta:response:priorWeights:u:weights:writeWeights:)` on row buffers.
    package static func logistic(_ rows: Range<Int>, eta: RowBuffer, response: [Double], priorWeights: [Double],
                                u: RowBuffer, weights: RowBuffer, writeWeights: Bool) -> Double? {
        backendObservationsLogistic(rows, eta: eta, response: response, priorWeights: priorWeights, u: u,
                                    weights: weights, writeWeights: writeWeights)
    }

    /// `poisson(_:eta:response:priorWeights:responseLogResponse:u:weights:writeWeights:)` on row buffers.
    package static func poisson(_ rows: Range<Int>, eta: RowBuffer, response: [Double], priorWeights: [Double],
                               responseLogResponse: [Double], u: RowBuffer, weights: RowBuffer,
                               writeWeights: Bool) -> Double? {
        backendObservationsPoisson(rows, eta: eta, response: response, priorWeights: priorWeights,
                                   responseLogResponse: responseLogResponse, u: u, weights: weights,
                                   writeWeights: writeWeights)
    }

    /// The logistic working weights of `rows`: W = p·t/(1 + t)², t = e^(−|η|).
    package static func logisticWeights(_ rows: Range<Int>, eta: RowBuffer, priorWeights: [Double],
                                       into weights: RowBuffer) -> Bool {
        backendObservationsLogisticWeights(rows, eta: eta, priorWeights: priorWeights, into: weights)
    }

    /// `logisticFinish` on `rows` of row buffers; returns the rows' Pearson χ².
    package static func logisticFinish(_ rows: Range<Int>, eta: RowBuffer, response: [Double], priorWeights: [Double],
                                      mean: RowBuffer, logMean: RowBuffer, logComplement: RowBuffer) -> Double? {
        backendObservationsLogisticFinish(rows, eta: eta, response: response, priorWeights: priorWeights, mean: mean,
                                          logMean: logMean, logComplement: logComplement)
    }

    /// result[i] = e^(x[i]) for i in `rows`.
    package static func exp(_ rows: Range<Int>, _ x: RowBuffer, into result: RowBuffer) -> Bool {
        backendObservationsExp(rows, x, into: result)
    }

    /// `scoreBounded` over `rows` of the features: score[j] = Σ_{i ∈ rows} xᵢⱼuᵢ and whether those rows'
    /// entries are finite with magnitude at most `bound`.
    package static func scoreBounded(_ features: Matrix, rows: Range<Int>, _ u: RowBuffer, bound: Double,
                                    into score: inout [Double]) -> Bool? {
        backendObservationsScoreBounded(features, rows: rows, u, bound: bound, into: &score)
    }

    /// The fused pass of `pass(_:_:features:…)` with the per-row outputs in row buffers.
    package static func pass(
        _ model: PassModel, _ rows: Range<Int>, features: Matrix, coefficients: [Double], intercept: Double,
        offset: [Double]?, response: [Double], priorWeights: [Double], responseLogResponse: [Double],
        eta: RowBuffer, u: RowBuffer, weights: RowBuffer, writeWeights: Bool,
        score: inout [Double], uSum: inout Double
    ) -> Double? {
        backendObservationsPass(model, rows, features: features, coefficients: coefficients, intercept: intercept,
                                offset: offset, response: response, priorWeights: priorWeights,
                                responseLogResponse: responseLogResponse, eta: eta, u: u, weights: weights,
                                writeWeights: writeWeights, score: &score, uSum: &uSum)
    }
}
