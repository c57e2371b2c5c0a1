import Foundation
import QuiltHTTP
import QuiltJSON
import QuiltS3
import Testing

/// The signer against botocore's signer on the same requests (`Fixtures/sigv4/generate_botocore_vectors.py`) and
/// against the examples AWS publishes.
@Suite("SigV4 signing")
struct SigV4Tests {
    struct Vector: CustomTestStringConvertible, Sendable {
        let json: JSONValue
        var testDescription: String { json["name"]?.stringValue ?? "?" }
    }

    static let document: JSONValue = {
        let path = repositoryRoot + "/Fixtures/sigv4/botocore_vectors.json"
        guard let data = FileManager.default.contents(atPath: path), let v = try? JSONParser.parse(Array(data)) else { return .null }
        return v
    }()
    static let vectors = (document["vectors"]?.arrayValue ?? []).map(Vector.init)
    static let published = (document["published_examples"]?.arrayValue ?? []).map(Vector.init)

    static func date(_ text: String?) -> Date { ISO8601DateFormatter().date(from: text ?? "") ?? .distantPast }

    /// Signs `v` as the S3 client would (headers in file order, the body, the session token when set).
    static func signed(_ v: JSONValue) -> (QuiltHTTPRequest, SigV4Signer, AWSCredentials) {
        let headers = (v["headers"]?.arrayValue ?? []).compactMap { pair -> HTTPField? in
            guard let n = pair[0]?.stringValue, let value = pair[1]?.stringValue else { return nil }
            return HTTPField(n, value)
        }
        var request = QuiltHTTPRequest(
            method: v["method"]?.stringValue ?? "", url: v["url"]?.stringValue ?? "", headers: headers,
            body: Array((v["body"]?.stringValue ?? "").utf8))
        let creds = AWSCredentials(
            accessKeyId: v["access_key_id"]?.stringValue ?? "", secretAccessKey: v["secret_access_key"]?.stringValue ?? "",
            sessionToken: v["session_token"]?.boolValue == true ? v["session_token_value"]?.stringValue : nil, source: "vector")
        let signer = SigV4Signer(region: v["region"]?.stringValue ?? "", service: v["service"]?.stringValue ?? "")
        if v["presign_expires"] == nil {
            signer.sign(&request, credentials: creds, date: date(v["date"]?.stringValue), payloadHash: v["payload"]?.stringValue)
        }
        return (request, signer, creds)
    }

    @Test("The committed vectors are present")
    func vectorsLoaded() {
        #expect(Self.vectors.count >= 14)
        #expect(Self.published.count >= 6)
    }

    @Test("Authorization headers and presigned URLs equal botocore's", arguments: vectors)
    func matchesBotocore(_ vector: Vector) throws {
        let v = vector.json
        let (request, signer, creds) = Self.signed(v)
        let expected = try #require(v["expected_signature"]?.stringValue)
        if let expires = v["presign_expires"]?.intValue {
            let url = signer.presign(method: request.method, url: request.url, credentials: creds, date: Self.date(v["date"]?.stringValue), expires: expires)
            let signature = HTTPURL(url)?.queryItems.first { $0.name == "X-Amz-Signature" }?.value
            #expect(signature == expected, "\(url)")
            return
        }
        #expect(request.header("authorization") == v["expected_authorization"]?.stringValue)
        var unsigned = request
        unsigned.headers.removeAll { $0.name == "authorization" }
        let payload = request.header("x-amz-content-sha256") ?? Self.sha256Hex(request.body)
        let (canonical, _) = signer.canonicalRequest(unsigned, payloadHash: payload)
        #expect(canonical == v["expected_canonical_request"]?.stringValue)
        #expect(signer.stringToSign(canonicalRequest: canonical, date: Self.date(v["date"]?.stringValue)) == v["expected_string_to_sign"]?.stringValue)
    }

    @Test("The examples AWS publishes", arguments: published)
    func publishedExamples(_ vector: Vector) throws {
        let v = vector.json
        let (request, signer, creds) = Self.signed(v)
        let expected = try #require(v["published_signature"]?.stringValue)
        if let expires = v["presign_expires"]?.intValue {
            let url = signer.presign(method: request.method, url: request.url, credentials: creds, date: Self.date(v["date"]?.stringValue), expires: expires)
            #expect(HTTPURL(url)?.queryItems.first { $0.name == "X-Amz-Signature" }?.value == expected)
        } else {
            #expect(request.header("authorization")?.hasSuffix("Signature=" + expected) == true, "\(request.header("authorization") ?? "")")
        }
    }

    @Test("Timestamps are UTC and zero-padded")
    func timestamps() {
        var r = QuiltHTTPRequest(method: "GET", url: "https://b.s3.amazonaws.com/k")
        SigV4Signer(region: "us-east-1", service: "s3").sign(&r, credentials: testCredentials, date: Date(timeIntervalSince1970: 1_000_000_000))
        #expect(r.header("x-amz-date") == "20010909T014640Z")
        #expect(r.header("host") == "b.s3.amazonaws.com")
    }

    static func sha256Hex(_ bytes: [UInt8]) -> String {
        var r = QuiltHTTPRequest(method: "GET", url: "https://h/", body: bytes)
        SigV4Signer(region: "r", service: "s3").sign(&r, credentials: testCredentials, date: Date())
        return r.header("x-amz-content-sha256") ?? ""
    }
}
