import Testing
import TestSupport

/// `--distributed` and `--shard-pattern` in the default build (no MPI trait): a plain refusal naming the
/// build that has them. The distributed fits themselves are tested by scripts/test-mpi.sh under mpirun.
@Suite("natgrad glm --distributed without MPI")
struct DistributedOptionTests {
    @Test("--distributed says how to build with MPI")
    func builtWithoutMPI() throws {
        let r = try GLMCommandTests.run(["--response", "y", "--family", "poisson", "--distributed"])
        #expect(r.status == 1)
        #expect(r.standardError.contains("built without MPI: swift build --traits MPI"), "\(r.standardError)")
    }

    @Test("--shard-pattern needs --distributed and a {rank}")
    func shardPatternChecks() throws {
        let alone = try GLMCommandTests.run(["--response", "y", "--shard-pattern", "part-{rank}.csv"])
        #expect(alone.status != 0 && alone.standardError.contains("--shard-pattern applies with --distributed only"))
        let noRank = try GLMCommandTests.run(["--response", "y", "--distributed", "--shard-pattern", "part.csv"])
        #expect(noRank.status != 0 && noRank.standardError.contains("must contain {rank}"))
    }
}
