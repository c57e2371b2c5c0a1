// Byte-level helpers shared by the value types, the parser and the encoders.
//
// Swift `String` equality and ordering follow Unicode canonical equivalence ("é" precomposed equals
// "e" + U+0301). Python compares `str` by code points, so everything in this module that must agree
// with Python compares UTF-8 bytes instead. UTF-8 byte order is code point order.

/// Calls `body` with the UTF-8 bytes of `string` without copying or retaining native strings.
@inline(__always)
func withUTF8Bytes<R>(_ string: String, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
    if let result = try string.utf8.withContiguousStorageIfAvailable(body) {
        return result
    }
    return try withUTF8BytesOfCopy(string, body)
}

/// The rare path for strings without contiguous UTF-8 (e.g. bridged), kept out of line so the copy
/// it needs does not make callers retain every string.
@inline(never)
func withUTF8BytesOfCopy<R>(_ string: String, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
    var copy = string
    return try copy.withUTF8(body)
}

/// True when `a` and `b` hold the same Unicode scalars (byte-identical UTF-8), with no normalisation.
@inline(__always)
func utf8Equal(_ a: String, _ b: String) -> Bool {
    guard a.utf8.count == b.utf8.count else { return false }
    return withUTF8Bytes(a) { pa in
        withUTF8Bytes(b) { pb in
            var i = 0
            let n = pa.count
            while i < n {
                if pa[i] != pb[i] { return false }
                i += 1
            }
            return true
        }
    }
}

/// True when `a` sorts before `b` by Unicode code point sequence (Python `str` ordering).
@inline(__always)
func codePointLess(_ a: String, _ b: String) -> Bool {
    withUTF8Bytes(a) { pa in
        withUTF8Bytes(b) { pb in
            let n = min(pa.count, pb.count)
            var i = 0
            while i < n {
                let x = pa[i], y = pb[i]
                if x != y { return x < y }
                i += 1
            }
            return pa.count < pb.count
        }
    }
}

/// Feeds the UTF-8 bytes of `string` to `hasher`; consistent with `utf8Equal`.
@inline(__always)
func hashUTF8(_ string: String, into hasher: inout Hasher) {
    withUTF8Bytes(string) { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    hasher.combine(string.utf8.count)
}

/// A dictionary key that compares strings by their UTF-8 bytes (no Unicode normalisation).
struct UTF8Key: Hashable, Sendable {
    let string: String

    static func == (lhs: UTF8Key, rhs: UTF8Key) -> Bool { utf8Equal(lhs.string, rhs.string) }

    func hash(into hasher: inout Hasher) { hashUTF8(string, into: &hasher) }
}
