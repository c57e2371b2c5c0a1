import QuiltHash
import Testing

/// Object-hash vectors computed by real quilt3 8.0.0 (`Fixtures/quilt3/expected.json`, `object_hashes` and
/// `chunk_sizes`).
@Suite("Object hashes: quilt3 vectors from Fixtures/quilt3/expected.json")
struct HashVectorTests {
    @Test("quilt3 object hash vector", arguments: try VectorsFixture.hashVectors().objectHashes)
    func objectHash(_ vector: ObjectHashVector) {
        let data = vector.bytes()
        #expect(data.count == vector.size)
        #expect(ChunkedChecksum.chunkSize(forTotalSize: Int64(vector.size)) == vector.chunkSize)
        #expect(ObjectHashing.hash(data, type: .sha2256Chunked).value == vector.sha2256Chunked)
        #expect(ObjectHashing.hash(data, type: .sha256).value == vector.sha256)
        #expect(ObjectHashing.hash(data, type: .crc64nvme).value == vector.crc64nvme)
        var crc = CRC64NVME()
        data.withUnsafeBytes { crc.update($0) }
        #expect(String(crc.value, radix: 16).leftPadded(to: 16) == vector.crc64nvmeHex)
    }

    @Test("quilt3 get_checksum_chunksize vector", arguments: try VectorsFixture.hashVectors().chunkSizes)
    func chunkSize(_ vector: ChunkSizeVector) {
        #expect(ChunkedChecksum.chunkSize(forTotalSize: vector.size) == vector.chunkSize)
    }

    @Test("The fixture covers the expected inputs")
    func coverage() throws {
        let file = try VectorsFixture.hashVectors()
        let patternSizes = Set(file.objectHashes.filter { $0.input.kind == "pattern" }.map(\.size))
        #expect(patternSizes.isSuperset(of: [0, 5, 8_388_607, 8_388_608, 8_388_609, 9_437_184, 16_777_216, 17_825_797]))
        #expect(file.chunkSizes.contains { $0.size == 83_886_080_001 && $0.chunkSize == 16_777_216 })
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
