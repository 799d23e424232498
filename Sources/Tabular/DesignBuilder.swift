import LinearAlgebra

/// Infers a `DesignSpec` from a table and a request, and fills design matrices from a spec.
struct DesignBuilder {
    let table: Table

    func build(_ request: DesignRequest, missing: MissingPolicy, alsoComplete: [String],
               form: DesignForm = .dense) throws(TableError) -> DesignMatrix {
        try validate(request)
        let selection = try table.rows(complete: request.features + alsoComplete, policy: missing)
        return try build(request, selection: selection, form: form) { column, name throws(TableError) in
            LevelOrder.sorted(observedLevels(of: column, rows: selection.rows))
        }
    }

    /// Checks what the request alone decides (a feature listed twice, one named like the intercept,
    /// `--categorical` and `--reference` naming non-features).
    func validate(_ request: DesignRequest) throws(TableError) {
        var seen = Set<String>()
        for f in request.features where !seen.insert(f).inserted {
            throw .invalidDesign("the feature '\(f)' is listed twice")
        }
        if request.includeIntercept, request.features.contains("intercept") {
            throw .invalidDesign("a feature is named 'intercept' and an intercept is added; rename the column or fit without an intercept")
        }
        for c in request.categorical where !request.features.contains(c) {
            throw .invalidDesign("--categorical names '\(c)', which is not a feature")
        }
        for c in request.references.keys.sorted() where !request.features.contains(c) {
            throw .invalidDesign("--reference names '\(c)', which is not a feature")
        }
    }

    /// The design over `selection`'s rows, each categorical term's sorted levels and coding given by
    /// `levelsOf` (from these rows, or merged over the processes of a distributed fit).
    func build(_ request: DesignRequest, selection: RowSelection, form: DesignForm = .dense,
               levelsOf: (TableColumn, String) throws(TableError) -> ([String], LevelCoding)) throws(TableError) -> DesignMatrix {
        var terms: [DesignTerm] = []
        var notes: [String] = []
        var fullRankUsed = request.includeIntercept
        for name in request.features {
            let column = try table.column(name)
            let asCategorical = request.categorical.contains(name)
            switch column {
            case .numbers where !asCategorical:
                if request.references[name] != nil {
                    throw .invalidDesign("--reference names '\(name)', a numeric column (add it to --categorical to code it by levels)")
                }
                terms.append(.numeric(column: name))
            default:
                let (levels, coding) = try levelsOf(column, name)
                guard coding == .boolean || levels.count >= 2 else {
                    throw .invalidDesign("column '\(name)' has one level ('\(levels.first ?? "")') in the rows used; a categorical column needs two or more")
                }
                var reference = levels[0]
                if let asked = request.references[name] {
                    let match: String?
                    switch coding {
                    case .text: match = levels.first { $0 == asked }
                    case .boolean: match = LevelOrder.boolean(asked).flatMap { b in levels.first { $0 == b } }
                    case .numeric: match = Double(asked).map(LevelOrder.name(of:)).flatMap { b in levels.first { $0 == b } }
                    }
                    guard let match else { throw .unknownReference(column: name, level: asked, known: levels) }
                    reference = match
                }
                let fullRank = !fullRankUsed
                fullRankUsed = true
                if case let .text(_, values) = column, coding == .text,
                   let numeric = values.first(where: { Double($0) != nil }),
                   let word = values.first(where: { Double($0) == nil }) {
                    notes.append("column '\(name)' mixes numbers ('\(numeric)') and text ('\(word)'): coded as categorical with \(levels.count) levels")
                }
                terms.append(.categorical(CategoricalTerm(column: name, levels: levels, reference: reference,
                                                          coding: coding, fullRank: fullRank)))
            }
        }
        let spec = DesignSpec(includesIntercept: request.includeIntercept, terms: terms)
        if form == .levelCodes {
            var design = DesignMatrix(matrix: Matrix(rows: selection.rows.count, columns: 0), spec: spec,
                                      rowsRead: selection.rowsRead, keptRows: selection.rows, notes: notes)
            design.levelCodes = try levelCodes(spec, rows: selection.rows)
            return design
        }
        let matrix = try self.matrix(spec, rows: selection.rows)
        return DesignMatrix(matrix: matrix, spec: spec, rowsRead: selection.rowsRead, keptRows: selection.rows, notes: notes)
    }

    /// The numeric terms of `spec` as a dense matrix and the categorical ones as codes into their coded
    /// levels (−1 for the reference), for `rows`.
    func levelCodes(_ spec: DesignSpec, rows: [Int]) throws(TableError) -> LevelCodedDesign {
        let n = rows.count
        var numeric = [Double](), names = [String](), categorical = [LevelCodedTerm]()
        for term in spec.terms {
            switch term {
            case let .numeric(name):
                numeric += try table.numbers(name, rows: rows)
                names.append(name)
            case let .categorical(term):
                let code = try levelIndices(term, rows: rows)
                let coded = term.codedLevels
                let columnOfLevel = term.levels.map { Int32(coded.firstIndex(of: $0) ?? -1) }
                categorical.append(LevelCodedTerm(column: term.column, columnNames: term.columnNames,
                                                  codes: code.map { columnOfLevel[$0] }))
            }
        }
        return LevelCodedDesign(numeric: Matrix(rows: n, columns: names.count, columnMajor: numeric),
                                numericNames: names, categorical: categorical)
    }

    /// The distinct values of a categorical column in `rows`, unsorted.
    func observedLevels(of column: TableColumn, rows: [Int]) -> ObservedLevels {
        switch column {
        case let .numbers(values):
            var distinct = Set<Double>()
            for i in rows { distinct.insert(values[i] == 0 ? 0 : values[i]) }
            return .numbers(distinct)
        case let .text(codes, values):
            var present = [Bool](repeating: false, count: values.count)
            for i in rows where codes[i] >= 0 { present[Int(codes[i])] = true }
            return .texts(Set(values.indices.filter { present[$0] }.map { values[$0] }))
        }
    }

    /// Fills the feature matrix of `spec` for `rows`.
    func matrix(_ spec: DesignSpec, rows: [Int]) throws(TableError) -> Matrix {
        let n = rows.count
        let p = spec.featureNames.count
        var storage = [Double](repeating: 0, count: n * p)
        var offset = 0
        for term in spec.terms {
            switch term {
            case let .numeric(name):
                let values = try table.numbers(name, rows: rows)
                for r in 0..<n { storage[offset + r] = values[r] }
                offset += n
            case let .categorical(term):
                let code = try levelIndices(term, rows: rows)
                let coded = term.codedLevels
                let columnOfLevel = term.levels.map { coded.firstIndex(of: $0) ?? -1 }
                for r in 0..<n {
                    let k = columnOfLevel[code[r]]
                    if k >= 0 { storage[offset + k * n + r] = 1 }
                }
                offset += coded.count * n
            }
        }
        return Matrix(rows: n, columns: p, columnMajor: storage)
    }

    /// The index into `term.levels` of each row's value. - Throws: `unseenLevel`, `notANumber`.
    private func levelIndices(_ term: CategoricalTerm, rows: [Int]) throws(TableError) -> [Int] {
        var index: [String: Int] = [:]
        for (k, level) in term.levels.enumerated() { index[level] = k }
        let column = try table.column(term.column)
        var result = [Int]()
        result.reserveCapacity(rows.count)
        func unseen(_ row: Int, _ text: String) -> TableError {
            .unseenLevel(source: table.source, row: table.line(ofRow: row), column: term.column, level: text, known: term.levels)
        }
        switch column {
        case let .numbers(values):
            for i in rows {
                let name = LevelOrder.name(of: values[i])
                guard let k = index[name] else { throw unseen(i, name) }
                result.append(k)
            }
        case let .text(codes, values):
            // Map each distinct text once.
            var map = [Int](repeating: -1, count: values.count)
            for (c, text) in values.enumerated() {
                let key: String?
                switch term.coding {
                case .text: key = text
                case .boolean: key = LevelOrder.boolean(text) ?? text
                case .numeric: key = Double(text).map(LevelOrder.name(of:)) ?? text
                }
                map[c] = key.flatMap { index[$0] } ?? -1
            }
            for i in rows {
                let c = Int(codes[i])
                guard map[c] >= 0 else { throw unseen(i, values[c]) }
                result.append(map[c])
            }
        }
        return result
    }
}
