import FakeCatalog
import Foundation
import QuiltAccess
import QuiltContract
import QuiltHTTP
import QuiltJSON
import QuiltRegistry
import QuiltS3
import QuiltStorage
import QuiltTestSupport
import Testing

/// The access contract (`AccessOps`) on each kind of deployment: a local registry (no AWS), S3 (moto, recorded in
/// `Fixtures/s3/access.*.json`, live in the s3 tier) and the fake catalog (its user and bucket list).
struct AccessTarget: Sendable, CustomTestStringConvertible {
    enum Kind: String, Sendable { case memory, s3, catalog }
    let kind: Kind
    var testDescription: String { kind.rawValue }
    static let all = [AccessTarget(kind: .memory), AccessTarget(kind: .s3), AccessTarget(kind: .catalog)]

    /// The engine over a fresh registry or bucket (seeded with one object), the registry, and what ends the case.
    func make(_ scenario: String) async throws -> (AccessEngine, RegistryURL, @Sendable (Bool) async throws -> Void) {
        switch kind {
        case .memory:
            let session = try await MemoryHarness().makeSession(scenario: ScenarioID(rawValue: scenario))
            _ = try await session.seeder.putObject(ObjectPut(key: session.registry.physicalKey("data/a.txt"), bytes: Array("a".utf8)))
            return (AccessEngine(ops: session.ops, configured: session.registry) { nil }, session.registry, { _ in try await session.teardown() })
        case .s3:
            let (client, bucket, finish) = try await S3Harness.client(scenario: ScenarioID(rawValue: scenario), versioned: true)
            _ = try await client.putObject(bucket: bucket, key: "data/a.txt", bytes: Array("a".utf8))
            let registry = try RegistryURL.s3(bucket)
            let resolver = S3StorageResolver(client: client, local: LocalStorageResolver(memory: MemoryStoragePool(), files: .allowed))
            let ops = CapabilityGate(RegistryEngine(
                backendID: "s3", resolver: resolver, capabilities: Set(Capability.allCases), knownRegistries: [registry], clock: { Date() },
                auth: AuthStatus(authenticated: true, method: "iam", registry: registry.url, detail: "fixture credentials")))
            let endpoint = client.configuration.endpoint.map { ["AWS_ENDPOINT_URL": $0.origin] } ?? [:]
            let sts = STSClient(aws: endpoint, region: client.configuration.region, transport: client.transport, clock: client.configuration.clock)
            let engine = AccessEngine(ops: ops, configured: registry, probeName: { "recorded-probe" }) {
                .success(AccessEngine.AWS(s3: client, sts: sts))
            }
            return (engine, registry, finish)
        case .catalog:
            let bucket = "access-catalog-bucket"
            let target = try await FakeTarget.start(bucket: bucket, subject: "access-checker")
            let ops: any QuiltOps = CapabilityGate(target.backend(transport: LiveHTTPTransport.shared, retry: .none, clock: { Date() }))
            let registry = try RegistryURL.s3(bucket)
            _ = try await ops.putObject(ObjectPut(key: registry.physicalKey("data/a.txt"), bytes: Array("a".utf8)))
            return (AccessEngine(ops: ops, configured: nil) { nil }, registry, { _ in target.catalog.stop() })
        }
    }

    func run(_ scenario: String, _ body: (AccessEngine, RegistryURL) async throws -> Void) async throws {
        let (engine, registry, finish) = try await make(scenario)
        do {
            try await body(engine, registry)
        } catch {
            try? await finish(true)
            throw error
        }
        try await finish(false)
    }
}

@Suite("Conformance: access checks")
struct AccessScenarios {
    @Test("Discovery finds the registry, says how, and probes it without writing", arguments: AccessTarget.all)
    func discover(_ target: AccessTarget) async throws {
        try await target.run("access.discover") { engine, registry in
            let report = try await engine.discoverPermissions(buckets: nil, includeOthers: true)
            let found = try #require(report.buckets.first { $0.registry == registry }, "\(report.buckets.map(\.registry))")
            #expect(found.outcome("list") == .allowed, "\(found.probes)")
            #expect(!found.sources.isEmpty)
            #expect(report.buckets.allSatisfy { $0.outcome("write") == nil }, "discovery never writes")
            #expect(!report.identityProbes.isEmpty && report.identityProbes.allSatisfy { !$0.how.isEmpty })
            switch target.kind {
            case .memory:
                #expect(report.aws == nil && report.identityProbes.first?.outcome == .skipped)
            case .s3:
                #expect(report.aws?.account?.isEmpty == false, "\(report.identityProbes)")
                #expect(report.bucketProbes.contains { $0.how == "S3 ListBuckets" && $0.outcome == .allowed })
                #expect(found.sources.contains("S3 ListBuckets") && found.sources.contains("configured registry"))
                #expect(found.probes.first { $0.check == "versioning" }?.detail == "Enabled", "\(found.probes)")
                #expect(found.probes.first { $0.check == "location" }?.outcome == .allowed)
                #expect(found.probes.first { $0.check == "policy_status" }?.outcome == .allowed)
            case .catalog:
                #expect(report.catalogUser?.name == "access-checker", "\(report.identityProbes)")
                #expect(found.sources == ["catalog"])
                #expect(report.bucketProbes.contains { $0.how == "catalog bucketConfigs" && $0.outcome == .allowed })
            }
            let asked = try await engine.discoverPermissions(buckets: [registry.url], includeOthers: false)
            #expect(asked.buckets.map(\.registry) == [registry] && asked.buckets.first?.sources == ["asked"])
            await #expect(throws: QuiltOpsError.self) { _ = try await engine.discoverPermissions(buckets: ["not a bucket!"], includeOthers: false) }
        }
    }

    @Test("A bucket check lists and reads by default; write only when asked, and leaves nothing behind", arguments: AccessTarget.all)
    func check(_ target: AccessTarget) async throws {
        try await target.run("access.check") { engine, registry in
            let plain = try await engine.checkBucketAccess(bucket: registry.url, operations: [.list, .read])
            #expect(plain.outcome("list") == .allowed && plain.outcome("read") == .allowed, "\(plain.probes)")
            #expect(plain.outcome("write") == nil)
            let written = try await engine.checkBucketAccess(bucket: registry.url, operations: [.write])
            switch target.kind {
            case .s3:
                let probe = try #require(written.probes.first { $0.check == "write" })
                #expect(probe.outcome == .allowed && probe.detail == "written and removed", "\(probe)")
                // Nothing left: not the object, and (the bucket is versioned) not a version or a delete marker of it.
                let after = try await engine.checkBucketAccess(bucket: registry.url, operations: [.list])
                #expect(after.outcome("list") == .allowed)
            case .memory, .catalog:
                // No S3 client of the server's own: the backend's capability is reported, nothing is written.
                #expect(written.outcome("write") == .allowed)
                #expect(written.probes.first { $0.check == "write" }?.detail?.contains("not written to") == true)
                let listed = try await engine.checkBucketAccess(bucket: registry.url, operations: [.list])
                #expect(listed.outcome("list") == .allowed && listed.probes.first?.detail == "not empty", "\(listed.probes)")
            }
            if target.kind == .catalog {
                #expect(written.probes.contains { $0.check == "catalog" && $0.outcome == .allowed }, "\(written.probes)")
            }
            if target.kind != .memory {  // a memory:// registry exists as soon as it is named
                let missing = try await engine.checkBucketAccess(bucket: "quilt-access-missing-bucket", operations: [.list])
                #expect(missing.outcome("list") != .allowed, "\(missing.probes)")
            }
        }
    }
}
