import Foundation
import QuiltHash
import QuiltOps
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
        let engine = RegistryEngine(backendID: "memory", resolver: LocalStorageResolver(), knownRegistries: [registry])
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
