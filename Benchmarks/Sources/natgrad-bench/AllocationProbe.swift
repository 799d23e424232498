import NatGrad

/// Runs `steps` repeated solves of every workspace after one warm-up solve each, for counting heap
/// allocations from outside (e.g. `valgrind natgrad-bench --allocation-probe 10` versus `… 110`: equal
/// "total heap usage" allocation counts mean the repeated steps allocate nothing).
/// Sizes are small so the probe runs quickly under valgrind. Returns a checksum so nothing is elided.
func runAllocationProbe(steps: Int) throws -> Double {
    let p = 48, n = 8
    let (g, rhs) = empiricalProblem(samples: n, parameters: p, seed: 7)
    var fisher = EmpiricalFisherWorkspace.fisher(gradients: g)
    fisher.addToDiagonal(0.5)
    var dense = DenseFisherWorkspace(dimension: p)
    var woodbury = EmpiricalFisherWorkspace(samples: n, parameters: p)
    var denseEmpirical = EmpiricalFisherWorkspace(samples: n, parameters: p)
    var cg = ConjugateGradientWorkspace(dimension: p)
    var x = rhs, y = rhs, z = rhs, w = [Double](repeating: 0, count: p)
    var projected = [Double](repeating: 0, count: n)
    var checksum = 0.0
    for step in 0...steps {  // step 0 is the warm-up that allocates the workspaces' storage
        for i in 0..<p { x[i] = rhs[i]; y[i] = rhs[i]; z[i] = rhs[i]; w[i] = 0 }
        try dense.solve(fisher: fisher, gradient: &x, damping: 1e-3)
        try woodbury.solve(gradients: g, gradient: &y, damping: 0.1, method: .woodbury)
        try denseEmpirical.solve(gradients: g, gradient: &z, damping: 0.1, method: .dense)
        try cg.solve(gradient: rhs, solution: &w, damping: 0.1, tolerance: 1e-10) { v, out in
            BLAS.gemv(g, v, into: &projected)
            BLAS.gemv(g, transposed: true, projected, alpha: 1 / Double(n), into: &out)
        }
        if step == steps { checksum = x[0] + y[0] + z[0] + w[0] }
    }
    return checksum
}
