// Results and inputs are `Matrix` values; one `import GeneralizedLinearModels` brings them along.
@_exported import LinearAlgebra
