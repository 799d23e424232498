// Results and inputs are `Matrix` values; one `import GeneralizedLinearModels` brings them along, and
// `RowExecution` (the threads and cross-process sums a fit takes) with them.
@_exported import LinearAlgebra
@_exported import RowPasses
