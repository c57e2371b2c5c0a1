import FakeCatalog
import Foundation
import GraphQL
import QuiltJSON
import QuiltPlatform
import Testing

/// Every GraphQL operation the Platform backend may send to a catalog validates against that catalog's schema.
/// What it sends is decided by the catalog's `SchemaProbe` answer: here the answers of the published schemas
/// themselves (`Fixtures/platform/schema-probes.json`, computed by graphql-core from them), and the documents are
/// validated against the project's SDL for each (compared with the published schema by
/// `check_against_reference.py`). `scripts/catalog-schemas.py check` validates the same documents with graphql-core.
@Suite("Platform: GraphQL operations against every catalog schema")
struct OperationValidationTests {
    @Test("Each operation file exists, is named after its operation and is a mutation exactly when declared one", arguments: CatalogOperation.allCases)
    func wellFormed(_ op: CatalogOperation) throws {
        let text = try #require(op.document, "Operations/\(op.name).graphql is missing from the resource bundle")
        let operations = try parse(source: text).definitions.compactMap { $0 as? OperationDefinition }
        #expect(operations.count == 1)
        #expect(operations.first?.name?.value == op.name, "the file's operation must be named \(op.name)")
        #expect((operations.first?.operation == .mutation) == op.isMutation)
    }

    @Test("What the backend sends to each catalog validates against that catalog's schema", arguments: FakeCatalogSchema.Variant.allCases)
    func fitsEveryCatalog(_ variant: FakeCatalogSchema.Variant) async throws {
        let features = try await CatalogProbes.features(variant)
        let schema = try FakeCatalogSchema.schema(variant)
        for op in features.operations {
            let document = try parse(source: try #require(op.document(for: features)))
            let errors = validate(schema: schema, ast: document)
            #expect(errors.isEmpty, "\(op.name) on \(variant.rawValue): \(errors.map(\.message))")
        }
    }

    @Test("The fake's schema probe finds what the published schema's does", arguments: FakeCatalogSchema.Variant.allCases.filter(\.isCatalog))
    func fakeProbesLikeTheCatalog(_ variant: FakeCatalogSchema.Variant) async throws {
        #expect(try await CatalogProbes.fakeFeatures(variant) == CatalogProbes.features(variant))
    }

    @Test("Each catalog gets the search and promote forms its schema has")
    func formsPerCatalog() async throws {
        let head = try await CatalogProbes.features(.head)
        #expect(head.packageSearchOperation == .searchPackages && head.objectSearch && head.searchOperationError && head.promoteDestPrefix)
        #expect(head.tabulatorTables == .topLevel && head.tabulatorOpenQuery)
        #expect(try await CatalogProbes.features(.jun2026) == SchemaFeatures(packageSearch: .order, objectSearch: true))
        // Before 2026-06: no API keys, no bucket prefixes, InsufficientPermissions without a message.
        #expect(
            try await CatalogProbes.features(.aug2025)
                == SchemaFeatures(
                    packageSearch: .order, objectSearch: true, tabulatorTables: .admin, adminAPIKeys: false, bucketRefusalMessage: false,
                    bucketPrefixes: false))
        for v in [FakeCatalogSchema.Variant.jul2025, .enterprise] {
            #expect(
                try await CatalogProbes.features(v)
                    == SchemaFeatures(
                        packageSearch: .order, objectSearch: true, searchOperationError: false, tabulatorTables: .admin, adminAPIKeys: false,
                        bucketRefusalMessage: false, bucketPrefixes: false))
        }
        #expect(
            try await CatalogProbes.features(.nov2024)
                == SchemaFeatures(
                    packageSearch: .rest, objectSearch: false, searchOperationError: false, promoteDestPrefix: false, tabulatorTables: .admin,
                    tabulatorOpenQuery: false, adminAPIKeys: false, adminPackager: false, bucketRefusalMessage: false, bucketPrefixes: false))
        #expect(try await CatalogProbes.features(.noSearch).tabulatorTables == .none)
        #expect(try await CatalogProbes.features(.noSearch).operations.allSatisfy { !$0.isSearch })
    }

    @Test("Unshaped documents fail where the probe steers around them (why the probe exists)")
    func driftIsReal() throws {
        func errors(_ op: CatalogOperation, on variant: FakeCatalogSchema.Variant) throws -> Int {
            validate(schema: try FakeCatalogSchema.schema(variant), ast: try parse(source: try #require(op.document))).count
        }
        #expect(try errors(.searchPackages, on: .jun2026) > 0)
        #expect(try errors(.searchPackagesLegacy, on: .head) > 0)
        #expect(try errors(.searchPackagesLegacy, on: .jul2025) > 0, "the OperationError spread is invalid before 2025-08")
        #expect(try errors(.searchObjects, on: .enterprise) > 0)
        #expect(try errors(.searchPackagesLegacy, on: .nov2024) > 0)
        #expect(try errors(.packagePromote, on: .nov2024) > 0, "destPrefix is invalid before 2025-07")
        #expect(try errors(.tabulatorSetTable, on: .aug2025) > 0, "the table mutations are under admin before 2026-06")
        #expect(
            validate(schema: try FakeCatalogSchema.schema(.head), ast: try parse(source: CatalogOperation.underAdmin(try #require(CatalogOperation.tabulatorSetTable.document)))).isEmpty,
            "the admin form is still valid (deprecated) on HEAD")
        #expect(try errors(.tabulatorRenameTable, on: .nov2024) > 0)
        #expect(try errors(.tabulatorSetOpenQuery, on: .nov2024) > 0, "open query is new in 2025-07")
    }

    @Test("Exactly the mutation documents are marked mutations, so no write is ever retried")
    func mutationsAreNeverRetried() throws {
        for op in CatalogOperation.allCases {
            let text = try #require(op.document)
            let firstStatement = text.split(separator: "\n").first { !$0.hasPrefix("#") && !$0.isEmpty } ?? ""
            #expect(firstStatement.hasPrefix("mutation ") == op.isMutation, "\(op.name): \(firstStatement)")
        }
    }

    @Test("Union results select __typename and map OperationError in the documents as written")
    func unionsSelectTypename() throws {
        for op in CatalogOperation.allCases where op.returnsUnion {
            let text = try #require(op.document)
            #expect(text.contains("__typename"), "\(op.name) selects a union without __typename")
            #expect(text.contains("... on OperationError") == op.unionHasOperationError, "\(op.name): OperationError mapped where its union has it")
        }
    }

    @Test("Removing an inline fragment keeps the rest of the document exactly")
    func removingFragments() {
        let text = "{\n  a {\n    __typename\n    ... on X {\n      b { c }\n    }\n    ... on OperationError {\n      message\n    }\n  }\n}\n"
        #expect(
            CatalogOperation.removingInlineFragments(on: "OperationError", from: text)
                == "{\n  a {\n    __typename\n    ... on X {\n      b { c }\n    }\n  }\n}\n")
        #expect(CatalogOperation.removingInlineFragments(on: "Y", from: text) == text)
    }

    @Test("The documents sent to each catalog are those graphql-core checks (Fixtures/platform/operations-by-catalog.json)")
    func sentDocumentsRecorded() async throws {
        let path = CatalogProbes.root + "/Fixtures/platform/operations-by-catalog.json"
        let current = JSONWriter.pretty(try await CatalogProbes.sentDocuments()) + "\n"
        if ProcessInfo.processInfo.environment["QUILT_FIXTURES"] == "record" {
            try current.write(toFile: path, atomically: true, encoding: .utf8)
        }
        let recorded = try String(contentsOfFile: path, encoding: .utf8)
        #expect(recorded == current, "the operations changed: QUILT_FIXTURES=record swift test --filter sentDocumentsRecorded, then python3 scripts/catalog-schemas.py check")
    }
}
