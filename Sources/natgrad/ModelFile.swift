import Foundation
import NatGrad
import Tabular

/// The NatGrad version written into saved model files.
let natgradVersion = "0.10.0"

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

    /// The kind of a model file ("glm" or "vi-posterior"), after checking its format and version.
    /// - Throws: `CLIError` naming the file: unreadable, not JSON, not a NatGrad model file, another
    ///   format version, or an unknown kind.
    static func kind(path: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CLIError("\(path): cannot read the model file")
        }
        let object = try envelope(data, path: path)
        let kind = object["kind"] as? String
        guard let kind, kind == Self.kind || kind == PosteriorFile.kind else {
            throw CLIError("\(path): model kind '\(object["kind"].map { "\($0)" } ?? "missing")'; natgrad predict reads '\(Self.kind)' and '\(PosteriorFile.kind)' models")
        }
        return kind
    }

    /// The envelope's format and version, each with its own message; the decoded object.
    private static func envelope(_ data: Data, path: String) throws -> [String: Any] {
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
        return object
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

/// The posterior of `natgrad vi`, as saved in a model file of kind "vi-posterior":
/// {"family", "alpha" (negative binomial only), "link", "dispersion", "priorPrecision", "covariance": "full" |
/// "diagonal", "mean", and "precision" (d × d, full) or "precisions" (diagonal)}.
struct SavedPosterior: Codable {
    var family: GLMFamily
    var link: GLMLink
    var dispersion: Double
    var priorPrecision: Double
    var covariance: String
    var mean: [Double]
    var precision: Matrix?
    var precisions: [Double]?

    init(family: GLMFamily, link: GLMLink, dispersion: Double, priorPrecision: Double, covariance: String,
         mean: [Double], precision: Matrix?, precisions: [Double]?) {
        self.family = family
        self.link = link
        self.dispersion = dispersion
        self.priorPrecision = priorPrecision
        self.covariance = covariance
        self.mean = mean
        self.precision = precision
        self.precisions = precisions
    }

    private enum CodingKeys: String, CodingKey { case family, alpha, link, dispersion, priorPrecision, covariance, mean, precision, precisions }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(family.name, forKey: .family)
        if case let .negativeBinomial(alpha) = family { try c.encode(alpha, forKey: .alpha) }
        try c.encode(link.rawValue, forKey: .link)
        try c.encode(dispersion, forKey: .dispersion)
        try c.encode(priorPrecision, forKey: .priorPrecision)
        try c.encode(covariance, forKey: .covariance)
        try c.encode(mean, forKey: .mean)
        try c.encodeIfPresent(precision, forKey: .precision)
        try c.encodeIfPresent(precisions, forKey: .precisions)
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let name = try c.decode(String.self, forKey: .family)
        switch name {
        case "gaussian": family = .gaussian
        case "binomial": family = .binomial
        case "poisson": family = .poisson
        case "gamma": family = .gamma
        case "inverse-gaussian": family = .inverseGaussian
        case "negative-binomial": family = .negativeBinomial(alpha: try c.decode(Double.self, forKey: .alpha))
        default: throw DecodingError.dataCorruptedError(forKey: .family, in: c, debugDescription: "unknown family '\(name)'")
        }
        let linkName = try c.decode(String.self, forKey: .link)
        guard let l = GLMLink(rawValue: linkName) else {
            throw DecodingError.dataCorruptedError(forKey: .link, in: c, debugDescription: "unknown link '\(linkName)'")
        }
        link = l
        dispersion = try c.decode(Double.self, forKey: .dispersion)
        priorPrecision = try c.decode(Double.self, forKey: .priorPrecision)
        covariance = try c.decode(String.self, forKey: .covariance)
        mean = try c.decode([Double].self, forKey: .mean)
        precision = try c.decodeIfPresent(Matrix.self, forKey: .precision)
        precisions = try c.decodeIfPresent([Double].self, forKey: .precisions)
        switch covariance {
        case "full":
            guard let s = precision else { throw DecodingError.keyNotFound(CodingKeys.precision, .init(codingPath: c.codingPath, debugDescription: "a full posterior needs 'precision'")) }
            do { _ = try FullGaussianPosterior(mean: mean, precision: s) } catch {
                throw DecodingError.dataCorruptedError(forKey: .precision, in: c, debugDescription: error.description)
            }
        case "diagonal":
            guard let s = precisions else { throw DecodingError.keyNotFound(CodingKeys.precisions, .init(codingPath: c.codingPath, debugDescription: "a diagonal posterior needs 'precisions'")) }
            do { _ = try DiagonalGaussianPosterior(mean: mean, precisions: s) } catch {
                throw DecodingError.dataCorruptedError(forKey: .precisions, in: c, debugDescription: error.description)
            }
        default:
            throw DecodingError.dataCorruptedError(forKey: .covariance, in: c, debugDescription: "covariance must be 'full' or 'diagonal', got '\(covariance)'")
        }
    }

    /// μᵢ and vᵢ of the linear predictor at new rows (offsets included).
    func linearPredictor(_ x: Matrix, offset: [Double]?) throws -> (mean: [Double], variance: [Double]) {
        if let precision {
            return try FullGaussianPosterior(mean: mean, precision: precision).linearPredictor(x, offset: offset)
        }
        return try DiagonalGaussianPosterior(mean: mean, precisions: precisions!).linearPredictor(x, offset: offset)
    }
}

/// A saved variational posterior (`natgrad vi --save`, read by `natgrad predict`): the envelope of
/// ``ModelFile`` with "kind": "vi-posterior",
///   {"format": "natgrad-model", "formatVersion": 1, "natgradVersion": …, "kind": "vi-posterior",
///    "design": <DesignSpec>, "posterior": <SavedPosterior>, "training": {"response", "trials", "weights",
///    "offset", "exposure"}}.
struct PosteriorFile {
    static let kind = "vi-posterior"

    var design: DesignSpec
    var posterior: SavedPosterior
    var training: ModelFile.TrainingColumns

    func serialized() throws -> String {
        let encoder = ModelFile.encoder()
        func text<T: Encodable>(_ value: T) throws -> String { String(decoding: try encoder.encode(value), as: UTF8.self) }
        return "{\"format\":\"\(ModelFile.format)\",\"formatVersion\":\(ModelFile.formatVersion),\"natgradVersion\":\"\(natgradVersion)\","
            + "\"kind\":\"\(Self.kind)\",\"design\":\(try text(design)),\"posterior\":\(try text(posterior)),"
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
        var posterior: SavedPosterior
        var training: ModelFile.TrainingColumns
    }

    /// Reads a posterior file (the envelope already checked by ``ModelFile/kind(path:)``).
    static func read(path: String) throws -> PosteriorFile {
        guard let data = FileManager.default.contents(atPath: path) else { throw CLIError("\(path): cannot read the model file") }
        do {
            let e = try ModelFile.decoder().decode(Envelope.self, from: data)
            guard e.design.coefficientNames.count == e.posterior.mean.count else {
                throw CLIError("\(path): corrupted model file: the design has \(e.design.coefficientNames.count) columns, the posterior \(e.posterior.mean.count) coefficients")
            }
            return PosteriorFile(design: e.design, posterior: e.posterior, training: e.training)
        } catch let error as CLIError {
            throw error
        } catch {
            throw CLIError("\(path): corrupted model file (\(error))")
        }
    }
}
