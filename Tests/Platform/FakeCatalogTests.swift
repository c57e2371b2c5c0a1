import FakeCatalog
import Foundation
import QuiltContract
import QuiltHTTP
import QuiltJSON
import Testing

/// The fake catalog itself: it refuses what a real catalog refuses, answers in the shapes the reference documents
/// (quilt-registry-and-catalog.md §8–§10, and the Python server's observed calls: we have no recorded real-catalog
/// responses), and its knobs work.
@Suite("Fake catalog")
struct FakeCatalogTests {
    static func post(_ f: CatalogFixture, _ body: String, token: String?) async throws -> (Int, JSONValue) {
        var headers = [HTTPField("content-type", "application/json")]
        if let token { headers.append(HTTPField("authorization", "Bearer \(token)")) }
        let r = try await LiveHTTPTransport.shared.send(
            QuiltHTTPRequest(method: "POST", url: f.catalog.url + "/graphql", headers: headers, body: Array(body.utf8)))
        return (r.status, (try? JSONParser.parse(r.body)) ?? .null)
    }

    static func get(_ f: CatalogFixture, _ path: String, token: String?) async throws -> (Int, JSONValue) {
        let headers = token.map { [HTTPField("authorization", "Bearer \($0)")] } ?? []
        let r = try await LiveHTTPTransport.shared.send(QuiltHTTPRequest(method: "GET", url: f.catalog.url + path, headers: headers))
        return (r.status, (try? JSONParser.parse(r.body)) ?? .null)
    }

    @Test("Invalid documents, fields outside the served subset, bad variables and missing tokens are refused loudly")
    func refusals() async throws {
        let f = try await CatalogFixture.start()
        defer { f.stop() }
        let (s1, b1) = try await Self.post(f, #"{"query":"{ me { name nosuch } }"}"#, token: f.token)
        #expect(s1 == 400 && (b1["errors"]?[0]?["message"]?.stringValue ?? "").contains("nosuch"))
        let (s2, b2) = try await Self.post(f, #"{"query":"{ status { __typename } }"}"#, token: f.token)
        #expect(s2 == 400 && (b2["errors"]?[0]?["message"]?.stringValue ?? "").contains("status"), "outside the fake's SDL subset")
        let (s3, _) = try await Self.post(f, #"{"query":"{ me { name "}"#, token: f.token)
        #expect(s3 == 400)
        let (s4, b4) = try await Self.post(
            f, #"{"query":"query Q($b: String!) { packages(bucket: $b) { total } }","variables":{"b":7}}"#, token: f.token)
        #expect(s4 == 400 && (b4["errors"]?[0]?["message"]?.stringValue ?? "").contains("$b"))
        let (s5, b5) = try await Self.post(
            f, #"{"query":"mutation M($p: PackagePushParams!) { packageConstruct(params: $p, src: {entries: []}) { __typename } }","variables":{"p":{"bucket":"b","name":"a/b","bogus":1}}}"#,
            token: f.token)
        #expect(s5 == 400 && (b5["errors"]?[0]?["message"]?.stringValue ?? "").contains("bogus"))
        let (s6, _) = try await Self.post(f, #"{"query":"query A { me { name } } query B { me { email } }","operationName":"C"}"#, token: f.token)
        #expect(s6 == 400)
        let (s7, _) = try await Self.post(f, #"{"query":"{ me { name } }"}"#, token: nil)
        #expect(s7 == 401)
        let (s8, _) = try await Self.get(f, "/api/auth/get_credentials", token: "not.a.jwt")
        #expect(s8 == 401)
    }

    @Test("Answers have the documented shapes: config.json, get_credentials, GraphQL unions and contentsFlatMap, /api/search")
    func shapes() async throws {
        let f = try await CatalogFixture.start()
        defer { f.stop() }
        let info = try await f.seed("shape/pkg", [("dir/a.txt", "hello")], meta: ["k": 1], message: "m")
        let (_, config) = try await Self.get(f, "/config.json", token: nil)
        for key in ["registryUrl", "region", "mode", "alwaysRequiresAuth", "apiGatewayEndpoint", "s3Proxy", "serviceBucket", "stackVersion"] {
            #expect(config[key] != nil, "config.json lacks \(key)")
        }
        let (_, creds) = try await Self.get(f, "/api/auth/get_credentials", token: f.token)
        for key in ["AccessKeyId", "SecretAccessKey", "SessionToken", "Expiration"] { #expect(creds[key]?.stringValue != nil) }
        let (_, flat) = try await Self.post(
            f,
            #"{"query":"{ package(bucket: \"test-bucket\", name: \"shape/pkg\") { revision(hashOrTag: \"latest\") { hash userMeta metadata contentsFlatMap(max: 10) dir(path: \"\") { path children { __typename ... on PackageDir { path size } } } } } }"}"#,
            token: f.token)
        let rev = flat["data"]?["package"]?["revision"]
        #expect(rev?["hash"]?.stringValue == info.revision.hash.rawValue)
        #expect(rev?["userMeta"] == ["k": 1])
        #expect(rev?["metadata"]?.objectValue?.keys == ["version", "user_meta", "message"])
        let entry = rev?["contentsFlatMap"]?["dir/a.txt"]
        #expect(entry?["physicalKey"]?.stringValue == "s3://test-bucket/shape/pkg/dir/a.txt")
        #expect(entry?["hash"]?["type"]?.stringValue == "sha2-256-chunked" && entry?["size"]?.intValue == 5 && entry?["meta"] == .object([:]))
        #expect(rev?["dir"]?["children"]?[0] == ["__typename": "PackageDir", "path": "dir/", "size": 5])
        let (_, none) = try await Self.post(
            f, #"{"query":"{ package(bucket: \"test-bucket\", name: \"shape/pkg\") { revision { contentsFlatMap(max: 0) } } }"}"#, token: f.token)
        #expect(none["data"]?["package"]?["revision"]?["contentsFlatMap"] == .null, "null above max, as documented")
        let (_, deleted) = try await Self.post(
            f, #"{"query":"mutation { packageRevisionDelete(bucket: \"test-bucket\", name: \"shape/pkg\", hash: \"\#(String(repeating: "0", count: 64))\") { __typename ... on OperationError { name message } } }"}"#,
            token: f.token)
        #expect(deleted["data"]?["packageRevisionDelete"]?["__typename"] == "OperationError")
        let body = JSONWriter.compact(["query": ["simple_query_string": ["query": "hello shape"]]])
        let (_, es) = try await Self.get(
            f, "/api/search?index=test-bucket_packages&action=freeform&size=5&body=" + FormEncoding.encode(body), token: f.token)
        #expect(es["hits"]?["total"]?["value"]?.intValue == 0, "every word must match: 'hello' is only in the data")
        let (_, es2) = try await Self.get(f, "/api/search?index=test-bucket_packages&action=search&size=5&query=shape", token: f.token)
        #expect(es2["hits"]?["hits"]?[0]?["_source"]?["ptr_name"] == "shape/pkg")
        #expect(es2["hits"]?["hits"]?[0]?["_source"]?["mnfst_hash"]?.stringValue == info.revision.hash.rawValue)
    }

    @Test("/api/token exchanges a refresh token for an access token; an access token is not a refresh token")
    func tokenRefresh() async throws {
        let f = try await CatalogFixture.start()
        defer { f.stop() }
        let refresh = try await f.catalog.auth.mint(subject: "bob", refresh: true)
        func exchange(_ t: String) async throws -> JSONValue {
            let r = try await LiveHTTPTransport.shared.send(
                QuiltHTTPRequest(
                    method: "POST", url: f.catalog.url + "/api/token", headers: [HTTPField("content-type", "application/x-www-form-urlencoded")],
                    body: Array(FormEncoding.query([("refresh_token", t)]).utf8)))
            return try JSONParser.parse(r.body)
        }
        let ok = try await exchange(refresh)
        let access = try #require(ok["access_token"]?.stringValue)
        let (status, me) = try await Self.post(f, #"{"query":"{ me { name } }"}"#, token: access)
        #expect(status == 200 && me["data"]?["me"]?["name"] == "bob")
        #expect(try await exchange(f.token)["error"] != nil)
        let (refused, _) = try await Self.post(f, #"{"query":"{ me { name } }"}"#, token: refresh)
        #expect(refused == 401)
    }

    @Test("The S3 endpoint only honours access keys the catalog issued")
    func s3Keys() async throws {
        let f = try await CatalogFixture.start()
        defer { f.stop() }
        let r = try await LiveHTTPTransport.shared.send(
            QuiltHTTPRequest(
                method: "GET", url: f.catalog.s3Endpoint + "/test-bucket/x",
                headers: [HTTPField("authorization", "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20261121/us-east-1/s3/aws4_request")]))
        #expect(r.status == 403 && String(decoding: r.body, as: UTF8.self).contains("InvalidAccessKeyId"))
    }
}
