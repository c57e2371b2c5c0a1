import FoundationEssentials
import QuiltBackends
import QuiltContract
import QuiltHTTPServer
import QuiltJSON
import QuiltMode
import QuiltServer
import QuiltTools

/// `quilt-mcp call <tool> ['<json>']`: one tool through the same code path as the MCP server; the JSON result on
/// stdout, exit 1 with the typed error (also as JSON on stdout) when it fails.
enum CallCommand {
    static func run(mode: Mode, arguments rest: [String]) async -> Int32 {
        guard let name = rest.first else {
            CLI.usageError("quilt-mcp call: name a tool, e.g. quilt-mcp call packages_list '{}'")
        }
        if let option = rest.dropFirst().first(where: { $0.hasPrefix("--") }) {
            let hint = FlagSuggestion.hint(for: option, among: FlagSuggestion.modeFlags)
            CLI.usageError(
                "quilt-mcp call: unknown option '\(option)'\(hint); the tool's arguments go in one JSON object, "
                    + "e.g. quilt-mcp call packages_list '{\"prefix\": \"me/\"}'", withUsage: false)
        }
        let arguments = parse(rest.count > 1 ? rest[1] : "{}")
        do {
            var credentials: RequestCredentials?
            if let token = mode.jwtToken, mode.auth == .jwt || mode.api == .platform {
                do {
                    credentials = try await Authenticator(mode: mode).credentials(forToken: token)
                } catch {
                    throw QuiltOpsError.unauthenticated("the configured token is refused: \(error.message)")
                }
            }
            let ops = try BackendFactory.make(mode: mode, credentials: credentials)
            var context = ToolContext(ops: ops, defaultRegistry: mode.registry, catalogURL: mode.catalogURL, readOnly: mode.readOnlySetting)
            context.services = ServerServices(mode: mode, backend: .success(ops), credentials: credentials)
            context.resources = .commandLine(mode: mode, ops: ops, credentials: credentials)
            context.showsSecrets = true
            let result = try await ToolCatalog.call(name, arguments: arguments, context: context)
            CLI.stdout(JSONWriter.pretty(result))
            return 0
        } catch let error as ToolError {
            return fail(error)
        } catch let error as QuiltOpsError {
            return fail(ToolError(error))
        } catch {
            return fail(ToolError(.remote("\(error)", retryable: false)))
        }
    }

    /// The arguments object, or exit 2.
    static func parse(_ text: String) -> JSONObject {
        do {
            guard case .object(let o) = try JSONParser.parse(text) else {
                CLI.usageError("quilt-mcp call: arguments must be a JSON object, e.g. '{\"registry\": \"s3://bucket\"}'", withUsage: false)
            }
            return o
        } catch {
            CLI.usageError("quilt-mcp call: arguments are not valid JSON: \(error.description)", withUsage: false)
        }
    }

    static func fail(_ error: ToolError) -> Int32 {
        CLI.stdout(JSONWriter.pretty(error.json))
        CLI.stderr("quilt-mcp: \(error.error.kind): \(error.error.message)")
        return 1
    }
}
