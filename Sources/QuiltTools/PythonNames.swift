import QuiltContract
package import QuiltJSON

/// How a parameter name of the Python quilt-mcp server (0.20–0.22) that this server's tool does not list is taken.
/// A name with the same meaning here is a hidden ``Param`` (``Param/pythonOnly()``); the rest are here. No name is
/// ever dropped silently (docs/guide/python-server.md lists every one).
package enum PythonName: Sendable {
    /// The same meaning under another name here: the argument is passed on under that name.
    case renamed(to: String)
    /// Accepted only with the value that asks for what this server does anyway (JSON `null` for the Python server's
    /// leaked internal parameters); any other value is refused with `hint`.
    case onlyNull(hint: String)
    /// Not taken here; `hint` names what to use instead.
    case refused(hint: String)
    /// A parameter this server takes too, but one of the Python server's values for it is not: refused with `hint`.
    case refusedValue(String, hint: String)
}

extension PythonName {
    /// `arguments` with the Python server's names of `tool` taken as they are here: renamed ones under this
    /// server's name, `null`-only ones dropped when null.
    /// - Throws: `invalidInput` naming the argument for a refused name or value, or for a Python name given
    ///   together with this server's name for the same thing.
    static func translate(_ arguments: JSONObject, for tool: Tool) throws(QuiltOpsError) -> JSONObject {
        guard !tool.pythonNames.isEmpty else { return arguments }
        var out = arguments
        for (name, value) in arguments {
            guard let rule = tool.pythonNames[name] else { continue }
            let heldBy = "the Python quilt-mcp server's '\(name)'"
            switch rule {
            case .renamed(let ours):
                if let given = arguments[ours], given != value {
                    throw .invalidInput(
                        field: name, reason: "is \(heldBy), which is '\(ours)' here, and both were given with different values; pass only '\(ours)'.")
                }
                out[name] = nil
                out[ours] = value
            case .onlyNull(let hint):
                guard value == .null else { throw .invalidInput(field: name, reason: "is \(heldBy), an internal parameter; \(hint)") }
                out[name] = nil
            case .refused(let hint):
                throw .invalidInput(field: name, reason: "is \(heldBy), which this server does not take; \(hint)")
            case .refusedValue(let refused, let hint):
                if value == .string(refused) {
                    throw .invalidInput(field: name, reason: "'\(refused)' is a value of \(heldBy), which this server does not take; \(hint)")
                }
            }
        }
        return out
    }

    /// The Python server's leaked `service` parameter of its Athena tools (a test hook, always null from a client).
    static let athenaService: [String: PythonName] = [
        "service": .onlyNull(hint: "omit it; the Athena client comes from the deployment's credentials."),
    ]
    /// The Python server's `output_format=parquet` of its query tools, which no answer here carries.
    static let parquetOutput: [String: PythonName] = [
        "output_format": .refusedValue(
            "parquet", hint: "rows come back as json, csv or table; Athena keeps each result as CSV in its output location."),
    ]
    /// The Python server's leaked `quilt_ops` parameter of its admin tools.
    static let adminOps: [String: PythonName] = [
        "quilt_ops": .onlyNull(hint: "omit it; the backend comes from the deployment's mode."),
    ]
}
