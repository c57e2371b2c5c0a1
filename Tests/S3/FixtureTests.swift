import Foundation
#if canImport(FoundationXML)
    import FoundationXML
#endif
import QuiltContract
import QuiltHTTP
import Testing

/// The fixture format, the scrubber and the replaying transport's matching rules.
@Suite("Fixtures: format, scrubbing, replay")
struct FixtureTests {
    static func exchange(
        _ seq: Int, _ method: String, _ path: String, query: [QueryItem] = [], headers: [HTTPField] = [], body: String = "",
        status: Int = 200, response: [UInt8] = [], operation: String? = nil
    ) -> FixtureExchange {
        FixtureExchange(
            seq: seq, operation: operation, request: FixtureRequest(method: method, path: path, query: query, headers: headers, body: Array(body.utf8)),
            response: FixtureResponse(status: status, headers: [HTTPField("etag", "\"e\(seq)\"")], body: response))
    }

    static func fixture(_ exchanges: [FixtureExchange]) -> Fixture {
        Fixture(
            backend: "s3", scenario: "unit.test", recordedAt: "2026-11-21T12:00:00Z", target: ["bucket": "b"],
            rerecord: "Fixtures/s3/record.sh 'unitTest'", exchanges: exchanges)
    }

    // MARK: - Format

    @Test("Encoding is stable and decodes to the same exchanges; bodies are text, lines, base64 or shared")
    func roundTrip() throws {
        let manifest = (0..<100).map { "{\"logical_key\": \"file-\($0)\", \"size\": \($0)}" }.joined(separator: "\n") + "\n"
        let binary: [UInt8] = [0, 1, 2, 255, 10]
        let f = Self.fixture([
            Self.exchange(0, "GET", "/b/.quilt/packages/abc", response: Array(manifest.utf8)),
            Self.exchange(1, "PUT", "/b/k", headers: [HTTPField("Content-Type", "text/plain"), HTTPField("a-first", "1")], body: "héllo"),
            Self.exchange(2, "GET", "/b/bin", response: binary),
            Self.exchange(3, "GET", "/b/.quilt/packages/abc", response: Array(manifest.utf8)),
        ])
        let text = FixtureCodec.encode(f)
        #expect(text == FixtureCodec.encode(f))
        #expect(text.hasSuffix("}\n") && !text.hasSuffix("\n\n"))
        #expect(text.contains("\"lines\": ["))
        #expect(text.contains("\"base64\": \"AAEC/wo=\""))
        #expect(text.contains("\"sameAs\": 0"))
        #expect(text.contains("[\"a-first\", \"1\"],\n"), "headers sorted by name, one per line")
        let back = try FixtureCodec.decode(Array(text.utf8), path: "x.json")
        #expect(back.exchanges == f.exchanges)
        #expect(FixtureCodec.encode(back) == text)
        // Keys are sorted at every level.
        #expect(text.range(of: "\"backend\"")!.lowerBound < text.range(of: "\"exchanges\"")!.lowerBound)
    }

    @Test("Another format version is refused with the re-record command")
    func versionRefused() {
        let text = FixtureCodec.encode(Self.fixture([])).replacingOccurrences(of: "quilt-fixture/1", with: "quilt-fixture/0")
        #expect(throws: FixtureError.self) { try FixtureCodec.decode(Array(text.utf8), path: "old.json") }
        do { _ = try FixtureCodec.decode(Array(text.utf8), path: "old.json") } catch {
            #expect(error.message.contains("record.sh"))
        }
    }

    // MARK: - Scrubbing

    @Test("Scrubbing removes credentials and noise from requests and responses")
    func scrubbing() throws {
        var scrubber = FixtureScrubber()
        scrubber.register("http://127.0.0.1:54321", as: "<ENDPOINT>")
        scrubber.register("learned-secret-value-123", as: "<SECRET>")
        let request = FixtureRequest(
            method: "POST", path: "/api/token",
            query: [QueryItem("X-Amz-Signature", "abcdef"), QueryItem("X-Amz-Credential", "AKIAABCDEFGHIJKLMNOP/2026/x"), QueryItem("keep", "1")],
            headers: [
                HTTPField("Authorization", "AWS4-HMAC-SHA256 Credential=AKIAABCDEFGHIJKLMNOP/…"), HTTPField("X-Amz-Security-Token", "sessiontok-XYZ"),
                HTTPField("User-Agent", "x"), HTTPField("Host", "127.0.0.1:54321"), HTTPField("content-type", "application/x-www-form-urlencoded"),
                HTTPField("x-note", "learned-secret-value-123"),
            ],
            body: Array("refresh_token=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl&other=1".utf8))
        let jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl"
        let response = FixtureResponse(
            status: 200,
            headers: [HTTPField("content-type", "application/json"), HTTPField("Set-Cookie", "s=1"), HTTPField("Date", "now"), HTTPField("x-amz-request-id", "r")],
            body: Array("{\"access_token\": \"\(jwt)\", \"expires_at\": 5, \"nested\": {\"SecretAccessKey\": \"abc\", \"Location\": \"http://127.0.0.1:54321/b/k\"}}".utf8))
        let clean = scrubber.scrub(FixtureExchange(seq: 0, operation: "RefreshToken", request: request, response: response))
        let text = FixtureCodec.encode(Self.fixture([clean]))
        for secret in ["AKIAABCDEFGHIJKLMNOP", jwt, "abcdef", "sessiontok-XYZ", "learned-secret-value-123", "54321", "Set-Cookie", "set-cookie", "x-amz-request-id"] {
            #expect(!text.contains(secret), "\(secret) survived scrubbing")
        }
        #expect(clean.request.query.contains(QueryItem("keep", "1")))
        #expect(clean.request.headers.map(\.name) == ["content-type", "x-note"])
        #expect(String(decoding: clean.request.body, as: UTF8.self) == "refresh_token=%3CSCRUBBED%3E&other=1")
        #expect(text.contains("<ENDPOINT>/b/k"))
        #expect(text.contains("\\\"expires_at\\\":5") || text.contains("expires_at"))
    }

    @Test("STS XML credentials, access key ids and ARN account ids are scrubbed")
    func stsScrubbing() {
        let body = """
            <?xml version="1.0"?><AssumeRoleWithWebIdentityResponse><AssumeRoleWithWebIdentityResult><Credentials>\
            <AccessKeyId>ASIAABCDEFGHIJKLMNOP</AccessKeyId><SecretAccessKey>wJalr/secret+key</SecretAccessKey>\
            <SessionToken>FwoGZXIvYXdzEXAMPLE</SessionToken><Expiration>2026-11-21T13:00:00Z</Expiration></Credentials>\
            <AssumedRoleUser><Arn>arn:aws:sts::123456789012:assumed-role/demo/s</Arn></AssumedRoleUser>\
            </AssumeRoleWithWebIdentityResult></AssumeRoleWithWebIdentityResponse>
            """
        let x = FixtureScrubber().scrub(
            FixtureExchange(
                seq: 0, operation: nil, request: FixtureRequest(method: "POST", path: "/", query: [], headers: [], body: []),
                response: FixtureResponse(status: 200, headers: [HTTPField("content-type", "text/xml")], body: Array(body.utf8))))
        let text = String(decoding: x.response.body, as: UTF8.self)
        for secret in ["ASIAABCDEFGHIJKLMNOP", "wJalr/secret+key", "FwoGZXIvYXdzEXAMPLE", "123456789012"] {
            #expect(!text.contains(secret))
        }
        #expect(text.contains("<Expiration>2026-11-21T13:00:00Z</Expiration>"))
        // Placeholders are escaped text, so the scrubbed document still parses (a replayed STS answer is read).
        #expect(text.contains("arn:aws:sts::&lt;ACCOUNT_ID&gt;:assumed-role/demo/s"))
        #expect(text.contains("<AccessKeyId>&lt;SCRUBBED&gt;</AccessKeyId>"))
        #expect(XMLParser(data: Data(x.response.body)).parse())
    }

    @Test("Secret patterns are found exactly")
    func patterns() {
        #expect(SecretPatterns.find(in: "x AKIAIOSFODNN7EXAMPLE y").map(\.kind) == [.accessKeyId])
        #expect(SecretPatterns.find(in: "XAKIAIOSFODNN7EXAMPLE").isEmpty)
        #expect(SecretPatterns.find(in: "AKIAIOSFODNN7EXAMPLEX").isEmpty)
        #expect(SecretPatterns.find(in: "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.sig").map(\.kind) == [.jwt])
        #expect(SecretPatterns.find(in: "eyJust a word").isEmpty)
        #expect(SecretPatterns.find(in: "arn:aws:iam::123456789012:role/x").map(\.kind) == [.accountId])
        #expect(SecretPatterns.redact("arn:aws:iam::123456789012:role/x") == "arn:aws:iam::<ACCOUNT_ID>:role/x")
    }

    // MARK: - Replay

    @Test("Replay matches regardless of header and query order and signing time, each exchange once, in order")
    func consumeOnce() async throws {
        let f = Self.fixture([
            Self.exchange(0, "GET", "/b/latest", query: [QueryItem("a", "1"), QueryItem("b", "2")], headers: [HTTPField("range", "bytes=0-9"), HTTPField("x-amz-date", "20260101T000000Z")], response: Array("first".utf8)),
            Self.exchange(1, "GET", "/b/latest", query: [QueryItem("a", "1"), QueryItem("b", "2")], headers: [HTTPField("range", "bytes=0-9")], response: Array("second".utf8)),
        ])
        let replay = ReplayingTransport(fixture: f, path: "f.json", label: "[s3] unit.test")
        let request = QuiltHTTPRequest(
            method: "GET", url: "http://anywhere:1/b/latest?b=2&a=1",
            headers: [HTTPField("X-Amz-Date", "20991231T000000Z"), HTTPField("Range", "bytes=0-9"), HTTPField("Authorization", "whatever")])
        let r1 = try await replay.send(request)
        let r2 = try await replay.send(request)
        #expect(String(decoding: r1.body, as: UTF8.self) == "first")
        #expect(String(decoding: r2.body, as: UTF8.self) == "second")
        #expect(replay.finish().isEmpty)
        // A third identical request has nothing left to match.
        await #expect(throws: QuiltOpsError.self) { _ = try await replay.send(request) }
        #expect(replay.finish().first?.contains("already used") == true)
    }

    @Test("JSON bodies match canonically; other bodies byte for byte")
    func bodies() async throws {
        let f = Self.fixture([Self.exchange(0, "POST", "/graphql", body: "{\"b\": 1, \"a\": [1, 2]}")])
        let replay = ReplayingTransport(fixture: f, path: "f.json", label: "l")
        _ = try await replay.send(QuiltHTTPRequest(method: "POST", url: "https://h/graphql", body: Array("{\"a\":[1,2],\"b\":1}".utf8)))
        #expect(replay.finish().isEmpty)
    }

    @Test("A mismatch fails at once naming the nearest recorded request, the difference and the re-record command")
    func mismatchReport() async throws {
        let f = Self.fixture([
            Self.exchange(0, "PUT", "/b/u/p/a.txt", headers: [HTTPField("content-type", "text/plain")], body: "aaa", operation: "PutObject"),
            Self.exchange(1, "GET", "/b/other", operation: "GetObject"),
        ])
        let replay = ReplayingTransport(fixture: f, path: "Fixtures/s3/unit.test.json", label: "[s3] unit.test")
        let request = QuiltHTTPRequest(
            method: "PUT", url: "http://h/b/u/p/a.txt", headers: [HTTPField("content-type", "text/csv")], body: Array("aab".utf8),
            operation: "PutObject")
        do {
            _ = try await replay.send(request)
            Issue.record("expected a mismatch")
        } catch {
            let message = error.message
            #expect(message.contains("#0 PutObject PUT /b/u/p/a.txt"))
            #expect(message.contains("headers: recorded only [content-type: text/plain], sent only [content-type: text/csv]"))
            #expect(message.contains("first difference at byte 2"))
            #expect(message.contains("Fixtures/s3/record.sh 'unitTest'"))
            let near = try #require(message.range(of: "#0 PutObject"))
            let far = try #require(message.range(of: "#1 GetObject"))
            #expect(near.lowerBound < far.lowerBound, "the nearest candidate comes first")
        }
        let problems = replay.finish()
        #expect(problems.count == 2, "the mismatch, then the unused exchanges")
        #expect(problems.last?.contains("2 recorded exchange(s) were never requested") == true)
    }

    @Test("Recording keeps complete streamed bodies; the store writes scrubbed, stable files")
    func recordAndStore() async throws {
        let inner = ScriptedTransport { r throws(QuiltOpsError) in
            QuiltHTTPResponse(status: 200, headers: [HTTPField("Date", "x"), HTTPField("content-type", "text/plain")], body: Array("body of \(r.url.replacingOccurrences(of: "http://h:1", with: "http://recorded-host:1"))".utf8))
        }
        let recorder = RecordingTransport(inner)
        let streamed = try await recorder.stream(QuiltHTTPRequest(method: "GET", url: "http://h:1/b/k", operation: "GetObject"))
        #expect(String(decoding: try await streamed.collect().body, as: UTF8.self) == "body of http://recorded-host:1/b/k")
        _ = try await recorder.send(QuiltHTTPRequest(method: "PUT", url: "http://h:1/b/k2", headers: [HTTPField("authorization", "secret")], body: [1, 2]))
        let dir = try temporaryDirectory("store")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var scrubber = FixtureScrubber()
        scrubber.register("http://recorded-host:1", as: "<ENDPOINT>")
        let path = dir + "/s3/unit.test.json"
        let written = try FixtureStore.write(
            Fixture(backend: "s3", scenario: "unit.test", recordedAt: "2026-11-21T12:00:00Z", target: [:], rerecord: "cmd", exchanges: recorder.exchanges),
            scrubber: scrubber, to: path)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(!text.contains("authorization") && !text.contains("\"date\""))
        #expect(text.contains("body of <ENDPOINT>/b/k"))
        #expect(try FixtureStore.read(path).exchanges == written.exchanges)
        let replay = ReplayingTransport(fixture: written, path: path, label: "l")
        _ = try await replay.send(QuiltHTTPRequest(method: "GET", url: "http://elsewhere/b/k", operation: "GetObject"))
        _ = try await replay.send(QuiltHTTPRequest(method: "PUT", url: "http://elsewhere/b/k2", headers: [HTTPField("authorization", "other")], body: [1, 2]))
        #expect(replay.finish().isEmpty)
    }
}
