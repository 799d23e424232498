import ArgumentParser

/// `--distributed` and `--shard-pattern`: a fit across the processes of an MPI job (`mpirun -np K
/// natgrad …`), each reading its own share of the rows; rank 0 prints. Only in a build with the MPI
/// trait (`swift build --traits MPI`); otherwise `--distributed` stops with a message saying so.
struct DistributedOptions: ParsableArguments {
    @Flag(help: "Fit across the processes of an MPI job (mpirun -np K natgrad …): each reads its share of FILE's rows (byte ranges split at line starts) and rank 0 prints. Needs a build with --traits MPI.")
    var distributed = false

    @Option(name: .customLong("shard-pattern"),
            help: "With --distributed: rank r reads this file, {rank} replaced by r (one file per rank, each with the header), instead of a share of FILE; FILE then only names the data in the output.")
    var shardPattern: String?

    func validate() throws {
        if let shardPattern {
            guard distributed else { throw ValidationError("--shard-pattern applies with --distributed only") }
            guard shardPattern.contains("{rank}") else {
                throw ValidationError("--shard-pattern must contain {rank} (replaced by each process's rank), got '\(shardPattern)'")
            }
        }
    }

    /// The message of a build without MPI.
    static let unavailable = "--distributed: built without MPI: swift build --traits MPI (Open MPI: bash scripts/setup.sh --mpi)"
}
