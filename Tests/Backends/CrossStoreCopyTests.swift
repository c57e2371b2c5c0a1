import Foundation
import QuiltContract
import QuiltHash
import QuiltRegistry
import QuiltStorage
import Testing

/// `copyObjects` across stores: a local file copied into another registry arrives whole and is referenced there.
@Suite("Copies across stores")
struct CrossStoreCopyTests {
    @Test("A file:// object copied into a memory registry: same bytes, same hash, the registry's own physical key")
    func fileIntoMemory() async throws {
        let dir = NSTemporaryDirectory() + "quilt-copy-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let bytes = (0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        try Data(bytes).write(to: URL(fileURLWithPath: dir + "/big file.bin"))
        let registry = try RegistryURL.memory("copies-" + UUID().uuidString.prefix(8))
        let engine = RegistryEngine(backendID: "memory", resolver: LocalStorageResolver(files: .allowed), knownRegistries: [registry])
        let source = try PhysicalKey("file://" + PercentEncoding.quote(dir + "/big file.bin"))
        let info = try await engine.createRevision(
            CreateRevisionRequest(
                package: try PackageName("c/opy"), registry: registry,
                entries: [NewEntry(logicalKey: try LogicalKey("data/big file.bin"), source: .object(source))], copyObjects: true))
        let entries = try await engine.browse(
            BrowseRequest(package: try PackageName("c/opy"), registry: registry, revision: .hash(info.revision.hash), recursive: true))
        let entry = try #require(entries.entries.first)
        let physical = try #require(entry.physicalKey)
        #expect(physical.scheme == .memory && physical.path == "c/opy/data/big file.bin")
        #expect(try await engine.readObject(physical, range: nil, maxBytes: 1 << 20).bytes == bytes)
        #expect(entry.hash == ObjectHashing.hash(bytes))
    }
}

/// Copies into a local directory arrive chunk by chunk, and a source that fails part-way leaves nothing behind.
@Suite("Streamed copies into local files")
struct StreamedCopyTests {
    /// A remote read that delivers `chunks` chunks, then fails (as a dropped S3 connection does) when `failAfter`
    /// chunks were read.
    final class RemoteReader: ChunkReader, @unchecked Sendable {
        let chunks: [[UInt8]]
        let failAfter: Int?
        var served = 0
        init(chunks: [[UInt8]], failAfter: Int?) {
            self.chunks = chunks
            self.failAfter = failAfter
        }
        func next() async throws(QuiltOpsError) -> [UInt8]? {
            if let failAfter, served == failAfter { throw .remote("connection reset after \(served) chunks", retryable: true) }
            guard served < chunks.count else { return nil }
            defer { served += 1 }
            return chunks[served]
        }
    }

    static func directory() throws -> String {
        let dir = NSTemporaryDirectory() + "quilt-stream-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test("Chunks land in order at the key; the object's size is their sum")
    func streamed() async throws {
        let dir = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = try FileStorage(root: try RegistryURL.file(dir))
        let chunks = (0..<40).map { i in [UInt8](repeating: UInt8(i), count: 1000 + i) }
        let stored = try await store.putStream("a/b c.bin", from: RemoteReader(chunks: chunks, failAfter: nil))
        #expect(stored.size == Int64(chunks.reduce(0) { $0 + $1.count }))
        #expect(try await store.get("a/b c.bin", range: nil).1 == Array(chunks.joined()))
    }

    @Test("A source failing part-way leaves no object and no temporary file; an existing object is untouched")
    func failsClean() async throws {
        let dir = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = try FileStorage(root: try RegistryURL.file(dir))
        _ = try await store.put("k.bin", bytes: [1, 2, 3], contentType: nil, metadata: [:])
        let chunks = (0..<10).map { _ in [UInt8](repeating: 9, count: 4096) }
        var failure: QuiltOpsError?
        do {
            _ = try await store.putStream("k.bin", from: RemoteReader(chunks: chunks, failAfter: 5))
        } catch {
            failure = error
        }
        #expect(failure?.kind == "transient", "a retryable remote failure: \(String(describing: failure))")
        #expect(try await store.get("k.bin", range: nil).1 == [1, 2, 3])
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["k.bin"])
    }

    @Test("copy=true from another store into a file registry streams the object in: same bytes, same hash")
    func engineCopyIntoFiles() async throws {
        let dir = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let memoryName = "stream-src-" + UUID().uuidString.prefix(8)
        let sourceRegistry = try RegistryURL.memory(String(memoryName))
        let target = try RegistryURL.file(dir)
        let engine = RegistryEngine(backendID: "local", resolver: LocalStorageResolver(files: .allowed), knownRegistries: [sourceRegistry, target])
        let bytes = (0..<2_500_000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        let source = try await engine.createRevision(CreateRevisionRequest(
            package: try PackageName("s/rc"), registry: sourceRegistry,
            entries: [NewEntry(logicalKey: try LogicalKey("blob.bin"), source: .bytes(bytes))]))
        let sourceEntry = try #require(try await engine.browse(BrowseRequest(
            package: try PackageName("s/rc"), registry: sourceRegistry, revision: .hash(source.revision.hash), recursive: true)).entries.first)
        let physical = try #require(sourceEntry.physicalKey)
        let info = try await engine.createRevision(CreateRevisionRequest(
            package: try PackageName("d/st"), registry: target,
            entries: [NewEntry(logicalKey: try LogicalKey("copied.bin"), source: .object(physical))], copyObjects: true))
        let entry = try #require(try await engine.browse(BrowseRequest(
            package: try PackageName("d/st"), registry: target, revision: .hash(info.revision.hash), recursive: true)).entries.first)
        let copied = try #require(entry.physicalKey)
        #expect(copied.scheme == .file)
        #expect(try Data(contentsOf: URL(fileURLWithPath: copied.path)) == Data(bytes))
        #expect(entry.hash == ObjectHashing.hash(bytes))
    }
}
