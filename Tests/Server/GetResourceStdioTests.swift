import Foundation
import QuiltJSON
import QuiltTestSupport
import Testing

/// `get_resource`: the server's resources through a tool, for clients that cannot read resources.
@Suite("get_resource over stdio")
struct GetResourceStdioTests {
    static func tool(_ server: ServerProcess, _ id: Int, _ arguments: JSONValue) throws -> JSONValue {
        try server.call(id, "tools/call", StdioServerTests.toolCall("get_resource", arguments))["result"] ?? .null
    }

    @Test("Lists resources and templates, reads auth://status and a package entry as resources/read does, refuses unknown URIs")
    func readsWhatResourcesRead() throws {
        try StdioServerTests.withServer(["--toolsets", "all"]) { server, _ in
            _ = try server.initialize(version: "2025-11-25")
            let created = try server.call(1, "tools/call", StdioServerTests.toolCall("package_create", [
                "package_name": "res/demo", "entries": [["logical_key": "notes/a.txt", "text": "hello"]],
            ]))
            #expect(created["result"]?["isError"] == false, "\(created)")
            let listed = try Self.tool(server, 2, [:])["structuredContent"]
            let uris = listed?["resources"]?.arrayValue?.compactMap { $0["uri"]?.stringValue } ?? []
            #expect(uris == ["auth://status", "auth://catalog/info"], "\(String(describing: listed))")
            let template = try #require(listed?["resource_templates"]?[0]?["uriTemplate"]?.stringValue)

            let status = try Self.tool(server, 3, ["uri": "auth://status"])["structuredContent"]
            let direct = try server.call(4, "resources/read", ["uri": "auth://status"])["result"]?["contents"]?[0]?["text"]?.stringValue
            #expect(status?["data"] == (try JSONParser.parse(try #require(direct))), "\(String(describing: status))")

            let uri = template.replacing("{name}", with: "res/demo").replacing("@{hash}", with: "").replacing("{path}", with: "notes/a.txt")
            let entry = try Self.tool(server, 5, ["uri": .string(uri)])["structuredContent"]
            #expect(entry?["text"] == "hello" && entry?["mime_type"] == "text/plain", "\(uri): \(String(describing: entry))")

            let unknown = try Self.tool(server, 6, ["uri": "auth://nothing"])
            #expect(unknown["isError"] == true && unknown["structuredContent"]?["error"]?["field"] == "uri", "\(unknown)")
            let folder = uri.replacing("notes/a.txt", with: "notes")
            let directory = try Self.tool(server, 7, ["uri": .string(folder)])
            #expect(directory["structuredContent"]?["error"]?["message"]?.stringValue?.contains("directory") == true, "\(directory)")
        }
    }
}
