import Foundation
import Testing
import TestSupport

/// `natgrad train` and `natgrad predict` end to end on the checked-in digits split (runs the built
/// executable; needs `swift build --build-tests`).
@Suite("natgrad train and predict")
struct TrainCommandTests {
    static let train = referenceDirectory.appendingPathComponent("datasets/digits_train.csv").path
    static let test = referenceDirectory.appendingPathComponent("datasets/digits_test.csv").path
    static let diabetes = referenceDirectory.appendingPathComponent("datasets/diabetes.csv").path

    @Test("classification JSON has exactly the documented keys, and a saved model predicts the same labels", arguments: ["kfac", "adam", "sgd", "blr"])
    func classificationJSON(optimizer: String) throws {
        let model = try temporaryFile(named: "model-\(optimizer).json", contents: "")
        let result = try runProduct("natgrad", ["train", Self.train, "--response", "label", "--task", "classification",
                                                "--hidden", "32", "--optimizer", optimizer, "--epochs", "2", "--seed", "3",
                                                "--test", Self.test, "--save", model, "--format", "json"])
        #expect(result.status == 0, "stderr: \(result.standardError)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
        #expect(Set(object.keys) == ["optimizer", "epochs", "test"])
        #expect(object["optimizer"] as? String == optimizer)
        let epochs = try #require(object["epochs"] as? [[String: Any]])
        #expect(epochs.count == 2)
        #expect(epochs.allSatisfy { Set($0.keys) == ["epoch", "trainLoss", "seconds"] })
        let test = try #require(object["test"] as? [String: Any])
        #expect(Set(test.keys) == ["accuracy", "nll", "ece"])
        let accuracy = try #require((test["accuracy"] as? NSNumber)?.doubleValue)
        #expect(accuracy > 0.5)   // two epochs: a contract test, not a quality bar (Adam at 1e-3 is at ~66 %)
        #expect(result.standardError.contains("epoch 2/2"))

        let predicted = try runProduct("natgrad", ["predict", model, Self.test, "--format", "json"])
        #expect(predicted.status == 0, "stderr: \(predicted.standardError)")
        let p = try #require(try JSONSerialization.jsonObject(with: Data(predicted.standardOutput.utf8)) as? [String: Any])
        let labels = try #require(p["predicted"] as? [Any])
        #expect(labels.count == 360)
    }

    @Test("regression JSON reports rmse and nll")
    func regressionJSON() throws {
        let result = try runProduct("natgrad", ["train", Self.diabetes, "--response", "progression", "--task", "regression",
                                                "--hidden", "8", "--optimizer", "kfac", "--epochs", "3", "--batch", "32",
                                                "--test", Self.diabetes, "--format", "json"])
        #expect(result.status == 0, "stderr: \(result.standardError)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
        let test = try #require(object["test"] as? [String: Any])
        #expect(Set(test.keys) == ["rmse", "nll"])
    }

    @Test("seeded runs print identical losses")
    func reproducible() throws {
        let args = ["train", Self.diabetes, "--response", "progression", "--task", "regression", "--hidden", "8",
                    "--optimizer", "blr", "--epochs", "2", "--seed", "11", "--format", "json"]
        let a = try runProduct("natgrad", args), b = try runProduct("natgrad", args)
        func losses(_ s: String) throws -> [Double] {
            let o = try #require(try JSONSerialization.jsonObject(with: Data(s.utf8)) as? [String: Any])
            return (o["epochs"] as? [[String: Any]] ?? []).compactMap { ($0["trainLoss"] as? NSNumber)?.doubleValue }
        }
        #expect(try losses(a.standardOutput) == losses(b.standardOutput))
        #expect(try losses(a.standardOutput).count == 2)
    }

    @Test("bad input is a one-line error, not a crash")
    func errors() throws {
        let one = try temporaryFile(named: "one-class.csv", contents: "x,y\n1,0\n2,0\n")
        let r1 = try runProduct("natgrad", ["train", one, "--response", "y", "--task", "classification", "--optimizer", "adam"])
        #expect(r1.status == 1)
        #expect(r1.standardError.contains("≥ 2 distinct labels"))
        let r2 = try runProduct("natgrad", ["train", Self.train, "--response", "label", "--task", "classification",
                                            "--optimizer", "adam", "--hidden", "0"])
        #expect(r2.status != 0)
        let neg = try temporaryFile(named: "neg.csv", contents: "x,y\n1,-1\n2,3\n")
        let r3 = try runProduct("natgrad", ["train", neg, "--response", "y", "--task", "counts", "--optimizer", "sgd"])
        #expect(r3.status == 1)
        #expect(r3.standardError.contains("outside the support"))
    }
}
