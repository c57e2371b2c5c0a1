import FakeCatalog
import Foundation
import QuiltContract
import QuiltJSON
import QuiltQuery
import QuiltRegistry
import QuiltStorage
import QuiltTestSupport
import Synchronization
import Testing

/// Tabulator without a catalog, on every registry-engine backend: definitions kept in the registry, tables made from
/// the latest revision of each matching package and queried in this process. The packages, definitions and answers
/// are the ones real quilt3 built and Python's `csv` and `re` computed (`Fixtures/tabulator/generate.py`); S3 runs from
/// its recordings (`Fixtures/s3/record.sh 'TabulatorScenarios'`). The catalog's Tabulator is `Tests/Platform`'s.
@Suite("Conformance: Tabulator tables kept in the registry, queried in this process")
struct TabulatorScenarios {
    static let backends = Backends.all.filter { !$0.id.hasPrefix("platform") }

    static func tabulator(_ ops: any QuiltOps, bytes: Int64 = 1 << 20) -> RegistryTabulator {
        RegistryTabulator(ops: ops, byteLimit: (bytes, "QUILT_MCP_MAX_OBJECT_BYTES"))
    }

    /// Seeds every fixture package, revision by revision, and stores the fixture's definitions; returns each
    /// package's latest top hash on this backend, by the top hash quilt3 gave it.
    @discardableResult
    static func seed(_ s: ConformanceSession) async throws -> [String: String] {
        var hashes: [String: String] = [:]
        for package in TabulatorFixture.packages() {
            var last: RevisionInfo?
            for files in package.revisions { last = try await s.seed(package.name, files: files) }
            hashes[package.quilt3Hash] = last?.revision.hash.rawValue
        }
        let writer = tabulator(s.seeder)
        for (name, yaml) in TabulatorFixture.definitions() {
            _ = try await writer.setTabulatorTable(registry: s.registry, name: name, config: yaml)
        }
        return hashes
    }

    /// Where the table calls run: the registry's own Tabulator over each registry backend, and the catalog's (an
    /// admin's token) in every catalog schema that has the table mutations.
    struct Target: Sendable, CustomTestStringConvertible {
        enum Kind: Sendable {
            case registry(BackendUnderTest)
            case catalog(FakeCatalogSchema.Variant)
        }
        let kind: Kind
        var testDescription: String {
            switch kind {
            case .registry(let b): return b.id
            case .catalog(let v): return v == .head ? "catalog" : "catalog@\(v.rawValue)"
            }
        }

        /// Runs `body` with the Tabulator, the registry it keeps tables in, and whether it may change them.
        func run(_ scenario: ScenarioID, _ body: @Sendable (any TabulatorOps, RegistryURL, Bool) async throws -> Void) async throws {
            switch kind {
            case .registry(let backend):
                try await backend.run(scenario) { s in
                    try await body(TabulatorScenarios.tabulator(s.ops), s.registry, s.ops.capabilities.contains(.objectWrite))
                }
            case .catalog(let variant):
                let bucket = S3Harness.bucketName(scenario.rawValue)
                let target = try await FakeTarget.start(bucket: bucket, schema: variant, subject: "admin")
                defer { target.catalog.stop() }
                try await body(target.tabulator(), try RegistryURL.s3(bucket), true)
            }
        }
    }

    static let targets: [Target] = backends.map { Target(kind: .registry($0)) }
        + FakeCatalogSchema.Variant.allCases.filter(\.isCatalog).map { Target(kind: .catalog($0)) }

    @Test("Tables are created, listed, renamed and deleted, on the registry and on the catalog alike", arguments: targets)
    func lifecycle(_ target: Target) async throws {
        try await target.run("tabulator.tables") { tables, registry, writes in
            #expect(try await tables.tabulatorTables(registry: registry).isEmpty)
            let yaml = try #require(TabulatorFixture.definitions().first { $0.0 == "counts" }?.1)
            guard writes else {
                let refused = await expectError("unsupported") {
                    _ = try await tables.setTabulatorTable(registry: registry, name: "counts", config: yaml)
                }
                #expect(refused != nil)
                return
            }
            let made = try await tables.setTabulatorTable(registry: registry, name: "counts", config: yaml)
            #expect(made == [TabulatorTable(name: "counts", config: yaml)])
            _ = try await tables.setTabulatorTable(registry: registry, name: "a_first", config: yaml)
            #expect(Set(try await tables.tabulatorTables(registry: registry).map(\.name)) == ["a_first", "counts"])
            let renamed = try await tables.renameTabulatorTable(registry: registry, name: "counts", newName: "reads")
            #expect(Set(renamed.map(\.name)) == ["a_first", "reads"])
            #expect(renamed.first { $0.name == "reads" }?.config == yaml, "a rename keeps the definition")
            let taken = await expectError("invalid_input") {
                _ = try await tables.renameTabulatorTable(registry: registry, name: "reads", newName: "a_first")
            }
            #expect(taken?.message.contains("a_first") == true, "\(taken?.message ?? "")")
            let gone = try await tables.setTabulatorTable(registry: registry, name: "a_first", config: nil)
            #expect(gone.map(\.name) == ["reads"])
            // Deleting is idempotent: a table that is not there is already deleted.
            #expect(try await tables.setTabulatorTable(registry: registry, name: "a_first", config: nil) == gone)
            #expect(try await tables.tabulatorTables(registry: registry) == gone)
            // Refusals name the argument and leave the tables as they were.
            let cases: [(String, String, String, String)] = [
                ("Bad-Name", yaml, "table_name", "^[a-z_][a-z0-9_]*$"),
                ("t", "schema: []\n", "config", "source"),
            ]
            for (name, config, field, reason) in cases {
                let error = await expectError("invalid_input") {
                    _ = try await tables.setTabulatorTable(registry: registry, name: name, config: config)
                }
                #expect(error?.message.contains(reason) == true, "\(name): \(error?.message ?? "")")
                if case .invalidInput(let f, _)? = error { #expect(f == field) }
            }
            let missing = await expectError("invalid_input") {
                _ = try await tables.renameTabulatorTable(registry: registry, name: "nope", newName: "other")
            }
            #expect(missing?.message.contains("nope") == true)
            #expect(try await tables.tabulatorTables(registry: registry) == gone)
        }
    }

    @Test("A definition the registry cannot read is refused before it is stored", arguments: backends.filter { $0.capabilities.contains(.objectWrite) })
    func unreadableDefinitions(_ backend: BackendUnderTest) async throws {
        try await backend.run("tabulator.definitions") { s in
            let tables = Self.tabulator(s.ops)
            let error = await expectError("invalid_input") {
                _ = try await tables.setTabulatorTable(registry: s.registry, name: "t", config: "schema: [{name: a, type: INT}]\nsource: {type: quilt-packages, package_name: x, logical_key: y}\nparser: {format: xls}\n")
            }
            #expect(error?.message.contains("csv or parquet") == true)
            let after = try await tables.tabulatorTables(registry: s.registry)
            #expect(after.isEmpty)
        }
    }

    @Test("Every fixture query answers what Python's csv and re computed", arguments: backends)
    func answers(_ backend: BackendUnderTest) async throws {
        try await backend.run("tabulator.answers") { s in
            let hashes = try await Self.seed(s)
            let tables = Self.tabulator(s.ops)
            for (query, rows) in TabulatorFixture.queries() {
                // The fixture's top hashes are quilt3's; this backend's revisions have their own.
                let expected = rows.map { $0.map { cell in cell.stringValue.flatMap { hashes[$0] }.map(JSONValue.string) ?? cell } }
                let result = try await tables.queryTables(TabulatorQueryRequest(registry: s.registry, query: query))
                #expect(TabularFixture.same(result.rows, expected), "\(query): \(result.rows) ≠ \(expected)")
                #expect(result.engine == "embedded" && result.dialect.hasPrefix("SQLite 3.") && !result.truncated)
            }
            let events = Mutex<[WriteProgress]>([])
            let one = try await tables.queryTables(TabulatorQueryRequest(
                registry: s.registry, query: "SELECT count(*) FROM counts", progress: { p in events.withLock { $0.append(p) } }))
            #expect(events.withLock { $0.map(\.completed) } == [0, 1, 2, 3, 4], "one event per file read, after an opening one")
            #expect(events.withLock { $0.allSatisfy { $0.phase == "tabulator counts" && $0.total == 4 } })
            let counts = try #require(one.tables.first)
            #expect(one.tables.count == 1, "only the table the statement names is made")
            #expect(counts.files == 4 && counts.rows == 7 && counts.issues == 1)
            #expect(counts.revisions.map { $0.split(separator: "@").first.map(String.init) } == ["lab/run-2024", "lab/run-2025"])
            #expect(counts.columns.map(\.name) == [
                "sample", "reads", "ratio", "passed", "run", "sample_file", "$pkg_name", "$logical_key", "$physical_key", "$top_hash", "$issue",
            ])
            let keys = try await tables.queryTables(TabulatorQueryRequest(
                registry: s.registry, query: "SELECT DISTINCT \"$physical_key\" FROM counts WHERE sample = 'C-1'"))
            let latest = try await s.browseAll("lab/run-2025").first { $0.logicalKey == "counts/s1.tsv" }
            #expect(keys.rows == [[.string(latest?.physicalKey?.url ?? "?")]])
        }
    }

    @Test("What cannot be answered is refused with the reason: unknown tables, Parquet, writes, bad files, the budget",
          arguments: backends)
    func refusals(_ backend: BackendUnderTest) async throws {
        try await backend.run("tabulator.refusals") { s in
            try await Self.seed(s)
            let parquet = "schema: [{name: a, type: INT}]\nsource: {type: quilt-packages, package_name: ^lab/, logical_key: \\.parquet$}\nparser: {format: parquet}\n"
            let strict = try #require(TabulatorFixture.definitions().first { $0.0 == "counts" }?.1)
                .replacing("^lab/(?P<run>run-\\\\d{4})$", with: "^lab/bad$")
            let writer = Self.tabulator(s.seeder)
            _ = try await writer.setTabulatorTable(registry: s.registry, name: "raw", config: parquet)
            _ = try await writer.setTabulatorTable(registry: s.registry, name: "strict", config: strict)
            // A CSV definition whose pattern picks a Parquet file: refused by name, before any byte is read.
            try await s.seed("lab/pq", files: [("data/x.parquet", "PAR1 not really")])
            _ = try await writer.setTabulatorTable(registry: s.registry, name: "pq", config: parquet.replacing("format: parquet", with: "format: csv"))
            let tables = Self.tabulator(s.ops)
            let cases: [(String, String)] = [
                ("SELECT * FROM nope", "no Tabulator table 'nope'"),
                ("SELECT * FROM nope", "its tables are counts, events, pq, raw, strict, tolerant"),
                ("SELECT * FROM pq", "lab/pq/data/x.parquet, which is Parquet"),
                ("SELECT * FROM \"bucket\".\"counts\"", "without the bucket"),
                ("SELECT * FROM raw", "Parquet, which the embedded engine cannot read"),
                ("DELETE FROM counts", "writes"),
                ("SELECT * FROM strict", "lab/bad/counts/x.tsv record 4 column 'reads' has 'many', which is no BIGINT"),
            ]
            for (query, reason) in cases {
                let error = await expectError("invalid_input") {
                    _ = try await tables.queryTables(TabulatorQueryRequest(registry: s.registry, query: query))
                }
                #expect(error?.message.contains(reason) == true, "\(query): \(error?.message ?? "")")
            }
            let budget = await expectError("too_large") {
                _ = try await Self.tabulator(s.ops, bytes: 100).queryTables(
                    TabulatorQueryRequest(registry: s.registry, query: "SELECT count(*) FROM counts"))
            }
            #expect(budget?.message.contains("QUILT_MCP_MAX_OBJECT_BYTES") == true)
            let truncated = try await tables.queryTables(TabulatorQueryRequest(registry: s.registry, query: "SELECT sample FROM counts", maxRows: 2))
            #expect(truncated.rows.count == 2 && truncated.truncated)
            // A call cancelled while tables load stops (before the next file, or in the storage call under way).
            let cancelled = Task {
                withUnsafeCurrentTask { $0?.cancel() }
                return try await tables.queryTables(TabulatorQueryRequest(registry: s.registry, query: "SELECT count(*) FROM counts"))
            }
            await expectError("cancelled") { _ = try await cancelled.value }
        }
    }

    @Test("On the registry quilt3 built: the same answers, with quilt3's own top hashes and files")
    func quilt3Registry() async throws {
        let root = TabulatorFixture.generatedRoot
        try? FileManager.default.removeItem(atPath: root)
        try FileManager.default.copyItem(atPath: TabulatorFixture.root + "/registry", toPath: root)
        let registry = try RegistryURL.file(root)
        let engine = RegistryEngine(backendID: "file", resolver: LocalStorageResolver(files: .allowed), knownRegistries: [registry])
        let writer = Self.tabulator(engine)
        for (name, yaml) in TabulatorFixture.definitions() { _ = try await writer.setTabulatorTable(registry: registry, name: name, config: yaml) }
        for (query, rows) in TabulatorFixture.queries() {
            let result = try await writer.queryTables(TabulatorQueryRequest(registry: registry, query: query))
            #expect(TabularFixture.same(result.rows, rows), "\(query): \(result.rows) ≠ \(rows)")
        }
        // The definitions live in the registry, where quilt3 does not look: its packages are unchanged.
        let stored = try Data(contentsOf: URL(fileURLWithPath: root + "/" + RegistryTabulator.documentKey))
        #expect(try JSONParser.parse(Array(stored))["tables"]?.arrayValue?.count == TabulatorFixture.definitions().count)
    }
}

/// The Tabulator fixture quilt3 built (Fixtures/tabulator): packages, definitions and answers.
enum TabulatorFixture {
    static var root: String { Executables.repositoryRoot + "/Fixtures/tabulator" }
    static let generatedRoot = "/tmp/quilt-tabulator-registry"

    static func expected() -> JSONValue {
        guard let data = FileManager.default.contents(atPath: root + "/expected.json"), let value = try? JSONParser.parse(Array(data)) else {
            Issue.record("Fixtures/tabulator/expected.json is missing or not JSON")
            return .null
        }
        return value
    }

    struct Package {
        let name: String
        let quilt3Hash: String
        let revisions: [[(String, String)]]
    }

    static func packages() -> [Package] {
        (expected()["packages"]?.arrayValue ?? []).map { p in
            Package(
                name: p["name"]?.stringValue ?? "", quilt3Hash: p["top_hash"]?.stringValue ?? "",
                revisions: (p["revisions"]?.arrayValue ?? []).map { files in
                    (files.objectValue.map { Array($0) } ?? []).map { ($0.0, $0.1.stringValue ?? "") }.sorted { $0.0 < $1.0 }
                })
        }
    }

    static func definitions() -> [(String, String)] {
        (expected()["definitions"]?.objectValue.map { Array($0) } ?? []).map { ($0.0, $0.1.stringValue ?? "") }.sorted { $0.0 < $1.0 }
    }

    static func queries() -> [(String, [[JSONValue]])] {
        (expected()["queries"]?.arrayValue ?? []).map { q in
            (q["query"]?.stringValue ?? "", (q["rows"]?.arrayValue ?? []).map { $0.arrayValue ?? [] })
        }
    }
}
