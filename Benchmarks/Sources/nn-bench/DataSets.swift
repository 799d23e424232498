import LinearAlgebra
import NeuralNetworks
import Tabular

/// A CSV file's numeric columns as a d × N feature matrix (columns are samples) and a response.
func loadTable(_ path: String, response: String) throws -> (features: Matrix, responses: [Double]) {
    let table = try Table.read(TableSource(path: path), columns: .all)
    let names = table.columnNames.filter { $0 != response }
    let y = try table.numbers(response)
    var f = Matrix(rows: names.count, columns: y.count)
    for (j, name) in names.enumerated() {
        let column = try table.numbers(name)
        for i in 0..<y.count { f.elements[j + i * names.count] = column[i] }
    }
    return (f, y)
}

/// The columns `indices` of a d × N matrix.
func selectColumns(_ m: Matrix, _ indices: [Int]) -> Matrix {
    var out = Matrix(rows: m.rows, columns: indices.count)
    for (c, i) in indices.enumerated() { for r in 0..<m.rows { out.elements[r + c * m.rows] = m.elements[r + i * m.rows] } }
    return out
}
