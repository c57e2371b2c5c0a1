import FakeCatalog
import Foundation
import QuiltContract
import QuiltHTTP
import QuiltHash
import QuiltJSON
import QuiltRegistry
import QuiltS3
import QuiltStorage
import QuiltTestSupport
import Testing

/// The same script of operations on the registry engine (memory) and on the Platform backend (a fake catalog over
/// loopback HTTP) gives the same QuiltOps results for the same packages: top hashes, headers, entries with their
/// hashes and metadata, revisions with timestamps and tags, diffs, prefix resolution, deletes and typed errors.
/// Only where things live differs (registry URL, physical keys).
@Suite("Conformance: registry and Platform backends agree")
struct CrossBackendScenarios {
    /// What a step produced, with the registry and physical keys left out.
    struct Outcome: Equatable, CustomStringConvertible {
        var lines: [String] = []
        mutating func add(_ s: String) { lines.append(s) }
        var description: String { lines.joined(separator: "\n") }
    }

    static func script(_ ops: any QuiltOps, _ registry: RegistryURL) async throws -> Outcome {
        var out = Outcome()
        let name = try PackageName("team/data")
        func entries(_ recursive: Bool, _ path: String = "") async throws -> [String] {
            try await ops.browse(BrowseRequest(package: name, registry: registry, path: path, recursive: recursive)).entries.map {
                "\($0.kind.rawValue) \($0.logicalKey) \($0.size) \($0.hash.map { "\($0.type):\($0.value)" } ?? "-") \($0.meta.map { JSONWriter.compact($0) } ?? "-") \($0.fileCount.map(String.init) ?? "-")"
            }
        }
        let first = try await ops.createRevision(
            CreateRevisionRequest(
                package: name, registry: registry,
                entries: [
                    NewEntry(logicalKey: try LogicalKey("raw/a.csv"), source: .bytes(Array("a,b\n1,2\n".utf8)), userMeta: ["rows": 1]),
                    NewEntry(logicalKey: try LogicalKey("raw/deep/b.json"), source: .bytes(Array("{}".utf8)), userMeta: .null),
                    NewEntry(logicalKey: try LogicalKey("README.md"), source: .bytes(Array("# data".utf8))),
                ], userMeta: ["owner": "alice", "n": .number(try #require(JSONNumber(integerText: "123456789012345678901234567890"))), "f": 0.1], message: "first"))
        out.add("create \(first.revision.hash) \(JSONWriter.compact(.object(first.header))) \(first.entryCount) \(first.totalBytes)")
        out.add("root " + (try await entries(false)).joined(separator: " | "))
        out.add("all " + (try await entries(true)).joined(separator: " | "))
        out.add("dir " + (try await entries(false, "raw")).joined(separator: " | "))
        let second = try await ops.updateRevision(
            UpdateRevisionRequest(
                package: name, registry: registry,
                put: [NewEntry(logicalKey: try LogicalKey("raw/a.csv"), source: .bytes(Array("a,b\n3,4\n".utf8)))], remove: ["raw/deep/"],
                metadata: .merge(["owner": "bob", "tag": .null]), message: "second"))
        out.add("update \(second.revision.hash) \(JSONWriter.compact(.object(second.header)))")
        let info = try await ops.revisionInfo(package: name, registry: registry, revision: .latest)
        out.add("info \(info.revision.hash) \(info.entryCount) \(info.totalBytes) \(info.pointers) \(info.modified.map { Int($0.timeIntervalSince1970) } ?? 0)")
        let revisions = try await ops.listRevisions(package: name, registry: registry, page: .first)
        out.add("revisions " + revisions.items.map { "\($0.hash.prefix()) \($0.timestamps) \($0.tags)" }.joined(separator: " | "))
        let diff = try await ops.diff(from: (name, .hash(first.revision.hash)), to: (name, .latest), registry: registry)
        out.add("diff +\(diff.added.map(\.logicalKey)) -\(diff.removed.map(\.logicalKey)) ~\(diff.modified.map { "\($0.logicalKey) \($0.from?.value ?? "") \($0.to?.value ?? "")" }) meta \(diff.metadataChanged)")
        let byPrefix = try await ops.resolve(package: name, registry: registry, revision: .hashPrefix(String(first.revision.hash.rawValue.prefix(8))))
        out.add("prefix \(byPrefix.hash)")
        let stamp = try #require(revisions.items.last?.timestamps.first)
        out.add("tag \(try await ops.resolve(package: name, registry: registry, revision: .tag(stamp)).hash)")
        let deleted = try await ops.deleteRevision(package: name, registry: registry, revision: .latest)
        out.add("delete latest→\(deleted.latest?.rawValue ?? "none")")
        out.add("packages \(try await ops.listPackages(registry: registry, prefix: "", page: .first).items.map(\.name.rawValue))")
        do {
            _ = try await ops.revisionInfo(package: try PackageName("team/missing"), registry: registry, revision: .latest)
        } catch {
            out.add("missing \(error.kind)")
        }
        return out
    }

    @Test("One script, two backends, the same results")
    func sameResults() async throws {
        let memoryClock = TickingClock()
        let registry = try RegistryURL.memory("cross-\(UUID().uuidString.prefix(8))")
        let engine = RegistryEngine(backendID: "memory", resolver: LocalStorageResolver(memory: MemoryStoragePool(), files: .allowed), clock: { memoryClock.tick() })
        let onRegistry = try await Self.script(engine, registry)

        let target = try await FakeTarget.start(bucket: "cross-backend")
        defer { target.catalog.stop() }
        let platform = target.backend(transport: LiveHTTPTransport.shared, retry: .none, clock: { Date() })
        let onPlatform = try await Self.script(platform, try RegistryURL.s3("cross-backend"))
        for (a, b) in zip(onRegistry.lines, onPlatform.lines) { #expect(a == b) }
        #expect(onRegistry.lines.count == onPlatform.lines.count)
    }
}
