import Crypto
import FakeCatalog
import Foundation
import GraphQL
import QuiltJSON
import QuiltPlatform
import QuiltTestSupport
import Testing

/// The `SchemaProbe` answers of the published catalog schemas (`Fixtures/platform/schema-probes.json`, written by
/// `scripts/catalog-schemas.py probe` with graphql-core) and of the fake's own SDL variants.
enum CatalogProbes {
    static var root: String { Executables.repositoryRoot }

    static let regenerate = "python3 scripts/catalog-schemas.py probe ../shared/reference/catalog-graphql"

    /// The features the backend learns from the published schema `variant` stands for (for the made-up `none`,
    /// from the fake's SDL).
    static func features(_ variant: FakeCatalogSchema.Variant) async throws -> SchemaFeatures {
        guard variant.isCatalog else { return try await fakeFeatures(variant) }
        let fixture = try JSONParser.parse(Array(try Data(contentsOf: URL(fileURLWithPath: root + "/Fixtures/platform/schema-probes.json"))))
        let probe = try #require(CatalogOperation.schemaProbe.document)
        try #require(
            fixture["probe_sha256"]?.stringValue == SHA256.hash(data: Array(probe.utf8)).map { String(format: "%02x", $0) }.joined(),
            "SchemaProbe.graphql changed since the answers were computed: \(regenerate)")
        let reference = try #require(variant.reference)
        let answer = try #require(fixture["answers"]?[reference], "no answer for \(reference): \(regenerate)")
        return SchemaFeatures.from(probe: answer)
    }

    /// The features the backend learns from the fake's SDL for `variant` (introspection run by GraphQLSwift, as the
    /// fake catalog serves it).
    static func fakeFeatures(_ variant: FakeCatalogSchema.Variant) async throws -> SchemaFeatures {
        let result = try await graphql(schema: try FakeCatalogSchema.schema(variant), request: try #require(CatalogOperation.schemaProbe.document))
        #expect(result.errors.isEmpty, "\(result.errors)")
        let data = try JSONParser.parse(Array(try JSONEncoder().encode(result)))
        return SchemaFeatures.from(probe: try #require(data["data"]))
    }

    /// For every catalog: its features and the documents the backend may send it (texts stored once).
    static func sentDocuments() async throws -> JSONValue {
        var texts: [String] = []
        var catalogs: JSONObject = [:]
        for variant in FakeCatalogSchema.Variant.allCases {
            let features = try await features(variant)
            var operations: JSONObject = [:]
            for op in features.operations {
                let text = try #require(op.document(for: features))
                let index = texts.firstIndex(of: text) ?? { texts.append(text); return texts.count - 1 }()
                operations[op.name] = .string("d\(index)")
            }
            catalogs[variant.rawValue] = [
                "features": [
                    "packageSearch": .string(features.packageSearch.rawValue), "objectSearch": .bool(features.objectSearch),
                    "searchOperationError": .bool(features.searchOperationError), "promoteDestPrefix": .bool(features.promoteDestPrefix),
                    "tabulatorTables": .string(features.tabulatorTables.rawValue), "tabulatorOpenQuery": .bool(features.tabulatorOpenQuery),
                    "userAdmin": .bool(features.userAdmin), "adminAPIKeys": .bool(features.adminAPIKeys),
                    "adminPackager": .bool(features.adminPackager), "bucketRefusalMessage": .bool(features.bucketRefusalMessage),
                    "bucketPrefixes": .bool(features.bucketPrefixes),
                ],
                "operations": .object(operations),
            ]
        }
        var documents: JSONObject = [:]
        for (i, t) in texts.enumerated() { documents["d\(i)"] = .string(t) }
        return [
            "about": "The GraphQL documents the Platform backend may send to each catalog schema (Mocks/FakeCatalog/Schema/variants.json), by its SchemaProbe answer. Written by Tests/Platform/OperationValidationTests with QUILT_FIXTURES=record; validated by python3 scripts/catalog-schemas.py check.",
            "catalogs": .object(catalogs), "documents": .object(documents),
        ]
    }
}
