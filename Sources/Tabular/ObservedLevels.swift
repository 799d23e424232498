/// The distinct values a categorical column takes in some rows, unsorted: what the processes of a
/// distributed fit exchange so that every one codes the column with the same levels (the union of
/// theirs, sorted by `sorted()`), as one process holding every row would.
public enum ObservedLevels: Codable, Sendable, Equatable {
    /// A text column's cell texts (missing cells excluded).
    case texts(Set<String>)
    /// A numeric column's values (`--categorical`; −0 counted as 0, missing cells excluded).
    case numbers(Set<Double>)

    /// The union of two observations of one column. A text and a numeric observation make a text one
    /// (the numbers in their shortest names), which cannot happen when the processes agreed on the
    /// column's kind first (`TableReadOptions.textColumns`).
    public func union(_ other: ObservedLevels) -> ObservedLevels {
        switch (self, other) {
        case let (.texts(a), .texts(b)): return .texts(a.union(b))
        case let (.numbers(a), .numbers(b)): return .numbers(a.union(b))
        case let (.texts(a), .numbers(b)), let (.numbers(b), .texts(a)):
            return .texts(a.union(b.map(LevelOrder.name(of:))))
        }
    }

    /// The levels in coefficient order and how they were recognised: numbers ascending (named in shortest
    /// form: `2`, `2.5`); texts that are all True/False spellings as `False`, `True`; other texts in Unicode
    /// scalar order (Python's).
    public func sorted() -> (levels: [String], coding: LevelCoding) {
        LevelOrder.sorted(self)
    }
}

extension LevelOrder {
    /// `ObservedLevels.sorted()`.
    static func sorted(_ observed: ObservedLevels) -> ([String], LevelCoding) {
        switch observed {
        case let .numbers(values):
            return (values.sorted().map(LevelOrder.name(of:)), .numeric)
        case let .texts(used):
            if !used.isEmpty, used.allSatisfy({ LevelOrder.boolean($0) != nil }) {
                return (["False", "True"], .boolean)
            }
            return (used.sorted(by: LevelOrder.precedes), .text)
        }
    }
}
