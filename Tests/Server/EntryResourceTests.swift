import Foundation
import QuiltJSON
import QuiltServer
import QuiltTestSupport
import Testing

/// The era a stdio session is in, for tests that run in both.
enum SessionEra: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case handshake, modern
    var testDescription: String { rawValue }
}

/// A stdio session in one era: handshake sessions begin with `initialize`; modern requests carry the 2026-07-28
/// `_meta` envelope.
struct EraSession {
    let server: ServerProcess
    let era: SessionEra

    /// Opens `server` in `era`.
    init(_ server: ServerProcess, _ era: SessionEra) throws {
        self.server = server
        self.era = era
        if era == .handshake { _ = try server.initialize(version: "2025-11-25") }
    }

    /// Sends `method` with `params` in the session's era and waits for the response.
    func call(_ id: Int, _ method: String, _ params: JSONObject = [:]) throws -> JSONValue {
        try server.call(id, method, era == .modern ? ModernStdioTests.params(params) : .object(params))
    }

    /// Calls tool `name` and returns its structured content; fails the test when the tool fails.
    func tool(_ id: Int, _ name: String, _ arguments: JSONObject) throws -> JSONValue {
        let response = try call(id, "tools/call", ["name": .string(name), "arguments": .object(arguments)])
        #expect(response["result"]?["isError"] == false, "\(response)")
        return try #require(response["result"]?["structuredContent"])
    }

    /// The code of an error response's error (0 when it is not one).
    static func code(_ response: JSONValue) -> Int { response["error"]?["code"]?.intValue ?? 0 }

    /// The code a missing resource has in this era.
    var notFoundCode: Int { era == .modern ? -32602 : -32002 }
}

/// Package entries as resources over stdio: templates, reads of text and binary entries at a pinned hash, a tag
/// and latest, and the errors for bad URIs, missing entries, directories and entries over the bound.
@Suite("Package entries as resources")
struct EntryResourceTests {
    static let binary: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x00, 0x01, 0x02, 0xFF, 0xFE]

    /// Makes `res/one` (data/a.csv, data/b/c.txt, bin.dat, big.txt of 1 MiB + 1 byte), then a second revision that
    /// adds data/new.csv; returns both top hashes. (A local registry keeps one object per logical key, as quilt3's
    /// local push does, so revisions differ here by their entries, not by rewritten bytes.)
    static func seed(_ s: EraSession, dir: String) throws -> (first: String, second: String) {
        let bin = dir + "/bin.dat", big = dir + "/big.txt"
        try Data(binary).write(to: URL(fileURLWithPath: bin))
        try Data(repeating: UInt8(ascii: "a"), count: (1 << 20) + 1).write(to: URL(fileURLWithPath: big))
        let first = try s.tool(
            1, "package_create",
            [
                "package_name": "res/one", "files": [.string(bin), .string(big)],
                "entries": [["logical_key": "data/a.csv", "text": "x,y\n1,2\n"], ["logical_key": "data/b/c.txt", "text": "deep ü"]],
            ])
        let second = try s.tool(
            2, "package_update", ["package_name": "res/one", "entries": [["logical_key": "data/new.csv", "text": "x,y\n3,4\n"]]])
        return (try #require(first["top_hash"]?.stringValue), try #require(second["top_hash"]?.stringValue))
    }

    /// The local registry's entry template from `resources/templates/list`.
    static func template(_ s: EraSession, id: Int = 3) throws -> String {
        let listed = try #require(try s.call(id, "resources/templates/list")["result"]?["resourceTemplates"]?.arrayValue)
        let local = try #require(listed.first { $0["name"] == "package-entry" })
        return try #require(local["uriTemplate"]?.stringValue)
    }

    /// `template` expanded as RFC 6570 simple expansion does (reserved characters, `/` included, percent-encoded).
    static func expand(_ template: String, name: String, revision: String, path: String) -> String {
        func enc(_ s: String) -> String { s.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(["-", ".", "_", "~"])) ?? s }
        return template.replacingOccurrences(of: "@{hash}", with: revision)
            .replacingOccurrences(of: "{name}", with: enc(name)).replacingOccurrences(of: "{path}", with: enc(path))
    }

    @Test("Templates: the local registry's form, no S3 form without S3, cache hints in 2026-07-28", arguments: SessionEra.allCases)
    func templates(era: SessionEra) throws {
        try StdioServerTests.withServer { server, dir in
            let s = try EraSession(server, era)
            let result = try #require(try s.call(1, "resources/templates/list")["result"])
            let listed = try #require(result["resourceTemplates"]?.arrayValue)
            #expect(listed.count == 1, "\(listed)")
            let uriTemplate = try #require(listed.first?["uriTemplate"]?.stringValue)
            #expect(uriTemplate.hasPrefix("quilt+file://\(dir)/xdg/Quilt/packages#package={name}@{hash}&path={path}"), "\(uriTemplate)")
            #expect(listed.first?["description"]?.stringValue?.contains("1 MiB") == true)
            if era == .modern {
                #expect(result["cacheScope"] == "public" && result["ttlMs"] == 300_000 && result["resultType"] == "complete")
            }
        }
    }

    @Test("Reads a text entry at a pinned hash, a tag and latest; a binary entry as a base64 blob", arguments: SessionEra.allCases)
    func reads(era: SessionEra) throws {
        try StdioServerTests.withServer { server, dir in
            let s = try EraSession(server, era)
            let (first, second) = try Self.seed(s, dir: dir)
            let template = try Self.template(s)
            let cases: [(revision: String, path: String, text: String)] = [
                ("@" + first, "data/a.csv", "x,y\n1,2\n"), ("@" + second, "data/new.csv", "x,y\n3,4\n"),
                ("@" + String(first.prefix(10)), "data/a.csv", "x,y\n1,2\n"), (":latest", "data/new.csv", "x,y\n3,4\n"),
                ("", "data/new.csv", "x,y\n3,4\n"),
            ]
            for (i, c) in cases.enumerated() {
                let uri = Self.expand(template, name: "res/one", revision: c.revision, path: c.path)
                let result = try #require(try s.call(10 + i, "resources/read", ["uri": .string(uri)])["result"], "\(uri)")
                let content = try #require(result["contents"]?[0])
                #expect(content["uri"] == .string(uri))
                #expect(content["text"] == .string(c.text), "\(c.revision)")
                #expect(content["mimeType"] == "text/csv")
                if era == .modern { #expect(result["cacheScope"] == "private" && result["ttlMs"] == 0) }
            }
            // The pinned first revision has no data/new.csv.
            let older = try s.call(19, "resources/read", ["uri": .string(Self.expand(template, name: "res/one", revision: "@" + first, path: "data/new.csv"))])
            #expect(EraSession.code(older) == s.notFoundCode, "\(older)")
            let unicode = Self.expand(template, name: "res/one", revision: "@" + first, path: "data/b/c.txt")
            #expect(try s.call(20, "resources/read", ["uri": .string(unicode)])["result"]?["contents"]?[0]?["text"] == "deep ü")
            // Not percent-encoded at all, and with quilt3's catalog parameter: the same entry.
            let plain = template.components(separatedBy: "#").first.map { $0 + "#package=res/one@\(first)&path=data/a.csv&catalog=example.com" } ?? ""
            #expect(try s.call(21, "resources/read", ["uri": .string(plain)])["result"]?["contents"]?[0]?["text"] == "x,y\n1,2\n")

            let bin = Self.expand(template, name: "res/one", revision: "@" + second, path: "bin.dat")
            let blob = try #require(try s.call(22, "resources/read", ["uri": .string(bin)])["result"]?["contents"]?[0])
            #expect(blob["text"]?.stringValue == nil)
            #expect(blob["mimeType"] == "application/octet-stream")
            #expect(blob["blob"]?.stringValue.flatMap { Data(base64Encoded: $0) }.map { Array($0) } == Self.binary)
        }
    }

    @Test("Bad URIs, missing entries, directories and entries over 1 MiB are errors that say what to do", arguments: SessionEra.allCases)
    func errors(era: SessionEra) throws {
        try StdioServerTests.withServer { server, dir in
            let s = try EraSession(server, era)
            let (first, _) = try Self.seed(s, dir: dir)
            let template = try Self.template(s)
            let base = template.components(separatedBy: "#")[0]
            let invalid: [(uri: String, says: String)] = [
                (base, "fragment"),
                (base + "#package=res/one", "&path="),
                (base + "#package=noslash&path=a", "user/package"),
                (base + "#package=res/one@xyz123&path=a", "hexadecimal"),
                (base + "#package=res/one&path=a&color=red", "unknown parameter 'color'"),
                ("quilt+s3://Not A Bucket#package=res/one&path=a", "registry"),
                ("quilt+gopher://x#package=res/one&path=a", "registry"),
                (Self.expand(template, name: "res/one", revision: "@" + first, path: "data"), "directory"),
            ]
            for (i, c) in invalid.enumerated() {
                let response = try s.call(10 + i, "resources/read", ["uri": .string(c.uri)])
                #expect(EraSession.code(response) == -32602, "\(c.uri): \(response)")
                #expect(response["error"]?["message"]?.stringValue?.contains(c.says) == true, "\(c.uri): \(response)")
            }
            let missing: [(uri: String, says: String)] = [
                (Self.expand(template, name: "res/one", revision: "@" + first, path: "nope.txt"), "nope.txt"),
                (Self.expand(template, name: "res/none", revision: "", path: "a.txt"), "res/none"),
                (Self.expand(template, name: "res/one", revision: ":1234", path: "data/a.csv"), "1234"),
            ]
            for (i, c) in missing.enumerated() {
                let response = try s.call(30 + i, "resources/read", ["uri": .string(c.uri)])
                #expect(EraSession.code(response) == s.notFoundCode, "\(response)")
                #expect(response["error"]?["message"]?.stringValue?.contains(c.says) == true, "\(response)")
                #expect(response["error"]?["data"]?["uri"] == .string(c.uri))
            }
            let big = try s.call(40, "resources/read", ["uri": .string(Self.expand(template, name: "res/one", revision: "", path: "big.txt"))])
            #expect(EraSession.code(big) == -32602, "\(big)")
            #expect(big["error"]?["data"]?["size"] == 1_048_577 && big["error"]?["data"]?["limit"] == 1_048_576)
            #expect(big["error"]?["message"]?.stringValue?.contains("bucket_object_fetch") == true)
            // The auth:// resources are still read as before.
            #expect(try s.call(41, "resources/read", ["uri": "auth://status"])["result"]?["contents"]?[0]?["text"] != nil)
        }
    }

    @Test("A memory registry lists its own template and reads its entries", arguments: SessionEra.allCases)
    func memoryRegistry(era: SessionEra) throws {
        try StdioServerTests.withServer(["--registry", "memory://scratch"]) { server, _ in
            let s = try EraSession(server, era)
            let made = try s.tool(1, "package_create", ["package_name": "mem/one", "entries": [["logical_key": "n.json", "text": "{\"a\":1}"]]])
            let hash = try #require(made["top_hash"]?.stringValue)
            let template = try Self.template(s)
            #expect(template == "quilt+memory://scratch#package={name}@{hash}&path={path}")
            let read = try s.call(2, "resources/read", ["uri": .string(Self.expand(template, name: "mem/one", revision: "@" + hash, path: "n.json"))])
            #expect(read["result"]?["contents"]?[0]?["text"] == "{\"a\":1}", "\(read)")
            #expect(read["result"]?["contents"]?[0]?["mimeType"] == "application/json")
        }
    }

    @Test(
        "quilt+ URIs parse in quilt3's forms",
        arguments: [
            ("quilt+s3://bucket#package=a/b@" + String(repeating: "0", count: 64) + "&path=d/e.csv", "d/e.csv", true),
            ("quilt+s3://bucket#package=a%2Fb:latest&path=d%2Fe.csv&catalog=open.quiltdata.com", "d/e.csv", false),
            ("quilt+s3://bucket#path=x.txt&package=a/b", "x.txt", false),
            ("quilt+file:///tmp/reg#package=a/b@abcdef&path=%2Fx.txt", "x.txt", false),
            ("quilt+memory://m#package=a/b&path=x%20y.txt", "x y.txt", false),
        ])
    func parses(uri: String, path: String, pinned: Bool) throws {
        let parsed = try QuiltURI(parsing: uri)
        #expect(parsed.path == path)
        #expect(parsed.isPinned == pinned)
    }

    @Test(
        "quilt+ URIs that name no entry are refused",
        arguments: [
            "s3://bucket/x", "quilt+s3://bucket", "quilt+s3://bucket#package=a/b", "quilt+s3://bucket#package=a/b&path=d/",
            "quilt+s3://bucket#package=a/b@abc&path=x", "quilt+s3://bucket#package=a/b@abcdef:t&path=x",
            "quilt+s3://bucket#package=a/b&path=x&path=y", "quilt+s3://b/c#package=a/b&path=x", "quilt+s3://bucket#package=a/b&path=a/../x",
        ])
    func refuses(uri: String) {
        #expect(throws: QuiltURI.Invalid.self) { try QuiltURI(parsing: uri) }
    }
}
