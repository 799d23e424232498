import COpenBLAS

/// Triangle of a symmetric or triangular matrix that a LAPACK/BLAS routine reads or writes.
enum Triangle {
    case lower, upper

    var lapack: CChar { self == .lower ? CChar(UInt8(ascii: "L")) : CChar(UInt8(ascii: "U")) }
    var cblas: CBLAS_UPLO { self == .lower ? CblasLower : CblasUpper }
}

/// Whether a BLAS routine uses a matrix as stored or transposed.
enum Transposition {
    case none, transpose

    var cblas: CBLAS_TRANSPOSE { self == .none ? CblasNoTrans : CblasTrans }
}

/// Narrows a Swift `Int` dimension to LAPACK's 32-bit integer, once, with a precondition.
@inline(__always)
func lapackInt(_ n: Int) -> Int32 {
    precondition(n >= 0 && n <= Int(Int32.max), "dimension \(n) does not fit LAPACK's 32-bit integer")
    return Int32(truncatingIfNeeded: n)
}

/// `LAPACK_COL_MAJOR` as the importer sees it.
let columnMajor = Int32(LAPACK_COL_MAJOR)
