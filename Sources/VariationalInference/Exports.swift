// A model takes GLM families and links and a `RowExecution`; one `import VariationalInference` brings them along.
@_exported import enum GeneralizedLinearModels.GLMFamily
@_exported import enum GeneralizedLinearModels.GLMLink
@_exported import struct RowPasses.RowExecution
@_exported import protocol RowPasses.RowSumReduction
@_exported import struct RowPasses.RowReductionError
