import Foundation
import NatGrad
import Testing
import TestSupport

// The README's table example ("Reading data files"), compiled and run on the statsmodels fixture.
// Between the markers the body must match the README's second ```swift block line for line.
// README-TABLE-EXAMPLE-BEGIN
func readmeTableExample(path: String, newPath: String) throws -> (fit: GLMFit, newRows: DesignMatrix) {
    // Read the columns a model needs (CRLF, a BOM, quoted fields and NA cells are all fine).
    let table = try Table.read(.file(path), columns: .named(["y", "region", "member", "x"]))

    // Treatment-code the string and boolean columns; drop rows with a missing cell in y or a feature.
    let design = try DesignMatrix.build(table, request: DesignRequest(features: ["region", "member", "x"]),
                                        missing: .drop, alsoComplete: ["y"])
    let y = try table.numbers("y", rows: design.keptRows)

    // Fit: the coefficient names are those of statsmodels' formula y ~ region + member + x.
    let fit = try GeneralizedLinearModel(family: .gaussian)
        .fit(GLMData(features: design.matrix, featureNames: design.featureNames, response: y))
    print(fit.coefficients.map(\.name))   // intercept, region[T.north], region[T.south], member[T.True], x

    // New data is coded with the same levels (a level not seen in fitting is an error naming it).
    let newRows = try design.spec.apply(to: Table.read(.file(newPath)))
    return (fit, newRows)
}
// README-TABLE-EXAMPLE-END

@Suite("README table example")
struct ReadmeTableExampleTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("TabularTests/Fixtures")

    @Test("runs on the fixture and gives statsmodels' names and estimates (1e-8)")
    func runs() throws {
        let newPath = try temporaryFile(named: "new.csv", contents: "x,member,region\r\n0.5,False,south\r\n-1,TRUE,east\r\n")
        let (fit, newRows) = try readmeTableExample(path: Self.fixtures.appendingPathComponent("glm_categorical.csv").path,
                                                    newPath: newPath)
        let reference = try #require(try JSONSerialization.jsonObject(
            with: Data(contentsOf: Self.fixtures.appendingPathComponent("glm_categorical_reference.json"))) as? [String: Any])
        #expect(fit.coefficients.map(\.name) == reference["names"] as? [String])
        let estimates = (reference["coefficients"] as? [String] ?? []).compactMap(Double.init)
        #expect(relativeError(fit.coefficients.map(\.estimate), estimates) < 1e-8)
        #expect(newRows.matrix.row(0) == [0, 1, 0, 0.5])
        #expect(newRows.matrix.row(1) == [0, 0, 1, -1])
    }

    @Test("the README shows this code verbatim")
    func readmeIsCurrent() throws {
        let body = try markedLines(inFile: "Tests/NatGradTests/ReadmeTableExampleTests.swift",
                                   begin: "// README-TABLE-EXAMPLE-BEGIN", end: "// README-TABLE-EXAMPLE-END")
            .dropFirst().dropLast().filter { !$0.contains("return (fit, newRows)") }
        #expect(try readmeSwiftBlock(after: "<!-- table-example -->") == normalizedLines(body))
    }
}
