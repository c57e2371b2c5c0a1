import Foundation
import NIOHTTP1
import QuiltJSON
import QuiltTestSupport
import Testing

/// A HOME that holds what a careless server would pick up: a quilt3 login (config.yml, auth.json under
/// `~/.local/share/Quilt`) and AWS credentials (`~/.aws/credentials`, `~/.aws/config`), all valid-looking.
struct BaitHome {
    let dir: String
    var home: String { dir + "/home" }
    let files: [String]

    init() throws {
        dir = NSTemporaryDirectory() + "quilt-mcp-bait-" + UUID().uuidString
        let home = dir + "/home"
        let quilt = home + "/.local/share/Quilt"
        let contents: [(String, String)] = [
            (quilt + "/config.yml", "navigator_url: https://catalog.bait.example\nregistryUrl: https://registry.bait.example\n"),
            (quilt + "/auth.json", #"{"https://registry.bait.example": {"access_token": "bait-access-token", "refresh_token": "bait-refresh", "expires_at": 4102444800}}"#),
            (quilt + "/packages/.quilt/named_packages/bait/pkg/latest", "0000000000000000000000000000000000000000000000000000000000000000"),
            (home + "/.aws/credentials", "[default]\naws_access_key_id = AKIABAITBAITBAITBAIT\naws_secret_access_key = bait/secret/key\n"),
            (home + "/.aws/config", "[default]\nregion = us-east-1\n"),
            (home + "/.quilt/auth.json", #"{"tokens": {"https://registry.bait.example": {"token": "bait"}}}"#),
        ]
        for (path, text) in contents {
            try FileManager.default.createDirectory(
                atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        }
        files = contents.map(\.0)
    }

    /// Unreadable files, read-only directories (meaningful for non-root users; root is caught by ``FileWatch``).
    func lockDown() throws {
        for file in files { try FileManager.default.setAttributes([.posixPermissions: 0o000], ofItemAtPath: file) }
        var dirs = [home]
        if let walker = FileManager.default.enumerator(atPath: home) {
            for case let relative as String in walker {
                var isDirectory: ObjCBool = false
                if FileManager.default.fileExists(atPath: home + "/" + relative, isDirectory: &isDirectory), isDirectory.boolValue {
                    dirs.append(home + "/" + relative)
                }
            }
        }
        for d in dirs { try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: d) }
    }

    func remove() {
        if let walker = FileManager.default.enumerator(atPath: dir) {
            for case let relative as String in walker {
                try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: dir + "/" + relative)
            }
        }
        try? FileManager.default.removeItem(atPath: dir)
    }

    /// The environment of a careless deployment: HOME and XDG pointing at the bait, AWS variables naming its files.
    var environment: [String: String] {
        [
            "HOME": home, "XDG_DATA_HOME": home + "/.local/share", "PATH": "/usr/bin:/bin", "AWS_PROFILE": "default",
            "AWS_SHARED_CREDENTIALS_FILE": home + "/.aws/credentials", "AWS_CONFIG_FILE": home + "/.aws/config",
        ]
    }
}

/// True when this process may make a private mount namespace with a read-only root (root with CAP_SYS_ADMIN).
let canMountReadOnly: Bool = {
    guard geteuid() == 0, FileManager.default.isExecutableFile(atPath: "/usr/bin/unshare") else { return false }
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/unshare")
    p.arguments = ["--mount", "sh", "-c", "mount --make-rprivate / && mount -o remount,bind,ro / && ! touch /quilt-mcp-ro-probe 2>/dev/null"]
    p.standardOutput = FileHandle.nullDevice
    p.standardError = FileHandle.nullDevice
    guard (try? p.run()) != nil else { return false }
    p.waitUntilExit()
    return p.terminationStatus == 0
}()

/// Runs the server under `unshare --mount` with `/` remounted read-only, when possible.
let readOnlyRoot = ["/usr/bin/unshare", "--mount", "sh", "-c",
                    "mount --make-rprivate / && mount -o remount,bind,ro / && exec \"$0\" \"$@\""]

@Suite("Stateless mode opens nothing under HOME and writes nothing to disk", .serialized)
struct StatelessModeTests {
    /// Exercises a running remote server as a client would: health, initialize, tools/list, the catalog-info
    /// resource and a call; with a local backend also `auth://status`, a create and a browse (the platform case
    /// stays off the network: its catalog does not exist).
    static func exercise(_ server: HTTPServerProcess, token: String, expectBackend: Bool) async throws {
        #expect(try await MCPHTTP.send(server.url("/health"), method: .GET).status == 200)
        let initialized = try await MCPHTTP.post(server.url(), MCPHTTP.rpc(0, "initialize", MCPHTTP.initialize()), token: token)
        #expect(initialized.result?["serverInfo"]?["name"] == "quilt-mcp")
        let tools = try await MCPHTTP.post(server.url(), MCPHTTP.rpc(1, "tools/list"), token: token)
        #expect(tools.result?["tools"]?.arrayValue?.isEmpty == false)
        let info = try await MCPHTTP.post(server.url(), MCPHTTP.rpc(3, "resources/read", ["uri": "auth://catalog/info"]), token: token)
        let text = info.result?["contents"]?[0]?["text"]?.stringValue ?? ""
        #expect(!text.contains("bait"))
        #expect(text.contains("\"quilt3_data_directory\": null"))
        guard expectBackend else {
            // The Platform backend: the remote preset names no registry, so packages_list asks for one — a typed
            // error without touching the network (auth://status would ask the unreachable catalog).
            let call = try await MCPHTTP.post(server.url(), MCPHTTP.rpc(4, "tools/call", MCPHTTP.call("packages_list", [:])), token: token)
            #expect(call.result?["isError"] == true)
            #expect(call.result?["structuredContent"]?["error"]?["kind"] == "invalid_input")
            return
        }
        let status = try await MCPHTTP.post(server.url(), MCPHTTP.rpc(2, "resources/read", ["uri": "auth://status"]), token: token)
        #expect(status.status == 200)
        let created = try await MCPHTTP.post(server.url(), MCPHTTP.rpc(4, "tools/call", MCPHTTP.call(
            "package_create", ["package_name": "ro/pkg", "entries": [["logical_key": "a.txt", "text": "in memory"]]])), token: token)
        #expect(created.result?["isError"] == false, "\(created.text)")
        let browsed = try await MCPHTTP.post(server.url(), MCPHTTP.rpc(5, "tools/call", MCPHTTP.call(
            "package_browse", ["package_name": "ro/pkg", "recursive": true])), token: token)
        #expect(browsed.result?["structuredContent"]?["entries"]?[0]?["logical_key"] == "a.txt")
    }

    static let modes: [(name: String, arguments: [String], extra: [String: String], backend: Bool)] = [
        ("QUILT_MCP_MODE=remote (platform: starts, lists tools, a call without a registry fails typed)", [],
         ["QUILT_MCP_MODE": "remote", "QUILT_MCP_CATALOG_URL": "https://catalog.example.invalid"], false),
        ("--mode remote --api registry over memory:// with HS256 verification", ["--mode", "remote", "--api", "registry", "--registry", "memory://ro"],
         ["QUILT_MCP_JWT_SECRET": TokenMint.secret], true),
    ]

    @Test("With a HOME full of quilt3 and AWS credentials, nothing under it is opened (inotify) and all works",
          arguments: 0..<2)
    func nothingUnderHomeIsOpened(_ index: Int) async throws {
        let mode = Self.modes[index]
        let bait = try BaitHome()
        defer { bait.remove() }
        try bait.lockDown()
        let watch = try FileWatch(bait.home)
        var env = bait.environment
        env.merge(mode.extra) { $1 }
        let server = try HTTPServerProcess(mode.arguments, environment: env)
        defer { server.stop() }
        try await Self.exercise(server, token: TokenMint.hs256(TokenMint.claims(sub: "ro-user")), expectBackend: mode.backend)
        #expect(try server.terminate() == 0)
        #expect(watch.events() == [], "\(mode.name): the server touched HOME")
        #expect(!server.stderrText.contains("bait-access-token"))
    }

    @Test("Control: the watch does see a persistent (local) server read quilt3's registry under the same HOME")
    func watchSeesPersistentMode() throws {
        let bait = try BaitHome()
        defer { bait.remove() }
        let watch = try FileWatch(bait.home)
        let run = try Executables.run(["call", "packages_list"], env: ["HOME": bait.home, "PATH": "/usr/bin:/bin"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("bait/pkg"))
        let events = watch.events()
        #expect(events.contains { $0.contains("/.local/share/Quilt/packages") }, "\(events)")
    }

    @Test("On a read-only root filesystem the remote server starts, serves and exits cleanly",
          .enabled(if: canMountReadOnly, "needs root and mount namespaces (unshare --mount)"), arguments: 0..<2)
    func readOnlyFilesystem(_ index: Int) async throws {
        let mode = Self.modes[index]
        let bait = try BaitHome()
        defer { bait.remove() }
        let watch = try FileWatch(bait.home)
        var env = bait.environment
        env.merge(mode.extra) { $1 }
        let server = try HTTPServerProcess(mode.arguments, environment: env, wrapper: readOnlyRoot)
        defer { server.stop() }
        try await Self.exercise(server, token: TokenMint.hs256(TokenMint.claims(sub: "ro-user")), expectBackend: mode.backend)
        #expect(try server.terminate() == 0)
        #expect(watch.events() == [])
        #expect(!server.stderrText.contains("Read-only file system"))
    }
}
