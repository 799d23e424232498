import Foundation
import NatGrad
import Tabular

/// The NatGrad version written into saved model files.
let natgradVersion = "0.12.0"

/// A saved model (`natgrad glm --save`, read by `natgrad predict`): the envelope
///   {"format": "natgrad-model", "formatVersion": 1, "natgradVersion": …, "kind": "glm",
///    "design": <DesignSpec>, "model": <FittedGLM>, "training": {"response", "trials", "weights",
///    "offset", "exposure"}}
/// `design` codes new data exactly as the training data (levels, references); `training` names the
/// columns of the fit (for `predict --residuals` on the training file, and the default offset/exposure).
/// Doubles are written in Swift's shortest round-trip form (a loaded model predicts bit for bit as the
/// fitted one); non-finite numbers as the strings "Infinity", "-Infinity", "NaN".
struct ModelFile {
    static let format = "natgrad-model"
    static let formatVersion = 1
    static let kind = "glm"

    /// The columns of the training fit.
    struct TrainingColumns: Codable, Equatable {
        var response: String
        var trials: String?
        var weights: String?
        var offset: String?
        var exposure: String?
    }

    var design: DesignSpec
    var model: FittedGLM
    var training: TrainingColumns

    static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        return encoder
    }

    static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        return decoder
    }

    /// The file's text: the envelope keys in the order above, then the encoded parts.
    func serialized() throws -> String {
        let encoder = Self.encoder()
        func text<T: Encodable>(_ value: T) throws -> String { String(decoding: try encoder.encode(value), as: UTF8.self) }
        return "{\"format\":\"\(Self.format)\",\"formatVersion\":\(Self.formatVersion),\"natgradVersion\":\"\(natgradVersion)\","
            + "\"kind\":\"\(Self.kind)\",\"design\":\(try text(design)),\"model\":\(try text(model)),"
            + "\"training\":\(try text(training))}\n"
    }

    func write(to path: String) throws {
        do {
            try Data(try serialized().utf8).write(to: URL(fileURLWithPath: path))
        } catch {
            throw CLIError("\(path): cannot write the model file (\(error.localizedDescription))")
        }
    }

    private struct Envelope: Decodable {
        var design: DesignSpec
        var model: FittedGLM
        var training: TrainingColumns
    }

    /// Reads a model file.
    /// - Throws: `CLIError` naming the file: unreadable, not JSON, not a NatGrad model file, another
    ///   format version or kind, or a corrupted (incomplete, inconsistent) model.
    static func read(path: String) throws -> ModelFile {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CLIError("\(path): cannot read the model file")
        }
        try check(data, path: path)
        do {
            let envelope = try decoder().decode(Envelope.self, from: data)
            guard envelope.design.coefficientNames == envelope.model.coefficientNames,
                  envelope.design.includesIntercept == envelope.model.includesIntercept else {
                throw CLIError("\(path): corrupted model file: the design's columns \(envelope.design.coefficientNames) "
                    + "do not match the model's coefficients \(envelope.model.coefficientNames)")
            }
            return ModelFile(design: envelope.design, model: envelope.model, training: envelope.training)
        } catch let error as CLIError {
            throw error
        } catch let DecodingError.dataCorrupted(context) {
            throw CLIError("\(path): corrupted model file: \(describe(context))")
        } catch let DecodingError.keyNotFound(key, context) {
            throw CLIError("\(path): corrupted model file: missing '\(key.stringValue)'" + location(context))
        } catch let DecodingError.typeMismatch(_, context) {
            throw CLIError("\(path): corrupted model file: " + describe(context))
        } catch let DecodingError.valueNotFound(_, context) {
            throw CLIError("\(path): corrupted model file: " + describe(context))
        } catch {
            throw CLIError("\(path): corrupted model file (\(error))")
        }
    }

    /// The envelope's identity: format, version and kind, each with its own message.
    private static func check(_ data: Data, path: String) throws {
        guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw CLIError("\(path): corrupted model file (not a JSON object)")
        }
        guard object["format"] as? String == format else {
            throw CLIError("\(path): not a NatGrad model file (\"format\" must be \"\(format)\")")
        }
        guard let version = object["formatVersion"] as? Int, version == formatVersion else {
            throw CLIError("\(path): model file format version \(object["formatVersion"].map { "\($0)" } ?? "missing"); "
                + "this natgrad (\(natgradVersion)) reads version \(formatVersion)")
        }
        guard object["kind"] as? String == kind else {
            throw CLIError("\(path): model kind '\(object["kind"].map { "\($0)" } ?? "missing")'; natgrad predict reads '\(kind)' models")
        }
    }

    private static func location(_ context: DecodingError.Context) -> String {
        let path = context.codingPath.map(\.stringValue).joined(separator: ".")
        return path.isEmpty ? "" : " at \(path)"
    }

    private static func describe(_ context: DecodingError.Context) -> String {
        context.debugDescription + location(context)
    }
}
