import FakeCatalog
import Foundation
import QuiltContract
import QuiltJSON
import QuiltPlatform
import QuiltTools
import Testing

/// Tabulator on the catalog: tables set, listed, renamed and deleted, and the open-query switch, against the fake
/// catalog in every schema a deployed catalog has had (the table mutations moved from `admin` to the top level in
/// 2026-06; open query is new in 2025-07).
@Suite("Platform: Tabulator tables and open query in every catalog schema")
struct TabulatorTests {
    static let definition = TabulatorDefinition(
        columns: [("sample_id", "STRING"), ("reads", "BIGINT")], packagePattern: #"^lab/(?<run>[^/]+)$"#,
        logicalKeyPattern: #"counts/.*\.tsv$"#, format: "tsv")

    @Test("An admin sets, lists, renames and deletes a table", arguments: FakeCatalogSchema.Variant.allCases.filter(\.isCatalog))
    func lifecycle(_ variant: FakeCatalogSchema.Variant) async throws {
        let f = try await CatalogFixture.start(variant: variant)
        defer { f.stop() }
        let admin = f.backend(token: try await f.catalog.mintToken(subject: "admin"))
        let made = try await admin.setTabulatorTable(registry: try .s3("test-bucket"), name: "counts", config: Self.definition.yaml)
        #expect(made == [TabulatorTable(name: "counts", config: Self.definition.yaml)])
        // Anyone who can read the bucket reads its tables.
        #expect(try await f.backend().tabulatorTables(registry: try .s3("test-bucket")) == made)
        let renamed = try await admin.renameTabulatorTable(registry: try .s3("test-bucket"), name: "counts", newName: "read_counts")
        #expect(renamed.map(\.name) == ["read_counts"])
        let gone = try await admin.setTabulatorTable(registry: try .s3("test-bucket"), name: "read_counts", config: nil)
        #expect(gone.isEmpty)
        #expect(f.catalog.log.count("graphql TabulatorSetTable") == 2, "\(variant.rawValue): each form answers (the wrong one would fail validation)")
    }

    @Test("The catalog's refusals arrive typed, naming the argument")
    func refusals() async throws {
        let f = try await CatalogFixture.start()
        defer { f.stop() }
        let admin = f.backend(token: try await f.catalog.mintToken(subject: "admin"))
        let badName = await caught { _ = try await admin.setTabulatorTable(registry: try .s3("test-bucket"), name: "Bad-Name", config: Self.definition.yaml) }
        #expect(badName?.kind == "invalid_input")
        if case .invalidInput(let field, _) = badName { #expect(field == "table_name") }
        let noSection = await caught { _ = try await admin.setTabulatorTable(registry: try .s3("test-bucket"), name: "t", config: "schema: []\n") }
        if case .invalidInput(let field, let reason) = noSection { #expect(field == "config" && reason.contains("source")) } else {
            Issue.record("expected invalid_input, got \(String(describing: noSection))")
        }
        let missing = await caught { _ = try await admin.renameTabulatorTable(registry: try .s3("test-bucket"), name: "nope", newName: "x") }
        #expect(missing?.kind == "invalid_input")
        let unknown = await caught { _ = try await admin.tabulatorTables(registry: try .s3("no-such-bucket")) }
        #expect(unknown == .notFound(.bucket("no-such-bucket")))
        // Not an admin: the catalog refuses, and the error says so.
        let alice = f.backend()
        let refused = await caught { _ = try await alice.setTabulatorTable(registry: try .s3("test-bucket"), name: "t", config: Self.definition.yaml) }
        #expect(refused?.kind == "forbidden", "\(String(describing: refused))")
        let readOnly = f.backend(token: try await f.catalog.mintToken(subject: "admin"), readOnly: true)
        let held = await caught { _ = try await readOnly.setTabulatorTable(registry: try .s3("test-bucket"), name: "t", config: Self.definition.yaml) }
        if case .readOnly(_, let setting)? = held { #expect(setting.contains("QUILT_MCP_READ_ONLY")) } else {
            Issue.record("expected read_only, got \(String(describing: held))")
        }
    }

    @Test("Open query: admins read and switch it; catalogs before 2025-07 have none",
          arguments: FakeCatalogSchema.Variant.allCases.filter(\.isCatalog))
    func openQuery(_ variant: FakeCatalogSchema.Variant) async throws {
        let f = try await CatalogFixture.start(variant: variant)
        defer { f.stop() }
        let admin = f.backend(token: try await f.catalog.mintToken(subject: "admin"))
        guard variant != .nov2024 else {
            let none = await caught { _ = try await admin.tabulatorOpenQuery() }
            #expect(none?.kind == "unsupported")
            return
        }
        #expect(try await admin.tabulatorOpenQuery() == false)
        #expect(try await admin.setTabulatorOpenQuery(true) == true)
        #expect(try await admin.tabulatorOpenQuery() == true)
        let alice = await caught { _ = try await f.backend().tabulatorOpenQuery() }
        #expect(alice?.kind == "forbidden")
    }

    @Test("A definition is checked before it is sent and written as YAML that keeps every backslash")
    func definitions() throws {
        #expect(Self.definition.yaml == """
            schema:
            - name: sample_id
              type: STRING
            - name: reads
              type: BIGINT
            source:
              type: quilt-packages
              package_name: "^lab/(?<run>[^/]+)$"
              logical_key: "counts/.*\\\\.tsv$"
            parser:
              format: csv
              delimiter: "\\t"
              header: true

            """)
        try Self.definition.validate()
        let bad: [(TabulatorDefinition, String)] = [
            (TabulatorDefinition(columns: [], packagePattern: ".*", logicalKeyPattern: ".*"), "schema"),
            (TabulatorDefinition(columns: [("Sample", "STRING")], packagePattern: ".*", logicalKeyPattern: ".*"), "schema"),
            (TabulatorDefinition(columns: [("a", "string")], packagePattern: ".*", logicalKeyPattern: ".*"), "schema"),
            (TabulatorDefinition(columns: [("a", "INT"), ("a", "INT")], packagePattern: ".*", logicalKeyPattern: ".*"), "schema"),
            (TabulatorDefinition(columns: [("a", "INT")], packagePattern: "(unclosed", logicalKeyPattern: ".*"), "package_pattern"),
            (TabulatorDefinition(columns: [("a", "INT")], packagePattern: ".*", logicalKeyPattern: ""), "logical_key_pattern"),
            (TabulatorDefinition(columns: [("a", "INT")], packagePattern: ".*", logicalKeyPattern: ".*", format: "xlsx"), "parser_format"),
            (TabulatorDefinition(columns: [("a", "INT")], packagePattern: ".*", logicalKeyPattern: ".*", delimiter: "||"), "parser_delimiter"),
        ]
        for (definition, field) in bad {
            #expect(throws: QuiltOpsError.self) { try definition.validate() }
            do { try definition.validate() } catch {
                if case .invalidInput(let f, _) = error { #expect(f == field, "\(definition.yaml)") }
            }
        }
    }

    @Test("The tabulator tools: a definition from its parts, listed, renamed, deleted with consent; open query by an admin")
    func tools() async throws {
        let f = try await CatalogFixture.start()
        defer { f.stop() }
        let admin = f.backend(token: try await f.catalog.mintToken(subject: "admin"))
        var ctx = ToolContext(ops: admin, defaultRegistry: f.registry)
        ctx.tabulator = admin
        func call(_ name: String, _ args: JSONObject) async throws -> JSONValue { try await ToolCatalog.call(name, arguments: args, context: ctx) }
        let made = try await call("tabulator_table_create", [
            "bucket_name": "s3://test-bucket", "table_name": "counts",
            "schema": [["name": "sample_id", "type": "STRING"], ["name": "reads", "type": "BIGINT"]],
            "package_pattern": #"^lab/(?<run>[^/]+)$"#, "logical_key_pattern": #"counts/.*\.tsv$"#, "parser_format": "tsv",
        ])
        #expect(made["tables"]?[0]?["name"] == "counts")
        #expect(made["tables"]?[0]?["config"]?.stringValue == Self.definition.yaml)
        let listed = try await call("tabulator_tables_list", ["bucket_name": "test-bucket"])
        #expect(listed["count"] == 1)
        do {
            _ = try await call("tabulator_table_create", [
                "bucket_name": "test-bucket", "table_name": "t", "schema": [["name": "x", "type": "VARCHAR"]],
                "package_pattern": ".*", "logical_key_pattern": ".*",
            ])
            Issue.record("VARCHAR was accepted")
        } catch let error as ToolError {
            #expect(error.error.kind == "invalid_input", "\(error.error)")
        }
        _ = try await call("tabulator_table_rename", ["bucket_name": "test-bucket", "table_name": "counts", "new_table_name": "reads"])
        let question = await ToolCatalog.consentQuestion("tabulator_table_delete", arguments: ["bucket_name": "test-bucket", "table_name": "reads"], context: ctx)
        #expect(question?.contains("reads") == true)
        let deleted = try await call("tabulator_table_delete", ["bucket_name": "test-bucket", "table_name": "reads", "confirm": true])
        #expect(deleted["count"] == 0)
        #expect(try await call("admin_tabulator_open_query_set", ["enabled": true])["open_query_enabled"] == true)
        #expect(try await call("admin_tabulator_open_query_get", [:])["open_query_enabled"] == true)
    }

    @Test("The Tabulator data catalog is named from the stack's analytics bucket, as the Python server names it",
          arguments: [
            ("tf-stable-analyticsbucket-10ort3e91tnoa", "quilt-tf-stable-tabulator"),
            ("Quilt-Staging-AnalyticsBucket-1x", "quilt-quilt-staging-tabulator"),
            ("mystack-0abc", "quilt-mystack-tabulator"),
          ])
    func dataCatalogName(bucket: String, expected: String) {
        #expect(CatalogConfig(registryURL: "https://r", region: nil, analyticsBucket: bucket).tabulatorDataCatalog == expected)
        #expect(CatalogConfig(registryURL: "https://r", region: nil).tabulatorDataCatalog == nil)
    }
}
