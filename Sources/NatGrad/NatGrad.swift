// One import for the whole engine.
@_exported import LinearAlgebra
@_exported import ExponentialFamilies
@_exported import NaturalGradient
@_exported import GeneralizedLinearModels
@_exported import VariationalInference
@_exported import Tabular
