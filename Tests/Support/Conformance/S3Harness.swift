import Foundation
package import QuiltContract
package import QuiltHTTP
import QuiltRegistry
package import QuiltS3
import QuiltStorage
import Synchronization

/// The registry engine over S3 (`S3Storage` through `S3StorageResolver`), one bucket per scenario.
///
/// `QUILT_FIXTURES=replay` (default) answers from `Fixtures/s3/<scenario>.json`; `record` runs against
/// `QUILT_FIXTURES_S3_ENDPOINT` (moto on loopback, see `Fixtures/s3/record.sh`) or, without it, real AWS with the
/// caller's credentials, and writes the fixture; `live` runs against the endpoint and writes nothing.
package struct S3Harness: ConformanceHarness {
    package var id: String { "s3" }
    package var capabilities: Set<Capability> { RegistryEngine.localCapabilities.union([.presign]) }
    package var knownDeviations: [ScenarioID: String] { [:] }
    /// Turn on bucket versioning before the scenario (S3-specific scenarios).
    package var versioned = false
    package init(versioned: Bool = false) { self.versioned = versioned }

    /// Credentials used against emulators; long enough to be registered with the scrubber.
    package static let emulatorCredentials = AWSCredentials(
        accessKeyId: "QUILTFIXTURERECORDER", secretAccessKey: "quilt-fixture-recorder-secret-not-real", source: "fixtures")

    /// `quilt-c-<scenario with dots as dashes>`, at most 63 characters: each scenario has its own bucket.
    package static func bucketName(_ scenario: String) -> String {
        let cleaned = scenario.lowercased().map { $0.isLetter || $0.isNumber ? $0 : "-" }
        var name = String(("quilt-c-" + String(cleaned)).prefix(63))
        while name.hasSuffix("-") { name.removeLast() }
        return name
    }

    /// An S3 client for `scenario`'s own bucket: replaying `Fixtures/s3/<scenario>.json`, or recording or live against
    /// the configured endpoint (the bucket made fresh, versioned when asked). Call `finish` when the case ends, with
    /// whether it failed: replay then checks every recorded exchange was used; record writes the fixture.
    package static func client(scenario: ScenarioID, versioned: Bool) async throws
        -> (client: S3Client, bucket: String, finish: @Sendable (Bool) async throws -> Void)
    {
        let mode = FixtureMode.current
        let path = FixturePaths.fixture(backend: "s3", scenario: scenario.rawValue)
        let rerecord = "Fixtures/s3/record.sh '\(FixturePaths.currentTestFilter)'"
        let label = "[s3] \(scenario.rawValue)"
        let client: S3Client
        let bucket: String
        var finish: @Sendable (Bool) async throws -> Void = { _ in }
        switch mode {
        case .replay:
            let fixture: Fixture
            do { fixture = try FixtureStore.read(path) } catch {
                throw FixtureFailure("\(label): no usable fixture (\(error)). Record it with: \(rerecord)")
            }
            bucket = fixture.target["bucket"] ?? Self.bucketName(scenario.rawValue)
            let replaying = ReplayingTransport(fixture: fixture, path: path, label: label)
            let at = ISO8601DateFormatter().date(from: fixture.recordedAt) ?? Date(timeIntervalSince1970: 1_795_282_874)
            let endpoint = HTTPURL(fixture.target["endpoint"] == "<ENDPOINT>" ? "http://127.0.0.1:9" : "https://s3.amazonaws.com")
            client = S3Client(
                transport: replaying, credentials: StaticCredentialsProvider(Self.emulatorCredentials),
                configuration: S3Configuration(
                    region: fixture.target["region"] ?? "us-east-1", endpoint: fixture.target["endpoint"] == "<ENDPOINT>" ? endpoint : nil,
                    forcePathStyle: fixture.target["addressing"] == "path", retry: .none, clock: { at }))
            finish = { _ in
                let problems = replaying.finish()
                if !problems.isEmpty { throw FixtureFailure(problems.joined(separator: "\n\n")) }
            }
        case .record, .live:
            if mode == .record && FixtureMode.onCI {
                throw FixtureFailure("\(label): QUILT_FIXTURES=record is refused when CI is set; record on a workstation: \(rerecord)")
            }
            let live = try LiveTarget.fromEnvironment()
            bucket = live.bucketPrefix + Self.bucketName(scenario.rawValue)
            try await live.prepare(bucket: bucket, versioned: versioned)
            let started = Date()
            let recorder = RecordingTransport(LiveHTTPTransport.shared)
            client = S3Client(
                transport: mode == .record ? recorder : LiveHTTPTransport.shared, credentials: live.credentials,
                configuration: S3Configuration(
                    region: live.region, endpoint: live.endpoint, forcePathStyle: live.endpoint != nil,
                    retry: mode == .record ? .none : .standard))
            finish = { failed in
                if mode == .record && !failed {
                    var scrubber = FixtureScrubber()
                    if let e = live.endpoint {
                        scrubber.register(e.origin, as: "<ENDPOINT>")
                        scrubber.register(e.hostHeader, as: "<ENDPOINT_HOST>")
                    }
                    let creds = try await live.credentials.credentials()
                    scrubber.register(creds.secretAccessKey, as: "<AWS_SECRET_ACCESS_KEY>")
                    scrubber.register(creds.accessKeyId, as: "<AWS_ACCESS_KEY_ID>")
                    if let t = creds.sessionToken { scrubber.register(t, as: "<AWS_SESSION_TOKEN>") }
                    let whole = ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: started.timeIntervalSince1970.rounded(.down)))
                    try FixtureStore.write(
                        Fixture(
                            backend: "s3", scenario: scenario.rawValue, recordedAt: whole,
                            target: [
                                "bucket": bucket, "region": live.region, "addressing": live.endpoint != nil ? "path" : "virtual",
                                "endpoint": live.endpoint?.origin ?? "aws", "server": live.serverName,
                            ], rerecord: rerecord, exchanges: recorder.exchanges),
                        scrubber: scrubber, to: path)
                }
                try? await live.prepare(bucket: bucket, versioned: false, create: false)
            }
        }

        return (client, bucket, finish)
    }

    package func makeSession(scenario: ScenarioID) async throws -> ConformanceSession {
        let scratch = try makeScratchDirectory(id)
        let clock = TickingClock()
        let (client, bucket, finish) = try await Self.client(scenario: scenario, versioned: versioned)
        let registry = try RegistryURL.s3(bucket)
        let resolver = S3StorageResolver(client: client, local: LocalStorageResolver(memory: MemoryStoragePool(), files: .allowed))
        let engine = RegistryEngine(
            backendID: "s3", resolver: resolver, capabilities: capabilities, knownRegistries: [registry], clock: { clock.tick() },
            auth: AuthStatus(authenticated: true, method: "iam", registry: registry.url, detail: "fixture credentials"))
        let failed = Mutex(false)
        let finishing = finish
        return ConformanceSession(
            ops: engine, seeder: engine, registry: registry, scratch: scratch,
            teardown: {
                try? FileManager.default.removeItem(atPath: scratch)
                try await finishing(failed.withLock { $0 })
            },
            failed: { failed.withLock { $0 = true } })
    }
}

/// The live S3 service a recording or live run talks to.
package struct LiveTarget: Sendable {
    package let endpoint: HTTPURL?
    package let region: String
    package let credentials: any CredentialsProvider
    /// Prepended to bucket names (real AWS bucket names are global): `QUILT_FIXTURES_S3_BUCKET_PREFIX`.
    package let bucketPrefix: String
    package let serverName: String

    package static func fromEnvironment() throws -> LiveTarget {
        let env = ProcessInfo.processInfo.environment
        let region = env["AWS_REGION"] ?? env["AWS_DEFAULT_REGION"] ?? "us-east-1"
        if let text = env["QUILT_FIXTURES_S3_ENDPOINT"], !text.isEmpty {
            guard let url = HTTPURL(text) else { throw FixtureFailure("QUILT_FIXTURES_S3_ENDPOINT=\(text) is not an http(s) URL") }
            return LiveTarget(
                endpoint: url, region: region, credentials: StaticCredentialsProvider(S3Harness.emulatorCredentials),
                bucketPrefix: env["QUILT_FIXTURES_S3_BUCKET_PREFIX"] ?? "", serverName: env["QUILT_FIXTURES_S3_SERVER"] ?? "S3-compatible emulator")
        }
        var aws: [String: String] = [:]
        for (k, v) in env where k.hasPrefix("AWS_") || k == "HOME" { aws[k] = v }
        return LiveTarget(
            endpoint: nil, region: region,
            credentials: AWSCredentialChain(aws: aws, transport: LiveHTTPTransport.shared),
            bucketPrefix: env["QUILT_FIXTURES_S3_BUCKET_PREFIX"] ?? "", serverName: "aws")
    }

    /// An unrecorded client for setup and cleanup.
    package var setupClient: S3Client {
        S3Client(
            transport: LiveHTTPTransport.shared, credentials: credentials,
            configuration: S3Configuration(region: region, endpoint: endpoint, forcePathStyle: endpoint != nil))
    }

    /// Makes `bucket` exist and be empty (fresh state per case, never "use what is there").
    package func prepare(bucket: String, versioned: Bool, create: Bool = true) async throws {
        let c = setupClient
        do {
            for v in try await c.listObjectVersions(bucket: bucket) {
                try await c.deleteObject(bucket: bucket, key: v.key, versionId: v.versionId == "null" ? nil : v.versionId)
            }
            if !create { try await c.deleteBucket(bucket); return }
        } catch QuiltOpsError.notFound {
            guard create else { return }
            try await c.createBucket(bucket)
        }
        if versioned { try await c.setBucketVersioning(bucket: bucket, enabled: true) }
    }
}
