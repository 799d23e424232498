public enum NeuralNetworksPlaceholder {}
