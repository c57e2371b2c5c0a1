import Foundation
import QuiltAthena
import QuiltContract
import QuiltHTTP
import QuiltJSON
import QuiltS3
import QuiltTestSupport

/// Athena and Glue as moto serves them, through the HTTP seam: replayed from `Fixtures/athena/<scenario>.json` by
/// default; with `QUILT_FIXTURES=record` or `live`, against `QUILT_FIXTURES_ATHENA_ENDPOINT` (moto on loopback, see
/// `Fixtures/athena/record.sh`; the `athena` tier of `.ci/run` runs live).
///
/// Live and recording runs expect a fresh moto (record.sh and the tier start one): scenarios create their
/// workgroups, databases and queued results without checking for leftovers.
///
/// Each scenario has a region of its own: moto keeps workgroups, executions and queued results per region, and the
/// engine keeps its chosen workgroup per region, so scenarios never see each other's state.
struct AthenaSession {
    let engine: AthenaEngine
    /// Calls for seeding (moto's own API and Glue/Athena creates), through the same recorded transport.
    let athena: AWSJSONClient
    let glue: AWSJSONClient
    let transport: any HTTPTransport
    let endpoint: String
    let region: String
    let finish: @Sendable (Bool) async throws -> Void

    static let credentials = AWSCredentials(
        accessKeyId: "QUILTFIXTURERECORDER", secretAccessKey: "quilt-fixture-recorder-secret-not-real", source: "fixtures")

    /// A session for `scenario` in `region`, with `settings` for the engine.
    /// `wrap` goes around the transport (outside the recorder), for tests that act at the edge (a client that
    /// disconnects).
    static func make(
        _ scenario: String, region: String, settings: AthenaEngine.Settings = .init(),
        wrap: (any HTTPTransport) -> any HTTPTransport = { $0 }
    ) throws -> AthenaSession {
        let mode = FixtureMode.current
        let path = FixturePaths.fixture(backend: "athena", scenario: scenario)
        let rerecord = "Fixtures/athena/record.sh '\(FixturePaths.currentTestFilter)'"
        let label = "[athena] \(scenario)"
        let transport: any HTTPTransport
        let endpoint: String
        var finish: @Sendable (Bool) async throws -> Void = { _ in }
        var clock: @Sendable () -> Date = { Date() }
        switch mode {
        case .replay:
            let fixture: Fixture
            do { fixture = try FixtureStore.read(path) } catch {
                throw FixtureFailure("\(label): no usable fixture (\(error)). Record it with: \(rerecord)")
            }
            let replaying = ReplayingTransport(fixture: fixture, path: path, label: label)
            let at = ISO8601DateFormatter().date(from: fixture.recordedAt) ?? Date(timeIntervalSince1970: 1_795_282_874)
            clock = { at }
            transport = replaying
            endpoint = "http://127.0.0.1:9"
            finish = { _ in
                let problems = replaying.finish()
                if !problems.isEmpty { throw FixtureFailure(problems.joined(separator: "\n\n")) }
            }
        case .record, .live:
            if mode == .record && FixtureMode.onCI {
                throw FixtureFailure("\(label): QUILT_FIXTURES=record is refused when CI is set; record on a workstation: \(rerecord)")
            }
            guard let text = ProcessInfo.processInfo.environment["QUILT_FIXTURES_ATHENA_ENDPOINT"], HTTPURL(text) != nil else {
                throw FixtureFailure("\(label): set QUILT_FIXTURES_ATHENA_ENDPOINT to moto's URL (Fixtures/athena/record.sh does).")
            }
            endpoint = text
            let recorder = RecordingTransport(LiveHTTPTransport.shared)
            transport = mode == .record ? recorder : LiveHTTPTransport.shared
            let started = Date()
            finish = { failed in
                guard mode == .record, !failed else { return }
                var scrubber = FixtureScrubber()
                scrubber.register(text, as: "<ENDPOINT>")
                scrubber.register(HTTPURL(text)?.hostHeader ?? text, as: "<ENDPOINT_HOST>")
                scrubber.register(credentials.secretAccessKey, as: "<AWS_SECRET_ACCESS_KEY>")
                scrubber.register(credentials.accessKeyId, as: "<AWS_ACCESS_KEY_ID>")
                let whole = ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: started.timeIntervalSince1970.rounded(.down)))
                try FixtureStore.write(
                    Fixture(
                        backend: "athena", scenario: scenario, recordedAt: whole,
                        target: ["region": region, "endpoint": "<ENDPOINT>", "server": ProcessInfo.processInfo.environment["QUILT_FIXTURES_ATHENA_SERVER"] ?? "moto"],
                        rerecord: rerecord, exchanges: recorder.exchanges),
                    scrubber: scrubber, to: path)
            }
        }
        guard let url = HTTPURL(endpoint) else { throw FixtureFailure("\(label): bad endpoint \(endpoint)") }
        let wrapped = wrap(transport)
        func client(_ service: String, _ prefix: String) -> AWSJSONClient {
            AWSJSONClient(
                service: service, targetPrefix: prefix, endpoint: url, region: region, transport: wrapped,
                credentials: StaticCredentialsProvider(credentials), retry: .none, clock: clock)
        }
        let athena = client("athena", "AmazonAthena"), glue = client("glue", "AWSGlue")
        // Request tokens numbered per session, so a replay sends what was recorded.
        let counter = Counter()
        var engine = AthenaEngine(athena: athena, glue: glue, settings: settings) { "quilt-test-token-\(scenario)-\(counter.next())" }
        engine.poll = (.milliseconds(1), .milliseconds(5))
        return AthenaSession(
            engine: engine, athena: athena, glue: glue, transport: transport, endpoint: endpoint, region: region, finish: finish)
    }

    // MARK: - Seeding (moto)

    /// Queues the result moto hands the next query started in this region (moto runs no SQL).
    func queueResult(columns: [(String, String)], rows: [[String?]]) async throws {
        let data: [JSONValue] = rows.map { row in
            ["Data": .array(row.map { cell in cell.map { ["VarCharValue": .string($0)] } ?? [:] })]
        }
        let body: JSONValue = [
            "region": .string(region),
            "results": [["rows": .array(data), "column_info": .array(columns.map { ["Name": .string($0.0), "Type": .string($0.1)] })]],
        ]
        let origin = mode == .replay ? "http://127.0.0.1:9" : endpoint
        let response = try await transport.send(QuiltHTTPRequest(
            method: "POST", url: origin + "/moto-api/static/athena/query-results",
            headers: [HTTPField("content-type", "application/json")], body: Array(JSONWriter.compact(body).utf8),
            operation: "MotoQueueAthenaResult"))
        guard response.status == 201 || response.status == 200 else {
            throw FixtureFailure("moto refused the queued result: HTTP \(response.status)")
        }
    }

    var mode: FixtureMode { FixtureMode.current }

    /// Makes moto move query executions through QUEUED and RUNNING one `GetQueryExecution` at a time, `times` calls
    /// before SUCCEEDED (nil: back to succeeding at once). moto's switch is global, hence the serialized suite.
    func transitions(_ times: Int?) async throws {
        let origin = mode == .replay ? "http://127.0.0.1:9" : endpoint
        let body: JSONValue = times.map { ["model_name": "athena::execution", "transition": ["progression": "manual", "times": .number(JSONNumber($0))]] }
            ?? ["model_name": "athena::execution"]
        let response = try await transport.send(QuiltHTTPRequest(
            method: "POST", url: origin + "/moto-api/state-manager/" + (times == nil ? "unset-transition" : "set-transition"),
            headers: [HTTPField("content-type", "application/json")], body: Array(JSONWriter.compact(body).utf8),
            operation: "MotoStateTransition"))
        guard (200..<300).contains(response.status) else { throw FixtureFailure("moto refused the transition: HTTP \(response.status)") }
    }

    func createWorkgroup(_ name: String, outputLocation: String?) async throws {
        var body: JSONObject = ["Name": .string(name)]
        if let outputLocation { body["Configuration"] = ["ResultConfiguration": ["OutputLocation": .string(outputLocation)]] }
        _ = try await athena.call("CreateWorkGroup", body)
    }

    func createTable(database: String, table: String, columns: [(String, String)], partitions: [(String, String)] = [], location: String) async throws {
        let cols: [JSONValue] = columns.map { ["Name": .string($0.0), "Type": .string($0.1)] }
        let parts: [JSONValue] = partitions.map { ["Name": .string($0.0), "Type": .string($0.1)] }
        _ = try await glue.call("CreateTable", [
            "DatabaseName": .string(database),
            "TableInput": [
                "Name": .string(table), "TableType": "EXTERNAL_TABLE", "PartitionKeys": .array(parts),
                "StorageDescriptor": ["Columns": .array(cols), "Location": .string(location)],
            ],
        ])
    }
}

/// Numbers request tokens.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var n = 0
    func next() -> Int { lock.lock(); defer { lock.unlock() }; n += 1; return n }
}

/// A client that goes away: cancels the task that sends the `count`th request for `operation`, after its answer.
final class DisconnectingTransport: HTTPTransport, @unchecked Sendable {
    let inner: any HTTPTransport
    let operation: String
    let count: Int
    private let lock = NSLock()
    private var seen = 0
    init(_ inner: any HTTPTransport, after count: Int, of operation: String) {
        self.inner = inner
        self.operation = operation
        self.count = count
    }
    func send(_ request: QuiltHTTPRequest) async throws(QuiltOpsError) -> QuiltHTTPResponse {
        let response = try await inner.send(request)
        let n: Int = { lock.lock(); defer { lock.unlock() }; if request.operation == operation { seen += 1 }; return seen }()
        if request.operation == operation && n == count { withUnsafeCurrentTask { $0?.cancel() } }
        return response
    }
}
