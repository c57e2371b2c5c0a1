import Foundation
import QuiltHash
import Testing

/// One row of the reference table (quilt-registry-and-catalog.md §4.4).
struct ReferenceHashRow: Sendable, CustomTestStringConvertible {
    enum Input: Sendable {
        case text(String)
        case pattern(Int)
        case repeated(String, Int)
    }

    var input: Input
    var size: Int
    var chunk: Int
    var parts: Int
    var sha256: String?
    var chunked: String
    var crc: String

    func bytes() -> [UInt8] {
        switch input {
        case .text(let s): return Array(s.utf8)
        case .pattern(let n): return PatternBytes.make(n)
        case .repeated(let unit, let count):
            let u = Array(unit.utf8)
            var out: [UInt8] = []
            out.reserveCapacity(u.count * count)
            for _ in 0..<count { out.append(contentsOf: u) }
            return out
        }
    }

    var testDescription: String {
        switch input {
        case .text(let s): return "text \(s.debugDescription)"
        case .pattern(let n): return "pattern \(n)"
        case .repeated(let unit, let count): return "\(unit.debugDescription) x \(count)"
        }
    }

    static let all: [ReferenceHashRow] = [
        .init(input: .text(""), size: 0, chunk: 8_388_608, parts: 0,
              sha256: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
              chunked: "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=", crc: "AAAAAAAAAAA="),
        .init(input: .text("hello"), size: 5, chunk: 8_388_608, parts: 1,
              sha256: "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824",
              chunked: "lZXJ35AHUUjrBoYDZd8zWEt1v/eCpRDGzUiDpBmDPVA=", crc: "M3eFcAZSQlc="),
        .init(input: .text("hello\n"), size: 6, chunk: 8_388_608, parts: 1,
              sha256: "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03",
              chunked: "7LZbuY+dkFtwRYmGw5/LrXcV5fL8w7Hwd2fXyD4kOMw=", crc: "akP7S61aVgc="),
        .init(input: .text("Hello, World!"), size: 13, chunk: 8_388_608, parts: 1,
              sha256: "dffd6021bb2bd5b0af676290809ec3a53191dd81c7f70a4b28688a362182986f",
              chunked: "BCp9ZKWB7y7pg/IQWIAcw1ZjtwXmxV9i+o4PGOzHCYk=", crc: "1Km+Qyat0k0="),
        .init(input: .repeated("a", 1_000_000), size: 1_000_000, chunk: 8_388_608, parts: 1,
              sha256: "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0",
              chunked: "gNEYlHdWPhtSBrJ0nxr+SAflcF6L13iHpgGHpxIVZog=", crc: "OLDvUEGeC0w="),
        .init(input: .pattern(8_388_607), size: 8_388_607, chunk: 8_388_608, parts: 1,
              sha256: "aad2e08217b328013c0f8020ad65300dd3d6181ac21487f83129282375d0d222",
              chunked: "YOEdXHjDnB77SIJeNRA7iw7K8lF/5kYHaO7zc+GsS6Y=", crc: "glew0eCkQGQ="),
        .init(input: .pattern(8_388_608), size: 8_388_608, chunk: 8_388_608, parts: 1,
              sha256: "7d212b9c884f5c77896de960ae17cc341cda43b14d6a971f34ca29ebd4badf7f",
              chunked: "Y+xic9HIIzUM7UUKGrqpoVRY1UsuM4TGmguA+JTxZgU=", crc: "EHuWCSKz4KI="),
        .init(input: .pattern(8_388_609), size: 8_388_609, chunk: 8_388_608, parts: 2,
              sha256: "241ca9a8e51ef578c06db1c5ed27d8018eb6515d3427ca9b9a84d5e93bcce2ae",
              chunked: "e91sxQBHgMrqPfJLFdROxuU6xBpwC6sX3IO8R5OmlSM=", crc: "QLqnHzuSMI0="),
        .init(input: .pattern(9_437_184), size: 9_437_184, chunk: 8_388_608, parts: 2,
              sha256: "b8b5dabaa3454f7fa46a97c51cec9ccd118ffc0d61df6e46d845ef200a2fd1bb",
              chunked: "kblDlqnyLJK+pUV1t/hg3xux7RPrSzBobrA3bpEpxEQ=", crc: "eUjTUweMMvY="),
        .init(input: .pattern(16_777_216), size: 16_777_216, chunk: 8_388_608, parts: 2,
              sha256: "341aacac661ccb210720bedaa9ead5d668fe5ea41a73532fc147c71e34040df1",
              chunked: "DYmlSVEzwG2KcuSgQjjNCAXHOLE3/IQo/pkYzRMVdy8=", crc: "49Tbz3NIEWI="),
        .init(input: .pattern(17_825_797), size: 17_825_797, chunk: 8_388_608, parts: 3,
              sha256: "a46a366679d136f88293eea1aae707dc4e356ef093261ed2223f28f27c4054c7",
              chunked: "NxKS/PJZkmmNA5h8T44t5pR2AEZmKhrYIT9GcU9wOvM=", crc: "rxIIcAFkjGQ="),
        .init(input: .repeated("1234567890abcdefgh", 1_048_576), size: 18_874_368, chunk: 8_388_608, parts: 3,
              sha256: nil,
              chunked: "T+rt/HKRJOiAkEGXKvc+DhCwRcrZiDrFkjKonDT1zgs=", crc: "kpoJFZYSwt4="),
    ]
}

@Suite("Object hashes: reference table, streaming, files, verification")
struct HashTests {
    @Test("Reference table row (§4.4)", arguments: ReferenceHashRow.all)
    func referenceRow(_ row: ReferenceHashRow) {
        let data = row.bytes()
        #expect(data.count == row.size)
        let chunk = ChunkedChecksum.chunkSize(forTotalSize: Int64(row.size))
        #expect(chunk == row.chunk)
        #expect((row.size + chunk - 1) / chunk == row.parts)
        #expect(ObjectHashing.hash(data) == ObjectHash(type: "sha2-256-chunked", value: row.chunked))
        #expect(ObjectHashing.hash(data, type: .crc64nvme) == ObjectHash(type: "CRC64NVME", value: row.crc))
        if let hex = row.sha256 {
            #expect(ObjectHashing.hash(data, type: .sha256) == ObjectHash(type: "SHA256", value: hex))
        }
    }

    @Test("Chunk sizes double past 10,000 parts", arguments: [
        (Int64(0), 8_388_608), (1, 8_388_608), (8_388_608, 8_388_608), (8_388_609, 8_388_608),
        (83_886_080_000, 8_388_608), (83_886_080_001, 16_777_216), (167_772_160_000, 16_777_216),
        (167_772_160_001, 33_554_432), (-5, 8_388_608),
    ])
    func chunkSizes(size: Int64, expected: Int) {
        #expect(ChunkedChecksum.chunkSize(forTotalSize: size) == expected)
    }

    @Test("Chunk size never traps near Int64.max")
    func chunkSizeExtreme() {
        let chunk = ChunkedChecksum.chunkSize(forTotalSize: .max)
        #expect(chunk == 1 << 50)
        let parts = Int64.max / Int64(chunk) + 1
        #expect(parts <= Int64(ChunkedChecksum.maxParts))
    }

    @Test("CRC-64/NVME check value")
    func crcCheckValue() {
        var crc = CRC64NVME()
        #expect(crc.value == 0)
        Array("123456789".utf8).withUnsafeBytes { crc.update($0) }
        #expect(crc.value == 0xae8b_1486_0a79_9888)
        #expect(crc.bigEndianBytes == [0xae, 0x8b, 0x14, 0x86, 0x0a, 0x79, 0x98, 0x88])
        #expect(ObjectHashing.hash(Array("123456789".utf8), type: .crc64nvme).value == "rosUhgp5mIg=")
    }

    @Test("CRC-64/NVME sliced loop equals the bitwise definition for every length 0...64")
    func crcAgainstBitwise() {
        let data = (0..<64).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
        for length in 0...64 {
            var crc = CRC64NVME()
            data.prefix(length).withUnsafeBytes { crc.update($0) }
            #expect(crc.value == bitwiseCRC(data.prefix(length)), "length \(length)")
        }
    }

    @Test("Streaming in awkward slices equals one-shot", arguments: ObjectHashType.allCases)
    func streamingSmallSlices(type: ObjectHashType) {
        let data = PatternBytes.make(100_003)
        let oneShot = ObjectHashing.hash(data, type: type)
        for step in [1, 7, 4096, 65_537] {
            var hasher = ObjectHasher(type: type, totalSize: Int64(data.count))
            var start = 0
            while start < data.count {
                let end = min(start + step, data.count)
                data[start..<end].withUnsafeBytes { hasher.update($0) }
                start = end
            }
            #expect(hasher.finalize() == oneShot, "step \(step)")
        }
    }

    @Test("Slices that straddle the 8 MiB chunk boundary", arguments: ObjectHashType.allCases)
    func streamingAcrossChunkBoundary(type: ObjectHashType) {
        let size = 2 * ChunkedChecksum.defaultChunkSize + 5
        let data = PatternBytes.make(size)
        let oneShot = ObjectHashing.hash(data, type: type)
        let cuts: [[Int]] = [
            [3_000_000, 6_000_000, 9_000_000, 12_000_000, 15_000_000],
            [ChunkedChecksum.defaultChunkSize - 1, ChunkedChecksum.defaultChunkSize + 1],
            [ChunkedChecksum.defaultChunkSize, 2 * ChunkedChecksum.defaultChunkSize],
            [1, 2 * ChunkedChecksum.defaultChunkSize + 4],
        ]
        for points in cuts {
            var hasher = ObjectHasher(type: type, totalSize: Int64(size))
            var start = 0
            for end in points + [size] {
                data[start..<end].withUnsafeBytes { hasher.update($0) }
                start = end
            }
            #expect(hasher.finalize() == oneShot, "cuts \(points)")
        }
    }

    @Test("Sequence update (non-contiguous) equals buffer update")
    func sequenceUpdate() {
        let data = PatternBytes.make(200_000)
        var hasher = ObjectHasher(type: .sha2256Chunked, totalSize: Int64(data.count))
        hasher.update(data.lazy.map { $0 })  // not contiguous: goes through the bounded copy
        #expect(hasher.finalize() == ObjectHashing.hash(data))
    }

    @Test("finalize() resets the hasher for reuse")
    func finalizeResets() {
        var hasher = ObjectHasher(type: .sha2256Chunked, totalSize: 5)
        hasher.update(Array("hello".utf8))
        let first = hasher.finalize()
        hasher.update(Array("hello".utf8))
        #expect(hasher.finalize() == first)
        #expect(first.value == "lZXJ35AHUUjrBoYDZd8zWEt1v/eCpRDGzUiDpBmDPVA=")
    }

    @Test("Chunk boundaries follow the declared size, not the bytes fed")
    func declaredSizeGovernsChunks() {
        // Declared 100 GB (16 MiB chunks) but 9 MiB fed: one 9 MiB part, unlike the real 9 MiB value (two parts).
        let data = PatternBytes.make(9 * 1024 * 1024)
        var big = ObjectHasher(type: .sha2256Chunked, totalSize: 100_000_000_000)
        #expect(big.chunkSize == 16 * 1024 * 1024)
        big.update(data)
        #expect(big.finalize() != ObjectHashing.hash(data))
        // Declared 1 byte (8 MiB chunks) but 9 MiB fed: same boundaries as the true size, so the same value.
        var small = ObjectHasher(type: .sha2256Chunked, totalSize: 1)
        small.update(data)
        #expect(small.finalize().value == "kblDlqnyLJK+pUV1t/hg3xux7RPrSzBobrA3bpEpxEQ=")
        // Nothing fed: the empty-object value whatever the declared size.
        var none = ObjectHasher(type: .sha2256Chunked, totalSize: 1_000)
        #expect(none.finalize().value == "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=")
    }

    @Test("hashFile equals in-memory hashing", arguments: [0, 5, 8_388_608, 8_388_609])
    func hashFileMatchesMemory(size: Int) throws {
        let data = PatternBytes.make(size)
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("quilthash-\(UUID().uuidString).bin")
        try Data(data).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        for type in ObjectHashType.allCases {
            #expect(try ObjectHashing.hashFile(atPath: url.path, type: type) == ObjectHashing.hash(data, type: type))
            #expect(try ObjectHashing.verifyFile(atPath: url.path, expected: ObjectHashing.hash(data, type: type)))
        }
        #expect(try ObjectHashing.verifyFile(atPath: url.path, expected: ObjectHash(type: "md5", value: "x")) == false)
    }

    @Test("verify: true for the right value, false otherwise", arguments: ObjectHashType.allCases)
    func verify(type: ObjectHashType) {
        let data = Array("Hello, World!".utf8)
        let good = ObjectHashing.hash(data, type: type)
        #expect(ObjectHashing.verify(data, expected: good))
        #expect(!ObjectHashing.verify(Array("Hello, World?".utf8), expected: good))
        #expect(!ObjectHashing.verify(data, expected: ObjectHash(type: type.rawValue, value: "")))
        // The type must match exactly, as in quilt3.
        #expect(!ObjectHashing.verify(data, expected: ObjectHash(type: type.rawValue.lowercased() + "x", value: good.value)))
    }

    @Test("verify with an unknown type is false")
    func verifyUnknownType() {
        let data = Array("hello".utf8)
        #expect(!ObjectHashing.verify(data, expected: ObjectHash(type: "md5", value: "5d41402abc4b2a76b9719d911017c592")))
        #expect(!ObjectHashing.verify(data, expected: ObjectHash(type: "sha256", value: ObjectHashing.hash(data, type: .sha256).value)))
        #expect(ObjectHash(type: "sha256", value: "").knownType == nil)
        #expect(ObjectHash(type: "SHA256", value: "").knownType == .sha256)
    }

    @Test("Unknown hash types survive a Codable round trip")
    func codableRoundTrip() throws {
        let json = Data(#"{"type":"blake3-future","value":"AbC="}"#.utf8)
        let decoded = try JSONDecoder().decode(ObjectHash.self, from: json)
        #expect(decoded == ObjectHash(type: "blake3-future", value: "AbC="))
        let again = try JSONDecoder().decode(ObjectHash.self, from: JSONEncoder().encode(decoded))
        #expect(again == decoded)
    }

    @Test("Missing file throws HashIOError")
    func missingFile() {
        let path = "/nonexistent-\(UUID().uuidString)/file.bin"
        #expect(throws: HashIOError.self) { try ObjectHashing.hashFile(atPath: path) }
        do {
            _ = try ObjectHashing.verifyFile(atPath: path, expected: ObjectHash(type: .sha256, value: ""))
            Issue.record("expected an error")
        } catch {
            #expect(error.path == path)
            #expect(error.reason.contains("No such file"))
            #expect(error.description.contains(path))
        }
    }

    @Test("A directory throws HashIOError")
    func directoryPath() {
        #expect(throws: HashIOError.self) {
            try ObjectHashing.hashFile(atPath: FileManager.default.temporaryDirectory.path)
        }
    }
}

/// The textbook bit-at-a-time reflected CRC-64/NVME, as an oracle for the table-driven version.
private func bitwiseCRC(_ bytes: some Sequence<UInt8>) -> UInt64 {
    var crc: UInt64 = ~0
    for byte in bytes {
        crc ^= UInt64(byte)
        for _ in 0..<8 {
            crc = (crc & 1) != 0 ? (crc >> 1) ^ 0x9A6C_9329_AC4B_C9B5 : crc >> 1
        }
    }
    return ~crc
}
