import Foundation

/// A JSON value for command output whose object keys keep their insertion order.
enum JSONValue: Encodable {
    case number(Double)
    case integer(Int)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])

    static func numbers(_ xs: [Double]) -> JSONValue { .array(xs.map { .number($0) }) }

    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    func encode(to encoder: Encoder) throws {
        switch self {
        case let .number(x):
            var c = encoder.singleValueContainer()
            try c.encode(x)
        case let .integer(n):
            var c = encoder.singleValueContainer()
            try c.encode(n)
        case let .string(s):
            var c = encoder.singleValueContainer()
            try c.encode(s)
        case let .array(items):
            var c = encoder.unkeyedContainer()
            for item in items { try c.encode(item) }
        case let .object(pairs):
            var c = encoder.container(keyedBy: Key.self)
            for (key, value) in pairs { try c.encode(value, forKey: Key(stringValue: key)) }
        }
    }

    /// The value as compact JSON text with object keys in insertion order (JSONEncoder on Linux does
    /// not keep them). Numbers use Swift's shortest round-trip form; callers guarantee finiteness.
    var serialized: String {
        switch self {
        case let .number(x):
            precondition(x.isFinite, "JSON has no NaN/∞; commands check finiteness first")
            return x == x.rounded() && Swift.abs(x) < 1e15 ? String(Int64(x)) : "\(x)"
        case let .integer(n): return String(n)
        case let .string(s): return JSONValue.quoted(s)
        case let .array(items): return "[" + items.map(\.serialized).joined(separator: ",") + "]"
        case let .object(pairs):
            return "{" + pairs.map { JSONValue.quoted($0.0) + ":" + $0.1.serialized }.joined(separator: ",") + "}"
        }
    }

    private static func quoted(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    out += String(format: "\\u%04x", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    /// A compact human-readable rendering for tables.
    var tableText: String {
        switch self {
        case let .number(x): return formatNumber(x)
        case let .integer(n): return String(n)
        case let .string(s): return s
        case let .array(items): return "[" + items.map(\.tableText).joined(separator: ", ") + "]"
        case let .object(pairs): return "{" + pairs.map { "\($0.0): \($0.1.tableText)" }.joined(separator: ", ") + "}"
        }
    }
}
