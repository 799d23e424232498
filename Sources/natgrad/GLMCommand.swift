import ArgumentParser

struct GLMCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "glm", abstract: "Not yet implemented.")
    func run() throws { throw ExitCode.failure }
}
