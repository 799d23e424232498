/// A user-facing failure: ArgumentParser prints `Error: <message>` on stderr (one line) and exits
/// with status 1.
struct CLIError: Error, CustomStringConvertible {
    let description: String
    init(_ message: String) { description = message }
}
