import Foundation
import QuiltContract
import QuiltJSON
import QuiltQuery
import QuiltTestSupport
import Testing

/// The query contract on every package backend: the embedded engine reads the files of a revision through the
/// backend under test (S3 and the replayed catalog from their recordings: `Fixtures/s3/record.sh 'QueryScenarios'`
/// re-records both). The files and the answers are the ones real quilt3 packaged and
/// Python's own readers computed (Fixtures/quilt3-tabular).
@Suite("Conformance: SQL over package files (embedded engine)")
struct QueryScenarios {
    static let backends = Backends.all

    static func engine(_ s: ConformanceSession, bytes: Int64 = 1 << 20, timeLimit: Duration = .seconds(30)) -> EmbeddedQueryEngine {
        EmbeddedQueryEngine(ops: s.ops, byteLimit: (bytes, "QUILT_MCP_MAX_OBJECT_BYTES"), timeLimit: timeLimit)
    }

    static func request(_ s: ConformanceSession, _ query: String, revision: RevisionRef = .latest, tables: [String]? = nil,
                        maxRows: Int = 1000, maxBytes: Int64? = nil) throws -> PackageQueryRequest {
        PackageQueryRequest(
            package: try PackageName("tab/sales"), registry: s.registry, revision: revision, query: query, tables: tables,
            maxRows: maxRows, maxBytes: maxBytes)
    }

    /// Seeds `tab/sales` with the fixture's files, byte for byte.
    @discardableResult
    static func seedSales(_ s: ConformanceSession) async throws -> RevisionInfo {
        try await s.seed("tab/sales", files: try TabularFixture.files())
    }

    @Test("Every fixture query answers what Python's csv and json readers computed", arguments: backends)
    func answers(_ backend: BackendUnderTest) async throws {
        try await backend.run("query.answers") { s in
            try await Self.seedSales(s)
            let engine = Self.engine(s)
            for (query, rows) in try TabularFixture.queries() {
                let result = try await engine.packageQuery(try Self.request(s, query))
                #expect(TabularFixture.same(result.rows, rows), "\(query): \(result.rows) ≠ \(rows)")
                #expect(result.engine == "embedded" && result.dialect.hasPrefix("SQLite 3."))
                #expect(!result.truncated)
            }
        }
    }

    @Test("Only the tables a statement names are read; each is described with its columns", arguments: backends)
    func lazyLoading(_ backend: BackendUnderTest) async throws {
        try await backend.run("query.lazy") { s in
            let seeded = try await Self.seedSales(s)
            let result = try await Self.engine(s).packageQuery(try Self.request(s, "SELECT count(*) AS n FROM \"data/inventory.tsv\""))
            #expect(result.rows == [[4]])
            #expect(result.columns == [QueryResult.Column(name: "n", type: "")])
            #expect(result.tables.map(\.name) == ["data/inventory.tsv"])
            #expect(result.tables.first?.columns.map(\.type) == ["TEXT", "TEXT", "INTEGER"])
            #expect(result.revision.hash == seeded.revision.hash)
        }
    }

    @Test("An older revision is queried at its own top hash", arguments: backends)
    func revisions(_ backend: BackendUnderTest) async throws {
        try await backend.run("query.revisions") { s in
            let old = try await s.seed("tab/sales", files: [("data/old.csv", "units\n1\n2\n")])
            try await Self.seedSales(s)
            let engine = Self.engine(s)
            let query = "SELECT sum(units) FROM \"data/old.csv\""
            let then = try await engine.packageQuery(try Self.request(s, query, revision: .hash(old.revision.hash)))
            #expect(then.rows == [[3]] && then.revision.hash == old.revision.hash)
            let now = await expectError("invalid_input") { _ = try await engine.packageQuery(try Self.request(s, query)) }
            #expect(now?.message.contains("no file 'data/old.csv'") == true)
        }
    }

    @Test("A file changed in storage after its revision was made is refused, not queried", arguments: backends)
    func changedStorage(_ backend: BackendUnderTest) async throws {
        try await backend.run("query.changed") { s in
            // These stores keep one object per key: the second revision overwrites the first one's file with bytes of
            // the same size, so only the hash can tell.
            let old = try await s.seed("tab/sales", files: [("data/sales.csv", "units\n1\n2\n")])
            try await s.seed("tab/sales", files: [("data/sales.csv", "units\n7\n8\n")])
            let error = await expectError("remote") {
                _ = try await Self.engine(s).packageQuery(
                    try Self.request(s, "SELECT sum(units) FROM \"data/sales.csv\"", revision: .hash(old.revision.hash)))
            }
            #expect(error?.message.contains("does not match its hash") == true, "\(error?.message ?? "")")
        }
    }

    @Test("Statements that write, reach outside, or are not one statement are refused with the reason", arguments: backends)
    func refusals(_ backend: BackendUnderTest) async throws {
        try await backend.run("query.refusals") { s in
            try await Self.seedSales(s)
            let engine = Self.engine(s)
            let cases: [(String, String)] = [
                ("DELETE FROM \"data/sales.csv\"", "writes"),
                ("CREATE TABLE t (a)", "writes"),
                ("WITH x AS (SELECT 1) INSERT INTO \"data/sales.csv\" (units) SELECT * FROM x", "writes"),
                ("ATTACH DATABASE '/etc/passwd' AS p", "SQLite refused"),
                ("PRAGMA table_info(\"data/sales.csv\")", "SQLite refused"),
                ("SELECT 1; SELECT 2", "one statement per call"),
                ("SELEC 1", "SQLite refused the statement: near \"SELEC\""),
                ("SELECT * FROM \"nope.csv\"", "its tables are \"data/dup header.csv\", \"data/inventory.tsv\", \"data/sales.csv\", \"events.jsonl\""),
                ("SELECT * FROM \"data/raw.parquet\"", "Parquet, which the embedded engine cannot read"),
                ("SELECT * FROM \"README.md\"", "not a CSV, TSV or JSON-lines file"),
            ]
            for (query, reason) in cases {
                let error = await expectError("invalid_input") { _ = try await engine.packageQuery(try Self.request(s, query)) }
                #expect(error?.message.contains(reason) == true, "\(query): \(error?.message ?? "no error")")
                if case .invalidInput(let field, _) = error { #expect(field == "query", "\(query)") }
            }
            let named = await expectError("invalid_input") {
                _ = try await engine.packageQuery(try Self.request(s, "SELECT 1", tables: ["data/raw.parquet"]))
            }
            #expect(named?.message.contains("Parquet") == true)
            if case .invalidInput(let field, _) = named { #expect(field == "tables") }
        }
    }

    @Test("Rows, bytes and time are bounded: truncated answers, too_large past the budget, a runaway statement stopped",
          arguments: backends)
    func bounds(_ backend: BackendUnderTest) async throws {
        try await backend.run("query.bounds") { s in
            try await Self.seedSales(s)
            let rows = try await Self.engine(s).packageQuery(
                try Self.request(s, "SELECT region FROM \"data/sales.csv\" ORDER BY rowid", maxRows: 2))
            #expect(rows.rows == [["North"], ["North, East"]] && rows.truncated)
            await expectError("too_large") {
                _ = try await Self.engine(s).packageQuery(try Self.request(s, "SELECT * FROM \"data/sales.csv\"", maxBytes: 10))
            }
            let ceiling = await expectError("too_large") {
                _ = try await Self.engine(s, bytes: 100).packageQuery(try Self.request(s, "SELECT 1", maxBytes: 1000))
            }
            #expect(ceiling?.message.contains("QUILT_MCP_MAX_OBJECT_BYTES") == true)
            let started = ContinuousClock.now
            let runaway = await expectError("invalid_input") {
                _ = try await Self.engine(s, timeLimit: .milliseconds(300)).packageQuery(try Self.request(
                    s, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT count(*) FROM n"))
            }
            #expect(runaway?.message.contains("time limit") == true)
            // The message proves the time limit stopped it; the bound only says it was not left running. Generous:
            // CI runs twelve of these beside the whole suite on two cores (23 s was seen under that load).
            #expect(ContinuousClock.now - started < .seconds(120))
        }
    }

    @Test("Cancelling the call stops a running statement", arguments: backends.prefix(1))
    func cancellation(_ backend: BackendUnderTest) async throws {
        try await backend.run("query.cancel") { s in
            try await Self.seedSales(s)
            let engine = Self.engine(s, timeLimit: .seconds(600))
            let request = try Self.request(s, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT count(*) FROM n")
            let task = Task { try await engine.packageQuery(request) }
            try await Task.sleep(for: .milliseconds(300))
            let started = ContinuousClock.now
            task.cancel()
            await #expect(throws: QuiltOpsError.cancelled("the query was cancelled.")) { try await task.value }
            #expect(ContinuousClock.now - started < .seconds(120), "a cancelled statement kept running")
        }
    }
}

/// The tabular fixture quilt3 built (Fixtures/quilt3-tabular): its files and the expected answers.
enum TabularFixture {
    static var root: String { Executables.repositoryRoot + "/Fixtures/quilt3-tabular" }

    static func expected() throws -> JSONValue {
        try JSONParser.parse(Array(try Data(contentsOf: URL(fileURLWithPath: root + "/expected.json"))))
    }

    /// Every file of the package, as text (the generator's Parquet stand-in is ASCII bytes, so it survives too).
    static func files() throws -> [(String, String)] {
        let base = root + "/registry/tabular/sales/"
        let keys = ["data/sales.csv", "data/inventory.tsv", "events.jsonl", "data/dup header.csv", "README.md", "data/raw.parquet"]
        return try keys.map { key in
            let data = try Data(contentsOf: URL(fileURLWithPath: base + key))
            return (key, String(decoding: data, as: UTF8.self))
        }
    }

    static func queries() throws -> [(String, [[JSONValue]])] {
        try (expected()["queries"]?.arrayValue ?? []).map { q in
            (q["query"]?.stringValue ?? "", (q["rows"]?.arrayValue ?? []).map { $0.arrayValue ?? [] })
        }
    }

    /// Rows equal cell by cell, numbers by value (Python writes 12.5 and 3 as SQLite answers them).
    static func same(_ a: [[JSONValue]], _ b: [[JSONValue]]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { x, y in
            x.count == y.count && zip(x, y).allSatisfy { p, q in
                if let m = p.numberValue, let n = q.numberValue { return m.doubleValue == n.doubleValue }
                return p == q
            }
        }
    }
}
