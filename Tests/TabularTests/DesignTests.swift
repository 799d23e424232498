import Foundation
import Testing
import Tabular
import LinearAlgebra

/// Treatment coding as patsy/statsmodels formulas do it, checked by hand on small tables.
@Suite("Design matrices")
struct DesignTests {
    func table(_ text: String) throws -> Table {
        try Table.read(.bytes(Array(text.utf8), name: "d.csv"))
    }

    let sample = "y,region,member,x,code\n1,north,True,0.5,3\n2,south,False,1.5,1\n3,east,TRUE,2.5,2\n4,north,false,3.5,3\n5,west,true,4.5,1\n"

    @Test("String and boolean columns become dummies: sorted levels, first level the reference, col[T.level]")
    func treatmentCoding() throws {
        let t = try table(sample)
        let design = try DesignMatrix.build(t, request: DesignRequest(features: ["region", "member", "x"]))
        #expect(design.spec.coefficientNames == ["intercept", "region[T.north]", "region[T.south]", "region[T.west]", "member[T.True]", "x"])
        #expect(design.featureNames == Array(design.spec.coefficientNames.dropFirst()))
        let m = design.matrix
        #expect(m.rows == 5 && m.columns == 5)
        #expect(m.column(0) == [1, 0, 0, 1, 0])       // north
        #expect(m.column(1) == [0, 1, 0, 0, 0])       // south
        #expect(m.column(2) == [0, 0, 0, 0, 1])       // west; east is the reference
        #expect(m.column(3) == [1, 0, 1, 0, 1])       // True in any spelling
        #expect(m.column(4) == [0.5, 1.5, 2.5, 3.5, 4.5])
    }

    @Test("--categorical numeric codes sort numerically; --reference picks the baseline")
    func numericCodesAndReference() throws {
        let t = try table("y,code,region\n1,10,b\n2,9,a\n3,10,c\n4,2,a\n")
        let design = try DesignMatrix.build(t, request: DesignRequest(features: ["code", "region"], categorical: ["code"],
                                                                     references: ["region": "b", "code": "10.0"]))
        #expect(design.featureNames == ["code[T.2]", "code[T.9]", "region[T.a]", "region[T.c]"])
        #expect(design.matrix.column(0) == [0, 0, 0, 1])
        #expect(design.matrix.column(1) == [0, 1, 0, 0])
        #expect(design.matrix.column(2) == [0, 1, 0, 1])
        #expect(throws: TableError.unknownReference(column: "region", level: "z", known: ["a", "b", "c"])) {
            try DesignMatrix.build(t, request: DesignRequest(features: ["region"], references: ["region": "z"]))
        }
    }

    @Test("Unicode scalar order, not Swift's String order: 'Z' < 'a' < 'é'")
    func levelOrder() throws {
        let t = try table("g\né\na\nZ\nb\n")
        let design = try DesignMatrix.build(t, request: DesignRequest(features: ["g"]))
        #expect(design.featureNames == ["g[T.a]", "g[T.b]", "g[T.é]"])
    }

    @Test("Without an intercept the first categorical term gets every level (patsy's rule)")
    func noIntercept() throws {
        let t = try table(sample)
        let design = try DesignMatrix.build(t, request: DesignRequest(features: ["x", "region", "member"], includeIntercept: false))
        #expect(design.spec.coefficientNames == ["x", "region[east]", "region[north]", "region[south]", "region[west]", "member[T.True]"])
        #expect(design.matrix.column(1) == [0, 0, 1, 0, 0])
    }

    @Test("Listwise deletion over the model's columns; levels come from the rows used")
    func dropRows() throws {
        let t = try table("y,g,x\n1,a,1\n2,b,NA\n3,c,3\nNA,d,4\n5,a,5\n")
        #expect(throws: TableError.missingValues(source: "d.csv", incompleteRows: 2, firstRow: 3, column: "x")) {
            try DesignMatrix.build(t, request: DesignRequest(features: ["g", "x"]), alsoComplete: ["y"])
        }
        let design = try DesignMatrix.build(t, request: DesignRequest(features: ["g", "x"]), missing: .drop, alsoComplete: ["y"])
        #expect(design.keptRows == [0, 2, 4] && design.rowsRead == 5 && design.rowsDropped == 2)
        #expect(design.featureNames == ["g[T.c]", "x"])   // b and d only in dropped rows
    }

    @Test("Design errors: intercept name clash, a feature twice, one level, an unseen level in new data")
    func errors() throws {
        let t = try table("intercept,g,h\n1,a,q\n2,b,q\n")
        #expect(throws: TableError.invalidDesign("a feature is named 'intercept' and an intercept is added; rename the column or fit without an intercept")) {
            try DesignMatrix.build(t, request: DesignRequest(features: ["intercept"]))
        }
        #expect(throws: TableError.invalidDesign("the feature 'g' is listed twice")) {
            try DesignMatrix.build(t, request: DesignRequest(features: ["g", "g"]))
        }
        #expect(throws: TableError.invalidDesign("column 'h' has one level ('q') in the rows used; a categorical column needs two or more")) {
            try DesignMatrix.build(t, request: DesignRequest(features: ["h"]))
        }
        let fitted = try DesignMatrix.build(t, request: DesignRequest(features: ["g"]))
        let new = try table("g\nb\nc\n")
        #expect(throws: TableError.unseenLevel(source: "d.csv", row: 3, column: "g", level: "c", known: ["a", "b"])) {
            try fitted.spec.apply(to: new)
        }
    }

    @Test("A spec survives JSON and codes new data (in another order, other spellings) the same way")
    func specRoundTrip() throws {
        let t = try table(sample)
        let design = try DesignMatrix.build(t, request: DesignRequest(features: ["region", "member", "code"], categorical: ["code"]))
        let data = try JSONEncoder().encode(design.spec)
        let decoded = try JSONDecoder().decode(DesignSpec.self, from: data)
        #expect(decoded == design.spec)
        let json = String(decoding: data, as: UTF8.self)
        #expect(json.contains("\"kind\":\"categorical\""))
        let new = try table("code,member,region\n3.0,FALSE,west\n1,True,east\n")
        let applied = try decoded.apply(to: new)
        #expect(applied.featureNames == design.featureNames)
        #expect(applied.matrix.row(0) == [0, 0, 1, 0, 0, 1])
        #expect(applied.matrix.row(1) == [0, 0, 0, 1, 0, 0])
    }
}
