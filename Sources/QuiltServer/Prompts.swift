import QuiltJSON
import QuiltProtocol

/// One prompt: what `prompts/list` says about it and the user message `prompts/get` renders from its arguments.
struct Prompt: Sendable {
    /// One argument of a prompt.
    struct Argument: Sendable {
        /// The argument's name.
        var name: String
        /// What to give.
        var description: String
        /// Whether `prompts/get` refuses the prompt without it.
        var required: Bool
        /// What `completion/complete` offers for it; nil: nothing.
        var completes: Completions.Field?
    }

    /// The prompt's name.
    var name: String
    /// A title for people.
    var title: String
    /// What the prompt does.
    var description: String
    /// Its arguments.
    var arguments: [Argument]
    /// The user message for the given (present, non-empty) arguments.
    var render: @Sendable ([String: String]) -> String

    /// The prompt as `prompts/list` lists it.
    var json: JSONValue {
        let args: [JSONValue] = arguments.map {
            ["name": .string($0.name), "description": .string($0.description), "required": .bool($0.required)]
        }
        return ["name": .string(name), "title": .string(title), "description": .string(description), "arguments": .array(args)]
    }
}

/// The prompts: find and explain a package, make a package from files, compare two revisions. Each is one user
/// message that walks the model through this server's tools by name.
enum Prompts {
    /// Every prompt, in the order `prompts/list` lists them.
    static let all: [Prompt] = [findPackage, makePackage, compareRevisions]

    /// The prompt named `name`.
    static func named(_ name: String) -> Prompt? { all.first { $0.name == name } }

    /// The tools each prompt cannot do without: a deployment that does not serve them (read-only, or toolsets
    /// without them) does not offer the prompt.
    static let needs: [String: [String]] = [
        "find_package": ["package_info", "package_browse"], "make_package": ["package_create"],
        "compare_revisions": ["package_diff"],
    ]

    /// The prompts a deployment serving `tools` offers.
    static func served(_ tools: Set<String>) -> [Prompt] {
        all.filter { (needs[$0.name] ?? []).allSatisfy(tools.contains) }
    }

    /// What `prompts/list` lists for a deployment serving `tools`.
    static func listed(_ tools: Set<String>) -> JSONObject { ["prompts": .array(served(tools).map(\.json))] }

    /// Answers `prompts/get`: -32602 for an unknown prompt (naming the known ones), a missing required argument
    /// (naming it) or an argument that is not a string.
    static func get(_ request: RequestContext, tools: Set<String>) throws -> JSONObject {
        let known = served(tools).map(\.name).joined(separator: ", ")
        guard let name = request.params["name"]?.stringValue else {
            throw RPCError.invalidParams("prompts/get needs \"name\", one of: \(known)")
        }
        guard let prompt = named(name) else {
            throw RPCError.invalidParams("no prompt named '\(name)'; the prompts are: \(known)")
        }
        guard served(tools).contains(where: { $0.name == name }) else {
            throw RPCError.invalidParams(
                "prompt '\(name)' needs \((needs[name] ?? []).joined(separator: ", ")), which this deployment does not serve "
                    + "(read-only, or toolsets without them); the prompts here are: \(known)")
        }
        var given: [String: String] = [:]
        for (key, value) in request.params["arguments"]?.objectValue ?? [:] {
            guard let text = value.stringValue else {
                throw RPCError.invalidParams("prompt '\(name)' argument '\(key)' must be a string")
            }
            if !text.allSatisfy(\.isWhitespace) { given[key] = text }
        }
        for argument in prompt.arguments where argument.required && given[argument.name] == nil {
            throw RPCError.invalidParams("prompt '\(name)' needs argument '\(argument.name)': \(argument.description)")
        }
        return [
            "description": .string(prompt.description),
            "messages": [["role": "user", "content": ["type": "text", "text": .string(prompt.render(given))]]],
        ]
    }

    /// `text` as a JSON string, for arguments quoted inside tool calls.
    private static func quoted(_ text: String) -> String { JSONWriter.compact(.string(text)) }

    // MARK: - The prompts

    static let findPackage = Prompt(
        name: "find_package", title: "Find and explain a package",
        description: "Find the package that matches a query (or take a package name) and explain what is in it.",
        arguments: [
            .init(name: "query", description: "Words to search for, or a package name (user/package).", required: true, completes: .name)
        ]
    ) { args in
        let query = args["query"] ?? ""
        return """
            Find the Quilt package that matches \(quoted(query)) and explain it to me.

            1. If \(quoted(query)) is a package name (user/package), use it. Otherwise call search_catalog with \
            {"query": \(quoted(query)), "scope": "package"} and take the best hit (tell me which others came close).
            2. Call package_info with its package_name (and the hit's registry) for the message, metadata, entry count \
            and size, and package_versions for how many revisions there are and when the latest was made.
            3. Call package_browse with recursive false to see the top level; go one level deeper where it helps.
            4. To look inside a small file, read it as a resource: resources/templates/list gives the quilt+ URI form \
            (…#package=user/pkg@<top_hash>&path=<logical key>).

            Then explain what the package holds, how it is organised, what its metadata says, how current it is, and \
            how to cite it (name and top hash).
            """
    }

    static let makePackage = Prompt(
        name: "make_package", title: "Make a package from files",
        description: "Make a new package from local files or s3:// objects, with metadata and a message.",
        arguments: [
            .init(name: "package_name", description: "The new package's name, user/package.", required: true, completes: .name),
            .init(
                name: "files", description: "Local paths or s3:// URIs, separated by commas or new lines; a directory brings every file in it.",
                required: true, completes: nil),
            .init(name: "message", description: "The commit message.", required: false, completes: nil),
        ]
    ) { args in
        let name = args["package_name"] ?? ""
        let sources = (args["files"] ?? "").split(whereSeparator: { $0 == "," || $0.isNewline })
            .map { $0.trimmingCharacters(in: " \t") }.filter { !$0.isEmpty }
        let remote = sources.filter { $0.hasPrefix("s3://") }, local = sources.filter { !$0.hasPrefix("s3://") }
        let message = args["message"].map { "use the message \(quoted($0))" } ?? "propose a short commit message"
        return """
            Make the Quilt package \(name) from these files:
            \(sources.map { "- " + $0 }.joined(separator: "\n"))

            1. Check whether \(name) exists: package_info with {"package_name": \(quoted(name))}. If it does, tell me and \
            ask whether to add a revision with package_update instead of replacing it.
            2. Look at the sources first (bucket_objects_list for s3:// prefixes) and tell me how many files and bytes \
            will go in.
            3. Propose package metadata from what the files are, and \(message).
            4. Call package_create with {"package_name": \(quoted(name)), "files": \(JSONWriter.compact(.array(local.map(JSONValue.string)))), \
            "s3_uris": \(JSONWriter.compact(.array(remote.map(JSONValue.string)))), "metadata": {…}, "message": …}: local paths go \
            in files, s3:// objects in s3_uris.
            5. Confirm with package_browse and give me the new top_hash.
            """
    }

    static let compareRevisions = Prompt(
        name: "compare_revisions", title: "Compare two revisions",
        description: "What changed in a package from one revision to another: files added, removed and modified, and metadata.",
        arguments: [
            .init(name: "package_name", description: "The package, user/package.", required: true, completes: .name),
            .init(name: "from", description: "The older revision: a top hash (or unique prefix) or a tag.", required: true, completes: .hash),
            .init(name: "to", description: "The newer revision: a top hash (or unique prefix) or a tag; default latest.", required: false, completes: .hash),
        ]
    ) { args in
        let name = args["package_name"] ?? "", from = args["from"] ?? "", to = args["to"] ?? "latest"
        func side(_ n: Int, _ value: String) -> String {
            // Ten digits are a timestamp pointer; other hex of 6 or more characters is a top hash or prefix.
            let isHash = value.count >= 6 && value.allSatisfy(\.isHexDigit) && !(value.count == 10 && value.allSatisfy(\.isNumber))
            return "\"package\(n)_\(isHash ? "hash" : "tag")\": \(quoted(value))"
        }
        return """
            Compare two revisions of the Quilt package \(name): from \(from) to \(to).

            1. Call package_diff with {"package1_name": \(quoted(name)), \(side(1, from)), \(side(2, to))}.
            2. Call package_info for each revision (top_hash or tag as above) to compare messages and metadata.
            3. For a modified file that is small text, read both versions as resources (quilt+ URIs with @<top_hash>, \
            see resources/templates/list) and say what changed in it.

            Then summarise: how many files were added, removed and modified, the notable changes, and whether the \
            package metadata changed.
            """
    }
}

extension Substring {
    /// The text without leading and trailing characters in `set`.
    fileprivate func trimmingCharacters(in set: String) -> String {
        var s = self
        while let f = s.first, set.contains(f) { s.removeFirst() }
        while let l = s.last, set.contains(l) { s.removeLast() }
        return String(s)
    }
}
