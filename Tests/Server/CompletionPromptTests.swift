import Foundation
import QuiltJSON
import QuiltTestSupport
import Testing

/// `completion/complete` for the entry template's variables and the prompts' arguments, and `prompts/list` and
/// `prompts/get`, over stdio in both eras.
@Suite("Completions and prompts")
struct CompletionPromptTests {
    /// Makes res/one (two revisions, a second apart: a timestamp pointer has one-second resolution), res/two and
    /// other/three; returns res/one's top hashes.
    static func seed(_ s: EraSession) throws -> [String] {
        let first = try s.tool(
            1, "package_create",
            ["package_name": "res/one", "entries": [["logical_key": "data/a.csv", "text": "1"], ["logical_key": "data/b/c.txt", "text": "2"],
                                                    ["logical_key": "top.md", "text": "3"]]])
        Thread.sleep(forTimeInterval: 1.1)
        let second = try s.tool(2, "package_update", ["package_name": "res/one", "entries": [["logical_key": "data/a.csv", "text": "4"]]])
        _ = try s.tool(3, "package_create", ["package_name": "res/two", "entries": [["logical_key": "x.txt", "text": "5"]]])
        _ = try s.tool(4, "package_create", ["package_name": "other/three", "entries": [["logical_key": "x.txt", "text": "6"]]])
        return [try #require(first["top_hash"]?.stringValue), try #require(second["top_hash"]?.stringValue)]
    }

    /// The completion for `argument` typed as `value` of the reference `ref`.
    static func complete(
        _ s: EraSession, _ id: Int, _ ref: JSONValue, _ argument: String, _ value: String, context: JSONObject = [:]
    ) throws -> JSONValue {
        var params: JSONObject = ["ref": ref, "argument": ["name": .string(argument), "value": .string(value)]]
        if !context.isEmpty { params["context"] = ["arguments": .object(context)] }
        let response = try s.call(id, "completion/complete", params)
        return try #require(response["result"]?["completion"], "\(response)")
    }

    static func values(_ completion: JSONValue) -> [String] { completion["values"]?.arrayValue?.compactMap(\.stringValue) ?? [] }

    @Test("Both eras declare prompts and completions", arguments: SessionEra.allCases)
    func capabilities(era: SessionEra) throws {
        try StdioServerTests.withServer { server, _ in
            let capabilities: JSONValue?
            if era == .handshake {
                capabilities = try server.initialize(version: "2025-11-25")["capabilities"]
            } else {
                capabilities = try server.call(1, "server/discover", ModernStdioTests.params())["result"]?["capabilities"]
            }
            #expect(capabilities?["prompts"] == ["listChanged": false])
            #expect(capabilities?["completions"] == [:])
        }
    }

    @Test("Completes package names, top hashes and paths of the entry template", arguments: SessionEra.allCases)
    func templateVariables(era: SessionEra) throws {
        try StdioServerTests.withServer { server, _ in
            let s = try EraSession(server, era)
            let hashes = try Self.seed(s)
            let template = try EntryResourceTests.template(s, id: 5)
            let ref: JSONValue = ["type": "ref/resource", "uri": .string(template)]

            let names = try Self.complete(s, 10, ref, "name", "res/")
            #expect(Self.values(names) == ["res/one", "res/two"])
            #expect(names["hasMore"] == false && names["total"] == 2)
            #expect(Self.values(try Self.complete(s, 11, ref, "name", "")).count == 3)
            #expect(Self.values(try Self.complete(s, 12, ref, "name", "zzz")) == [])

            let all = try Self.complete(s, 13, ref, "hash", "", context: ["name": "res/one"])
            #expect(Set(Self.values(all)) == Set(hashes))
            let one = try Self.complete(s, 14, ref, "hash", String(hashes[0].prefix(4)).uppercased(), context: ["name": "res/one"])
            #expect(Self.values(one).contains(hashes[0]))
            #expect(Self.values(one).allSatisfy { $0.hasPrefix(hashes[0].prefix(4)) })

            #expect(Self.values(try Self.complete(s, 15, ref, "path", "", context: ["name": "res/one"])) == ["data/", "top.md"])
            #expect(Self.values(try Self.complete(s, 16, ref, "path", "data/", context: ["name": "res/one"])) == ["data/a.csv", "data/b/"])
            #expect(Self.values(try Self.complete(s, 17, ref, "path", "data/b", context: ["name": "res/one", "hash": .string(hashes[0])])) == ["data/b/"])
            #expect(Self.values(try Self.complete(s, 18, ref, "path", "data/b/", context: ["name": "res/one"])) == ["data/b/c.txt"])
        }
    }

    @Test("A completion the backend cannot answer is empty, never an error; a bad reference is -32602", arguments: SessionEra.allCases)
    func failures(era: SessionEra) throws {
        try StdioServerTests.withServer { server, _ in
            let s = try EraSession(server, era)
            let template = try EntryResourceTests.template(s)
            let ref: JSONValue = ["type": "ref/resource", "uri": .string(template)]
            let asks: [(String, JSONObject)] = [
                ("hash", ["name": "no/such"]), ("path", ["name": "no/such"]), ("hash", [:]), ("path", ["name": "not a name"]), ("color", [:]),
            ]
            for (i, (argument, context)) in asks.enumerated() {
                let completion = try Self.complete(s, 10 + i, ref, argument, "x", context: context)
                #expect(Self.values(completion) == [] && completion["hasMore"] == false, "\(argument)")
            }
            let bad: [(JSONObject, String)] = [
                (["ref": ["type": "ref/resource", "uri": "quilt+s3://{bucket}#nope"], "argument": ["name": "name", "value": ""]], "quilt+file://"),
                (["ref": ["type": "ref/prompt", "name": "nope"], "argument": ["name": "x", "value": ""]], "compare_revisions"),
                (["ref": ["type": "ref/tool", "name": "x"], "argument": ["name": "x", "value": ""]], "ref/prompt"),
                (["ref": ["type": "ref/prompt", "name": "find_package"]], "argument"),
            ]
            for (i, (params, says)) in bad.enumerated() {
                let response = try s.call(30 + i, "completion/complete", params)
                #expect(EraSession.code(response) == -32602, "\(response)")
                let message = response["error"]?["message"]?.stringValue ?? ""
                #expect(message.contains(says), "\(message)")
            }
        }
    }

    @Test("prompts/list names three prompts with their arguments", arguments: SessionEra.allCases)
    func promptsList(era: SessionEra) throws {
        try StdioServerTests.withServer { server, _ in
            let s = try EraSession(server, era)
            let result = try #require(try s.call(1, "prompts/list")["result"])
            let prompts = try #require(result["prompts"]?.arrayValue)
            #expect(prompts.compactMap { $0["name"]?.stringValue } == ["find_package", "make_package", "compare_revisions"])
            let compare = try #require(prompts.last)
            #expect(compare["arguments"]?.arrayValue?.compactMap { $0["name"]?.stringValue } == ["package_name", "from", "to"])
            #expect(compare["arguments"]?[1]?["required"] == true && compare["arguments"]?[2]?["required"] == false)
            if era == .modern { #expect(result["cacheScope"] == "public" && result["ttlMs"] == 300_000) }
        }
    }

    @Test("prompts/get renders each prompt with the tools to call", arguments: SessionEra.allCases)
    func promptsGet(era: SessionEra) throws {
        try StdioServerTests.withServer { server, _ in
            let s = try EraSession(server, era)
            let cases: [(name: String, arguments: JSONObject, says: [String])] = [
                ("find_package", ["query": "rnaseq mouse"], ["search_catalog", "package_info", "package_browse", "\"rnaseq mouse\""]),
                ("make_package", ["package_name": "me/new", "files": "/data/a.csv, s3://b/k.txt\n/data/dir"],
                 ["package_create", "\"files\": [\"/data/a.csv\",\"/data/dir\"]", "\"s3_uris\": [\"s3://b/k.txt\"]", "me/new"]),
                ("compare_revisions", ["package_name": "me/new", "from": "abcdef12", "to": "1700000000"],
                 ["package_diff", "\"package1_hash\": \"abcdef12\"", "\"package2_tag\": \"1700000000\""]),
                ("compare_revisions", ["package_name": "me/new", "from": "abcdef12"], ["\"package2_tag\": \"latest\""]),
            ]
            for (i, c) in cases.enumerated() {
                let result = try #require(try s.call(10 + i, "prompts/get", ["name": .string(c.name), "arguments": .object(c.arguments)])["result"])
                let message = try #require(result["messages"]?[0])
                #expect(message["role"] == "user")
                let text = message["content"]?["text"]?.stringValue ?? ""
                for needle in c.says { #expect(text.contains(needle), "\(c.name): \(needle) in \(text)") }
                if era == .modern { #expect(result["resultType"] == "complete") }
            }
        }
    }

    @Test("A read-only deployment offers no prompt that writes, and refuses it naming the tool it lacks")
    func readOnlyPrompts() throws {
        try StdioServerTests.withServer(["--read-only"]) { server, _ in
            let s = try EraSession(server, .handshake)
            let listed = try s.call(1, "prompts/list")["result"]?["prompts"]?.arrayValue ?? []
            #expect(listed.compactMap { $0["name"]?.stringValue } == ["find_package", "compare_revisions"])
            let refused = try s.call(2, "prompts/get", ["name": "make_package", "arguments": ["package_name": "a/b", "files": "/x"]])
            #expect(EraSession.code(refused) == -32602)
            #expect(refused["error"]?["message"]?.stringValue?.contains("package_create") == true, "\(refused)")
        }
    }

    @Test("prompts/get refuses an unknown prompt and a missing argument with -32602 naming them", arguments: SessionEra.allCases)
    func promptErrors(era: SessionEra) throws {
        try StdioServerTests.withServer { server, _ in
            let s = try EraSession(server, era)
            let cases: [(JSONObject, [String])] = [
                (["name": "nope"], ["nope", "find_package", "make_package", "compare_revisions"]),
                ([:], ["name"]),
                (["name": "compare_revisions", "arguments": ["package_name": "a/b"]], ["'from'"]),
                (["name": "make_package", "arguments": ["package_name": "a/b", "files": "  "]], ["'files'"]),
                (["name": "find_package", "arguments": ["query": 7]], ["string"]),
            ]
            for (i, (params, says)) in cases.enumerated() {
                let response = try s.call(10 + i, "prompts/get", params)
                #expect(EraSession.code(response) == -32602, "\(response)")
                for needle in says { #expect(response["error"]?["message"]?.stringValue?.contains(needle) == true, "\(needle): \(response)") }
            }
        }
    }

    @Test("Prompt arguments complete: package names, and revisions of the package already chosen", arguments: SessionEra.allCases)
    func promptArguments(era: SessionEra) throws {
        try StdioServerTests.withServer { server, _ in
            let s = try EraSession(server, era)
            let hashes = try Self.seed(s)
            let compare: JSONValue = ["type": "ref/prompt", "name": "compare_revisions"]
            #expect(Self.values(try Self.complete(s, 10, compare, "package_name", "res/o")) == ["res/one"])
            let from = try Self.complete(s, 11, compare, "from", "", context: ["package_name": "res/one"])
            #expect(Set(Self.values(from)) == Set(hashes))
            #expect(Self.values(try Self.complete(s, 12, ["type": "ref/prompt", "name": "find_package"], "query", "oth")) == ["other/three"])
            #expect(Self.values(try Self.complete(s, 13, ["type": "ref/prompt", "name": "make_package"], "files", "/")) == [])
        }
    }
}
