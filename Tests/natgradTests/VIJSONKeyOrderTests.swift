import Foundation
import TestSupport
import Testing

/// `natgrad vi --format json`: the complete top-level key order, as documented (README, docs/readme/vi.md,
/// VICommand.orderedJSON): model, covariance, names, mean, covarianceMatrix or variances, elbo,
/// iterations, converged.
@Suite("natgrad vi: JSON key order")
struct VIJSONKeyOrderTests {
    /// The keys of the outermost JSON object in the order they appear in `text`, read by a small scanner
    /// (strings with escapes, nesting depth): JSONSerialization does not keep the order.
    static func topLevelKeys(_ text: String) -> [String] {
        var keys = [String]()
        var depth = 0
        var index = text.startIndex
        var lastString: String?
        while index < text.endIndex {
            let c = text[index]
            switch c {
            case "\"":
                var s = ""
                index = text.index(after: index)
                while index < text.endIndex && text[index] != "\"" {
                    if text[index] == "\\" { s.append(text[index]); index = text.index(after: index) }
                    if index < text.endIndex { s.append(text[index]); index = text.index(after: index) }
                }
                lastString = s
            case ":":
                if depth == 1, let key = lastString { keys.append(key) }
                lastString = nil
            case "{", "[":
                depth += 1
                lastString = nil
            case "}", "]":
                depth -= 1
                lastString = nil
            case ",":
                lastString = nil
            default:
                break
            }
            if index < text.endIndex { index = text.index(after: index) }
        }
        return keys
    }

    @Test("the scanner reads keys in order, skipping nested objects and escaped quotes")
    func scanner() {
        #expect(Self.topLevelKeys(#"{"b":1,"a":{"z":2,"y":[3,{"q":4}]},"c\"d":"e:f","e":[]}"#) == ["b", "a", #"c\"d"#, "e"])
    }

    @Test("full covariance and diagonal: every key, in the documented order", arguments: [
        ("full", ["model", "covariance", "names", "mean", "covarianceMatrix", "elbo", "iterations", "converged"]),
        ("diagonal", ["model", "covariance", "names", "mean", "variances", "elbo", "iterations", "converged"]),
    ])
    func order(covariance: String, keys: [String]) throws {
        let path = try temporaryFile(named: "logistic.csv", contents: VICommandTests.logisticCSV)
        let result = try runProduct("natgrad", ["vi", path, "--model", "logistic", "--response", "y",
                                                "--covariance", covariance, "--format", "json"])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(Self.topLevelKeys(result.standardOutput) == keys, "\(result.standardOutput)")
    }
}
