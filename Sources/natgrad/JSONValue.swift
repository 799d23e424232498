import Foundation

/// A JSON value for command output whose object keys keep their insertion order (Foundation's
/// JSONEncoder does not keep key order on Linux, and the issues fix the key order of every command).
/// Every `natgrad` subcommand writes its `--format json` object through this one type.
enum JSONValue {
    case number(Double)
    case integer(Int)
    case bool(Bool)
    case null
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])

    static func numbers(_ xs: [Double]) -> JSONValue { .array(xs.map { .number($0) }) }

    /// `x` as a number, or `null` when it is not finite (JSON has no NaN/∞; used for statistics that
    /// can legitimately be infinite, e.g. the log-likelihood of a perfect Gaussian fit).
    static func finiteOrNull(_ x: Double) -> JSONValue { x.isFinite ? .number(x) : .null }

    /// The value as compact JSON text with object keys in insertion order (JSONEncoder on Linux does
    /// not keep them). Numbers use Swift's shortest round-trip form; callers guarantee finiteness.
    var serialized: String {
        switch self {
        case let .number(x):
            precondition(x.isFinite, "JSON has no NaN/∞; commands check finiteness first")
            return x == x.rounded() && Swift.abs(x) < 1e15 ? String(Int64(x)) : "\(x)"
        case let .integer(n): return String(n)
        case let .bool(b): return b ? "true" : "false"
        case .null: return "null"
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
        case let .bool(b): return b ? "yes" : "no"
        case .null: return "—"
        case let .string(s): return s
        case let .array(items): return "[" + items.map(\.tableText).joined(separator: ", ") + "]"
        case let .object(pairs): return "{" + pairs.map { "\($0.0): \($0.1.tableText)" }.joined(separator: ", ") + "}"
        }
    }
}
