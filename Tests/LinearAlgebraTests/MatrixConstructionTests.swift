import Foundation
import LinearAlgebra
import Testing

@Suite("Matrix construction and Codable")
struct MatrixConstructionTests {
    @Test("rowMajor initializers agree with the row-array initializer; counts that do not fit throw")
    func rowMajor() throws {
        let expected = Matrix(rows: [[1, 2, 3], [4, 5, 6]])
        #expect(try Matrix(rowCount: 2, columnCount: 3, rowMajor: [1, 2, 3, 4, 5, 6]) == expected)
        #expect(try Matrix(rowMajor: [[1, 2, 3], [4, 5, 6]]) == expected)
        #expect(try Matrix(rowMajor: []) == Matrix(rowCount: 0, columnCount: 0))
        #expect(Matrix(rowCount: 2, columnCount: 1, repeating: 7).elements == [7, 7])
        #expect(throws: LinearAlgebraError.shapeMismatch(operation: "Matrix(rowCount:columnCount:rowMajor:)",
                                                         expected: "6 elements (2×3)", actual: "5 elements")) {
            try Matrix(rowCount: 2, columnCount: 3, rowMajor: [1, 2, 3, 4, 5])
        }
        #expect(throws: LinearAlgebraError.shapeMismatch(operation: "Matrix(rowMajor:)",
                                                         expected: "rows of 2 entries (row 1 has 2)", actual: "row 3 with 1")) {
            try Matrix(rowMajor: [[1, 2], [3, 4], [5]])
        }
    }

    @Test("JSON round trip is exact; a wrong element count is a decoding error")
    func codable() throws {
        let m = Matrix(rows: [[1, -2.5, 3e-300], [0.1, 5, 6]])
        let data = try JSONEncoder().encode(m)
        #expect(try JSONDecoder().decode(Matrix.self, from: data) == m)
        let bad = Data(#"{"rows": 2, "columns": 2, "columnMajor": [1, 2, 3]}"#.utf8)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Matrix.self, from: bad) }
        let negative = Data(#"{"rows": -1, "columns": 0, "columnMajor": []}"#.utf8)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Matrix.self, from: negative) }
    }
}
