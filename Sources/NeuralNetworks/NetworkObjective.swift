import LinearAlgebra
import NaturalGradientOptimizer

/// A network on a fixed data set as an `OptimizationObjective`, with the exact Fisher (Gauss–Newton)
/// as curvature: θ = ``MultilayerPerceptron/parameterVector``, L(θ) the mean negative log-likelihood,
/// C = (1/N) Σᵢ Jᵢᵀ F(ηᵢ) Jᵢ.
///
/// `curvatureForm` picks `.fisher` (the p × p matrix formed column by column from p Gauss–Newton
/// products: for small networks) or `.fisherVectorProduct` (conjugate gradient on products).
public struct NetworkObjective: OptimizationObjective {
    /// How the curvature is handed to the optimizer.
    public enum CurvatureForm: Sendable, Equatable, Hashable {
        /// The dense p × p Fisher.
        case dense
        /// Fisher-vector products only.
        case products
    }

    /// The network (its weights follow the last θ evaluated).
    public private(set) var network: MultilayerPerceptron
    /// The data.
    public let data: LabeledData
    /// Dense or products.
    public let curvatureForm: CurvatureForm
    private var workspace: NetworkWorkspace
    /// Trial losses run on a copy, so the products keep using the last evaluated θ after a rejected step.
    private var trialNetwork: MultilayerPerceptron
    private var trialWorkspace: NetworkWorkspace
    private var gradientBuffer: [Matrix]
    private var directionBuffer: [Matrix]
    private var productBuffer: [Matrix]
    private var fisher: Matrix

    /// The objective of `network` on all of `data` (one batch).
    /// - Throws: `.featureCountMismatch` when the data do not fit the network.
    public init(network: MultilayerPerceptron, data: LabeledData, curvatureForm: CurvatureForm) throws(NeuralNetworkError) {
        try network.check(data)
        self.network = network
        self.data = data
        self.curvatureForm = curvatureForm
        workspace = NetworkWorkspace(for: network, batchSize: data.count)
        workspace.load(data, indices: Array(0..<data.count)[...])
        trialNetwork = network
        trialWorkspace = workspace
        gradientBuffer = network.zeroWeights()
        directionBuffer = network.zeroWeights()
        productBuffer = network.zeroWeights()
        let p = network.parameterCount
        fisher = Matrix(rows: curvatureForm == .dense ? p : 0, columns: curvatureForm == .dense ? p : 0)
    }

    /// p.
    public var parameterCount: Int { network.parameterCount }

    /// L(θ) on the data, on a copy of the network (the products keep the last evaluated θ).
    public mutating func loss(at parameters: [Double]) -> Double {
        trialNetwork.setParameters(parameters)
        return trialNetwork.forward(&trialWorkspace)
    }

    /// L(θ), ∇L(θ) and the exact Fisher (dense or as products).
    public mutating func evaluate(at parameters: [Double], gradient: inout [Double]) -> Evaluation {
        network.setParameters(parameters)
        let loss = network.lossAndGradient(&workspace, into: &gradientBuffer)
        flatten(gradientBuffer, into: &gradient)
        switch curvatureForm {
        case .products:
            return Evaluation(loss: loss, curvature: .fisherVectorProduct)
        case .dense:
            let p = parameterCount
            var e = [Double](repeating: 0, count: p)
            var column = [Double](repeating: 0, count: p)
            for j in 0..<p {
                e[j] = 1
                fisherVectorProduct(e, into: &column)
                e[j] = 0
                for i in 0..<p { fisher.elements[i + j * p] = column[i] }
            }
            // Symmetrize (the product is symmetric up to rounding).
            for j in 0..<p { for i in (j + 1)..<p {
                let s = 0.5 * (fisher.elements[i + j * p] + fisher.elements[j + i * p])
                fisher.elements[i + j * p] = s; fisher.elements[j + i * p] = s
            } }
            return Evaluation(loss: loss, curvature: .fisher(fisher))
        }
    }

    /// C·v by one Gauss–Newton product at the last evaluated θ.
    public mutating func fisherVectorProduct(_ v: [Double], into result: inout [Double]) {
        unflatten(v, into: &directionBuffer)
        network.gaussNewtonProduct(&workspace, direction: directionBuffer, into: &productBuffer)
        flatten(productBuffer, into: &result)
    }
}

func flatten(_ m: [Matrix], into v: inout [Double]) {
    var o = 0
    for w in m { for x in w.elements { v[o] = x; o += 1 } }
}

func unflatten(_ v: [Double], into m: inout [Matrix]) {
    var o = 0
    for l in m.indices { for k in 0..<m[l].elements.count { m[l].elements[k] = v[o]; o += 1 } }
}
