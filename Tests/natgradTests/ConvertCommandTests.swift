import Foundation
import Testing
import TestSupport

/// `natgrad convert` and the commands on `.ngb` files: the streamed glm fit prints what the CSV fit prints,
/// `--in-memory` and the other commands load the file whole, and damaged files exit with a message.
@Suite("natgrad convert and .ngb inputs")
struct ConvertCommandTests {
    static let csv = """
    y,x1,x2,w,t,g
    0,0.5,1.2,1,1,a
    1,1.5,-0.3,2,2,b
    3,-0.2,0.8,1,1.5,a
    2,0.9,0.1,1,1,c
    5,2.1,-1.1,3,2.5,b
    1,-1.0,0.4,1,1,a
    4,1.7,0.6,2,2,c
    0,-0.6,-0.9,1,0.5,b
    2,0.3,1.9,1,1,a
    6,2.4,0.2,1,3,c
    """

    /// The CSV and its conversion (groups of 3 rows, so the fit streams several blocks).
    static func files(_ csv: String = csv, extra: [String] = []) throws -> (csv: String, ngb: String, result: CommandResult) {
        let path = try temporaryFile(named: "data.csv", contents: csv)
        let ngb = (path as NSString).deletingPathExtension + ".ngb"
        let result = try runProduct("natgrad", ["convert", path, ngb, "--rows-per-group", "3"] + extra)
        return (path, ngb, result)
    }

    static func coefficients(_ json: String) throws -> [Double] {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        return (object["coefficients"] as! [[String: Any]]).map { $0["estimate"] as! Double }
    }

    @Test("the streamed fit of the .ngb file equals the CSV fit; --in-memory too")
    func streamedEqualsCSV() throws {
        let (csv, ngb, converted) = try Self.files()
        #expect(converted.status == 0, "\(converted.standardError)")
        #expect(converted.standardOutput.contains("10 rows, 6 columns; categorical: g (3 levels)"))
        let options = ["--response", "y", "--family", "poisson", "--features", "x1,x2", "--weights", "w", "--exposure", "t",
                       "--format", "json"]
        let fromCSV = try runProduct("natgrad", ["glm", csv] + options)
        let streamed = try runProduct("natgrad", ["glm", ngb] + options)
        let loaded = try runProduct("natgrad", ["glm", ngb, "--in-memory"] + options)
        #expect(fromCSV.status == 0 && streamed.status == 0 && loaded.status == 0, "\(streamed.standardError)")
        let reference = try Self.coefficients(fromCSV.standardOutput)
        #expect(relativeError(try Self.coefficients(streamed.standardOutput), reference) <= 1e-10)
        #expect(try Self.coefficients(loaded.standardOutput) == reference)
        // The categorical column: streamed fits refuse it, naming --in-memory, which treatment-codes it.
        let categorical = try runProduct("natgrad", ["glm", ngb, "--response", "y", "--family", "poisson", "--features", "x1,g"])
        #expect(categorical.status != 0 && categorical.standardError.contains("--in-memory"))
        let coded = try runProduct("natgrad", ["glm", ngb, "--in-memory", "--response", "y", "--family", "poisson",
                                               "--features", "x1,g", "--format", "json"])
        let codedCSV = try runProduct("natgrad", ["glm", csv, "--response", "y", "--family", "poisson", "--features", "x1,g",
                                                  "--format", "json"])
        #expect(coded.status == 0 && coded.standardOutput == codedCSV.standardOutput)
        // Other commands load .ngb files whole.
        let fit = try runProduct("natgrad", ["fit", ngb, "--family", "normal", "--column", "x1"])
        let fitCSV = try runProduct("natgrad", ["fit", csv, "--family", "normal", "--column", "x1"])
        #expect(fit.status == 0 && fit.standardOutput == fitCSV.standardOutput, "\(fit.standardError)")
    }

    @Test("--missing error (the default), drop and --keep-missing")
    func missing() throws {
        let csv = "y,x\n1,0.5\n2,\n0,1.5\n3,NA\n1,0.2\n"
        let (_, _, refused) = try Self.files(csv)
        #expect(refused.status != 0 && refused.standardError.contains("2 rows have missing values"))
        let (_, ngb, dropped) = try Self.files(csv, extra: ["--missing", "drop"])
        #expect(dropped.status == 0 && dropped.standardError.contains("2 of 5 rows dropped"))
        #expect(dropped.standardOutput.contains("3 rows"))
        let (_, kept, keptResult) = try Self.files(csv, extra: ["--keep-missing"])
        #expect(keptResult.status == 0)
        let strict = try runProduct("natgrad", ["glm", kept, "--response", "y", "--family", "poisson"])
        #expect(strict.status != 0 && strict.standardError.contains("row 3, column 'x': missing value"))
        let lenient = try runProduct("natgrad", ["glm", kept, "--response", "y", "--family", "poisson", "--missing", "drop", "--format", "json"])
        let direct = try runProduct("natgrad", ["glm", ngb, "--response", "y", "--family", "poisson", "--format", "json"])
        #expect(lenient.status == 0 && direct.status == 0)
        #expect(try Self.coefficients(lenient.standardOutput) == Self.coefficients(direct.standardOutput))
    }

    @Test("a damaged or foreign .ngb file exits with a message")
    func damaged() throws {
        let (_, ngb, _) = try Self.files()
        var bytes = try Data(contentsOf: URL(fileURLWithPath: ngb))
        bytes = bytes.prefix(bytes.count - 5)
        try bytes.write(to: URL(fileURLWithPath: ngb))
        let truncated = try runProduct("natgrad", ["glm", ngb, "--response", "y", "--family", "poisson"])
        #expect(truncated.status == 1 && truncated.standardError.contains("truncated"), "\(truncated.standardError)")
        let foreign = try temporaryFile(named: "plain.ngb", contents: "y,x\n1,2\n")
        let notNGB = try runProduct("natgrad", ["glm", foreign, "--response", "y", "--in-memory"])
        #expect(notNGB.status == 1 && notNGB.standardError.contains("not an .ngb file"))
    }
}
