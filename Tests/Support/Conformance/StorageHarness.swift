import FakeCatalog
import Foundation
import QuiltContract
import QuiltHTTP
import QuiltMocks
import QuiltPlatform
import QuiltS3
package import QuiltStorage
import Synchronization
import Testing

/// One `ObjectStorage` implementation under the storage tier: the promises written in `ObjectStorage.swift`, checked
/// against every store the engine runs on, as arrow-rs object_store's integration tests check its stores.
package struct StoreUnderTest: Sendable, CustomTestStringConvertible {
    package enum Kind: String, Sendable { case memory, file, faulty, s3, fakeCatalog = "fake-catalog-s3" }
    package let kind: Kind
    package var testDescription: String { kind.rawValue }

    /// Whether the store is on this machine (no HTTP): concurrency scenarios run only there, since a replayed
    /// fixture must see its requests in the order they were recorded.
    package var isLocal: Bool { kind == .memory || kind == .file || kind == .faulty }

    /// Whether the store keeps an object's content type and user metadata (a directory of files has nowhere to).
    package var keepsObjectMetadata: Bool { kind != .file }

    /// Whether `a` and `a/b` can both be keys (S3 and memory: yes; a directory cannot hold a file and a folder of
    /// the same name).
    package var keyMayAlsoBeAFolder: Bool { kind != .file }

    /// File sizes `putFile` is tried with: around the local stores' 1 MiB chunk everywhere local; small ones
    /// over HTTP (fixtures stay small, and the fake catalog has no multipart uploads).
    package var fileSizes: [Int] { isLocal ? [0, 1, 4097, (1 << 20) - 1, 1 << 20, (1 << 20) + 1, 3 << 20] : [0, 1, 4097, 20_001] }

    package static let all: [StoreUnderTest] = [.init(kind: .memory), .init(kind: .file), .init(kind: .faulty), .init(kind: .s3), .init(kind: .fakeCatalog)]

    /// A fresh, empty store for `scenario`, and what to call when the case ends (with whether it failed).
    package func make(_ scenario: ScenarioID) async throws -> (store: any ObjectStorage, scratch: String, finish: @Sendable (Bool) async throws -> Void) {
        let scratch = try makeScratchDirectory("storage-\(kind.rawValue)")
        let cleanup: @Sendable () -> Void = { try? FileManager.default.removeItem(atPath: scratch) }
        switch kind {
        case .memory:
            return (try MemoryStorage(name: "storage-tier"), scratch, { _ in cleanup() })
        case .file:
            let root = scratch + "/root"
            try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
            return (try FileStorage(root: try RegistryURL.file(root)), scratch, { _ in cleanup() })
        case .faulty:
            return (FaultyStorage(try MemoryStorage(name: "storage-tier-faulty")), scratch, { _ in cleanup() })
        case .s3:
            let (client, bucket, finish) = try await S3Harness.client(scenario: scenario, versioned: false)
            return (try S3Storage(bucket: bucket, client: client), scratch, { failed in
                cleanup()
                try await finish(failed)
            })
        case .fakeCatalog:
            let bucket = S3Harness.bucketName(scenario.rawValue)
            let target = try await FakeTarget.start(bucket: bucket)
            let credentials = await CatalogDirectory().credentials(
                registry: target.catalog.url, token: target.token, transport: LiveHTTPTransport.shared)
            let client = S3Client(
                transport: LiveHTTPTransport.shared, credentials: credentials,
                configuration: S3Configuration(endpoint: HTTPURL(target.catalog.s3Endpoint), retry: .none))
            return (try S3Storage(bucket: bucket, client: client), scratch, { _ in
                cleanup()
                target.catalog.stop()
            })
        }
    }

    /// Runs `body` with a fresh store; the store's fixture (S3) is checked or written when it ends.
    package func run(_ scenario: ScenarioID, _ body: @Sendable (any ObjectStorage, String) async throws -> Void) async throws {
        let (store, scratch, finish) = try await make(scenario)
        do {
            try await body(store, scratch)
        } catch {
            try? await finish(true)
            throw error
        }
        try await finish(false)
    }
}
