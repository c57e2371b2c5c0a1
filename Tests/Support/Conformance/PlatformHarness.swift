package import FakeCatalog
package import Foundation
package import QuiltContract
package import QuiltHTTP
package import QuiltPlatform
package import QuiltS3
import Synchronization

/// The Platform backend (catalog GraphQL + REST, objects through S3 with the catalog's credentials), one bucket
/// per scenario, in two configurations:
/// - `platform`: live HTTP on loopback against a fresh in-process fake catalog (`Mocks/FakeCatalog`) per case;
/// - `platform-replay`: `Fixtures/platform/<scenario>.json` replayed offline (the default). With
///   `QUILT_FIXTURES=record` it records them, against `QUILT_CATALOG_URL` with `QUILT_TEST_JWT` when set (any
///   catalog; buckets `<QUILT_TEST_BUCKET_PREFIX>quilt-c-<scenario>` must exist there and are emptied of packages
///   first), else against an in-process fake served over real HTTP; `live` runs the same without writing.
///
/// The fake runs in every schema variant a deployed catalog has had (`platform` is HEAD's, `platform@2025-07` and
/// so on the others'): the backend must probe each and send only what that schema accepts.
package struct PlatformHarness: ConformanceHarness {
    package enum Kind: String { case fake = "platform", replay = "platform-replay" }
    package var kind: Kind = .fake
    package var schema: FakeCatalogSchema.Variant = .head
    /// Whose token the fake catalog mints (recording included): `admin` (or `admin-…`) is a catalog admin.
    package var subject = "conformance"
    package init(kind: Kind = .fake, schema: FakeCatalogSchema.Variant = .head, subject: String = "conformance") {
        self.kind = kind
        self.schema = schema
        self.subject = subject
    }
    package var id: String {
        (schema == .head ? kind.rawValue : "\(kind.rawValue)@\(schema.rawValue)") + (subject == "conformance" ? "" : " as \(subject)")
    }
    package var capabilities: Set<Capability> { PlatformBackend.allCapabilities }
    package var knownDeviations: [ScenarioID: String] {
        [
            "packages.metadata.fidelity":
                "the catalog's packageConstruct takes userMeta as a JSON object or null, and null means no user_meta key: an explicit `user_meta: null` cannot be written, so null and absent make the same revision",
        ]
    }

    /// `QUILT_FIXTURES_PLATFORM` when set (record or replay the Platform fixtures alone), else `QUILT_FIXTURES`.
    package static var fixtureMode: FixtureMode {
        let raw = ProcessInfo.processInfo.environment["QUILT_FIXTURES_PLATFORM"]?.lowercased() ?? ""
        return raw.isEmpty ? FixtureMode.current : FixtureMode(rawValue: raw) ?? .replay
    }

    /// The placeholder a recorded catalog origin becomes (a valid URL, so discovery still works on replay).
    package static let catalogPlaceholder = "http://catalog.fixture.invalid"

    package func makeSession(scenario: ScenarioID) async throws -> ConformanceSession {
        let scratch = try makeScratchDirectory(id)
        let bucket = S3Harness.bucketName(scenario.rawValue)
        switch kind {
        case .fake:
            let target = try await FakeTarget.start(bucket: bucket, schema: schema, subject: subject)
            let ops = target.backend(transport: LiveHTTPTransport.shared, retry: .none, clock: { Date() })
            return try session(ops, bucket: bucket, scratch: scratch) { _ in target.catalog.stop() }
        case .replay:
            return try await replaySession(scenario, bucket: bucket, scratch: scratch)
        }
    }

    package func session(
        _ ops: any QuiltOps, bucket: String, scratch: String, finish: @escaping @Sendable (Bool) async throws -> Void
    ) throws -> ConformanceSession {
        let failed = Mutex(false)
        let registry = try RegistryURL.s3(bucket)
        return ConformanceSession(
            ops: ops, seeder: ops, registry: registry, scratch: scratch,
            teardown: {
                try? FileManager.default.removeItem(atPath: scratch)
                try await finish(failed.withLock { $0 })
            },
            failed: { failed.withLock { $0 = true } })
    }

    package func replaySession(_ scenario: ScenarioID, bucket: String, scratch: String) async throws -> ConformanceSession {
        let mode = Self.fixtureMode
        let path = FixturePaths.fixture(backend: "platform", scenario: scenario.rawValue)
        let rerecord = "Fixtures/platform/record.sh '\(FixturePaths.currentTestFilter)'"
        let label = "[platform-replay] \(scenario.rawValue)"
        if mode == .replay {
            let fixture: Fixture
            do { fixture = try FixtureStore.read(path) } catch {
                throw FixtureFailure("\(label): no usable fixture (\(error)). Record it with: \(rerecord)")
            }
            let replaying = ReplayingTransport(fixture: fixture, path: path, label: label)
            let at = ISO8601DateFormatter().date(from: fixture.recordedAt) ?? Date(timeIntervalSince1970: 1_795_282_874)
            let catalog = fixture.target["catalog"] ?? Self.catalogPlaceholder
            let ops = PlatformBackend(
                configuration: PlatformConfiguration(
                    catalogURL: catalog, bearerToken: "fixture-token", transport: replaying, retry: .none,
                    s3Endpoint: fixture.target["s3Endpoint"].flatMap { HTTPURL($0) }, s3Retry: .none,
                    serverFiles: .allowed, directory: CatalogDirectory(), contents: ContentsCache(), clock: { at }))
            return try session(ops, bucket: fixture.target["bucket"] ?? bucket, scratch: scratch) { _ in
                let problems = replaying.finish()
                if !problems.isEmpty { throw FixtureFailure(problems.joined(separator: "\n\n")) }
            }
        }
        if mode == .record && FixtureMode.onCI {
            throw FixtureFailure("\(label): QUILT_FIXTURES=record is refused when CI is set; record on a workstation: \(rerecord)")
        }
        let env = ProcessInfo.processInfo.environment
        let started = Date()
        let recorder = RecordingTransport(LiveHTTPTransport.shared)
        let transport: any HTTPTransport = mode == .record ? recorder : LiveHTTPTransport.shared
        let target: LiveCatalog
        if let url = env["QUILT_CATALOG_URL"], !url.isEmpty {
            guard let token = env["QUILT_TEST_JWT"], !token.isEmpty else {
                throw FixtureFailure("\(label): QUILT_CATALOG_URL needs QUILT_TEST_JWT (a bearer token for that catalog)")
            }
            target = LiveCatalog(
                url: url, token: token, bucket: (env["QUILT_TEST_BUCKET_PREFIX"] ?? "") + bucket,
                s3Endpoint: env["QUILT_FIXTURES_S3_ENDPOINT"].flatMap { HTTPURL($0) }, fake: nil, server: "catalog \(url)")
        } else {
            let fake = try await FakeTarget.start(bucket: bucket, subject: subject)
            target = LiveCatalog(
                url: fake.catalog.url, token: fake.token, bucket: bucket, s3Endpoint: HTTPURL(fake.catalog.s3Endpoint), fake: fake,
                server: "fake catalog (Mocks/FakeCatalog) over loopback HTTP")
        }
        try await target.empty()
        let ops = PlatformBackend(
            configuration: PlatformConfiguration(
                catalogURL: target.url, bearerToken: target.token, transport: transport, retry: .none, s3Endpoint: target.s3Endpoint,
                s3Retry: .none, serverFiles: .allowed, directory: CatalogDirectory(), contents: ContentsCache()))
        return try session(ops, bucket: target.bucket, scratch: scratch) { failed in
            defer { target.fake?.catalog.stop() }
            guard mode == .record, !failed else { return }
            var scrubber = FixtureScrubber()
            if let origin = HTTPURL(target.url)?.origin {
                scrubber.register(origin, as: Self.catalogPlaceholder)
                scrubber.register(HTTPURL(target.url)?.hostHeader ?? origin, as: "catalog.fixture.invalid")
            }
            scrubber.register(target.token, as: "<JWT>")
            let whole = ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: started.timeIntervalSince1970.rounded(.down)))
            var facts: [String: String] = ["bucket": target.bucket, "catalog": Self.catalogPlaceholder, "server": target.server]
            if let s3 = target.s3Endpoint { facts["s3Endpoint"] = s3.text.replacingOccurrences(of: HTTPURL(target.url)?.origin ?? "\u{0}", with: Self.catalogPlaceholder) }
            try FixtureStore.write(
                Fixture(backend: "platform", scenario: scenario.rawValue, recordedAt: whole, target: facts, rerecord: rerecord, exchanges: recorder.exchanges),
                scrubber: scrubber, to: path)
        }
    }
}

/// A fresh fake catalog on loopback with one bucket and a ticking clock, and a token it accepts.
package struct FakeTarget: Sendable {
    package let catalog: FakeCatalogServer
    package let token: String

    /// - Parameter subject: whose token: `admin` (or `admin-…`) is a catalog admin.
    package static func start(bucket: String, schema: FakeCatalogSchema.Variant = .head, subject: String = "conformance") async throws -> FakeTarget {
        let clock = TickingClock()
        let catalog = try await FakeCatalogServer.start(FakeCatalogOptions(buckets: [bucket], variant: schema, clock: { clock.tick() }))
        return FakeTarget(catalog: catalog, token: try await catalog.mintToken(subject: subject))
    }

    /// The catalog's Tabulator, acting with this target's token over loopback HTTP.
    package func tabulator() -> any TabulatorOps { backend(transport: LiveHTTPTransport.shared, retry: .none, clock: { Date() }) }

    package func backend(transport: any HTTPTransport, retry: RetryPolicy, clock: @escaping @Sendable () -> Date) -> PlatformBackend {
        PlatformBackend(
            configuration: PlatformConfiguration(
                catalogURL: catalog.url, bearerToken: token, transport: transport, retry: retry, s3Endpoint: HTTPURL(catalog.s3Endpoint),
                s3Retry: .none, serverFiles: .allowed, directory: CatalogDirectory(), contents: ContentsCache(), clock: clock))
    }
}

/// The catalog a recording or live run talks to.
package struct LiveCatalog: Sendable {
    package let url: String
    package let token: String
    package let bucket: String
    package let s3Endpoint: HTTPURL?
    package let fake: FakeTarget?
    package let server: String

    /// Deletes every package in the bucket (unrecorded), so each case starts from nothing.
    package func empty() async throws {
        let backend = PlatformBackend(
            configuration: PlatformConfiguration(
                catalogURL: url, bearerToken: token, transport: LiveHTTPTransport.shared, s3Endpoint: s3Endpoint,
                serverFiles: .allowed, directory: CatalogDirectory(), contents: ContentsCache()))
        let registry = try RegistryURL.s3(bucket)
        while true {
            let page = try await backend.listPackages(registry: registry, prefix: "", page: try PageRequest(limit: 100))
            if page.items.isEmpty { return }
            for p in page.items { _ = try await backend.deletePackage(package: p.name, registry: registry) }
        }
    }
}
