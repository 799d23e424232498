import ArgumentParser

struct FitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "fit", abstract: "Not yet implemented.")
    func run() throws { throw ExitCode.failure }
}
