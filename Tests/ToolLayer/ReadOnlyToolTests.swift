import QuiltContract
import QuiltJSON
import QuiltTestSupport
import QuiltTools
import Testing

/// A read-only deployment (`--read-only`, `QUILT_MCP_READ_ONLY`) offers no tool that writes and refuses one that is
/// called anyway, naming the setting, before the backend sees it (the backend here could write).
@Suite("Tool layer: a read-only deployment")
struct ReadOnlyToolTests {
    static let setting = "--read-only, QUILT_MCP_READ_ONLY"
    static let writes = ToolCatalog.all.filter { !$0.definition.annotations.readOnly }.map(\.definition.name)

    @Test("Only tools that do not write are served; all of them otherwise")
    func served() {
        let reading = ToolCatalog.served(readOnly: true).map(\.definition.name)
        #expect(Set(reading).isDisjoint(with: Self.writes))
        #expect(reading.count + Self.writes.count == ToolCatalog.all.count)
        #expect(ToolCatalog.served(readOnly: false).map(\.definition.name) == ToolCatalog.all.map(\.definition.name))
        #expect(Self.writes.contains("package_create") && Self.writes.contains("package_delete") && Self.writes.contains("bucket_objects_put"))
    }

    @Test("A write tool called anyway is refused naming the setting, and nothing is written", arguments: writes)
    func refused(_ tool: String) async throws {
        try await withSession(ToolBackend(kind: .memory)) { session in
            _ = try await session.seed("package_create", #"{"package_name": "ro/pkg", "entries": [{"logical_key": "a.txt", "text": "1"}]}"#)
            let context = ToolContext(ops: session.ops, defaultRegistry: session.registry, readOnly: Self.setting)
            let arguments: JSONObject = ["package_name": "ro/pkg", "files": [], "keys": ["x"]]
            do throws(ToolError) {
                _ = try await ToolCatalog.call(tool, arguments: arguments, context: context)
                Issue.record("\(tool) ran on a read-only deployment")
            } catch {
                #expect(error.error == .readOnly(operation: tool, setting: Self.setting))
                #expect(error.json["error"]?["message"]?.stringValue?.contains("read-only (\(Self.setting))") == true)
            }
            let info = try await session.call("package_info", #"{"package_name": "ro/pkg"}"#)
            #expect(info["entry_count"]?.intValue == 1, "\(info)")
        }
    }
}
