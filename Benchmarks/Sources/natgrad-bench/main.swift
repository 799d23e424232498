// natgrad-bench: the fast path (∇μL) against the dense and structured Cholesky paths (F⁻¹∇θL) for
// every exponential family with a Fisher matrix worth solving, plus the Woodbury, conjugate-gradient and
// Matrix-layer sections. `--quick --check` is the CI speedup gate.
import ArgumentParser
import BenchSupport
import Foundation
import NatGrad

enum BenchFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json, csv
}

/// Everything one run measured (the JSON output).
struct BenchReport: Codable {
    var rows: [ComparisonRow]
    var woodbury: [WoodburyRow]
    var conjugateGradient: [ConjugateGradientRow]
    /// The Matrix layer's overhead over raw LAPACKE (Cholesky factor + solve), from BenchSupport.
    var matrixLayer: [MatrixLayerRow]
    var failures: [String]
}

struct NatGradBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "natgrad-bench",
        abstract: "Time the natural-gradient fast path against the dense and structured Cholesky paths.",
        discussion: """
        For each family, L(θ) = KL(q_θ‖p) + bᵀμ(θ) has ∇μL = θ − θₚ + b. (A) computes ∇θL = F·∇μL, \
        builds F densely, factors and solves; (A′) does the same through F's structure (2×2 blocks, \
        Sherman–Morrison); (B) returns ∇μL. Variants are timed interleaved; medians after warm-up.
        """)

    @Flag(help: "Small sizes only (the whole run takes seconds in release).")
    var quick = false

    @Flag(help: "Exit non-zero if a direction disagrees beyond tolerance, or the fast path (and Woodbury) is not ≥ \(Int(NatGradBench.requiredSpeedup))× faster than dense at the largest quick size of each family.")
    var check = false

    @Option(help: "Output format: table, json or csv (csv: the family rows only).")
    var format: BenchFormat = .table

    @Option(help: "Write the output to this file instead of stdout.")
    var output: String?

    @Option(help: ArgumentHelp("Run N repeated workspace solves and nothing else (for counting allocations under valgrind).", visibility: .hidden))
    var allocationProbe: Int?

    /// Directions must agree to this relative max-norm difference (well-conditioned instances, Double).
    static let directionTolerance = 1e-8
    /// CG stops at a relative residual of 1e-12 on an operator with κ ≈ 10³–10⁴, so its forward error
    /// is bounded by ≈ κ·1e-12.
    static let conjugateGradientTolerance = 1e-6
    /// The CI gate: B ≥ 10× A at the largest quick size (measured margins are far larger; see README).
    static let requiredSpeedup = 10.0

    func run() throws {
        if let steps = allocationProbe {
            print("allocation probe: \(steps) steps, checksum \(try runAllocationProbe(steps: steps))")
            return
        }
        let plan: TimingPlan = quick ? .quick : .full
        var failures = [String]()
        let rows = try familyRows(quick: quick, plan: plan, progress: progress)
        for row in rows where !(row.maxRelativeDifference <= Self.directionTolerance) {
            failures.append("\(row.family) p = \(row.dimension): directions differ by \(row.maxRelativeDifference) > \(Self.directionTolerance)")
        }
        for family in Set(rows.map(\.family)) {
            let largest = rows.filter { $0.family == family }.max { $0.dimension < $1.dimension }!
            if !(largest.speedupVsDense >= Self.requiredSpeedup) {
                failures.append("\(family) p = \(largest.dimension): fast path only \(largest.speedupVsDense)× faster than dense (need ≥ \(Self.requiredSpeedup)×)")
            }
        }

        let sizes = quick ? [(16, 1024)] : [(16, 1024), (64, 4096)]
        var woodbury = [WoodburyRow]()
        var cg = [ConjugateGradientRow]()
        for (n, p) in sizes {
            progress("Woodbury n = \(n), p = \(p)")
            let w = try woodburyRow(samples: n, parameters: p, damping: 1e-2, plan: plan)
            if !(w.maxRelativeDifference <= Self.directionTolerance) {
                failures.append("Woodbury n = \(n), p = \(p): differs from dense by \(w.maxRelativeDifference)")
            }
            if !(w.speedup >= Self.requiredSpeedup) {
                failures.append("Woodbury n = \(n), p = \(p): only \(w.speedup)× faster than dense (need ≥ \(Self.requiredSpeedup)×)")
            }
            woodbury.append(w)
            progress("CG n = \(n), p = \(p)")
            let c = try conjugateGradientRow(samples: n, parameters: p, damping: 1e-2, tolerance: 1e-12, plan: plan)
            if !(c.maxRelativeDifference <= Self.conjugateGradientTolerance) {
                failures.append("CG n = \(n), p = \(p): differs from dense by \(c.maxRelativeDifference)")
            }
            cg.append(c)
        }

        progress("Matrix layer: Cholesky factor + solve, wrapper vs raw LAPACKE")
        let matrixLayer = matrixLayerOverhead(sizes: matrixLayerSizes(quick: quick))
        for row in matrixLayer where !(row.maxRelativeDifference <= Self.directionTolerance) {
            failures.append("Matrix layer n = \(row.n): wrapper and raw LAPACKE differ by \(row.maxRelativeDifference)")
        }

        let report = BenchReport(rows: rows, woodbury: woodbury, conjugateGradient: cg, matrixLayer: matrixLayer,
                                 failures: failures)
        let text: String
        switch format {
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .withoutEscapingSlashes]
            text = String(decoding: try encoder.encode(report), as: UTF8.self)
        case .csv:
            text = ([ComparisonRow.csvHeader] + rows.map(\.csvLine)).joined(separator: "\n")
        case .table:
            text = renderTables(report)
        }
        if let output {
            try (text + "\n").write(toFile: output, atomically: true, encoding: .utf8)
        } else {
            print(text)
        }
        if check {
            if failures.isEmpty {
                FileHandle.standardError.write(Data("natgrad-bench --check: all directions agree and every speedup gate passes\n".utf8))
            } else {
                for f in failures { FileHandle.standardError.write(Data("natgrad-bench --check FAILED: \(f)\n".utf8)) }
                throw ExitCode(1)
            }
        }
    }

    func progress(_ message: String) {
        FileHandle.standardError.write(Data(("… " + message + "\n").utf8))
    }
}

func renderTables(_ report: BenchReport) -> String {
    var out = [String]()
    out.append("Natural gradient of L = KL(q‖p) + bᵀμ: (A) dense Cholesky, (A′) structured Cholesky, (B) fast path ∇μL")
    out.append(textTable(
        header: ["family", "dim", "A dense", "A′ structured", "B fast", "B vs A", "B vs A′", "max rel diff"],
        rows: report.rows.map { r in
            [r.family, String(r.dimension), formatSeconds(r.denseCholeskySeconds),
             r.structuredCholeskySeconds.map(formatSeconds) ?? "—", formatSeconds(r.fastPathSeconds),
             formatRatio(r.speedupVsDense), r.speedupVsStructured.map(formatRatio) ?? "—",
             String(format: "%.1e", r.maxRelativeDifference)]
        }))
    out.append("")
    out.append("Empirical Fisher (GᵀG/n + λI)⁻¹g: dense (syrk + p×p Cholesky) vs Woodbury (n×n system)")
    out.append(textTable(
        header: ["n", "p", "λ", "dense", "Woodbury", "speedup", "auto", "max rel diff"],
        rows: report.woodbury.map { w in
            [String(w.samples), String(w.parameters), String(w.damping), formatSeconds(w.denseSeconds),
             formatSeconds(w.woodburySeconds), formatRatio(w.speedup), w.automaticMethod,
             String(format: "%.1e", w.maxRelativeDifference)]
        }))
    out.append("")
    out.append("Matrix-free conjugate gradient (v ↦ Gᵀ(Gv)/n + λv) vs dense Cholesky")
    out.append(textTable(
        header: ["n", "p", "λ", "tol", "iterations", "residual", "dense", "CG", "speedup", "max rel diff"],
        rows: report.conjugateGradient.map { c in
            [String(c.samples), String(c.parameters), String(c.damping), String(format: "%.0e", c.tolerance),
             String(c.iterations), String(format: "%.1e", c.relativeResidual), formatSeconds(c.denseSeconds),
             formatSeconds(c.conjugateGradientSeconds), formatRatio(c.speedup), String(format: "%.1e", c.maxRelativeDifference)]
        }))
    out.append("")
    out.append("Matrix layer: Cholesky factor + solve through LinearAlgebra vs the same LAPACKE calls made directly")
    out.append(textTable(
        header: ["n", "raw LAPACKE", "wrapper", "overhead", "max rel diff"],
        rows: report.matrixLayer.map { m in
            [String(m.n), formatSeconds(m.rawLAPACKESeconds), formatSeconds(m.wrapperSeconds),
             String(format: "%.3f", m.overhead), String(format: "%.1e", m.maxRelativeDifference)]
        }))
    if !report.failures.isEmpty {
        out.append("")
        out.append("FAILURES:")
        out.append(contentsOf: report.failures.map { "  " + $0 })
    }
    return out.joined(separator: "\n")
}

NatGradBench.main()
