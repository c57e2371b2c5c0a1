import FakeCatalog
import Foundation
import QuiltJSON
import Testing

/// A remote deployment the hostile suite attacks: the real executable over HTTP, and the token a caller holds.
struct HostileShape: Sendable, CustomTestStringConvertible {
    enum Kind: String, Sendable { case memory, s3, platform }
    var kind: Kind
    var testDescription: String { kind.rawValue }

    static let all = [HostileShape(kind: .memory), HostileShape(kind: .s3), HostileShape(kind: .platform)]

    /// The bucket the S3 and Platform shapes use.
    static let bucket = "hostile-bucket"

    /// Starts the shape (a fake catalog first where it needs one) and runs `body` with the server and a caller's
    /// token; `extra` adds settings (bounds). Everything started is stopped afterwards.
    func run(
        extra: [String] = [], _ body: (HTTPServerProcess, String, FakeCatalogServer?) async throws -> Void
    ) async throws {
        switch kind {
        case .memory:
            let arguments = ["--mode", "remote", "--api", "registry", "--registry", "memory://shared"] + extra
            let token = TokenMint.hs256(TokenMint.claims(sub: "mallory"))
            try await withHTTPServer(arguments, env: ["QUILT_MCP_JWT_SECRET": TokenMint.secret]) { server, _ in
                try await body(server, token, nil)
            }
        case .s3, .platform:
            let fake = try await FakeCatalogServer.start(FakeCatalogOptions(buckets: [Self.bucket]))
            defer { fake.stop() }
            let token = try await fake.mintToken(subject: "mallory")
            var arguments = ["--mode", "remote", "--catalog-url", fake.url, "--registry", "s3://\(Self.bucket)"] + extra
            if kind == .s3 { arguments += ["--api", "registry"] }
            let env = ["AWS_ENDPOINT_URL_S3": fake.s3Endpoint, "AWS_REGION": "us-east-1"]
            try await withHTTPServer(arguments, env: env) { server, _ in try await body(server, token, fake) }
        }
    }
}

/// A directory outside every registry holding a canary file: what a hostile caller tries to read or write.
struct Canary {
    let directory: String
    let file: String
    let secret = "CANARY-" + UUID().uuidString

    init() throws {
        directory = NSTemporaryDirectory() + "quilt-mcp-canary-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory + "/inner", withIntermediateDirectories: true)
        file = directory + "/secret.txt"
        try Data(secret.utf8).write(to: URL(fileURLWithPath: file))
        // A symlink to it: the same file under another name.
        try FileManager.default.createSymbolicLink(atPath: directory + "/inner/link.txt", withDestinationPath: file)
    }

    /// Every name of the canary a caller might try: absolute, traversal, percent-encoded, a symlink, other spellings.
    var paths: [String] {
        let escaped = file.replacingOccurrences(of: "/", with: "%2F")
        return [
            file, directory + "/inner/../secret.txt", directory + "/inner/link.txt", "file://" + file,
            "file://" + directory + "/inner/../secret.txt", "file://localhost" + file, "FILE://" + file, "file:" + file,
            "file:///" + escaped.dropFirst(3), "file://" + file.replacingOccurrences(of: "secret", with: "%73ecret"),
            "/proc/self/environ", "file:///proc/self/environ", "file:///etc/passwd",
        ]
    }

    /// Files in the canary directory (must stay just the two it was made with).
    var contents: [String] {
        ((try? FileManager.default.subpathsOfDirectory(atPath: directory)) ?? []).sorted()
    }

    func remove() { try? FileManager.default.removeItem(atPath: directory) }
}

@Suite("Hostile callers of the remote shapes: nothing of the server's own filesystem is read, listed or written")
struct HostileInputTests {
    /// Every tool call that takes a path or URL, with `target` (a path or URL naming the canary) in that parameter.
    static func attacks(_ target: String, dir: String) -> [(tool: String, arguments: JSONValue)] {
        let t = JSONValue.string(target)
        let plainPath = !target.contains(":")
        var calls: [(String, JSONValue)] = [
            ("package_create", ["package_name": "evil/files", "files": [t]]),
            ("package_create", ["package_name": "evil/source", "entries": [["logical_key": "x", "source": t]]]),
            ("package_update", ["package_name": "evil/files", "files": [t]]),
            ("package_update", ["package_name": "evil/source", "entries": [["logical_key": "x", "source": t]]]),
        ]
        if !plainPath {
            calls += [
                ("package_create", ["package_name": "evil/uris", "s3_uris": [t]]),
                ("package_create", ["package_name": "evil/copy", "s3_uris": [t], "copy": true]),
                ("bucket_object_text", ["s3_uri": t]),
                ("bucket_object_fetch", ["s3_uri": t]),
                ("bucket_object_info", ["s3_uri": t]),
                ("bucket_object_link", ["s3_uri": t]),
                ("packages_list", ["registry": t]),
                ("package_browse", ["package_name": "a/b", "registry": t]),
                ("package_create", ["package_name": "evil/reg", "registry": t, "entries": [["logical_key": "x", "text": "y"]]]),
                ("bucket_objects_list", ["bucket": t]),
                ("bucket_objects_put", ["bucket": t, "items": [["key": "planted.txt", "text": "pwned"]]]),
            ]
        }
        // The canary's directory as a registry or bucket, for listing and writing into it.
        calls += [
            ("bucket_objects_list", ["bucket": .string("file://" + dir)]),
            ("bucket_objects_put", ["bucket": .string("file://" + dir), "items": [["key": "planted.txt", "text": "pwned"]]]),
            ("packages_list", ["registry": .string("file://" + dir)]),
        ]
        return calls
    }

    static func call(_ server: HTTPServerProcess, _ token: String, _ tool: String, _ arguments: JSONValue) async throws -> HTTPReply {
        try await MCPHTTP.post(server.url(), MCPHTTP.rpc(1, "tools/call", MCPHTTP.call(tool, arguments)), token: token)
    }

    @Test("Every path and URL parameter, every spelling of a file outside the registries: refused, nothing leaks",
          .timeLimit(.minutes(5)), arguments: HostileShape.all)
    func filesystem(_ shape: HostileShape) async throws {
        let canary = try Canary()
        defer { canary.remove() }
        let before = canary.contents
        try await shape.run { server, token, _ in
            // The packages the updates name exist, so the updates get as far as their sources.
            for name in ["evil/files", "evil/source"] {
                let made = try await Self.call(server, token, "package_create", [
                    "package_name": .string(name), "entries": [["logical_key": "seed.txt", "text": "seed"]]])
                #expect(made.result?["isError"] == false, "\(made.text)")
            }
            var refusals: [String: Int] = [:]
            for target in canary.paths {
                for (tool, arguments) in Self.attacks(target, dir: canary.directory) {
                    let reply = try await Self.call(server, token, tool, arguments)
                    let what = "\(shape.kind) \(tool) \(JSONWriter.compact(arguments))"
                    #expect(!reply.text.contains(canary.secret), "\(what) leaked the canary: \(reply.text)")
                    #expect(!reply.text.contains(TokenMint.secret), "\(what) leaked the server's secret")
                    #expect(!reply.text.contains("root:x:0:0"), "\(what) leaked /etc/passwd")
                    if reply.message?["error"] != nil { continue }  // refused before the tool ran (schema)
                    let result = try #require(reply.result, "\(what): \(reply.text)")
                    let content = result["structuredContent"]
                    if tool == "bucket_objects_put", result["isError"] == false {
                        // Each item reports its own result: every one must have failed, nothing uploaded.
                        #expect(content?["uploaded"]?.intValue == 0, "\(what) uploaded: \(reply.text)")
                        let errors = content?["results"]?.arrayValue?.compactMap { $0["error"]?.stringValue } ?? []
                        #expect(!errors.isEmpty && errors.allSatisfy { $0.hasPrefix("Forbidden") || $0.hasPrefix("Invalid") },
                                "\(what): \(errors)")
                        refusals["item", default: 0] += 1
                        continue
                    }
                    #expect(result["isError"] == true, "\(what) succeeded: \(reply.text)")
                    let kind = content?["error"]?["kind"]?.stringValue ?? "?"
                    // A file:// target is refused as forbidden (or malformed); anything else must not succeed.
                    if target.lowercased().hasPrefix("file:") || target.hasPrefix("/") {
                        #expect(["forbidden", "invalid_input"].contains(kind), "\(what): \(kind) \(reply.text)")
                    }
                    refusals[kind, default: 0] += 1
                }
            }
            #expect(refusals["forbidden", default: 0] > 20, "\(refusals)")
            // Package entries as resources: a quilt+file:// registry naming the canary is refused the same way.
            let parent = (canary.directory as NSString).deletingLastPathComponent
            let leaf = (canary.directory as NSString).lastPathComponent
            for uri in [
                "quilt+file://\(canary.directory)#package=a/b&path=secret.txt", "quilt+file://\(parent)#package=x/y&path=\(leaf)/secret.txt",
                "quilt+file:///etc#package=a/b&path=passwd",
            ] {
                let reply = try await MCPHTTP.post(
                    server.url(), MCPHTTP.rpc(2, "resources/read", ["uri": .string(uri)]), token: token)
                #expect(!reply.text.contains(canary.secret) && !reply.text.contains("root:x:0:0"), "\(uri) leaked: \(reply.text)")
                #expect(reply.message?["error"] != nil, "\(uri) was read: \(reply.text)")
            }
            // A plain local path names the settings that forbid it.
            let named = try await Self.call(server, token, "package_create", ["package_name": "evil/x", "files": [.string(canary.file)]])
            let message = named.result?["structuredContent"]?["error"]?["message"]?.stringValue ?? ""
            #expect(message.contains("out of callers' reach") && message.contains("locale=remote"), "\(message)")
            #expect(server.isRunning)
        }
        #expect(canary.contents == before, "the canary directory changed")
    }

    @Test("A manifest planted with a file:// physical key is never followed", .timeLimit(.minutes(2)),
          arguments: [HostileShape(kind: .memory), HostileShape(kind: .s3)])
    func plantedManifest(_ shape: HostileShape) async throws {
        let canary = try Canary()
        defer { canary.remove() }
        try await shape.run { server, token, _ in
            let registry = shape.kind == .memory ? "memory://shared" : "s3://\(HostileShape.bucket)"
            let created = try await Self.call(server, token, "package_create", [
                "package_name": "plant/base", "registry": .string(registry),
                "entries": [["logical_key": "a.txt", "text": "harmless"]]])
            #expect(created.result?["isError"] == false, "\(created.text)")
            // The manifest, rewritten to point a.txt at the canary, stored under a new top hash with a pointer to it.
            let hash = String(repeating: "ab", count: 32)
            let manifest = #"{"version": "v0", "message": null}"# + "\n"
                + #"{"logical_key": "a.txt", "physical_keys": ["file://\#(canary.file)"], "size": 1, "hash": {"type": "SHA256", "value": "\#(String(repeating: "0", count: 64))"}, "meta": {}}"# + "\n"
            let planted = try await Self.call(server, token, "bucket_objects_put", [
                "bucket": .string(registry), "items": [
                    ["key": .string(".quilt/packages/" + hash), "text": .string(manifest)],
                    ["key": "plant/evil/latest", "text": .string(hash)],
                    ["key": ".quilt/named_packages/plant/evil/latest", "text": .string(hash)],
                ]])
            #expect(planted.result?["isError"] == false, "\(planted.text)")
            for (tool, arguments) in [
                ("package_browse", ["package_name": "plant/evil", "registry": .string(registry)] as JSONValue),
                ("package_update", ["package_name": "plant/evil", "registry": .string(registry), "copy": true,
                                    "entries": [["logical_key": "b.txt", "text": "x"]]]),
                ("package_create", ["package_name": "plant/copy", "registry": .string(registry), "copy": true,
                                    "s3_uris": [.string("file://" + canary.file)]]),
                ("package_diff", ["package1_name": "plant/base", "package2_name": "plant/evil", "registry": .string(registry)]),
            ] {
                let reply = try await Self.call(server, token, tool, arguments)
                #expect(!reply.text.contains(canary.secret), "\(tool) leaked the canary")
            }
            // Copying the planted revision would read the canary: refused as forbidden.
            let copied = try await Self.call(server, token, "package_update", [
                "package_name": "plant/evil", "registry": .string(registry), "copy": true, "remove": [],
                "entries": [["logical_key": "b.txt", "text": "x"]]])
            let kind = copied.result?["structuredContent"]?["error"]?["kind"]?.stringValue
            #expect(kind == nil || kind == "forbidden", "\(copied.text)")
            #expect(server.isRunning)
        }
    }
}
