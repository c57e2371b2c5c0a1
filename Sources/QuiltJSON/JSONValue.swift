/// A JSON value that keeps everything needed to reproduce Python `json` output byte for byte:
/// object member order (``JSONObject``), integers of any size and the int/float distinction
/// (``JSONNumber``), and strings as exact Unicode scalars.
///
/// Equality (`==`, `Hashable`) is structural and exact: strings compare by Unicode scalars (no
/// normalisation), numbers by kind and value (``JSONNumber``), arrays element-wise and objects
/// **including member order**. Use ``isEquivalent(to:)`` to ignore object member order.
public enum JSONValue: Sendable {
    /// JSON `null` (Python `None`).
    case null
    /// JSON `true` / `false`.
    case bool(Bool)
    /// A JSON number: an exact integer or a double.
    case number(JSONNumber)
    /// A JSON string.
    case string(String)
    /// A JSON array.
    case array([JSONValue])
    /// A JSON object with ordered members.
    case object(JSONObject)
}

extension JSONValue {
    /// The member named `key` when this is an object that has it; otherwise `nil`. Never fails.
    public subscript(key: String) -> JSONValue? {
        if case .object(let object) = self { return object[key] }
        return nil
    }

    /// The element at `index` when this is an array and `index` is in bounds; otherwise `nil`.
    /// Never traps.
    public subscript(index: Int) -> JSONValue? {
        if case .array(let array) = self, array.indices.contains(index) { return array[index] }
        return nil
    }

    /// The string payload, or `nil` if this is not a string.
    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// The boolean payload, or `nil` if this is not a boolean.
    public var boolValue: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }

    /// The number payload, or `nil` if this is not a number.
    public var numberValue: JSONNumber? {
        if case .number(let n) = self { return n }
        return nil
    }

    /// The value as `Int` only when that is exact: an integer within `Int`'s range, or a double
    /// with an integral value within `Int`'s range (`5.0` → `5`). `nil` for anything else
    /// (non-numbers, fractions, NaN, infinities, out-of-range integers). Never rounds.
    public var intValue: Int? {
        guard case .number(let n) = self else { return nil }
        switch n.storage {
        case .int(let v): return Int(exactly: v)
        case .bigInt: return nil
        case .double(let d):
            // Range check then truncating conversion (avoids `Int(exactly:)`, which needs libm's
            // `trunc` at link time). NaN fails the range check.
            guard d >= -0x1p63 && d < 0x1p63 else { return nil }
            let i = Int(d)
            return Double(i) == d ? i : nil
        }
    }

    /// The number as `Double` (see ``JSONNumber/doubleValue``), or `nil` if this is not a number.
    public var doubleValue: Double? {
        if case .number(let n) = self { return n.doubleValue }
        return nil
    }

    /// The object payload, or `nil` if this is not an object.
    public var objectValue: JSONObject? {
        if case .object(let o) = self { return o }
        return nil
    }

    /// The array payload, or `nil` if this is not an array.
    public var arrayValue: [JSONValue]? {
        if case .array(let a) = self { return a }
        return nil
    }

    /// True exactly for `.null`.
    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// Structural equality that ignores object member order at every depth. Everything else is as
    /// strict as `==`: the integer `1` is not equivalent to the double `1.0`.
    public func isEquivalent(to other: JSONValue) -> Bool {
        switch (self, other) {
        case let (.array(a), .array(b)):
            guard a.count == b.count else { return false }
            for (x, y) in zip(a, b) where !x.isEquivalent(to: y) { return false }
            return true
        case let (.object(a), .object(b)):
            guard a.count == b.count else { return false }
            for (key, value) in a {
                guard let theirs = b[key], value.isEquivalent(to: theirs) else { return false }
            }
            return true
        default:
            return self == other
        }
    }
}

extension JSONValue: Hashable {
    /// Exact structural equality; strings compare by Unicode scalars, objects are order-sensitive.
    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case let (.bool(a), .bool(b)): return a == b
        case let (.number(a), .number(b)): return a == b
        case let (.string(a), .string(b)): return utf8Equal(a, b)
        case let (.array(a), .array(b)): return a == b
        case let (.object(a), .object(b)): return a == b
        default: return false
        }
    }

    /// Hashes consistently with `==`.
    public func hash(into hasher: inout Hasher) {
        switch self {
        case .null:
            hasher.combine(0 as UInt8)
        case .bool(let b):
            hasher.combine(1 as UInt8)
            hasher.combine(b)
        case .number(let n):
            hasher.combine(2 as UInt8)
            hasher.combine(n)
        case .string(let s):
            hasher.combine(3 as UInt8)
            hashUTF8(s, into: &hasher)
        case .array(let a):
            hasher.combine(4 as UInt8)
            hasher.combine(a)
        case .object(let o):
            hasher.combine(5 as UInt8)
            hasher.combine(o)
        }
    }
}

extension JSONValue: CustomStringConvertible {
    /// Compact JSON text, as ``JSONWriter/compact(_:)``.
    public var description: String { JSONWriter.compact(self) }
}
