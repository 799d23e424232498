import COpenBLAS
import NatGradKernels

// The calls of `ObservationKernels` and `BLAS` whose per-row arrays are `RowBuffer`s (a row range of
// them): the same C kernels and BLAS calls as the array versions, on the buffers' storage.

func backendGemvRows(
    _ t: Transposition, a: [Double], aRows: Int, columns: Int, rows: Range<Int>,
    alpha: Double, x: UnsafePointer<Double>, beta: Double, y: UnsafeMutablePointer<Double>
) {
    if rows.isEmpty || columns == 0 { return }
    a.withUnsafeBufferPointer { ab in
        cblas_dgemv(
            CblasColMajor, t.cblas, lapackInt(rows.count), lapackInt(columns), alpha,
            ab.baseAddress! + rows.lowerBound, lapackInt(Swift.max(1, aRows)), x, 1, beta, y, 1)
    }
}

func backendObservationsLogistic(_ rows: Range<Int>, eta: RowBuffer, response: [Double], priorWeights: [Double],
                                 u: RowBuffer, weights: RowBuffer, writeWeights: Bool) -> Double? {
    precondition(rows.upperBound <= response.count && rows.upperBound <= priorWeights.count)
    var deviance = 0.0
    let start = rows.lowerBound, count = rows.count
    let e = eta.address(start, rows: count), ub = u.address(start, rows: count)
    let wb: UnsafeMutablePointer<Double>? = writeWeights ? weights.address(start, rows: count) : nil
    let done = response.withUnsafeBufferPointer { y in
        priorWeights.withUnsafeBufferPointer { p in
            natgrad_logistic_observations(count, e, y.baseAddress.map { $0 + start }, p.baseAddress.map { $0 + start },
                                          ub, wb, &deviance)
        }
    }
    return done == 1 ? deviance : nil
}

func backendObservationsPoisson(_ rows: Range<Int>, eta: RowBuffer, response: [Double], priorWeights: [Double],
                                responseLogResponse: [Double], u: RowBuffer, weights: RowBuffer,
                                writeWeights: Bool) -> Double? {
    precondition(rows.upperBound <= response.count && rows.upperBound <= priorWeights.count
                    && rows.upperBound <= responseLogResponse.count)
    var deviance = 0.0
    let start = rows.lowerBound, count = rows.count
    let e = eta.address(start, rows: count), ub = u.address(start, rows: count)
    let wb: UnsafeMutablePointer<Double>? = writeWeights ? weights.address(start, rows: count) : nil
    let done = response.withUnsafeBufferPointer { y in
        priorWeights.withUnsafeBufferPointer { p in
            responseLogResponse.withUnsafeBufferPointer { h in
                natgrad_poisson_observations(count, e, y.baseAddress.map { $0 + start }, p.baseAddress.map { $0 + start },
                                             h.baseAddress.map { $0 + start }, ub, wb, &deviance)
            }
        }
    }
    return done == 1 ? deviance : nil
}

func backendObservationsLogisticWeights(_ rows: Range<Int>, eta: RowBuffer, priorWeights: [Double],
                                        into weights: RowBuffer) -> Bool {
    precondition(rows.upperBound <= priorWeights.count)
    let start = rows.lowerBound, count = rows.count
    let e = eta.address(start, rows: count), w = weights.address(start, rows: count)
    return priorWeights.withUnsafeBufferPointer { p in
        natgrad_logistic_weights(count, e, p.baseAddress.map { $0 + start }, w) == 1
    }
}

func backendObservationsLogisticFinish(_ rows: Range<Int>, eta: RowBuffer, response: [Double], priorWeights: [Double],
                                       mean: RowBuffer, logMean: RowBuffer, logComplement: RowBuffer) -> Double? {
    precondition(rows.upperBound <= response.count && rows.upperBound <= priorWeights.count)
    let start = rows.lowerBound, count = rows.count
    var pearson = 0.0
    let e = eta.address(start, rows: count), m = mean.address(start, rows: count)
    let lm = logMean.address(start, rows: count), lc = logComplement.address(start, rows: count)
    let done = response.withUnsafeBufferPointer { y in
        priorWeights.withUnsafeBufferPointer { p in
            natgrad_logistic_finish(count, e, y.baseAddress.map { $0 + start }, p.baseAddress.map { $0 + start }, m,
                                    lm, lc, &pearson)
        }
    }
    return done == 1 ? pearson : nil
}

func backendObservationsExp(_ rows: Range<Int>, _ x: RowBuffer, into result: RowBuffer) -> Bool {
    let start = rows.lowerBound, count = rows.count
    return natgrad_exp(count, x.address(start, rows: count), result.address(start, rows: count)) == 1
}

func backendObservationsScoreBounded(_ features: Matrix, rows: Range<Int>, _ u: RowBuffer, bound: Double,
                                     into score: inout [Double]) -> Bool? {
    let k = features.columns
    precondition(rows.upperBound <= features.rows && score.count >= k)
    var bounded: Int32 = 0
    let ub = u.address(rows.lowerBound, rows: rows.count)
    let done = features.elements.withUnsafeBufferPointer { x in
        score.withUnsafeMutableBufferPointer { sb in
            natgrad_score_bounded(rows.count, Int32(k), x.baseAddress.map { $0 + rows.lowerBound },
                                  Swift.max(1, features.rows), ub, sb.baseAddress, bound, &bounded)
        }
    }
    return done == 1 ? bounded == 1 : nil
}

func backendObservationsPass(
    _ model: ObservationKernels.PassModel, _ rows: Range<Int>, features: Matrix, coefficients: [Double], intercept: Double,
    offset: [Double]?, response: [Double], priorWeights: [Double], responseLogResponse: [Double],
    eta: RowBuffer, u: RowBuffer, weights: RowBuffer, writeWeights: Bool,
    score: inout [Double], uSum: inout Double
) -> Double? {
    let k = features.columns
    precondition(rows.lowerBound >= 0 && rows.upperBound <= features.rows && coefficients.count >= k
                    && score.count >= k && response.count >= rows.upperBound && priorWeights.count >= rows.upperBound
                    && (offset == nil || offset!.count >= rows.upperBound)
                    && (model != .poisson || responseLogResponse.count >= rows.upperBound))
    let start = rows.lowerBound, count = rows.count
    let e = eta.address(start, rows: count), ub = u.address(start, rows: count)
    let wb: UnsafeMutablePointer<Double>? = writeWeights ? weights.address(start, rows: count) : nil
    var deviance = 0.0
    let offsetValues = offset ?? []
    let done = features.elements.withUnsafeBufferPointer { x in
        coefficients.withUnsafeBufferPointer { b in
            offsetValues.withUnsafeBufferPointer { o in
                response.withUnsafeBufferPointer { y in
                    priorWeights.withUnsafeBufferPointer { p in
                        responseLogResponse.withUnsafeBufferPointer { h in
                            score.withUnsafeMutableBufferPointer { sb in
                                natgrad_glm_pass(
                                    model.code, count, Int32(k),
                                    x.baseAddress.map { $0 + start }, Swift.max(1, features.rows),
                                    b.baseAddress, intercept,
                                    offset == nil ? nil : o.baseAddress.map { $0 + start },
                                    y.baseAddress.map { $0 + start }, p.baseAddress.map { $0 + start },
                                    model == .poisson ? h.baseAddress.map { $0 + start } : nil,
                                    e, ub, wb, sb.baseAddress, &uSum, &deviance)
                            }
                        }
                    }
                }
            }
        }
    }
    return done == 1 ? deviance : nil
}

func backendWeightedGramRows(
    _ a: [Double], aRows: Int, columns: Int, rows: Range<Int>, weights w: RowBuffer, alpha: Double,
    intercept: Bool, into c: inout [Double], cRows: Int
) -> Bool {
    let wb = w.address(rows.lowerBound, rows: rows.count)
    return a.withUnsafeBufferPointer { ab in
        c.withUnsafeMutableBufferPointer { cb in
            natgrad_weighted_gram_lower(
                Int32(columns), rows.count, ab.baseAddress.map { $0 + rows.lowerBound }, Swift.max(1, aRows),
                wb, alpha, intercept ? 1 : 0, cb.baseAddress, cRows) == 1
        }
    }
}

func backendRootWeights(_ rows: Range<Int>, _ w: RowBuffer, scale: Double, into roots: inout [Double], start: Int) {
    precondition(start >= 0 && start + rows.count <= roots.count)
    let wb = w.address(rows.lowerBound, rows: rows.count)
    for t in 0..<rows.count { roots[start + t] = (scale * wb[t]).squareRoot() }
}
