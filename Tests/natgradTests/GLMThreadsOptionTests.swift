import Foundation
import Testing
import TestSupport

/// `natgrad glm --threads N`: the output does not depend on N; N < 1 is a usage error.
@Suite("natgrad glm --threads")
struct GLMThreadsOptionTests {
    @Test("--threads 1, 2 and 7 print the same JSON")
    func sameOutput() throws {
        let base = ["--response", "y", "--family", "poisson", "--features", "x1,x2", "--format", "json"]
        let outputs = try [1, 2, 7].map { threads in
            let r = try GLMCommandTests.run(base + ["--threads", String(threads)])
            #expect(r.status == 0, "\(r.standardError)")
            return r.standardOutput
        }
        #expect(outputs[1] == outputs[0] && outputs[2] == outputs[0])
    }

    @Test("--threads 0 is rejected before the file is read")
    func rejectsZero() throws {
        let r = try GLMCommandTests.run(["--response", "y", "--threads", "0"])
        #expect(r.status != 0)
        #expect(r.standardError.contains("--threads must be at least 1"))
    }
}
