// Helpers shared by the fuzz targets: property checks that trap with a message libFuzzer keeps in its log.
public import QuiltJSON

/// Traps (a crash libFuzzer records, with the input saved) when a property does not hold.
@inline(__always)
public func check(_ condition: Bool, _ message: @autoclosure () -> String, file: StaticString = #fileID, line: UInt = #line) {
    if !condition { fatalError("fuzz property violated: \(message())", file: file, line: line) }
}

/// The input as a string: valid UTF-8 decodes as is, anything else with replacement characters (the parsers under
/// test take `String`s that came from JSON, headers or the command line, which are always valid Unicode).
public func text(_ bytes: UnsafeRawBufferPointer) -> String {
    String(decoding: bytes, as: UTF8.self)
}

extension JSONValue {
    /// The value as JSON text can carry it: non-finite doubles (which `JSONWriter` writes as `null`) become `null`.
    public var finiteOrNull: JSONValue {
        switch self {
        case .number(let n) where !n.isInteger && !n.doubleValue.isFinite: return .null
        case .array(let a): return .array(a.map(\.finiteOrNull))
        case .object(let o): return .object(JSONObject(o.map { ($0.key, $0.value.finiteOrNull) }))
        default: return self
        }
    }

    /// True when some double in the value is NaN or infinite (the parser gives ±infinity for `1e400`).
    public var hasNonFinite: Bool {
        switch self {
        case .number(let n): return !n.isInteger && !n.doubleValue.isFinite
        case .array(let a): return a.contains { $0.hasNonFinite }
        case .object(let o): return o.contains { $0.value.hasNonFinite }
        default: return false
        }
    }
}

/// Splits `bytes` at the first `separator` byte: (before, after); `after` is nil when there is none.
public func split(_ bytes: UnsafeRawBufferPointer, at separator: UInt8) -> (UnsafeRawBufferPointer, UnsafeRawBufferPointer?) {
    guard let i = bytes.firstIndex(of: separator) else { return (bytes, nil) }
    return (UnsafeRawBufferPointer(rebasing: bytes[..<i]), UnsafeRawBufferPointer(rebasing: bytes[(i + 1)...]))
}
