/// Finds an option given twice (`--x 1 --x 2`), which ArgumentParser would silently resolve to the
/// last one: a script that appends an option to a command line would change a fit without a word.
enum RepeatedOptions {
    /// The first long option (`--name` or `--name=value`) that occurs twice before a bare `--`.
    static func first(in arguments: [String]) -> String? {
        var seen = Set<String>()
        for argument in arguments {
            if argument == "--" { break }
            guard argument.hasPrefix("--"), argument.count > 2 else { continue }
            let name = String(argument.split(separator: "=", maxSplits: 1)[0])
            if !seen.insert(name).inserted { return name }
        }
        return nil
    }
}
