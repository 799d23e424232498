import Foundation
import Testing
import TestSupport
@testable import ExponentialFamilies

private func isMLEDoesNotExist(_ error: any Error, containing text: String = "") -> Bool {
    guard case let .maximumLikelihoodDoesNotExist(reason) = error as? ExponentialFamilyError else { return false }
    return text.isEmpty || reason.contains(text)
}

@Suite("Maximum likelihood for the Newton and multivariate families")
struct NewtonFamilyMaximumLikelihoodTests {
    // Data at 10⁶ ± small offsets, all exact in binary: mean (10⁶, 10⁶), covariance diag(0.5, 2).
    // E[xxᵀ] − mmᵀ from averaged T would cancel 12 digits (10¹² against 1); the two-pass estimate is
    // exact here, so the comparison is exact up to the ≈ 1e-16 relative rounding of the solve-free path.
    @Test("two-pass covariance is exact where the averaged-T route cancels")
    func multivariateNormalTwoPass() throws {
        let c = 1e6
        let data: [[Double]] = [[c + 1, c], [c - 1, c], [c, c + 2], [c, c - 2]]
        let fit = try MultivariateNormal.standard(d: 2).fitted(to: data)
        #expect(fit.mean == [c, c])
        #expect(fit.covariance == Matrix(rows: [[0.5, 0], [0, 2]]))
        let diag = try DiagonalNormal.standard(d: 2).fitted(to: data)
        #expect(diag.mean == [c, c] && diag.variances == [0.5, 2])
    }

    @Test("MVN MLE: too few points, collinear points, bad data")
    func multivariateNormalObstructions() throws {
        let p = MultivariateNormal.standard(d: 3)
        #expect { _ = try p.fitted(to: [[1, 2, 3], [2, 3, 4], [0, 1, 5]]) } throws: { isMLEDoesNotExist($0, containing: "not positive definite") }
        #expect { _ = try p.fitted(to: [[1, 1, 1], [2, 2, 2], [3, 3, 3], [4, 4, 4], [5, 5, 5]]) } throws: { isMLEDoesNotExist($0) }
        #expect { _ = try p.fitted(to: [[Double]]()) } throws: { isMLEDoesNotExist($0, containing: "no observations") }
        #expect {
            _ = try p.fitted(to: [[1, 2, 3], [1, .nan, 3]])
        } throws: { error in
            guard case .outsideSupport(index: 1, _) = error as? ExponentialFamilyError else { return false }
            return true
        }
    }

    @Test("DiagonalNormal MLE names a constant coordinate")
    func diagonalNormalConstantCoordinate() throws {
        #expect {
            _ = try DiagonalNormal.standard(d: 2).fitted(to: [[1, 5], [2, 5], [3, 5]])
        } throws: { isMLEDoesNotExist($0, containing: "coordinate 1") }
    }

    @Test("Gamma, Beta, Dirichlet: all-equal data have no MLE")
    func allEqual() throws {
        #expect { _ = try Gamma(shape: 1, rate: 1).fitted(to: [2.5, 2.5, 2.5]) } throws: { isMLEDoesNotExist($0, containing: "all 3 observations") }
        #expect { _ = try Beta(alpha: 1, beta: 1).fitted(to: [0.3, 0.3]) } throws: { isMLEDoesNotExist($0) }
        #expect { _ = try Dirichlet(alpha: [1, 1, 1]).fitted(to: [[0.2, 0.3, 0.5], [0.2, 0.3, 0.5]]) } throws: { isMLEDoesNotExist($0) }
        #expect { _ = try Gamma(shape: 1, rate: 1).fitted(to: [Double]()) } throws: { isMLEDoesNotExist($0, containing: "no observations") }
    }

    @Test("data outside the support are reported with their index")
    func outsideSupport() throws {
        #expect {
            _ = try Gamma(shape: 1, rate: 1).fitted(to: [1, 2, -3])
        } throws: { error in
            guard case .outsideSupport(index: 2, _) = error as? ExponentialFamilyError else { return false }
            return true
        }
        #expect {
            _ = try Beta(alpha: 1, beta: 1).fitted(to: [0.5, 1.0])
        } throws: { error in
            guard case .outsideSupport(index: 1, _) = error as? ExponentialFamilyError else { return false }
            return true
        }
        #expect {
            _ = try Dirichlet(alpha: [1, 1]).fitted(to: [[0.5, 0.5], [0.7, 0.7]])
        } throws: { error in
            guard case .outsideSupport(index: 1, _) = error as? ExponentialFamilyError else { return false }
            return true
        }
    }

    // Gamma MLE on two distinct values has a closed-form check: the fitted member's mean parameters
    // equal the data averages of T (the MLE moment condition μ(θ̂) = mean T), to the Newton tolerance
    // (1e-12 relative to s for μ₁, exact for μ₂ by construction b = k/μ₂).
    @Test("MLE moment condition μ(θ̂) = average T")
    func momentCondition() throws {
        let data = [0.5, 1.5, 4.0, 2.25]
        let fit = try Gamma(shape: 1, rate: 1).fitted(to: data)
        let mean = data.reduce(0, +) / 4
        let meanLog = data.map { log($0) }.reduce(0, +) / 4
        #expect(Swift.abs(fit.meanParameters[1] - mean) <= 4e-16 * mean)
        #expect(Swift.abs(fit.meanParameters[0] - meanLog) <= 1e-13)
    }
}
