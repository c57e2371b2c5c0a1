import Foundation
import QuiltHTTP
import QuiltJSON
import QuiltS3
import QuiltTestSupport
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
        let path = Executables.repositoryRoot + "/Fixtures/sigv4/botocore_vectors.json"
        guard let data = FileManager.default.contents(atPath: path), let v = try? JSONParser.parse(Array(data)) else { return .null }
        return v
    }()
    static let vectors = (document["vectors"]?.arrayValue ?? []).map(Vector.init)

    /// The obviously fake credentials the generator signs with; the vector file names them (`"sigv4-test"`) and
    /// holds no key material.
    static func vectorCredentials(_ v: JSONValue) -> AWSCredentials? {
        guard v["credentials"]?.stringValue == "sigv4-test" else { return nil }
        return AWSCredentials(
            accessKeyId: "TESTACCESSKEYID", secretAccessKey: "test-secret-access-key-for-sigv4-vectors",
            sessionToken: v["session_token"]?.boolValue == true ? "test-session-token-for-sigv4-vectors" : nil,
            source: "vector")
    }

    /// AWS's documented example keys, exactly as printed in the SigV4 documentation (they sign nothing real).
    static let awsDocumentationKeys = (id: "AKIAIOSFODNN7EXAMPLE", secret: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
    /// The SigV4 test suite's example keys.
    static let awsSuiteKeys = (id: "AKIDEXAMPLE", secret: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")

    /// Examples AWS publishes ("Signature Calculations for the Authorization Header", "Authenticating Requests: Using
    /// Query Parameters", and the SigV4 test suite's get-vanilla) with their published signatures.
    static let published: [Vector] = {
        func example(
            _ name: String, _ method: String, _ url: String, headers: [[String]] = [], body: String = "",
            date: String = "2013-05-24T00:00:00Z", service: String = "s3", presign: Int? = nil, suite: Bool = false,
            signature: String
        ) -> Vector {
            let keys = suite ? awsSuiteKeys : awsDocumentationKeys
            var o: JSONObject = [
                "name": .string(name), "method": .string(method), "url": .string(url),
                "headers": .array(headers.map { .array($0.map { .string($0) }) }), "body": .string(body),
                "date": .string(date), "service": .string(service), "region": "us-east-1",
                "access_key_id": .string(keys.id), "secret_access_key": .string(keys.secret),
                "published_signature": .string(signature),
            ]
            if let presign { o["presign_expires"] = .number(JSONNumber(presign)) }
            return Vector(json: .object(o))
        }
        return [
            example("aws-s3-get-object", "GET", "https://examplebucket.s3.amazonaws.com/test.txt", headers: [["Range", "bytes=0-9"]],
                    signature: "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"),
            example("aws-s3-put-object", "PUT", "https://examplebucket.s3.amazonaws.com/test%24file.text",
                    headers: [["Date", "Fri, 24 May 2013 00:00:00 GMT"], ["x-amz-storage-class", "REDUCED_REDUNDANCY"]],
                    body: "Welcome to Amazon S3.", signature: "98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd"),
            example("aws-s3-get-lifecycle", "GET", "https://examplebucket.s3.amazonaws.com/?lifecycle",
                    signature: "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543"),
            example("aws-s3-list-objects", "GET", "https://examplebucket.s3.amazonaws.com/?max-keys=2&prefix=J",
                    signature: "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7"),
            example("aws-s3-presigned-get", "GET", "https://examplebucket.s3.amazonaws.com/test.txt", presign: 86400,
                    signature: "aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404"),
            example("aws-suite-get-vanilla", "GET", "https://example.amazonaws.com/", date: "2015-08-30T12:36:00Z",
                    service: "service", suite: true, signature: "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"),
        ]
    }()

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
        let creds = vectorCredentials(v) ?? AWSCredentials(
            accessKeyId: v["access_key_id"]?.stringValue ?? "", secretAccessKey: v["secret_access_key"]?.stringValue ?? "",
            source: "published example")
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
