import Foundation
import QuiltJSON
import QuiltTestSupport
import Testing

/// Runs the built `quilt-mcp` executable the way a user does and checks stdout, stderr and exit status.
@Suite("quilt-mcp command line")
struct CLITests {
    typealias Run = Executables.Run

    static func run(_ args: [String], env: [String: String]) throws -> Run { try Executables.run(args, env: env) }

    /// A private HOME/XDG with no configuration: the zero-setup local registry.
    static func sandbox() throws -> (env: [String: String], dir: String) { try Executables.sandbox("cli") }

    @Test("With no configuration, call creates and browses packages in quilt3's local registry")
    func zeroSetupRoundTrip() throws {
        let (env, dir) = try Self.sandbox()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = dir + "/hello.txt"
        try Data("hello".utf8).write(to: URL(fileURLWithPath: file))
        let create = try Self.run(
            ["call", "package_create", #"{"package_name": "demo/first", "files": ["\#(file)"], "metadata": {"k": 1e16}, "message": "hi"}"#],
            env: env)
        #expect(create.status == 0, "\(create.stderr)")
        let hash = try #require(create.json?["top_hash"]?.stringValue)
        #expect(FileManager.default.fileExists(atPath: dir + "/xdg/Quilt/packages/.quilt/packages/" + hash))
        #expect(FileManager.default.fileExists(atPath: dir + "/xdg/Quilt/packages/demo/first/hello.txt"))

        let list = try Self.run(["call", "packages_list"], env: env)
        #expect(list.status == 0)
        #expect(list.json?["packages"]?[0]?["name"]?.stringValue == "demo/first")

        let browse = try Self.run(
            ["call", "package_browse", #"{"package_name": "demo/first", "top_hash": "\#(hash.prefix(8))"}"#], env: env)
        #expect(browse.status == 0, "\(browse.stderr)")
        #expect(browse.json?["entries"]?[0]?["logical_key"]?.stringValue == "hello.txt")
        #expect(browse.json?["entries"]?[0]?["hash"]?["value"]?.stringValue == "lZXJ35AHUUjrBoYDZd8zWEt1v/eCpRDGzUiDpBmDPVA=")

        let info = try Self.run(["call", "package_info", #"{"package_name": "demo/first"}"#], env: env)
        #expect(info.json?["user_meta"] == ["k": .number(JSONNumber(1e16))])
        #expect(info.json?["message"]?.stringValue == "hi")
    }

    @Test("First run with nothing set up: the local registry is created empty; a registry named explicitly is not")
    func firstRun() throws {
        let (env, dir) = try Self.sandbox()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let list = try Self.run(["call", "packages_list"], env: env)
        #expect(list.status == 0, "\(list.stdout) \(list.stderr)")
        #expect(list.json?["packages"] == [])
        #expect(FileManager.default.fileExists(atPath: dir + "/xdg/Quilt/packages"))
        let search = try Self.run(["call", "search_catalog", #"{"query": "anything"}"#], env: env)
        #expect(search.status == 0 && search.json?["hits"] == [], "\(search.stdout)")
        let typo = try Self.run(["--registry", "file://" + dir + "/no-such-registry", "call", "packages_list"], env: env)
        #expect(typo.status == 1 && typo.json?["error"]?["kind"] == "not_found", "\(typo.stdout)")
        #expect(!FileManager.default.fileExists(atPath: dir + "/no-such-registry"))
    }

    @Test("A failing tool prints a typed error on stdout and exits 1")
    func typedErrors() throws {
        let (env, dir) = try Self.sandbox()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let missing = try Self.run(["call", "package_info", #"{"package_name": "no/such"}"#], env: env)
        #expect(missing.status == 1)
        #expect(missing.json?["error"]?["kind"]?.stringValue == "not_found")
        let bad = try Self.run(["call", "package_info", #"{"package_name": "not a name"}"#], env: env)
        #expect(bad.status == 1)
        #expect(bad.json?["error"]?["kind"]?.stringValue == "invalid_input")
        #expect(bad.json?["error"]?["field"]?.stringValue == "package_name")
        let unknown = try Self.run(["call", "package_info", #"{"package_name": "a/b", "bogus": 1}"#], env: env)
        #expect(unknown.json?["error"]?["field"]?.stringValue == "bogus")
        let noTool = try Self.run(["call", "nope"], env: env)
        #expect(noTool.status == 1)
    }

    @Test("An invalid configuration exits 2 naming the variables")
    func invalidModeExits2() throws {
        let (env, dir) = try Self.sandbox()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var bad = env
        bad["QUILT_MCP_STATE"] = "stateless"
        bad["QUILT_MCP_AUTH"] = "session"
        let run = try Self.run(["mode"], env: bad)
        #expect(run.status == 2)
        #expect(run.stderr.contains("QUILT_MCP_STATE"))
        #expect(run.stderr.contains("QUILT_MCP_AUTH"))
        #expect(run.stdout.isEmpty)
    }

    @Test("mode --json reports each dimension and its source; legacy variables warn once")
    func modeJSON() throws {
        let (env, dir) = try Self.sandbox()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var e = env
        e["QUILT_MCP_STATELESS_MODE"] = "false"
        let run = try Self.run(["--api", "registry", "mode", "--json"], env: e)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.json?["api"]?["value"]?.stringValue == "registry")
        #expect(run.json?["api"]?["source"]?.stringValue == "--api")
        #expect(run.json?["state"]?["value"]?.stringValue == "persistent")
        #expect(run.stderr.components(separatedBy: "QUILT_MCP_STATELESS_MODE").count == 2)
    }

    @Test("tools --json lists every tool with schemas and annotations")
    func toolsJSON() throws {
        let (env, dir) = try Self.sandbox()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let run = try Self.run(["tools", "--json"], env: env)
        let tools = try #require(run.json?.arrayValue)
        let names = tools.compactMap { $0["name"]?.stringValue }
        for required in ["packages_list", "package_browse", "package_info", "package_versions", "package_diff", "package_create", "package_delete"] {
            #expect(names.contains(required))
        }
        // Hints are sent only where they differ from the protocol's defaults: every reader says readOnlyHint, no
        // writer does, and no tool carries an output schema.
        let writers: Set = ["package_create", "package_update", "package_delete", "bucket_objects_put"]
        for t in tools {
            let name = t["name"]?.stringValue ?? "?"
            #expect(t["inputSchema"]?["type"]?.stringValue == "object", "\(name)")
            #expect(t["annotations"]?["readOnlyHint"]?.boolValue == (writers.contains(name) ? nil : true), "\(name)")
            #expect(t.objectValue?.position(ofKey: "outputSchema") == nil, "\(name)")
        }
        #expect(Set(names).isSuperset(of: writers))
    }

    @Test("A mistyped option exits 2 naming it and the flag it was probably meant to be, before anything runs",
          arguments: [
              (["--registy", "memory://x", "call", "packages_list"], "unknown option '--registy' (did you mean --registry?)"),
              (["tools", "--jsn"], "unknown option '--jsn' (did you mean --json?)"),
              (["mode", "--tabel"], "unknown option '--tabel' (did you mean --table?)"),
              (["call", "packages_list", "--read-onyl"], "unknown option '--read-onyl' (did you mean --read-only?)"),
              (["--frobnicate"], "unknown option '--frobnicate'."),
          ])
    func mistypedOption(arguments: [String], message: String) throws {
        let (env, dir) = try Self.sandbox()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let run = try Self.run(arguments, env: env)
        #expect(run.status == 2)
        #expect(run.stderr.contains(message), "\(run.stderr.prefix(300))")
        #expect(run.stdout.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: dir + "/xdg/Quilt"), "nothing ran")
    }

    @Test("Started by hand on a terminal, the stdio server says on stderr what it waits for; from a client, it says nothing",
          .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/script"), "util-linux `script` gives it a terminal"))
    func terminalHint() throws {
        let (env, dir) = try Self.sandbox()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let binary = try Executables.built().path
        // `script` runs the server on a pseudo-terminal; its standard input (empty) ends the session at once.
        let onTerminal = Process()
        onTerminal.executableURL = URL(fileURLWithPath: "/usr/bin/script")
        onTerminal.arguments = ["-qec", "'\(binary)' --registry memory://tty", "/dev/null"]
        onTerminal.environment = env
        let out = Pipe()
        onTerminal.standardOutput = out
        onTerminal.standardError = out
        onTerminal.standardInput = FileHandle.nullDevice
        try onTerminal.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        onTerminal.waitUntilExit()
        #expect(text.contains("waiting for an MCP client's JSON-RPC on standard input"), "\(text.prefix(300))")
        let piped = try Self.run(["--registry", "memory://tty"], env: env)
        #expect(!piped.stderr.contains("waiting for an MCP client"))
        #expect(piped.status == 0)
    }

    @Test("tools prints every name whole, however long, with its effect and description")
    func toolsPlain() throws {
        let (env, dir) = try Self.sandbox()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let names = try #require(try Self.run(["tools", "--json"], env: env).json?.arrayValue).compactMap { $0["name"]?.stringValue }
        let lines = try Self.run(["tools"], env: env).stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == names.count)
        for (line, name) in zip(lines, names) {
            #expect(line.hasPrefix(name + " "), "\(line.prefix(40)) does not start with \(name)")
            #expect(line.contains("[read-only]") || line.contains("[writes]") || line.contains("[destructive]"))
        }
        #expect(Set(lines.map { $0.range(of: "[")?.lowerBound.utf16Offset(in: $0) }).count == 1, "the effect column is aligned")
    }
}

@Suite("README")
struct ReadmeTests {
    /// The documentation's generated blocks, each the exact output of a command, between `<!-- NAME:begin -->` and
    /// `<!-- NAME:end -->`.
    @Test("Each generated table in the documentation is exactly the output of its command", arguments: [
        ("docs/guide/configuration.md", "mode-table", ["mode", "--table"]), ("README.md", "tools-table", ["tools", "--markdown"]),
        ("docs/guide/tools.md", "tools-table", ["--toolsets", "all", "tools", "--markdown"]),
    ])
    func generatedBlockIsCurrent(file: String, block: String, command: [String]) throws {
        var root = URL(fileURLWithPath: #filePath)
        while !FileManager.default.fileExists(atPath: root.appendingPathComponent("Package.swift").path) {
            root.deleteLastPathComponent()
        }
        let readme = try String(contentsOf: root.appendingPathComponent(file), encoding: .utf8)
        let begin = try #require(readme.range(of: "<!-- \(block):begin -->\n"))
        let end = try #require(readme.range(of: "\n<!-- \(block):end -->"))
        let generated = try CLITests.run(command, env: ["HOME": "/nonexistent", "PATH": "/usr/bin:/bin"])
        #expect(generated.status == 0)
        #expect(String(readme[begin.upperBound..<end.lowerBound]) == generated.stdout.trimmingCharacters(in: .newlines),
                "regenerate the block in \(file) with: quilt-mcp \(command.joined(separator: " "))")
    }
}

@Suite("Tool error messages")
struct ToolErrorMessageTests {
    @Test("An invalid package name is reported once, under the argument's own name")
    func invalidNameMessage() throws {
        let (env, dir) = try CLITests.sandbox()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let run = try CLITests.run(["call", "package_diff", #"{"package1_name": "a/b", "package2_name": "bad name"}"#], env: env)
        #expect(run.status == 1)
        #expect(run.json?["error"]?["field"]?.stringValue == "package2_name")
        let message = try #require(run.json?["error"]?["message"]?.stringValue)
        #expect(message.components(separatedBy: "Invalid").count == 2, "\(message)")
    }
}

extension Executables.Run {
    var json: JSONValue? { try? JSONParser.parse(stdout) }
}
