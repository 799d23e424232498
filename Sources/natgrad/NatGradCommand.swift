import ArgumentParser

/// `natgrad`: fits exponential families, GLMs and variational posteriors from CSV (and .ngb) files.
@main
struct NatGradCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "natgrad",
        abstract: "Natural-gradient statistics from the command line.",
        subcommands: [FitCommand.self, GLMCommand.self, PredictCommand.self, VICommand.self, TrainCommand.self,
                      ConvertCommand.self]
    )

    /// Refuses an option given twice, then runs the parsed command.
    static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        if let repeated = RepeatedOptions.first(in: arguments) {
            exit(withError: ValidationError("\(repeated) is given more than once; give each option once"))
        }
        main(arguments)
    }
}
