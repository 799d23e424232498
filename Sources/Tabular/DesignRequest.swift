/// What a user asks of a design: which columns, which numeric ones are really categorical, which
/// baselines, and whether there is an intercept.
public struct DesignRequest: Sendable, Equatable {
    /// Feature columns in coefficient order.
    public var features: [String]
    /// Numeric columns to treat as categorical (their values are level codes).
    public var categorical: [String]
    /// Baseline level by column (default: the first level in sorted order).
    public var references: [String: String]
    /// Whether the model adds an intercept (named `intercept`, first).
    public var includeIntercept: Bool

    /// Creates a request; by default no numeric column is categorical, baselines are the first sorted
    /// level, and there is an intercept.
    public init(features: [String], categorical: [String] = [], references: [String: String] = [:],
                includeIntercept: Bool = true) {
        self.features = features
        self.categorical = categorical
        self.references = references
        self.includeIntercept = includeIntercept
    }
}
