import Foundation
import Testing
import TestSupport

/// `natgrad glm` on quasi-separated data: the one-line error counts the separated rows and names the column.
@Suite("natgrad glm: quasi-complete separation message")
struct GLMSeparationMessageTests {
    @Test("x > 0 (0.01 … 2) always has y = 1, x = 0 has both: 20 rows separated by 'x'")
    func quasiSeparation() throws {
        // Reference: the construction. Along the x coefficient sᵢ = xᵢ: positive exactly on the 20 rows
        // with y = 1 and x > 0 (down to 0.5% of the largest x), zero on the 12 mixed rows.
        let positives = [0.01, 0.012, 0.015, 0.02, 0.03, 0.04, 0.05, 0.07, 0.1, 0.13,
                         0.17, 0.2, 0.3, 0.4, 0.5, 0.7, 0.9, 1.2, 1.6, 2.0]
        let mixed = [1, 0, 0, 1, 0, 1, 0, 0, 1, 0, 0, 1]
        var csv = "y,x\n"
        for x in positives { csv += "1,\(x)\n" }
        for y in mixed { csv += "\(y),0\n" }
        let path = try temporaryFile(named: "quasi.csv", contents: csv)
        let r = try runProduct("natgrad", ["glm", path, "--response", "y", "--family", "binomial"])
        #expect(r.status != 0)
        #expect(r.standardOutput.isEmpty)
        #expect(r.standardError.contains("quasi-complete separation: 20 observations are predicted exactly by a linear combination of 'x'"),
                "\(r.standardError)")
    }
}
