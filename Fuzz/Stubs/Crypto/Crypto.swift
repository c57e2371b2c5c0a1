// A stand-in for swift-crypto's `Crypto` module, for the fuzz build only (docs/design/fuzzing.md).
//
// swift-crypto compiles BoringSSL, several hundred C files that SwiftPM's `--sanitize` instruments too: on the
// 2-core CI machine that alone took minutes, more than the fuzz budget. The fuzzed code uses a sliver of it — SHA-256
// (top hashes, SigV4 payload hashes), HMAC-SHA256 (SigV4), MD5 (Content-MD5) and SHA-1 (the SSO cache file name) —
// so this module provides exactly that API in plain Swift. The algorithms are the real ones (checked against the
// standard test vectors by `CryptoStubSelfTest.run()`, which the fuzzers that hash call once at start), but this code
// is not constant-time and is never linked into the product.
public import Foundation

public protocol Digest: Sequence, ContiguousBytes, Hashable, Sendable where Element == UInt8 {}

public protocol HashFunction: Sendable {
    associatedtype Digest: Crypto.Digest
    static var blockByteCount: Int { get }
    init()
    mutating func update(bufferPointer: UnsafeRawBufferPointer)
    func finalize() -> Digest
}

extension HashFunction {
    public mutating func update(data: some DataProtocol) {
        for region in data.regions { region.withUnsafeBytes { update(bufferPointer: $0) } }
    }

    public static func hash(data: some DataProtocol) -> Digest {
        var h = Self()
        h.update(data: data)
        return h.finalize()
    }
}

/// A digest's bytes.
public struct DigestBytes: Digest {
    let bytes: [UInt8]
    public func makeIterator() -> IndexingIterator<[UInt8]> { bytes.makeIterator() }
    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R { try bytes.withUnsafeBytes(body) }
}

/// Merkle–Damgård padding and block loop shared by MD5, SHA-1 and SHA-256 (64-byte blocks, 64-bit length).
struct BlockBuffer: Sendable {
    var pending: [UInt8] = []
    var length: UInt64 = 0

    mutating func feed(_ bytes: UnsafeRawBufferPointer, _ block: (UnsafeRawBufferPointer) -> Void) {
        length &+= UInt64(bytes.count)
        var i = 0
        if !pending.isEmpty {
            let take = min(64 - pending.count, bytes.count)
            pending += bytes[0..<take]
            i = take
            if pending.count == 64 {
                pending.withUnsafeBytes(block)
                pending.removeAll(keepingCapacity: true)
            }
        }
        while bytes.count - i >= 64 {
            block(UnsafeRawBufferPointer(rebasing: bytes[i..<(i + 64)]))
            i += 64
        }
        if i < bytes.count { pending += bytes[i...] }
    }

    /// The final padded blocks; `bigEndian` selects the length's byte order (SHA) or little-endian (MD5).
    func padding(bigEndian: Bool) -> [UInt8] {
        var tail = pending
        tail.append(0x80)
        while tail.count % 64 != 56 { tail.append(0) }
        let bits = length &* 8
        for i in 0..<8 { tail.append(UInt8(truncatingIfNeeded: bigEndian ? bits >> (56 - 8 * UInt64(i)) : bits >> (8 * UInt64(i)))) }
        return tail
    }
}

@inline(__always) private func rotl(_ x: UInt32, _ n: UInt32) -> UInt32 { (x << n) | (x >> (32 - n)) }
@inline(__always) private func rotr(_ x: UInt32, _ n: UInt32) -> UInt32 { (x >> n) | (x << (32 - n)) }
@inline(__always) private func be32(_ p: UnsafeRawBufferPointer, _ i: Int) -> UInt32 {
    UInt32(p[4 * i]) << 24 | UInt32(p[4 * i + 1]) << 16 | UInt32(p[4 * i + 2]) << 8 | UInt32(p[4 * i + 3])
}
@inline(__always) private func le32(_ p: UnsafeRawBufferPointer, _ i: Int) -> UInt32 {
    UInt32(p[4 * i]) | UInt32(p[4 * i + 1]) << 8 | UInt32(p[4 * i + 2]) << 16 | UInt32(p[4 * i + 3]) << 24
}
private func bigEndianBytes(_ words: [UInt32]) -> [UInt8] { words.flatMap { w in (0..<4).map { UInt8(truncatingIfNeeded: w >> (24 - 8 * UInt32($0))) } } }
private func littleEndianBytes(_ words: [UInt32]) -> [UInt8] { words.flatMap { w in (0..<4).map { UInt8(truncatingIfNeeded: w >> (8 * UInt32($0))) } } }

public struct SHA256: HashFunction {
    public typealias Digest = DigestBytes
    public static let blockByteCount = 64
    private static let k: [UInt32] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    ]
    private var h: [UInt32] = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]
    private var buffer = BlockBuffer()
    public init() {}

    private static func compress(_ h: inout [UInt32], _ p: UnsafeRawBufferPointer) {
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 64) { w in
            for i in 0..<16 { w[i] = be32(p, i) }
            for i in 16..<64 {
                let s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3)
                let s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10)
                w[i] = w[i - 16] &+ s0 &+ w[i - 7] &+ s1
            }
            var (a, b, c, d, e, f, g, hh) = (h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7])
            k.withUnsafeBufferPointer { k in
                for i in 0..<64 {
                    let t1 = hh &+ (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) &+ ((e & f) ^ (~e & g)) &+ k[i] &+ w[i]
                    let t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) &+ ((a & b) ^ (a & c) ^ (b & c))
                    (hh, g, f, e, d, c, b, a) = (g, f, e, d &+ t1, c, b, a, t1 &+ t2)
                }
            }
            h[0] &+= a; h[1] &+= b; h[2] &+= c; h[3] &+= d; h[4] &+= e; h[5] &+= f; h[6] &+= g; h[7] &+= hh
        }
    }

    public mutating func update(bufferPointer: UnsafeRawBufferPointer) {
        var state = h
        buffer.feed(bufferPointer) { Self.compress(&state, $0) }
        h = state
    }

    public func finalize() -> DigestBytes {
        var state = h
        buffer.padding(bigEndian: true).withUnsafeBytes { tail in
            for i in stride(from: 0, to: tail.count, by: 64) { Self.compress(&state, UnsafeRawBufferPointer(rebasing: tail[i..<(i + 64)])) }
        }
        return DigestBytes(bytes: bigEndianBytes(state))
    }
}

public enum Insecure {
    public struct SHA1: HashFunction {
        public typealias Digest = DigestBytes
        public static let blockByteCount = 64
        private var h: [UInt32] = [0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0]
        private var buffer = BlockBuffer()
        public init() {}

        private static func compress(_ h: inout [UInt32], _ p: UnsafeRawBufferPointer) {
            var w = [UInt32](repeating: 0, count: 80)
            for i in 0..<16 { w[i] = be32(p, i) }
            for i in 16..<80 { w[i] = rotl(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1) }
            var (a, b, c, d, e) = (h[0], h[1], h[2], h[3], h[4])
            for i in 0..<80 {
                let (f, k): (UInt32, UInt32)
                switch i {
                case 0..<20: (f, k) = ((b & c) | (~b & d), 0x5A827999)
                case 20..<40: (f, k) = (b ^ c ^ d, 0x6ED9EBA1)
                case 40..<60: (f, k) = ((b & c) | (b & d) | (c & d), 0x8F1BBCDC)
                default: (f, k) = (b ^ c ^ d, 0xCA62C1D6)
                }
                let t = rotl(a, 5) &+ f &+ e &+ k &+ w[i]
                (e, d, c, b, a) = (d, c, rotl(b, 30), a, t)
            }
            for (i, v) in [a, b, c, d, e].enumerated() { h[i] = h[i] &+ v }
        }

        public mutating func update(bufferPointer: UnsafeRawBufferPointer) {
            var state = h
            buffer.feed(bufferPointer) { Self.compress(&state, $0) }
            h = state
        }

        public func finalize() -> DigestBytes {
            var state = h
            buffer.padding(bigEndian: true).withUnsafeBytes { tail in
                for i in stride(from: 0, to: tail.count, by: 64) { Self.compress(&state, UnsafeRawBufferPointer(rebasing: tail[i..<(i + 64)])) }
            }
            return DigestBytes(bytes: bigEndianBytes(state))
        }
    }

    public struct MD5: HashFunction {
        public typealias Digest = DigestBytes
        public static let blockByteCount = 64
        private static let s: [UInt32] = [7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22,
                                          5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20,
                                          4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23,
                                          6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21]
        private static let k: [UInt32] = (0..<64).map { UInt32(truncatingIfNeeded: Int64(abs(sin(Double($0 + 1))) * 4294967296.0)) }
        private var h: [UInt32] = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476]
        private var buffer = BlockBuffer()
        public init() {}

        private static func compress(_ h: inout [UInt32], _ p: UnsafeRawBufferPointer) {
            var (a, b, c, d) = (h[0], h[1], h[2], h[3])
            for i in 0..<64 {
                var f: UInt32
                let g: Int
                switch i {
                case 0..<16: f = (b & c) | (~b & d); g = i
                case 16..<32: f = (d & b) | (~d & c); g = (5 * i + 1) % 16
                case 32..<48: f = b ^ c ^ d; g = (3 * i + 5) % 16
                default: f = c ^ (b | ~d); g = (7 * i) % 16
                }
                f = f &+ a &+ k[i] &+ le32(p, g)
                (a, d, c) = (d, c, b)
                b = b &+ rotl(f, s[i])
            }
            for (i, v) in [a, b, c, d].enumerated() { h[i] = h[i] &+ v }
        }

        public mutating func update(bufferPointer: UnsafeRawBufferPointer) {
            var state = h
            buffer.feed(bufferPointer) { Self.compress(&state, $0) }
            h = state
        }

        public func finalize() -> DigestBytes {
            var state = h
            buffer.padding(bigEndian: false).withUnsafeBytes { tail in
                for i in stride(from: 0, to: tail.count, by: 64) { Self.compress(&state, UnsafeRawBufferPointer(rebasing: tail[i..<(i + 64)])) }
            }
            return DigestBytes(bytes: littleEndianBytes(state))
        }
    }
}

/// A secret key's bytes.
public struct SymmetricKey: Sendable, ContiguousBytes {
    let bytes: [UInt8]
    public init<D: ContiguousBytes>(data: D) { bytes = data.withUnsafeBytes { Array($0) } }
    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R { try bytes.withUnsafeBytes(body) }
}

public struct HashedAuthenticationCode<H: HashFunction>: Sequence, ContiguousBytes, Hashable, Sendable {
    let bytes: [UInt8]
    public func makeIterator() -> IndexingIterator<[UInt8]> { bytes.makeIterator() }
    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R { try bytes.withUnsafeBytes(body) }
}

/// RFC 2104 HMAC.
public struct HMAC<H: HashFunction>: Sendable {
    public static func authenticationCode(for data: some DataProtocol, using key: SymmetricKey) -> HashedAuthenticationCode<H> {
        var k = key.bytes
        if k.count > H.blockByteCount { k = Array(H.hash(data: k)) }
        k += [UInt8](repeating: 0, count: H.blockByteCount - k.count)
        var inner = H()
        inner.update(data: k.map { $0 ^ 0x36 })
        inner.update(data: data)
        var outer = H()
        outer.update(data: k.map { $0 ^ 0x5c })
        outer.update(data: Array(inner.finalize()))
        return HashedAuthenticationCode(bytes: Array(outer.finalize()))
    }
}

/// Checks the stand-in against the standard test vectors; traps on a mismatch.
public enum CryptoStubSelfTest {
    public static func run() {
        func hex(_ s: some Sequence<UInt8>) -> String { s.map { String(format: "%02x", $0) }.joined() }
        let million = [UInt8](repeating: 0x61, count: 1_000_000)
        let vectors: [(String, String)] = [
            (hex(SHA256.hash(data: Array("abc".utf8))), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
            (hex(SHA256.hash(data: [UInt8]())), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
            (hex(SHA256.hash(data: Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))),
             "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
            (hex(SHA256.hash(data: million)), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"),
            (hex(Insecure.SHA1.hash(data: Array("abc".utf8))), "a9993e364706816aba3e25717850c26c9cd0d89d"),
            (hex(Insecure.MD5.hash(data: Array("abc".utf8))), "900150983cd24fb0d6963f7d28e17f72"),
            (hex(Insecure.MD5.hash(data: [UInt8]())), "d41d8cd98f00b204e9800998ecf8427e"),
            (hex(HMAC<SHA256>.authenticationCode(for: Array("what do ya want for nothing?".utf8), using: SymmetricKey(data: Array("Jefe".utf8)))),
             "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
        ]
        for (got, want) in vectors where got != want { fatalError("Crypto stand-in is wrong: \(got) != \(want)") }
        // Feeding in pieces must equal feeding at once.
        var pieces = SHA256()
        for chunk in stride(from: 0, to: million.count, by: 777) { pieces.update(data: million[chunk..<min(chunk + 777, million.count)]) }
        if hex(pieces.finalize()) != vectors[3].1 { fatalError("Crypto stand-in is wrong when fed in pieces") }
    }
}
