package import QuiltContract
import QuiltJSON
import Synchronization

/// Answers requests from a fixture, never touching the network, never retrying and never sleeping.
///
/// Matching: each recorded exchange answers at most once; a request takes the first unused exchange with the same
/// operation (when both name one), method, path, query (order-insensitive), the same headers apart from
/// `ignoredHeaders`, and the same body (JSON compared canonically, anything else byte for byte), both sides
/// scrubbed alike. A request with no match fails at once with the nearest recorded requests, what differs, and
/// the command that re-records the fixture; `finish()` also reports exchanges that were never requested.
package final class ReplayingTransport: HTTPTransport {
    /// Headers that legitimately differ between recording and replay (signing time).
    package static let ignoredHeaders: Set<String> = ["x-amz-date", "date", "expect"]

    private let fixture: Fixture
    private let path: String
    private let label: String
    private let scrubber: FixtureScrubber
    private struct State {
        var used: [Bool]
        var problems: [String] = []
    }
    private let state: Mutex<State>

    /// - Parameters:
    ///   - fixture: the recording to answer from.
    ///   - path: where it was read from (for messages).
    ///   - label: `[backend] scenario`, for messages.
    package init(fixture: Fixture, path: String, label: String, scrubber: FixtureScrubber = FixtureScrubber()) {
        self.fixture = fixture
        self.path = path
        self.label = label
        self.scrubber = scrubber
        self.state = Mutex(State(used: Array(repeating: false, count: fixture.exchanges.count)))
    }

    // MARK: - Answering

    package func send(_ request: QuiltHTTPRequest) async throws(QuiltOpsError) -> QuiltHTTPResponse {
        let incoming = scrubber.scrub(FixtureRequest(request))
        let result: Result<QuiltHTTPResponse, QuiltOpsError> = state.withLock { s in
            for (i, x) in fixture.exchanges.enumerated() where !s.used[i] {
                // Cheap fields first: most candidates differ in path.
                guard x.request.path == incoming.path, x.request.method == incoming.method else { continue }
                if Self.differences(x, incoming, request.operation).isEmpty {
                    s.used[i] = true
                    return .success(x.response.httpResponse)
                }
            }
            let message = mismatchReport(incoming, request.operation, used: s.used)
            s.problems.append(message)
            return .failure(.remote(message, retryable: false))
        }
        return try result.get()
    }

    package func stream(_ request: QuiltHTTPRequest) async throws(QuiltOpsError) -> QuiltHTTPStreamingResponse {
        let response = try await send(request)
        return QuiltHTTPStreamingResponse(
            status: response.status, headers: response.headers, body: BufferedBodyStream(response.body, chunkSize: 256 << 10))
    }

    /// Everything that went wrong: requests nothing matched, then recorded exchanges never requested.
    /// Empty when the replay was exact.
    package func finish() -> [String] {
        state.withLock { s in
            var problems = s.problems
            let unused = fixture.exchanges.indices.filter { !s.used[$0] }
            if !unused.isEmpty {
                let shown = unused.prefix(5).map { "  #\(fixture.exchanges[$0].seq) \(Self.summary(fixture.exchanges[$0].request, fixture.exchanges[$0].operation))" }
                problems.append(
                    (["\(label): \(unused.count) recorded exchange(s) were never requested (the code now makes fewer requests than when \(path) was recorded):"]
                        + shown + (unused.count > 5 ? ["  …"] : []) + ["Re-record: \(fixture.rerecord)"]).joined(separator: "\n"))
            }
            return problems
        }
    }

    // MARK: - Matching

    /// The fields in which `x` differs from `incoming`, each with a readable explanation; empty when they match.
    static func differences(_ x: FixtureExchange, _ incoming: FixtureRequest, _ operation: String?) -> [String] {
        var out: [String] = []
        let r = x.request
        if let a = x.operation, let b = operation, a != b { out.append("operation: recorded \(a), sent \(b)") }
        if r.method != incoming.method { out.append("method: recorded \(r.method), sent \(incoming.method)") }
        if r.path != incoming.path { out.append("path: recorded \(r.path), sent \(incoming.path)") }
        if r.query != incoming.query {
            out.append("query: recorded \(describe(r.query)), sent \(describe(incoming.query))")
        }
        let rh = r.headers.filter { !ignoredHeaders.contains($0.name) }
        let ih = incoming.headers.filter { !ignoredHeaders.contains($0.name) }
        if rh != ih {
            let missing = rh.filter { !ih.contains($0) }.map { "\($0.name): \($0.value)" }
            let extra = ih.filter { !rh.contains($0) }.map { "\($0.name): \($0.value)" }
            out.append("headers: recorded only [\(missing.joined(separator: "; "))], sent only [\(extra.joined(separator: "; "))]")
        }
        if !bodiesMatch(r.body, incoming.body) { out.append("body: \(bodyDifference(r.body, incoming.body))") }
        return out
    }

    static func bodiesMatch(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        if a == b { return true }
        guard let first = a.first(where: { $0 > 0x20 }), first == UInt8(ascii: "{") || first == UInt8(ascii: "["),
            let x = try? JSONParser.parse(a), let y = try? JSONParser.parse(b)
        else { return false }
        return x.isEquivalent(to: y)
    }

    static func bodyDifference(_ a: [UInt8], _ b: [UInt8]) -> String {
        let n = zip(a, b).prefix { $0 == $1 }.count
        func around(_ bytes: [UInt8]) -> String {
            let lo = max(0, n - 20)
            let hi = min(bytes.count, n + 40)
            return String(decoding: bytes[lo..<hi], as: UTF8.self).debugDescription
        }
        return "\(a.count) bytes recorded, \(b.count) sent, first difference at byte \(n): recorded …\(around(a))…, sent …\(around(b))…"
    }

    static func describe(_ q: [QueryItem]) -> String {
        q.isEmpty ? "(none)" : q.map { "\($0.name)=\($0.value)" }.joined(separator: "&")
    }

    static func summary(_ r: FixtureRequest, _ operation: String?) -> String {
        let q = r.query.isEmpty ? "" : "?" + describe(r.query)
        return "\(operation.map { $0 + " " } ?? "")\(r.method) \(r.path)\(q)"
    }

    private func mismatchReport(_ incoming: FixtureRequest, _ operation: String?, used: [Bool]) -> String {
        let candidates = fixture.exchanges.indices.filter { !used[$0] }.map { i in
            (i, Self.differences(fixture.exchanges[i], incoming, operation))
        }.sorted { $0.1.count != $1.1.count ? $0.1.count < $1.1.count : $0.0 < $1.0 }.prefix(3)
        var lines = ["\(label): no unused recorded exchange in \(path) matches", "  \(Self.summary(incoming, operation))"]
        if candidates.isEmpty {
            lines.append("every recorded exchange (\(fixture.exchanges.count)) was already used: the code now makes more requests than when it was recorded.")
        } else {
            lines.append("nearest unused recorded requests:")
            for (i, diffs) in candidates {
                let x = fixture.exchanges[i]
                lines.append("  #\(x.seq) \(Self.summary(x.request, x.operation))")
                for d in diffs { lines.append("      differs in \(d)") }
            }
        }
        lines.append("If the change is intended, re-record: \(fixture.rerecord)")
        return lines.joined(separator: "\n")
    }
}
