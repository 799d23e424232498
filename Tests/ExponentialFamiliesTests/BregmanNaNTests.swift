import Testing
import ExponentialFamilies

/// A one-parameter stand-in whose log-partition and mean overflow (as a real family's would at extreme
/// θ): the default Bregman KL must report NaN, not clamp it to 0 ("identical distributions").
private struct OverflowingFamily: ExponentialFamily {
    var theta: Double
    var dimension: Int { 1 }
    var naturalParameters: [Double] { [theta] }
    var meanParameters: [Double] { [theta > 1 ? .infinity : 1] }
    var logPartition: Double { theta > 1 ? .infinity : 0 }
    var fisherInformation: Matrix { Matrix(rows: 1, columns: 1, repeating: 1) }
    func fisherVectorProduct(_ v: [Double]) -> [Double] { v }
    func withNaturalParameters(_ theta: [Double]) throws(ExponentialFamilyError) -> OverflowingFamily { .init(theta: theta[0]) }
    func withMeanParameters(_ mu: [Double]) throws(ExponentialFamilyError) -> OverflowingFamily { .init(theta: mu[0]) }
    func sufficientStatistics(_ x: Double) throws(ExponentialFamilyError) -> [Double] { [x] }
    func logBaseMeasure(_ x: Double) throws(ExponentialFamilyError) -> Double { 0 }
    var expectedLogBaseMeasure: Double { 0 }
    func sample<G: RandomNumberGenerator>(using generator: inout G) -> Double { 0 }
}

@Suite("Bregman divergence with overflow")
struct BregmanNaNTests {
    @Test("an overflowed log-partition gives NaN, not 0; finite members still clamp rounding at 0")
    func nanIsNotClamped() {
        let p = OverflowingFamily(theta: 2), q = OverflowingFamily(theta: 3)
        // A(θq) − A(θp) − (θq − θp)·μp = ∞ − ∞ − ∞ = NaN.
        #expect(p.bregmanDivergence(to: q).isNaN)
        #expect(p.klDivergence(to: q).isNaN)
        // Finite case: A = 0, μ = 1: 0 − 0 − (0.5 − 0)·1 = −0.5 < 0 is clamped to 0.
        #expect(OverflowingFamily(theta: 0).bregmanDivergence(to: OverflowingFamily(theta: 0.5)) == 0)
    }
}
