import Foundation
import NatGrad
import Tabular
import Testing
import TestSupport

/// `natgrad glm --save` and `natgrad predict`: the saved model predicts bit for bit as the in-memory
/// library model (whose numbers are checked against statsmodels in GeneralizedLinearModelsTests), the
/// training design codes new data, and every bad file or row is a clear error.
@Suite("natgrad predict")
struct PredictCommandTests {
    static let training = """
    y,x1,x2,e,region
    0,0.5,1.2,1,a
    1,1.5,-0.3,2,b
    3,-0.2,0.8,1.5,c
    2,0.9,0.1,1,a
    5,2.1,-1.1,2.5,b
    1,-1.0,0.4,1,c
    4,1.7,0.6,2,b
    0,-0.6,-0.9,0.5,a
    2,0.3,1.9,1,c
    6,2.4,0.2,3,b
    3,1.1,-0.5,1.2,a
    1,-0.3,0.7,0.8,c
    """
    static let newRows = "x1,x2,e,region\n-1.2,0.5,0.5,a\n0,-0.25,1,b\n0.35,0.9,2.5,c\n2.1,0,1.7,b\n"

    /// Parses predict's CSV output: the header and the rows of numbers (bit-exact: shortest round-trip text).
    static func parseCSV(_ text: String) throws -> (header: [String], rows: [[Double]]) {
        let lines = text.split(separator: "\n").map(String.init)
        let header = try #require(lines.first).split(separator: ",").map(String.init)
        let rows = try lines.dropFirst().map { line in try line.split(separator: ",").map { try #require(Double(String($0))) } }
        return (header, rows)
    }

    static func columns(_ p: GLMPrediction) -> [[Double]] {
        [p.linearPredictor, p.mean, p.meanStandardError, p.meanLower, p.meanUpper]
    }

    /// Fits the training file in memory as `natgrad glm --family poisson --exposure e --covariance HC1`
    /// does (features x1, x2), and returns the model and the design.
    static func libraryModel(_ features: [String], categorical: [String] = []) throws -> (FittedGLM, DesignMatrix, Table) {
        let table = try Table.read(.bytes(Array(training.utf8), name: "training.csv"))
        let design = try DesignMatrix.build(table, request: DesignRequest(features: features, categorical: categorical))
        let data = GLMData(features: design.matrix, featureNames: design.featureNames, response: try table.numbers("y"),
                           exposure: try table.numbers("e"))
        let fit = try GeneralizedLinearModel(family: .poisson).fit(data, covariance: .hc1)
        return (fit.model, design, table)
    }

    @Test("glm --save writes the envelope; predict reproduces the in-memory prediction bit for bit")
    func saveAndPredict() throws {
        let trainingPath = try temporaryFile(named: "training.csv", contents: Self.training)
        let modelPath = trainingPath + ".model.json"
        let fit = try runProduct("natgrad", ["glm", trainingPath, "--response", "y", "--family", "poisson", "--exposure", "e",
                                             "--features", "x1,x2", "--covariance", "HC1", "--save", modelPath])
        #expect(fit.status == 0, "\(fit.standardError)")
        let text = try String(contentsOfFile: modelPath, encoding: .utf8)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(object["format"] as? String == "natgrad-model")
        #expect(object["formatVersion"] as? Int == 1)
        #expect(object["kind"] as? String == "glm")
        #expect(object["natgradVersion"] is String)
        #expect(object["design"] is [String: Any] && object["model"] is [String: Any])
        let keys = ["format", "formatVersion", "natgradVersion", "kind", "design", "model"]
        let positions = keys.map { text.range(of: "\"\($0)\":")!.lowerBound }
        #expect(positions == positions.sorted())

        let newPath = try temporaryFile(named: "new.csv", contents: Self.newRows)
        let r = try runProduct("natgrad", ["predict", modelPath, newPath, "--level", "0.9"])
        #expect(r.status == 0, "\(r.standardError)")
        let (header, rows) = try Self.parseCSV(r.standardOutput)
        #expect(header == ["eta", "mean", "mean_se", "mean_ci_lower", "mean_ci_upper"])
        #expect(rows.count == 4)
        let (model, _, _) = try Self.libraryModel(["x1", "x2"])
        let newTable = try Table.read(.bytes(Array(Self.newRows.utf8), name: "new.csv"))
        let x = try DesignSpec(includesIntercept: true, terms: [.numeric(column: "x1"), .numeric(column: "x2")]).apply(to: newTable)
        let expected = try model.predict(features: x.matrix, exposure: try newTable.numbers("e"), level: 0.9)
        for (j, column) in Self.columns(expected).enumerated() {
            #expect(rows.map { $0[j] }.map(\.bitPattern) == column.map(\.bitPattern), "\(header[j])")
        }
        // The exposure defaults to the training column; without it in the file, a clear error.
        let noExposure = try runProduct("natgrad", ["predict", modelPath, try temporaryFile(named: "n.csv", contents: "x1,x2\n1,2\n")])
        #expect(noExposure.status != 0)
        #expect(noExposure.standardError.contains("fitted with exposure column 'e'"), "\(noExposure.standardError)")
    }

    /// `natgrad glm --save` on the training file with the categorical column region (text: treatment
    /// coded, reference a), and the same model fitted in memory.
    static func categoricalModelFile() throws -> (path: String, model: FittedGLM, spec: DesignSpec) {
        let trainingPath = try temporaryFile(named: "training.csv", contents: training)
        let path = trainingPath + ".model.json"
        let r = try runProduct("natgrad", ["glm", trainingPath, "--response", "y", "--family", "poisson", "--exposure", "e",
                                           "--features", "x1,region", "--covariance", "HC1", "--save", path])
        #expect(r.status == 0, "\(r.standardError)")
        let (model, design, _) = try libraryModel(["x1", "region"], categorical: ["region"])
        return (path, model, design.spec)
    }

    @Test("categorical levels and references of the training design code the new rows; residuals on the training file")
    func categorical() throws {
        let (path, model, spec) = try Self.categoricalModelFile()
        #expect(model.coefficientNames == ["intercept", "x1", "region[T.b]", "region[T.c]"])
        let r = try runProduct("natgrad", ["predict", path, try temporaryFile(named: "new.csv", contents: Self.newRows)])
        #expect(r.status == 0, "\(r.standardError)")
        let (_, rows) = try Self.parseCSV(r.standardOutput)
        let newTable = try Table.read(.bytes(Array(Self.newRows.utf8), name: "new.csv"))
        let expected = try model.predict(features: try spec.apply(to: newTable).matrix, exposure: try newTable.numbers("e"))
        for (j, column) in Self.columns(expected).enumerated() {
            #expect(rows.map { $0[j] }.map(\.bitPattern) == column.map(\.bitPattern))
        }
        // --residuals on the training file: the library's diagnostics, bit for bit.
        let trainingPath = try temporaryFile(named: "training.csv", contents: Self.training)
        let withResiduals = try runProduct("natgrad", ["predict", path, trainingPath, "--residuals"])
        #expect(withResiduals.status == 0, "\(withResiduals.standardError)")
        let (header, residualRows) = try Self.parseCSV(withResiduals.standardOutput)
        #expect(header == ["eta", "mean", "mean_se", "mean_ci_lower", "mean_ci_upper", "response_residual", "pearson_residual",
                           "deviance_residual", "working_residual", "leverage", "cooks_distance"])
        let table = try Table.read(.bytes(Array(Self.training.utf8), name: "training.csv"))
        let x = try spec.apply(to: table)
        let d = try model.diagnostics(GLMData(features: x.matrix, featureNames: x.featureNames, response: try table.numbers("y"),
                                              exposure: try table.numbers("e")))
        for (j, column) in [d.response, d.pearson, d.deviance, d.working, d.leverage, d.cooksDistance].enumerated() {
            #expect(residualRows.map { $0[5 + j] }.map(\.bitPattern) == column.map(\.bitPattern), "\(header[5 + j])")
        }
        #expect(residualRows.count == 12)
        // JSON: one object per row with the same keys. (Read with JSONDecoder, which parses doubles
        // exactly; Foundation's JSONSerialization on Linux is off by an ulp for about a third of them.)
        struct Output: Decodable { let n: Int; let level: Double; let predictions: [[String: Double?]] }
        let json = try runProduct("natgrad", ["predict", path, trainingPath, "--residuals", "--format", "json"])
        let output = try JSONDecoder().decode(Output.self, from: Data(json.standardOutput.utf8))
        #expect(output.predictions.count == 12 && output.n == 12 && output.level == 0.95)
        #expect(Set(output.predictions[0].keys) == Set(header))
        for (j, column) in [d.leverage, d.cooksDistance].enumerated() {
            #expect(output.predictions.map { $0[j == 0 ? "leverage" : "cooks_distance"]!!.bitPattern } == column.map(\.bitPattern))
        }
    }

    @Test("the table options apply to the new rows: a tab-separated file, --missing drop")
    func tableOptions() throws {
        let (path, model, spec) = try Self.categoricalModelFile()
        let tsv = Self.newRows.replacingOccurrences(of: ",", with: "\t") + "1.5\tNA\t1\tc\n"
        let newPath = try temporaryFile(named: "new.tsv", contents: tsv)
        // x2 is not a model column: its NA does not matter (five rows out); a missing x1 does.
        let five = try runProduct("natgrad", ["predict", path, newPath])
        #expect(five.status == 0, "\(five.standardError)")
        #expect(try Self.parseCSV(five.standardOutput).rows.count == 5)
        let missingX1 = tsv.replacingOccurrences(of: "1.5\tNA\t1\tc", with: "NA\t0\t1\tc")
        let refused = try runProduct("natgrad", ["predict", path, try temporaryFile(named: "new1.tsv", contents: missingX1)])
        #expect(refused.status != 0 && refused.standardError.contains("missing values"), "\(refused.standardError)")
        let r = try runProduct("natgrad", ["predict", path, try temporaryFile(named: "new2.tsv", contents: missingX1), "--missing", "drop"])
        #expect(r.status == 0, "\(r.standardError)")
        #expect(r.standardError.contains("1 of 5 rows dropped"), "\(r.standardError)")
        let (_, rows) = try Self.parseCSV(r.standardOutput)
        let newTable = try Table.read(.bytes(Array(Self.newRows.utf8), name: "new.csv"))
        let expected = try model.predict(features: try spec.apply(to: newTable).matrix, exposure: try newTable.numbers("e"))
        #expect(rows.map { $0[1].bitPattern } == expected.mean.map(\.bitPattern))
    }

    @Test("an unseen level, a missing feature, and bad model files are clear errors")
    func errors() throws {
        let (path, _, _) = try Self.categoricalModelFile()
        let text = try String(contentsOfFile: path, encoding: .utf8)
        func predict(_ model: String, _ csv: String = Self.newRows) throws -> CommandResult {
            try runProduct("natgrad", ["predict", model, try temporaryFile(named: "new.csv", contents: csv)])
        }
        let unseen = try predict(path, "x1,e,region\n1,1,a\n2,1,d\n")
        #expect(unseen.status != 0 && unseen.standardError.contains("level 'd' was not seen"), "\(unseen.standardError)")
        let missing = try predict(path, "x1,e\n1,1\n")
        #expect(missing.status != 0 && missing.standardError.contains("no column named 'region'"), "\(missing.standardError)")
        let cases: [(String, String)] = [
            (text.replacingOccurrences(of: "\"format\":\"natgrad-model\"", with: "\"format\":\"other\""), "not a NatGrad model file"),
            (text.replacingOccurrences(of: "\"formatVersion\":1", with: "\"formatVersion\":2"), "format version 2"),
            (text.replacingOccurrences(of: "\"kind\":\"glm\"", with: "\"kind\":\"vi\""), "model kind 'vi'"),
            (String(text.prefix(text.count / 2)), "corrupted model file"),
            ("not json at all", "corrupted model file"),
            (text.replacingOccurrences(of: "\"region[T.c]\"]", with: "\"region[T.z]\"]"), "corrupted model file"),
            (text.replacingOccurrences(of: "\"covarianceType\":\"HC1\"", with: "\"covarianceType\":\"HC9\""), "corrupted model file"),
            (text.replacingOccurrences(of: "\"version\":1", with: "\"version\":7"), "GLM model format version 7"),
        ]
        for (contents, message) in cases {
            #expect(contents != text || message == "corrupted model file")
            let r = try predict(try temporaryFile(named: "bad.json", contents: contents))
            #expect(r.status != 0)
            #expect(r.standardOutput.isEmpty)
            #expect(r.standardError.contains(message), "\(message): \(r.standardError)")
        }
        let nothing = try predict("/nonexistent/model.json")
        #expect(nothing.status != 0 && nothing.standardError.contains("cannot read the model file"))
    }
}
