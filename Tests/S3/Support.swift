import Foundation
import QuiltContract
import QuiltHTTP
import QuiltJSON
import QuiltS3
import Synchronization

/// A transport answered by a closure, keeping every request it saw: the world's edge for unit tests.
final class ScriptedTransport: HTTPTransport {
    typealias Handler = @Sendable (QuiltHTTPRequest) async throws(QuiltOpsError) -> QuiltHTTPResponse
    private let handler: Handler
    private let seen = Mutex<[QuiltHTTPRequest]>([])

    init(_ handler: @escaping Handler) { self.handler = handler }

    var requests: [QuiltHTTPRequest] { seen.withLock { $0 } }

    func send(_ request: QuiltHTTPRequest) async throws(QuiltOpsError) -> QuiltHTTPResponse {
        seen.withLock { $0.append(request) }
        return try await handler(request)
    }
}

/// Records the sleeps a retry policy asks for instead of sleeping.
final class SleepRecorder: Sendable {
    private let sleeps = Mutex<[Duration]>([])
    var recorded: [Duration] { sleeps.withLock { $0 } }
    var policy: RetryPolicy {
        RetryPolicy(maxAttempts: 4, baseDelay: .milliseconds(100), maxDelay: .seconds(5), sleep: { d in self.sleeps.withLock { $0.append(d) } }, random: { 0.5 })
    }
}

/// A counter shared with `@Sendable` closures.
final class Counter: Sendable {
    private let value = Mutex(0)
    @discardableResult func next() -> Int { value.withLock { $0 += 1; return $0 } }
    var count: Int { value.withLock { $0 } }
}

/// A clock tests move by hand.
final class ManualClock: Sendable {
    private let now = Mutex(Date(timeIntervalSince1970: 1_795_282_874))
    var date: Date { now.withLock { $0 } }
    func advance(_ seconds: TimeInterval) { now.withLock { $0 = $0.addingTimeInterval(seconds) } }
    var closure: @Sendable () -> Date { { self.date } }
}

/// A unique temporary directory, removed when the test process exits (tests hand these paths to credential
/// sources and background refreshes that may outlive the test body, so a `defer` at each call site is not enough).
func temporaryDirectory(_ label: String) throws -> String {
    let path = NSTemporaryDirectory() + "quilt-s3-\(label)-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    madeDirectories.withLock { made in
        if made.isEmpty { atexit { for path in madeDirectories.withLock({ $0 }) { try? FileManager.default.removeItem(atPath: path) } } }
        made.append(path)
    }
    return path
}

/// Every directory ``temporaryDirectory(_:)`` made in this process.
private let madeDirectories = Mutex<[String]>([])

func write(_ text: String, to path: String) throws {
    try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
    try Data(text.utf8).write(to: URL(fileURLWithPath: path))
}

let testCredentials = AWSCredentials(accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret-for-tests-only", source: "tests")

func xmlResponse(_ status: Int, _ body: String, headers: [HTTPField] = []) -> QuiltHTTPResponse {
    QuiltHTTPResponse(status: status, headers: [HTTPField("content-type", "application/xml")] + headers, body: Array(body.utf8))
}

func s3Error(_ status: Int, _ code: String, _ message: String = "", headers: [HTTPField] = []) -> QuiltHTTPResponse {
    xmlResponse(status, "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>\(code)</Code><Message>\(message)</Message></Error>", headers: headers)
}

func client(_ transport: any HTTPTransport, endpoint: String? = "http://127.0.0.1:9000", retry: RetryPolicy = .none, region: String = "us-east-1")
    -> S3Client
{
    S3Client(
        transport: transport, credentials: StaticCredentialsProvider(testCredentials),
        configuration: S3Configuration(
            region: region, endpoint: endpoint.flatMap(HTTPURL.init), retry: retry, clock: { Date(timeIntervalSince1970: 1_795_282_874) }))
}
