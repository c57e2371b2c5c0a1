import Foundation
import QuiltContract
import QuiltMocks
import QuiltRegistry
import QuiltStorage
import Testing

/// Push order and failure behaviour: manifest, then timestamp pointer, then latest; a failure never moves latest
/// and leaves no new revision listed.
@Suite("Registry engine: push order and atomicity")
struct PushAtomicityTests {
    final class Clock: @unchecked Sendable {
        var t: TimeInterval = 1_795_282_874
        let lock = NSLock()
        func now() -> Date {
            lock.lock()
            defer { lock.unlock() }
            t += 1
            return Date(timeIntervalSince1970: t)
        }
    }

    static func make(_ kind: String) throws -> (FaultyStorage, RegistryEngine, RegistryURL, String) {
        let scratch = NSTemporaryDirectory() + "quilt-push-" + UUID().uuidString
        let base: any ObjectStorage
        if kind == "file" {
            try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
            base = try FileStorage(root: try RegistryURL.file(scratch))
        } else {
            base = try MemoryStorage(name: "push-\(UUID().uuidString.prefix(6))")
        }
        let faulty = FaultyStorage(base)
        let clock = Clock()
        let engine = RegistryEngine(
            backendID: BackendID(rawValue: kind), resolver: FixedStorageResolver(faulty), clock: { clock.now() })
        return (faulty, engine, base.root, scratch)
    }

    static func create(_ engine: RegistryEngine, _ registry: RegistryURL, _ text: String) async throws -> RevisionInfo {
        try await engine.createRevision(
            CreateRevisionRequest(
                package: try PackageName("p/q"), registry: registry,
                entries: [NewEntry(logicalKey: try LogicalKey("f.txt"), source: .bytes(Array(text.utf8)))], force: true))
    }

    @Test("Writes go data, manifest, timestamp pointer, latest", arguments: ["memory", "file"])
    func writeOrder(_ kind: String) async throws {
        let (faulty, engine, registry, scratch) = try Self.make(kind)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let info = try await Self.create(engine, registry, "one")
        let h = info.revision.hash.rawValue
        #expect(faulty.writes == [
            "put p/q/f.txt", "put .quilt/packages/\(h)", "put .quilt/named_packages/p/q/1795282875",
            "put .quilt/named_packages/p/q/latest",
        ])
        // Pointer files hold exactly the 64 hex characters, no newline (as quilt3 writes them).
        let (_, bytes) = try await FixedStorageResolver(faulty).storage(for: registry).get(".quilt/named_packages/p/q/latest", range: nil)
        #expect(bytes == Array(h.utf8))
    }

    @Test("A failed manifest or pointer write leaves latest and the revision list unchanged",
          arguments: ["memory", "file"], [".quilt/packages/", "/1795", "/latest"])
    func failedPushLeavesLatest(_ kind: String, _ failingKey: String) async throws {
        let (faulty, engine, registry, scratch) = try Self.make(kind)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let first = try await Self.create(engine, registry, "one")
        faulty.failWrites { key in
            key.contains(failingKey) && !key.hasSuffix(first.revision.hash.rawValue)
                ? .remote("injected failure writing \(key)", retryable: true) : nil
        }
        await #expect(throws: QuiltOpsError.self) { _ = try await Self.create(engine, registry, "two") }
        faulty.failWrites { _ in nil }
        let latest = try await engine.resolve(package: try PackageName("p/q"), registry: registry, revision: .latest)
        #expect(latest.hash == first.revision.hash)
        let revisions = try await engine.listRevisions(package: try PackageName("p/q"), registry: registry, page: .first)
        #expect(revisions.items.map(\.hash) == [first.revision.hash])
    }

    @Test("A conflicting push is refused before anything is written")
    func conflictWritesNothing() async throws {
        let (faulty, engine, registry, scratch) = try Self.make("memory")
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        _ = try await Self.create(engine, registry, "one")
        let before = faulty.writes.count
        await #expect(throws: QuiltOpsError.self) {
            _ = try await engine.createRevision(
                CreateRevisionRequest(
                    package: try PackageName("p/q"), registry: registry,
                    entries: [NewEntry(logicalKey: try LogicalKey("g"), source: .bytes([1]))]))
        }
        #expect(faulty.writes.count == before)
    }

    @Test("Cancelling a create before it pushes changes nothing")
    func cancellation() async throws {
        let (faulty, engine, registry, scratch) = try Self.make("memory")
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let task = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return try await Self.create(engine, registry, "x")
        }
        let result = await task.result
        guard case .failure(let error) = result, let e = error as? QuiltOpsError else {
            Issue.record("expected a cancelled error, got \(result)")
            return
        }
        #expect(e.kind == "cancelled")
        #expect(faulty.writes.isEmpty)
    }
}
