import FakeCatalog
import Foundation
import QuiltContract
import QuiltHTTP
import QuiltJSON
import QuiltPlatform
import QuiltS3
import Synchronization

/// A fake catalog on loopback plus a Platform backend talking to it, with fresh caches.
struct CatalogFixture: Sendable {
    let catalog: FakeCatalogServer
    let token: String
    let directory: CatalogDirectory
    let registry: RegistryURL

    static func start(variant: FakeCatalogSchema.Variant = .head, buckets: [String] = ["test-bucket"]) async throws -> CatalogFixture {
        let catalog = try await FakeCatalogServer.start(FakeCatalogOptions(buckets: buckets, variant: variant))
        return CatalogFixture(
            catalog: catalog, token: try await catalog.mintToken(), directory: CatalogDirectory(), registry: try RegistryURL.s3(buckets[0]))
    }

    func backend(
        token: String? = nil, registryURL: String? = nil, retry: RetryPolicy = .none, contentsLimit: Int = 10_000,
        readOnly: Bool = false, transport: (any HTTPTransport)? = nil
    ) -> PlatformBackend {
        PlatformBackend(
            configuration: PlatformConfiguration(
                catalogURL: catalog.url, registryURL: registryURL, bearerToken: token ?? self.token,
                transport: transport ?? LiveHTTPTransport.shared, retry: retry, s3Endpoint: HTTPURL(catalog.s3Endpoint), s3Retry: .none,
                readOnly: readOnly, serverFiles: .allowed, contentsLimit: contentsLimit, directory: directory, contents: ContentsCache()))
    }

    func seed(_ name: String, _ files: [(String, String)], meta: JSONValue? = nil, message: String? = "seed") async throws -> RevisionInfo {
        try await backend().createRevision(
            CreateRevisionRequest(
                package: try PackageName(name), registry: registry,
                entries: try files.map { NewEntry(logicalKey: try LogicalKey($0.0), source: .bytes(Array($0.1.utf8))) },
                userMeta: meta, message: message, force: true))
    }

    func stop() { catalog.stop() }
}

/// Counts sleeps instead of sleeping (retry tests).
final class SleepLog: Sendable {
    let sleeps = Mutex<[Duration]>([])
    var policy: RetryPolicy {
        RetryPolicy(maxAttempts: 4, sleep: { d in self.sleeps.withLock { $0.append(d) } }, random: { 0.5 })
    }
    var count: Int { sleeps.withLock { $0.count } }
}

/// A transport that answers from a closure and keeps every request (for unit tests of the client).
final class ScriptedTransport: HTTPTransport {
    let requests = Mutex<[QuiltHTTPRequest]>([])
    let answer: @Sendable (QuiltHTTPRequest, Int) -> QuiltHTTPResponse
    init(_ answer: @escaping @Sendable (QuiltHTTPRequest, Int) -> QuiltHTTPResponse) { self.answer = answer }
    func send(_ request: QuiltHTTPRequest) async throws(QuiltOpsError) -> QuiltHTTPResponse {
        let n = requests.withLock { r -> Int in
            r.append(request)
            return r.count
        }
        return answer(request, n)
    }
    var count: Int { requests.withLock { $0.count } }
}

func json(_ status: Int, _ text: String) -> QuiltHTTPResponse {
    QuiltHTTPResponse(status: status, headers: [HTTPField("content-type", "application/json")], body: Array(text.utf8))
}

/// Runs `body` and returns the QuiltOpsError it threw (nil when it did not throw).
func caught(_ body: () async throws -> Void) async -> QuiltOpsError? {
    do {
        try await body()
        return nil
    } catch let e as QuiltOpsError {
        return e
    } catch {
        return .remote("\(error)", retryable: false)
    }
}
