import Foundation
import LinearAlgebra
import Testing
import VariationalInference

@Suite("Posterior JSON")
struct PosteriorCodableTests {
    @Test("round trips are exact; invalid files are decoding errors")
    func roundTrips() throws {
        let full = try FullGaussianPosterior(mean: [0.5, -1], precision: Matrix(rows: [[2, 0.3], [0.3, 1]]))
        let decoded = try JSONDecoder().decode(FullGaussianPosterior.self, from: JSONEncoder().encode(full))
        #expect(decoded.mean == full.mean && decoded.precision == full.precision)
        #expect(decoded.cholesky.lower == full.cholesky.lower)
        let diagonal = try DiagonalGaussianPosterior(mean: [1, 2], precisions: [3, 0.25])
        #expect(try JSONDecoder().decode(DiagonalGaussianPosterior.self, from: JSONEncoder().encode(diagonal)) == diagonal)
        let notPD = Data(#"{"mean": [0, 0], "precision": {"rows": 2, "columns": 2, "columnMajor": [1, 2, 2, 1]}}"#.utf8)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(FullGaussianPosterior.self, from: notPD) }
        let ragged = Data(#"{"mean": [0, 0], "precisions": [1]}"#.utf8)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(DiagonalGaussianPosterior.self, from: ragged) }
    }
}
