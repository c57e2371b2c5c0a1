import Foundation
import QuiltJSON
import QuiltTestSupport
import Testing

/// `completion/complete` for the entry template's variables, over stdio in both eras.
@Suite("Completions")
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

    @Test("Both eras declare completions", arguments: SessionEra.allCases)
    func capabilities(era: SessionEra) throws {
        try StdioServerTests.withServer { server, _ in
            let capabilities: JSONValue?
            if era == .handshake {
                capabilities = try server.initialize(version: "2025-11-25")["capabilities"]
            } else {
                capabilities = try server.call(1, "server/discover", ModernStdioTests.params())["result"]?["capabilities"]
            }
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
                (["ref": ["type": "ref/prompt", "name": "nope"], "argument": ["name": "x", "value": ""]], "no prompts"),
                (["ref": ["type": "ref/tool", "name": "x"], "argument": ["name": "x", "value": ""]], "ref/prompt"),
                (["ref": ["type": "ref/resource", "uri": .string(template)]], "argument"),
            ]
            for (i, (params, says)) in bad.enumerated() {
                let response = try s.call(30 + i, "completion/complete", params)
                #expect(EraSession.code(response) == -32602, "\(response)")
                let message = response["error"]?["message"]?.stringValue ?? ""
                #expect(message.contains(says), "\(message)")
            }
        }
    }
}
