import Testing
import TestSupport
import LinearAlgebra

/// The shared error measures must not let a NaN result pass: `Swift.max(m, .nan)` returns m, so a
/// max-norm loop silently skipped NaN entries and a NaN solution measured as error 0.
@Suite("Test-support error measures")
struct TestSupportSelfTests {
    @Test("relativeError and backwardError are NaN for NaN inputs")
    func nanIsNotSmall() {
        #expect(relativeError([1, .nan], [1, 2]).isNaN)
        #expect(relativeError([1, 2], [.nan, 2]).isNaN)
        #expect(relativeError([.infinity], [1]).isNaN)
        #expect(relativeError([.infinity, 1], [.infinity, 1]) == 0)
        #expect(relativeError([1, 2.5], [1, 2]) == 0.25)
        let a = Matrix(rows: [[2, 0], [0, 2]])
        #expect(backwardError(a, [.nan, 1], [2, 2]).isNaN)
        #expect(backwardError(a, [1, 1], [2, 2]) == 0)
    }
}
