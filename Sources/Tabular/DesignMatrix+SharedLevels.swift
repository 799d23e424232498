/// Designs built by processes that each hold some rows of one table (a distributed fit): each reports
/// the levels its rows show, the union goes back to all, and every process codes its rows with the
/// union's levels, so the coefficients are those of one design over all the rows.
extension DesignMatrix {
    /// The levels of each categorical feature (a text column, or one in `request.categorical`) in `rows`.
    /// - Parameters:
    ///   - table: this process's rows of the data.
    ///   - request: the design asked for.
    ///   - rows: the rows the design uses.
    /// - Returns: the observed levels by column name (numeric features are absent).
    /// - Throws: `unknownColumn` for a feature not parsed.
    public static func observedLevels(_ table: Table, request: DesignRequest,
                                      rows: RowSelection) throws(TableError) -> [String: ObservedLevels] {
        let builder = DesignBuilder(table: table)
        var result: [String: ObservedLevels] = [:]
        for name in request.features {
            let column = try table.column(name)
            if case .numbers = column, !request.categorical.contains(name) { continue }
            result[name] = builder.observedLevels(of: column, rows: rows.rows)
        }
        return result
    }

    /// The design of `request` over `rows`, every categorical feature coded with the sorted `levels`
    /// (the union over all processes): as `build(_:request:missing:alsoComplete:)` on the whole table.
    /// - Parameters:
    ///   - table: this process's rows of the data, with every requested column parsed.
    ///   - request: features, categorical columns, references, intercept (the same on every process).
    ///   - rows: the rows to use (this process's complete rows; may be empty).
    ///   - levels: for each categorical feature, the union of the processes' `observedLevels`.
    /// - Throws: as `build(_:request:missing:alsoComplete:)`, except `missingValues` and
    ///   `noCompleteRows` (the caller decided the rows); `invalidDesign` for a categorical feature
    ///   missing from `levels`.
    public static func build(_ table: Table, request: DesignRequest, rows: RowSelection,
                             levels: [String: ObservedLevels]) throws(TableError) -> DesignMatrix {
        let builder = DesignBuilder(table: table)
        try builder.validate(request)
        return try builder.build(request, selection: rows) { _, name throws(TableError) in
            guard let observed = levels[name] else {
                throw .invalidDesign("no levels given for the categorical column '\(name)'")
            }
            return LevelOrder.sorted(observed)
        }
    }
}
