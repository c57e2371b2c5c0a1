/// A JSON number exactly as Python's `json` module would hold it.
///
/// Python parses a number literal containing `.`, `e` or `E` as a `float` (an IEEE 754 double) and
/// every other literal as an arbitrary-precision `int`. A `JSONNumber` is exactly one of:
///
/// - an **integer** of any size, kept as its canonical decimal text (no leading zeros, `-0`
///   normalised to `0`; values that fit in `Int64` are stored inline), or
/// - a **double**, which may be any `Double` including NaN and ±infinity (`1e400` parses to
///   `+infinity`, as in Python).
///
/// Equality is exact and representation-sensitive, because the two kinds encode differently:
/// the integer `1` is not equal to the double `1.0`, and the double `0.0` is not equal to `-0.0`
/// (doubles compare by bit pattern, so a NaN equals a NaN with the same bits).
public struct JSONNumber: Sendable, Hashable {
    @usableFromInline
    enum Storage: Sendable {
        /// An integer that fits in `Int64`.
        case int(Int64)
        /// An integer outside the `Int64` range, as canonical decimal text (`-?[1-9][0-9]*`).
        case bigInt(String)
        case double(Double)
    }

    @usableFromInline
    var storage: Storage

    /// Creates an integer number. Never fails.
    @inlinable
    public init(_ value: Int) { storage = .int(Int64(value)) }

    /// Creates an integer number. Never fails.
    @inlinable
    public init(_ value: Int64) { storage = .int(value) }

    /// Creates a floating-point number (Python `float`). Any value is accepted, including NaN and
    /// ±infinity; the encoders decide how to write those (``CanonicalJSON`` writes `NaN`/`Infinity`,
    /// ``ManifestJSON`` throws, ``JSONWriter`` writes `null`).
    @inlinable
    public init(_ value: Double) { storage = .double(value) }

    /// Creates an integer number from decimal text `-?[0-9]+` of any length.
    ///
    /// Leading zeros are dropped and `-0` becomes `0`, so the stored text is canonical.
    /// Returns `nil` (never throws) when `integerText` is empty, has a `+` sign, or contains
    /// anything other than an optional leading `-` followed by ASCII digits.
    public init?(integerText: String) {
        let bytes = Array(integerText.utf8)
        var i = 0
        var negative = false
        if i < bytes.count, bytes[i] == UInt8(ascii: "-") {
            negative = true
            i += 1
        }
        guard i < bytes.count else { return nil }
        for b in bytes[i...] where !(b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9")) {
            return nil
        }
        while i < bytes.count - 1, bytes[i] == UInt8(ascii: "0") { i += 1 }
        self.init(negative: negative, digits: bytes[i...])
    }

    /// Builds an integer from validated ASCII digits with no leading zeros (or the single digit `0`).
    @inline(__always)
    init<Digits: Collection<UInt8>>(negative: Bool, digits: Digits) {
        if digits.count <= 19 {
            var magnitude: UInt64 = 0
            var overflow = false
            for b in digits {
                let (m1, o1) = magnitude.multipliedReportingOverflow(by: 10)
                let (m2, o2) = m1.addingReportingOverflow(UInt64(b &- UInt8(ascii: "0")))
                overflow = overflow || o1 || o2
                magnitude = m2
            }
            if !overflow {
                if !negative, magnitude <= UInt64(Int64.max) {
                    storage = .int(Int64(magnitude))
                    return
                }
                if negative, magnitude <= UInt64(Int64.max) + 1 {
                    storage = .int(Int64(truncatingIfNeeded: 0 &- magnitude))
                    return
                }
            }
        }
        let text = String(decoding: digits, as: UTF8.self)
        storage = .bigInt(negative ? "-" + text : text)
    }

    /// True for integers (Python `int`), false for doubles (Python `float`).
    @inlinable
    public var isInteger: Bool {
        if case .double = storage { return false }
        return true
    }

    /// The value as `Int64`; `nil` when this is a double or an integer outside the `Int64` range.
    /// Never rounds.
    @inlinable
    public var int64Value: Int64? {
        if case .int(let v) = storage { return v }
        return nil
    }

    /// The value as `Double`. Doubles are returned unchanged; integers are rounded to the nearest
    /// double, and integers too large for `Double` become ±infinity (where Python would raise
    /// `OverflowError`).
    public var doubleValue: Double {
        switch storage {
        case .int(let v): return Double(v)
        case .bigInt(let text):
            if let d = Double(text) { return d }
            return text.hasPrefix("-") ? -.infinity : .infinity
        case .double(let d): return d
        }
    }

    /// The canonical decimal digits (`-?[1-9][0-9]*` or `0`) of an integer; `nil` for doubles.
    public var integerText: String? {
        switch storage {
        case .int(let v): return String(v)
        case .bigInt(let text): return text
        case .double: return nil
        }
    }

    /// Structural equality: same kind and same value; doubles compare by bit pattern.
    public static func == (lhs: JSONNumber, rhs: JSONNumber) -> Bool {
        switch (lhs.storage, rhs.storage) {
        case let (.int(a), .int(b)): return a == b
        case let (.bigInt(a), .bigInt(b)): return a.utf8.elementsEqual(b.utf8)
        case let (.double(a), .double(b)): return a.bitPattern == b.bitPattern
        default: return false
        }
    }

    /// Hashes consistently with `==`.
    public func hash(into hasher: inout Hasher) {
        switch storage {
        case .int(let v):
            hasher.combine(0 as UInt8)
            hasher.combine(v)
        case .bigInt(let text):
            hasher.combine(1 as UInt8)
            hashUTF8(text, into: &hasher)
        case .double(let d):
            hasher.combine(2 as UInt8)
            hasher.combine(d.bitPattern)
        }
    }
}

extension JSONNumber: CustomStringConvertible {
    /// The number as Python would print it: integer digits, or `PythonFloat.repr` for doubles.
    public var description: String {
        switch storage {
        case .int(let v): return String(v)
        case .bigInt(let text): return text
        case .double(let d): return PythonFloat.repr(d)
        }
    }
}

extension JSONNumber: ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral {
    /// Creates an integer number from an integer literal.
    @inlinable
    public init(integerLiteral value: Int) { self.init(value) }

    /// Creates a double from a floating-point literal.
    @inlinable
    public init(floatLiteral value: Double) { self.init(value) }
}
