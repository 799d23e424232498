import Glibc

/// Decimal text → `Double`, correctly rounded, straight from bytes.
///
/// Grammar (the whole field must match): `[+|-] digits [. digits] [(e|E) [+|-] digits]` with at
/// least one mantissa digit, or `[+|-]inf` / `infinity` in any case. Evaluation:
/// 1. Up to 19 significant digits are gathered into an integer w, the value being w·10^q.
/// 2. w ≤ 2⁵³ and |q| ≤ 22: w and 10^|q| are exact doubles, so one IEEE multiply or divide is the
///    correctly rounded result (Clinger's fast path).
/// 3. On x86-64, w < 2⁶⁴ and |q| ≤ 27: w and 10^|q| are exact in the 64-bit significand of `Float80`,
///    so r = w·10^q rounded once to 64 bits; rounding r to 53 bits is then correct unless r sits exactly
///    on a 53-bit halfway point (its 11 dropped bits are 100…0), which is passed on to step 4.
///    This covers the 16–17-digit shortest round-trip output of Python, pandas, R and numpy.
/// 4. Anything else (more digits, large exponents, halfway cases): the C library's `strtod`.
enum DecimalParser {
    /// 10⁰ … 10²² as doubles (exact).
    private static let powers: [Double] = (0...22).map { k in
        var v = 1.0
        for _ in 0..<k { v *= 10 }
        return v
    }

    #if arch(x86_64)
    /// 10⁰ … 10²⁷ as Float80 (exact: 5²⁷ < 2⁶⁴).
    private static let extendedPowers: [Float80] = (0...27).map { k in
        var v: Float80 = 1
        for _ in 0..<k { v *= 10 }
        return v
    }
    #endif

    /// The number the bytes spell, or nil when they do not spell one.
    static func parse(_ p: UnsafeBufferPointer<UInt8>) -> Double? {
        let n = p.count
        var i = 0
        guard n > 0 else { return nil }
        var negative = false
        if p[0] == UInt8(ascii: "-") { negative = true; i = 1 } else if p[0] == UInt8(ascii: "+") { i = 1 }
        var w: UInt64 = 0
        var significant = 0
        var droppedNonZero = false
        var exponent = 0
        var digits = 0
        // Integer part.
        while i < n, p[i] &- 0x30 < 10 {
            let d = UInt64(p[i] &- 0x30)
            digits += 1
            if significant < 19 {
                if w != 0 || d != 0 { w = w &* 10 &+ d; significant += w != 0 ? 1 : 0 }
            } else {
                exponent += 1
                if d != 0 { droppedNonZero = true }
            }
            i += 1
        }
        if i < n && p[i] == UInt8(ascii: ".") {
            i += 1
            // Eight fraction digits at a time while they fit in w (< 10¹⁹).
            if let base = p.baseAddress {
                while significant + 8 <= 19 && i + 8 <= n {
                    let v = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
                    guard let chunk = eightDigits(v) else { break }
                    if w == 0 {
                        w = chunk
                        var t = chunk
                        while t > 0 { significant += 1; t /= 10 }
                    } else {
                        w = w &* 100_000_000 &+ chunk
                        significant += 8
                    }
                    digits += 8
                    exponent -= 8
                    i += 8
                }
            }
            while i < n, p[i] &- 0x30 < 10 {
                let d = UInt64(p[i] &- 0x30)
                digits += 1
                if significant < 19 {
                    if w != 0 || d != 0 { w = w &* 10 &+ d; significant += 1 }
                    exponent -= 1
                } else if d != 0 {
                    droppedNonZero = true
                }
                i += 1
            }
        }
        if digits == 0 { return parseInfinity(p, from: i, negative: negative) }
        if i < n && (p[i] | 0x20) == UInt8(ascii: "e") {
            i += 1
            var negativeExponent = false
            if i < n && (p[i] == UInt8(ascii: "-") || p[i] == UInt8(ascii: "+")) {
                negativeExponent = p[i] == UInt8(ascii: "-")
                i += 1
            }
            var e = 0
            var exponentDigits = 0
            while i < n, p[i] &- 0x30 < 10 {
                if e < 100_000 { e = e * 10 + Int(p[i] &- 0x30) }
                exponentDigits += 1
                i += 1
            }
            guard exponentDigits > 0 else { return nil }
            exponent += negativeExponent ? -e : e
        }
        guard i == n else { return nil }
        if w == 0 { return negative ? -0.0 : 0.0 }
        if !droppedNonZero {
            if w <= 1 << 53 && exponent >= -22 && exponent <= 22 {
                let m = Double(w)
                let v = exponent >= 0 ? m * powers[exponent] : m / powers[-exponent]
                return negative ? -v : v
            }
            #if arch(x86_64)
            if exponent >= -27 && exponent <= 27 {
                let m = Float80(w)
                let r = exponent >= 0 ? m * extendedPowers[exponent] : m / extendedPowers[-exponent]
                if r.significandBitPattern & 0x7FF != 0x400 {
                    let v = Double(r)
                    return negative ? -v : v
                }
            }
            #endif
        }
        return slowPath(p)
    }

    /// The value of eight ASCII digits loaded little-endian (first digit in the low byte), or nil when
    /// some byte is not a digit: each byte minus '0' must be < 10 (no borrow into the high nibble), then
    /// pairs, quadruples and the octet are combined by multiplications (Lemire's SWAR conversion).
    @inline(__always)
    private static func eightDigits(_ v: UInt64) -> UInt64? {
        let d = v &- 0x3030_3030_3030_3030
        // A byte below '0' borrows (sets its high bit); one above '9' has d + 6 ≥ 0x10.
        guard (d | (d &+ 0x0606_0606_0606_0606)) & 0xF0F0_F0F0_F0F0_F0F0 == 0 else { return nil }
        let pairs = (d &* 10) &+ (d >> 8)
        let low = (pairs & 0x0000_00FF_0000_00FF) &* (100 &+ (1_000_000 << 32))
        let high = ((pairs >> 16) & 0x0000_00FF_0000_00FF) &* (1 &+ (10_000 << 32))
        return (low &+ high) >> 32
    }

    /// `inf` / `infinity` (any case) after an optional sign.
    private static func parseInfinity(_ p: UnsafeBufferPointer<UInt8>, from i: Int, negative: Bool) -> Double? {
        let rest = p.count - i
        guard rest == 3 || rest == 8 else { return nil }
        let word: [UInt8] = Array("infinity".utf8)
        for k in 0..<rest where p[i + k] | 0x20 != word[k] { return nil }
        return negative ? -.infinity : .infinity
    }

    /// `strtod` on a NUL-terminated copy (the grammar was checked above, so strtod reads it all).
    private static func slowPath(_ p: UnsafeBufferPointer<UInt8>) -> Double? {
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: p.count + 1) { copy in
            for k in 0..<p.count { copy[k] = CChar(bitPattern: p[k]) }
            copy[p.count] = 0
            var end: UnsafeMutablePointer<CChar>? = nil
            let v = strtod(copy.baseAddress!, &end)
            return end == copy.baseAddress! + p.count ? v : nil
        }
    }
}
