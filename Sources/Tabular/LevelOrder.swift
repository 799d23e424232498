/// Level recognition and ordering for categorical columns.
enum LevelOrder {
    /// `True`/`TRUE`/`true` → `True`, likewise for false; nil for anything else.
    static func boolean(_ text: String) -> String? {
        switch text {
        case "True", "TRUE", "true": return "True"
        case "False", "FALSE", "false": return "False"
        default: return nil
        }
    }

    /// The shortest decimal name of a numeric level: integers without a fraction (`2`), others in
    /// Swift's shortest round-trip form (`2.5`, `1e-07`).
    static func name(of value: Double) -> String {
        if value == value.rounded(), Swift.abs(value) < 1e15 { return String(Int(value)) }
        return "\(value)"
    }

    /// Unicode scalar order (Python's string order), not Swift's canonical-equivalence order.
    static func precedes(_ a: String, _ b: String) -> Bool {
        a.unicodeScalars.lazy.map(\.value).lexicographicallyPrecedes(b.unicodeScalars.lazy.map(\.value))
    }
}
