import NatGradKernels

// The C calls behind `ObservationKernels` (NatGradKernels' AVX-512 per-observation, pass and score
// kernels); each returns nil (or false) when the kernel declined, having written nothing.

func backendObservationsLogistic(_ rows: Range<Int>, eta: [Double], response: [Double], priorWeights: [Double],
                     u: inout [Double], weights: inout [Double], writeWeights: Bool) -> Double? {
    precondition(rows.lowerBound >= 0 && rows.upperBound <= eta.count && rows.upperBound <= response.count
                    && rows.upperBound <= priorWeights.count && rows.upperBound <= u.count
                    && (!writeWeights || rows.upperBound <= weights.count))
    var deviance = 0.0
    let start = rows.lowerBound, count = rows.count
    let done = eta.withUnsafeBufferPointer { e in
        response.withUnsafeBufferPointer { y in
            priorWeights.withUnsafeBufferPointer { p in
                u.withUnsafeMutableBufferPointer { ub in
                    weights.withUnsafeMutableBufferPointer { wb in
                        natgrad_logistic_observations(
                            count, e.baseAddress.map { $0 + start }, y.baseAddress.map { $0 + start },
                            p.baseAddress.map { $0 + start }, ub.baseAddress.map { $0 + start },
                            writeWeights ? wb.baseAddress.map { $0 + start } : nil, &deviance)
                    }
                }
            }
        }
    }
    return done == 1 ? deviance : nil
}

func backendObservationsPoisson(_ rows: Range<Int>, eta: [Double], response: [Double], priorWeights: [Double],
                    responseLogResponse: [Double], u: inout [Double], weights: inout [Double],
                    writeWeights: Bool) -> Double? {
    precondition(rows.lowerBound >= 0 && rows.upperBound <= eta.count && rows.upperBound <= response.count
                    && rows.upperBound <= priorWeights.count && rows.upperBound <= responseLogResponse.count
                    && rows.upperBound <= u.count && (!writeWeights || rows.upperBound <= weights.count))
    var deviance = 0.0
    let start = rows.lowerBound, count = rows.count
    let done = eta.withUnsafeBufferPointer { e in
        response.withUnsafeBufferPointer { y in
            priorWeights.withUnsafeBufferPointer { p in
                responseLogResponse.withUnsafeBufferPointer { h in
                    u.withUnsafeMutableBufferPointer { ub in
                        weights.withUnsafeMutableBufferPointer { wb in
                            natgrad_poisson_observations(
                                count, e.baseAddress.map { $0 + start }, y.baseAddress.map { $0 + start },
                                p.baseAddress.map { $0 + start }, h.baseAddress.map { $0 + start },
                                ub.baseAddress.map { $0 + start },
                                writeWeights ? wb.baseAddress.map { $0 + start } : nil, &deviance)
                        }
                    }
                }
            }
        }
    }
    return done == 1 ? deviance : nil
}

func backendObservationsLogisticWeights(eta: [Double], priorWeights: [Double], into weights: inout [Double]) -> Bool {
    precondition(priorWeights.count >= eta.count && weights.count >= eta.count)
    let count = eta.count
    return eta.withUnsafeBufferPointer { e in
        priorWeights.withUnsafeBufferPointer { p in
            weights.withUnsafeMutableBufferPointer { w in
                natgrad_logistic_weights(count, e.baseAddress, p.baseAddress, w.baseAddress) == 1
            }
        }
    }
}

func backendObservationsLogisticFinish(eta: [Double], response: [Double], priorWeights: [Double], mean: inout [Double],
                           logMean: inout [Double], logComplement: inout [Double]) -> Double? {
    let count = eta.count
    precondition(response.count >= count && priorWeights.count >= count && mean.count >= count
                    && logMean.count >= count && logComplement.count >= count)
    var pearson = 0.0
    let done = eta.withUnsafeBufferPointer { e in
        response.withUnsafeBufferPointer { y in
            priorWeights.withUnsafeBufferPointer { p in
                mean.withUnsafeMutableBufferPointer { m in
                    logMean.withUnsafeMutableBufferPointer { lm in
                        logComplement.withUnsafeMutableBufferPointer { lc in
                            natgrad_logistic_finish(count, e.baseAddress, y.baseAddress, p.baseAddress, m.baseAddress,
                                                    lm.baseAddress, lc.baseAddress, &pearson)
                        }
                    }
                }
            }
        }
    }
    return done == 1 ? pearson : nil
}

func backendObservationsScoreBounded(_ features: Matrix, _ u: [Double], bound: Double, into score: inout [Double]) -> Bool? {
    let rows = features.rows, k = features.columns
    precondition(u.count >= rows && score.count >= k)
    var bounded: Int32 = 0
    let done = features.elements.withUnsafeBufferPointer { x in
        u.withUnsafeBufferPointer { ub in
            score.withUnsafeMutableBufferPointer { sb in
                natgrad_score_bounded(rows, Int32(k), x.baseAddress, Swift.max(1, rows), ub.baseAddress,
                                      sb.baseAddress, bound, &bounded)
            }
        }
    }
    return done == 1 ? bounded == 1 : nil
}

func backendObservationsExp(_ x: [Double], into result: inout [Double]) -> Bool {
    precondition(result.count >= x.count)
    let count = x.count
    return x.withUnsafeBufferPointer { xb in
        result.withUnsafeMutableBufferPointer { rb in natgrad_exp(count, xb.baseAddress, rb.baseAddress) == 1 }
    }
}

func backendObservationsPass(
    _ model: ObservationKernels.PassModel, _ rows: Range<Int>, features: Matrix, coefficients: [Double], intercept: Double,
    offset: [Double]?, response: [Double], priorWeights: [Double], responseLogResponse: [Double],
    eta: inout [Double], u: inout [Double], weights: inout [Double], writeWeights: Bool,
    score: inout [Double], uSum: inout Double
) -> Double? {
    let k = features.columns
    precondition(rows.lowerBound >= 0 && rows.upperBound <= features.rows && coefficients.count >= k
                    && score.count >= k && eta.count >= rows.upperBound && u.count >= rows.upperBound
                    && response.count >= rows.upperBound && priorWeights.count >= rows.upperBound
                    && (offset == nil || offset!.count >= rows.upperBound)
                    && (model != .poisson || responseLogResponse.count >= rows.upperBound)
                    && (!writeWeights || weights.count >= rows.upperBound))
    let start = rows.lowerBound
    var deviance = 0.0
    let offsetValues = offset ?? []
    let done = features.elements.withUnsafeBufferPointer { x in
        coefficients.withUnsafeBufferPointer { b in
            offsetValues.withUnsafeBufferPointer { o in
                response.withUnsafeBufferPointer { y in
                    priorWeights.withUnsafeBufferPointer { p in
                        responseLogResponse.withUnsafeBufferPointer { h in
                            eta.withUnsafeMutableBufferPointer { e in
                                u.withUnsafeMutableBufferPointer { ub in
                                    weights.withUnsafeMutableBufferPointer { wb in
                                        score.withUnsafeMutableBufferPointer { sb in
                                            natgrad_glm_pass(
                                                model.code, rows.count, Int32(k),
                                                x.baseAddress.map { $0 + start }, Swift.max(1, features.rows),
                                                b.baseAddress, intercept,
                                                offset == nil ? nil : o.baseAddress.map { $0 + start },
                                                y.baseAddress.map { $0 + start }, p.baseAddress.map { $0 + start },
                                                model == .poisson ? h.baseAddress.map { $0 + start } : nil,
                                                e.baseAddress.map { $0 + start }, ub.baseAddress.map { $0 + start },
                                                writeWeights ? wb.baseAddress.map { $0 + start } : nil,
                                                sb.baseAddress, &uSum, &deviance)
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
    return done == 1 ? deviance : nil
}

/// `natgrad_kernel_level()`: 2 with AVX-512F (and `NATGRAD_KERNELS` not `off`), else 0.
func backendKernelLevel() -> Int { Int(natgrad_kernel_level()) }
