import Foundation
import Testing

/// The README's "Using NatGrad from your package" program is the consumer package's program
/// (`Tests/Consumer/Sources/natgrad-consumer/main.swift`, between the README-CONSUMER markers), which
/// `scripts/test.sh` builds and runs.
@Suite("README consumer example")
struct ReadmeConsumerTests {
    @Test("the README shows the consumer package's program verbatim")
    func readmeMatchesConsumer() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let readme = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
        let program = try String(contentsOf: root.appendingPathComponent("Tests/Consumer/Sources/natgrad-consumer/main.swift"),
                                 encoding: .utf8)
        let lines = program.split(separator: "\n", omittingEmptySubsequences: false)
        let begin = try #require(lines.firstIndex { $0.hasPrefix("// README-CONSUMER-BEGIN") })
        let end = try #require(lines.firstIndex { $0.hasPrefix("// README-CONSUMER-END") })
        let readmeLines = readme.split(separator: "\n", omittingEmptySubsequences: false)
        let section = try #require(readmeLines.firstIndex { $0 == "## Using NatGrad from your package" })
        let start = try #require(readmeLines[section...].firstIndex { $0 == "import NatGrad" })
        let stop = try #require(readmeLines[start...].firstIndex { $0.hasPrefix("```") })
        let shown = readmeLines[(start + 2)..<stop].map(String.init)
        #expect(shown == lines[(begin + 1)..<end].map(String.init))
        #expect(readme.contains("from: \"0.10.0\""))
    }
}
