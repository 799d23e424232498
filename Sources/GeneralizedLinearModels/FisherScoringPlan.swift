import RowPasses

/// How a Fisher-scoring fit computes, chosen once before the first pass (`FisherScoringPlan.choose`) or
/// built directly by a test: the per-observation kernel, the Gram kernel, the Fisher strategy, the
/// factor-reuse policy and the row partitions. The solver reads it and never changes it; what changes
/// while iterating is in the solver's iteration state.
struct FisherScoringPlan: Sendable, Equatable {
    /// The per-observation work (η → u, W, deviance) and its pass over X.
    enum ObservationKernel: Sendable, Equatable {
        /// The AVX-512 logistic kernels (binomial, logit link, 0/1 responses), fused with the reads of X.
        case logisticAVX512
        /// The AVX-512 Poisson kernels (log link), fused with the reads of X.
        case poissonAVX512
        /// The Swift loops (every family and link; `FisherScoringSolver.observations`).
        case scalar
    }

    /// How XᵀWX is accumulated (`WeightedGramAccumulator`).
    enum GramKernel: Sendable, Equatable {
        /// The fused AVX-512 kernel straight from X.
        case fusedAVX512
        /// √W-scaled copies of row blocks and syrk.
        case scaledCopySyrk
    }

    /// Which Fisher matrix the iteration factors.
    enum FisherStrategy: Sendable, Equatable {
        /// XᵀWX does not depend on β (Gaussian with the identity link): formed and factored once.
        case constant
        /// The exact XᵀWX at the current β.
        case exact
        /// While chord steps contract fast, the estimate from every `stride`-th chunk of
        /// `FisherScoringSolver.subsampleChunk` rows (a preconditioner only); the exact one afterwards.
        case subsampled(stride: Int)
    }

    /// When a factorization is reused for several steps (chord steps).
    enum FactorReuse: Sendable, Equatable {
        /// A fresh Fisher matrix at every step (small problems; `minimumWorkForShortcuts`).
        case never
        /// Reuse below a relative deviance change of `below`, the chord steps Anderson-accelerated with
        /// memory `andersonMemory`.
        case chord(below: Double, andersonMemory: Int)
    }

    var observationKernel: ObservationKernel
    var gramKernel: GramKernel
    var fisher: FisherStrategy
    var reuse: FactorReuse
    /// The partition of the evaluation passes (blocks of ≈ 256 KB of X).
    var passPartition: RowPartition
    /// The partition of the Fisher accumulation (blocks of ≈ 1 MB of √W·X, kept in L2; a multiple of the
    /// subsample chunk when the subsample is used).
    var fisherPartition: RowPartition

    /// Blocks per group of every partition (the unit a threaded executor hands to one worker), at least:
    /// large n gets more blocks per group, so that the group count stays at most `maximumGroups`.
    static let blocksPerGroup = 16

    /// The most groups of a partition: 64 (enough for 7 workers to share the rows evenly), fewer for large
    /// p in the Fisher partition, whose groups hold a (p rounded up to 4)² Gram matrix each (≤ 32 MB in
    /// all). A function of n and p only, so that the partition, and with it every sum, does not depend on
    /// the thread count.
    static func maximumGroups(gramDimension p: Int?) -> Int {
        guard let p else { return 64 }
        let padded = (p + 3) / 4 * 4
        return Swift.max(2, Swift.min(64, (1 << 22) / Swift.max(1, padded * padded)))
    }

    /// The partition of n rows into blocks of `blockRows` and groups of ≥ `blocksPerGroup` blocks, at most
    /// `maximumGroups` groups.
    static func partition(rows n: Int, blockRows: Int, maximumGroups: Int) -> RowPartition {
        let blocks = (n + blockRows - 1) / blockRows
        let perGroup = Swift.max(blocksPerGroup, (blocks + maximumGroups - 1) / maximumGroups)
        return RowPartition(rows: n, blockRows: blockRows, blocksPerGroup: perGroup)
    }

    init(observationKernel: ObservationKernel, gramKernel: GramKernel, fisher: FisherStrategy, reuse: FactorReuse,
         rows n: Int, featureCount k: Int, intercept: Bool) {
        self.observationKernel = observationKernel
        self.gramKernel = gramKernel
        self.fisher = fisher
        self.reuse = reuse
        let p = k + (intercept ? 1 : 0)
        let fisherRows: Int
        if case .subsampled = fisher {
            let chunk = FisherScoringSolver.subsampleChunk
            fisherRows = Swift.max(chunk, 131_072 / Swift.max(1, p) / chunk * chunk)
        } else {
            fisherRows = Swift.max(1, Swift.min(n, 131_072 / Swift.max(1, p)))
        }
        passPartition = Self.partition(rows: n, blockRows: Swift.max(64, 32_768 / Swift.max(1, k)),
                                       maximumGroups: Self.maximumGroups(gramDimension: nil))
        fisherPartition = Self.partition(rows: n, blockRows: fisherRows, maximumGroups: Self.maximumGroups(gramDimension: p))
    }

    /// The plan for a fit: the AVX-512 kernels where the processor has them and the model is logistic
    /// (0/1 responses) or Poisson–log (the only place the kernels' availability is consulted: the
    /// kernels' own nil results are then never taken); the fused Gram kernel for 4 ≤ k ≤ 100 features (the
    /// kernel multiplies by W as it loads, ≈ 25 % more arithmetic than on a scaled copy, which pays while the
    /// copy costs more than that: measured, n = 100 000, 3–4 ms less per fit at k = 50, even at k = 100, 4 %
    /// slower at k = 200); reuse and subsampling when forming XᵀWX costs at least
    /// `options.minimumWorkForShortcuts`; a subsample of every k-th chunk, k = min(4, n/(128p)) ≥ 2.
    static func choose(family: GLMFamily, link: GLMLink, data: PreparedData, options: FisherScoringOptions,
                       kernelsAvailable: Bool = ObservationKernels.available) -> FisherScoringPlan {
        // The choices depend on the data of every process (n over all of them, whether every response
        // is 0/1), so that the processes of a distributed fit follow the same plan; the partitions are of
        // this process's rows.
        let n = data.totalRows, k = data.features.columns
        let p = k + (data.hasIntercept ? 1 : 0)
        let kernel: ObservationKernel
        switch (family, link) {
        case (.binomial, .logit) where kernelsAvailable && data.responsesAreBinary:
            kernel = .logisticAVX512
        case (.poisson, .log) where kernelsAvailable:
            kernel = .poissonAVX512
        default:
            kernel = .scalar
        }
        let gram: GramKernel = kernelsAvailable && (4...100).contains(k) ? .fusedAVX512 : .scaledCopySyrk
        let constant: Bool = { if case .gaussian = family, link == .identity { return true }; return false }()
        let shortcuts = Double(n) * Double(p) * Double(p) >= options.minimumWorkForShortcuts
        let reuse: FactorReuse = shortcuts && options.reuseFisherBelow > 0
            ? .chord(below: options.reuseFisherBelow, andersonMemory: options.andersonMemory) : .never
        let fisher: FisherStrategy
        if constant {
            fisher = .constant
        } else if shortcuts && options.subsampleFisher && Swift.min(4, n / Swift.max(1, 128 * p)) > 1 {
            fisher = .subsampled(stride: Swift.min(4, n / Swift.max(1, 128 * p)))
        } else {
            fisher = .exact
        }
        return FisherScoringPlan(observationKernel: kernel, gramKernel: gram, fisher: fisher, reuse: reuse,
                                 rows: data.features.rows, featureCount: k, intercept: data.hasIntercept)
    }

    /// The row stride of the subsampled Fisher matrix (1: the exact one).
    var subsampleStride: Int {
        if case let .subsampled(stride) = fisher { return stride }
        return 1
    }

    /// The threshold of chord steps (nil: never).
    var reuseBelow: Double? {
        if case let .chord(below, _) = reuse { return below }
        return nil
    }

    /// The model of the fused pass, for the vectorized kernels.
    var passModel: ObservationKernels.PassModel? {
        switch observationKernel {
        case .logisticAVX512: return .logistic
        case .poissonAVX512: return .poisson
        case .scalar: return nil
        }
    }
}
