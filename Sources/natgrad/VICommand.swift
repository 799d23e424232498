import ArgumentParser

struct VICommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "vi", abstract: "Not yet implemented.")
    func run() throws { throw ExitCode.failure }
}
