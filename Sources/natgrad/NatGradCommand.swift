import ArgumentParser

/// `natgrad`: fits exponential families, GLMs and variational posteriors from CSV files.
@main
struct NatGradCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "natgrad",
        abstract: "Natural-gradient statistics from the command line.",
        subcommands: [FitCommand.self, GLMCommand.self, PredictCommand.self, VICommand.self]
    )
}
