import Testing
import TestSupport
@testable import GeneralizedLinearModels

/// Columns near the rank threshold: 1 − R²ₖ ≤ 1e-10 is dependent (CollinearityCheck.swift), on both
/// the LAPACK fast path and the column-by-column fallback that names the columns.
///
/// Reference: 1 − R² of the constructed column, computed here from the construction. x₃ = x₁ + 2x₂ + e
/// with x₁ + 2x₂ in the span of [1, x₁, x₂], so its least-squares residual on those columns is the
/// residual of the noise e alone, e − P e (P the projection, from the 3 × 3 normal equations, κ ≈ 10),
/// and 1 − R² = ‖e − P e‖² / ‖x₃‖² (uncentred, as the check scales the Gram matrix to unit diagonal).
@Suite("Near-collinear columns")
struct NearCollinearityTests {
    static let n = 60
    static var x1: [Double] { Array(referenceX1.prefix(n)) }
    static var x2: [Double] { Array(referenceX2.prefix(n)) }
    static var y: [Double] { Array(statsmodelsCases.first { $0.name == "gaussianIdentity" }!.y.prefix(n)) }

    /// Seeded N(0, scale²) noise.
    static func noise(scale: Double, seed: UInt64) -> [Double] {
        var g = SeededGenerator(seed: seed)
        return (0..<n).map { _ in scale * g.nextGaussian() }
    }

    /// ‖e − P e‖² for P the least-squares projection onto the columns 1, x₁, x₂, by Gauss–Jordan
    /// elimination on the normal equations written out here.
    static func residualSquare(_ e: [Double]) -> Double {
        let rows = (0..<n).map { [1, x1[$0], x2[$0]] }
        var a = [[Double]](repeating: [Double](repeating: 0, count: 4), count: 3)
        for i in 0..<n {
            for r in 0..<3 {
                for c in 0..<3 { a[r][c] += rows[i][r] * rows[i][c] }
                a[r][3] += rows[i][r] * e[i]
            }
        }
        for k in 0..<3 {
            let pivot = a[k][k]
            for c in 0..<4 { a[k][c] /= pivot }
            for r in 0..<3 where r != k {
                let f = a[r][k]
                for c in 0..<4 { a[r][c] -= f * a[k][c] }
            }
        }
        var s = 0.0
        for i in 0..<n {
            let r = e[i] - (a[0][3] + a[1][3] * x1[i] + a[2][3] * x2[i])
            s += r * r
        }
        return s
    }

    static func unexplainedFraction(of x3: [Double], noise e: [Double]) -> Double {
        residualSquare(e) / x3.reduce(0) { $0 + $1 * $1 }
    }

    static func fit(_ columns: [[Double]], names: [String]) throws(GLMError) -> GLMFit {
        let data = GLMData(features: Matrix(rows: n, columns: columns.count, columnMajor: columns.flatMap { $0 }),
                           featureNames: names, response: y)
        return try GeneralizedLinearModel(family: .gaussian).fit(data)
    }

    @Test("x3 = x1 + 2·x2 + 1e-5 noise on 60 rows (1 − R² = 4.9e-11) is the collinearity error naming x3, not a fit")
    func nearlyCollinear() throws {
        let e = Self.noise(scale: 1e-5, seed: 19)
        let x3 = (0..<Self.n).map { Self.x1[$0] + 2 * Self.x2[$0] + e[$0] }
        let fraction = Self.unexplainedFraction(of: x3, noise: e)
        // Below the 1e-10 threshold, but above 1e-12: a fast path that only tests dpotrf's success
        // (or a looser threshold) lets it through, and the fit returns coefficients of ±4000 with
        // standard errors 9 000–19 000 (issue 19's audit, on data built the same way).
        #expect(fraction < 1e-10 && fraction > 1e-12, "1 − R² = \(fraction)")
        do {
            let fit = try Self.fit([Self.x1, Self.x2, x3], names: ["x1", "x2", "x3"])
            Issue.record("expected a collinearity error, got coefficients \(fit.estimates), SEs \(fit.standardErrors)")
        } catch {
            guard case let .collinearColumns(column, involved) = error else { Issue.record("got \(error)"); return }
            #expect(column == "x3")
            #expect(involved.contains("x1") && involved.contains("x2"), "\(involved)")
        }
    }

    @Test("a nearly dependent column (1 − R² = 1.0e-9, above the threshold) before an exactly dependent one: the exact one is named")
    func fallbackNamesTheRightColumn() throws {
        // ‖e‖² ≈ 60·scale² and ‖x3‖² ≈ 130, so scale 4.5e-5 puts 1 − R² near 1e-9 (checked below).
        let e = Self.noise(scale: 4.5e-5, seed: 20)
        let x3 = (0..<Self.n).map { Self.x1[$0] + 2 * Self.x2[$0] + e[$0] }
        let x4 = (0..<Self.n).map { Self.x1[$0] - Self.x2[$0] }
        let fraction = Self.unexplainedFraction(of: x3, noise: e)
        // A factor ≥ 3 inside (1e-10, 1e-8) on both sides: x3 is legitimately independent, while a
        // fallback threshold of 1e-8 would stop at x3 and name the wrong column.
        #expect(fraction > 3e-10 && fraction < 3e-9, "1 − R² = \(fraction)")
        // Without x4 the same columns fit (x3 is independent at the documented threshold).
        let fit = try Self.fit([Self.x1, Self.x2, x3], names: ["x1", "x2", "x3"])
        #expect(fit.converged)
        do {
            _ = try Self.fit([Self.x1, Self.x2, x3, x4], names: ["x1", "x2", "x3", "x4"])
            Issue.record("expected a collinearity error")
        } catch {
            guard case let .collinearColumns(column, involved) = error else { Issue.record("got \(error)"); return }
            #expect(column == "x4")
            // x4 = x1 − x2 exactly: its regression on the earlier columns has coefficients (0, 1, −1, 0).
            #expect(involved.contains("x1") && involved.contains("x2"), "\(involved)")
        }
    }
}
