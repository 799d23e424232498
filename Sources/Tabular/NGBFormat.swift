/// The `.ngb` format: a little-endian columnar binary table whose rows are stored in groups of a fixed
/// number of rows, each group column-major, so that a reader can stream row blocks or seek to any row
/// range with one positioned read per column (docs/readme/ngb-format.md describes it byte by byte).
///
/// Layout (all integers unsigned little-endian unless noted; offsets from the start of the file):
/// ```
/// 0   8  magic            89 4E 47 42 0D 0A 1A 0A   ("\x89NGB\r\n\x1a\n")
/// 8   4  version          1
/// 12  4  column count c   ≥ 1
/// 16  8  row count n      ≥ 0
/// 24  4  rows per group G ≥ 1
/// 28  4  reserved         0
/// 32  8  descriptor offset = 64 + n·R   (R = Σⱼ widthⱼ, the bytes of one row)
/// 40  8  descriptor length (the file ends right after the descriptors)
/// 48  8  data offset      64
/// 56  8  reserved         0
/// 64     row groups g = 0 ..< ⌈n/G⌉, group g at 64 + g·G·R with rows r_g = min(G, n − g·G):
///        column 0's r_g values, column 1's, …: float64 (IEEE 754 binary64; NaN = missing) or
///        int32 level codes (two's complement; −1 = missing, else an index into the levels)
/// 64+n·R column descriptors, c of them: u32 name length, the name (UTF-8), u8 type (1 = float64,
///        2 = categorical); a categorical adds u32 level count L and L × (u32 length, UTF-8 bytes)
/// ```
/// The descriptors come after the data because a converter learns a text column's levels only by
/// reading the whole CSV (levels in order of first appearance, as `Table` codes them), and it writes
/// the groups as they fill.
public enum NGBFormat {
    /// The first 8 bytes of every `.ngb` file (PNG's trick: a high byte, CR LF, ^Z and LF, so that
    /// text-mode transfers and `type` on Windows show at once that the file is damaged).
    public static let magic: [UInt8] = [0x89, 0x4E, 0x47, 0x42, 0x0D, 0x0A, 0x1A, 0x0A]
    /// The version this code writes and reads.
    public static let version: UInt32 = 1
    /// Bytes of the fixed header; the data start here.
    public static let headerBytes = 64
    /// The default rows per group: 65 536 rows of 20 float64 columns are 10 MB.
    public static let defaultRowsPerGroup = 65_536
    /// Whether a path names an `.ngb` file (by its extension, case-insensitive).
    public static func isNGBPath(_ path: String) -> Bool { path.lowercased().hasSuffix(".ngb") }
}

/// How one `.ngb` column is stored.
public enum NGBColumnKind: Sendable, Equatable {
    /// IEEE 754 binary64, 8 bytes a row; NaN means missing.
    case float64
    /// Int32 level codes, 4 bytes a row: −1 means missing, k indexes `levels` (the level strings in code
    /// order, which for a converted CSV is their order of first appearance).
    case categorical(levels: [String])

    /// Bytes per row.
    public var width: Int {
        switch self {
        case .float64: return 8
        case .categorical: return 4
        }
    }
}

/// A column of an `.ngb` file: its name and how it is stored.
public struct NGBColumn: Sendable, Equatable {
    /// The column's name (unique in the file, UTF-8).
    public var name: String
    /// How its values are stored.
    public var kind: NGBColumnKind

    /// A column named `name` stored as `kind`.
    public init(name: String, kind: NGBColumnKind) {
        self.name = name
        self.kind = kind
    }
}

/// The shape of an `.ngb` file, from which every byte offset follows.
public struct NGBLayout: Sendable, Equatable {
    /// n, the number of rows.
    public var rowCount: Int
    /// G, rows per group (the last group may hold fewer).
    public var rowsPerGroup: Int
    /// The columns in file order.
    public var columns: [NGBColumn]

    /// The layout of n rows in groups of G over `columns`.
    public init(rowCount: Int, rowsPerGroup: Int, columns: [NGBColumn]) {
        self.rowCount = rowCount
        self.rowsPerGroup = rowsPerGroup
        self.columns = columns
    }

    /// R = Σⱼ widthⱼ, bytes per row over all columns.
    public var rowBytes: Int { columns.reduce(0) { $0 + $1.kind.width } }
    /// ⌈n/G⌉.
    public var groupCount: Int { (rowCount + rowsPerGroup - 1) / rowsPerGroup }
    /// 64 + n·R: where the column descriptors start.
    public var descriptorOffset: Int { NGBFormat.headerBytes + rowCount * rowBytes }

    /// Rows in group g: min(G, n − g·G).
    public func rows(inGroup g: Int) -> Int { Swift.min(rowsPerGroup, rowCount - g * rowsPerGroup) }

    /// The byte offset of row `row` of column `column`: group g = row / G starts at 64 + g·G·R, its
    /// columns follow one another with r_g values each.
    public func offset(row: Int, column: Int) -> Int {
        let g = row / rowsPerGroup
        let inGroup = row - g * rowsPerGroup
        let r = rows(inGroup: g)
        var before = 0
        for j in 0..<column { before += columns[j].kind.width }
        return NGBFormat.headerBytes + g * rowsPerGroup * rowBytes + r * before + inGroup * columns[column].kind.width
    }
}

/// Why an `.ngb` file could not be read or written. Every case names the file.
public enum NGBError: Error, Sendable, Equatable, CustomStringConvertible {
    /// open(2), pread(2), write(2) or close(2) failed (`reason` is the system's message).
    case io(path: String, operation: String, reason: String)
    /// The file does not start with the `.ngb` magic bytes.
    case notNGB(path: String)
    /// A version this reader does not know.
    case unsupportedVersion(path: String, version: UInt32)
    /// The file is shorter than its header says (`expected` bytes, `actual` present): a truncated copy.
    case truncated(path: String, expected: Int, actual: Int)
    /// A header field or descriptor that cannot be right (what is wrong is in `reason`).
    case corrupt(path: String, reason: String)
    /// A level code outside −1 ..< levels in a categorical column (`row` is the 0-based data row; messages
    /// number rows as the CSV the file came from does, header = row 1, so data row i is row i + 2).
    case invalidLevelCode(path: String, row: Int, column: String, code: Int32, levels: Int)
    /// A request the file cannot serve: an unknown column, a row range past the end, a wrong type.
    case invalidRequest(path: String, reason: String)

    /// The message, naming the file.
    public var description: String {
        switch self {
        case let .io(path, operation, reason): return "\(path): \(operation) failed (\(reason))"
        case let .notNGB(path): return "\(path): not an .ngb file (the magic bytes are missing; convert a CSV with natgrad convert)"
        case let .unsupportedVersion(path, version): return "\(path): .ngb version \(version) is not supported (this build reads version \(NGBFormat.version))"
        case let .truncated(path, expected, actual):
            return "\(path): the file is truncated (\(actual) bytes, the header needs \(expected))"
        case let .corrupt(path, reason): return "\(path): the .ngb file is corrupt (\(reason))"
        case let .invalidLevelCode(path, row, column, code, levels):
            return "\(path): row \(row + 2), column '\(column)': level code \(code) is outside −1 ..< \(levels) (the file is corrupt)"
        case let .invalidRequest(path, reason): return "\(path): \(reason)"
        }
    }
}
