// A growable byte buffer for the encoders, plus the primitives they share: literals, integers and
// the two string escapers. Writes go through raw pointers after one capacity check per item, and
// strings are copied eight bytes at a time where nothing needs escaping.

/// An append-only byte buffer. The first buffer is caller-provided (stack memory from
/// `withUnsafeTemporaryAllocation`); growth moves to the heap.
struct ByteWriter: ~Copyable {
    private(set) var base: UnsafeMutablePointer<UInt8>
    private(set) var count = 0
    private var capacity: Int
    private var ownsBase: Bool

    init(initial: UnsafeMutableBufferPointer<UInt8>) {
        if let address = initial.baseAddress, initial.count > 0 {
            base = address
            capacity = initial.count
            ownsBase = false
        } else {
            base = UnsafeMutablePointer<UInt8>.allocate(capacity: 256)
            capacity = 256
            ownsBase = true
        }
    }

    deinit {
        if ownsBase { base.deallocate() }
    }

    /// Runs `body` with an empty writer whose first kilobyte lives on the stack.
    static func withWriter<R>(_ body: (inout ByteWriter) -> R) -> R {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 1024) { buffer in
            var writer = ByteWriter(initial: buffer)
            return body(&writer)
        }
    }

    /// The bytes written so far (valid until the next write).
    var bytes: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: base, count: count) }

    /// Ensures room for `n` more bytes and returns where the next byte goes. Write at most `n`
    /// bytes there, then call ``commit(_:)`` with the pointer just past the last byte written.
    @inline(__always)
    mutating func reserve(_ n: Int) -> UnsafeMutablePointer<UInt8> {
        if count &+ n > capacity { grow(minimum: count &+ n) }
        return base + count
    }

    @inline(__always)
    mutating func commit(_ end: UnsafeMutablePointer<UInt8>) {
        count = end - base
    }

    private mutating func grow(minimum: Int) {
        var newCapacity = capacity * 2
        while newCapacity < minimum { newCapacity *= 2 }
        let newBase = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        newBase.initialize(from: base, count: count)
        if ownsBase { base.deallocate() }
        base = newBase
        capacity = newCapacity
        ownsBase = true
    }

    @inline(__always)
    mutating func append(_ byte: UInt8) {
        let p = reserve(1)
        p.pointee = byte
        count &+= 1
    }

    @inline(__always)
    mutating func append(_ literal: StaticString) {
        let n = literal.utf8CodeUnitCount
        let p = reserve(n)
        p.initialize(from: literal.utf8Start, count: n)
        count &+= n
    }

    @inline(__always)
    mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress else { return }
        let p = reserve(bytes.count)
        p.initialize(from: source, count: bytes.count)
        count &+= bytes.count
    }

    /// Appends the decimal digits of `value`.
    mutating func appendInteger(_ value: Int64) {
        var p = reserve(20)
        if value < 0 {
            p.pointee = UInt8(ascii: "-")
            p += 1
        }
        var magnitude = value.magnitude
        var digits = 1
        var probe = magnitude
        while probe >= 10 {
            probe /= 10
            digits += 1
        }
        var q = p + digits
        repeat {
            q -= 1
            q.pointee = UInt8(truncatingIfNeeded: magnitude % 10) &+ UInt8(ascii: "0")
            magnitude /= 10
        } while magnitude != 0
        commit(p + digits)
    }

    /// Appends an exact integer (`Int64` or big-integer text). Returns false, writing nothing, for
    /// doubles.
    @inline(__always)
    mutating func appendIfInteger(_ number: JSONNumber) -> Bool {
        switch number.storage {
        case .int(let v):
            appendInteger(v)
            return true
        case .bigInt(let text):
            withUTF8Bytes(text) { append($0) }
            return true
        case .double:
            return false
        }
    }
}
