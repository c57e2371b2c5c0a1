import Foundation
import QuiltBackends
import QuiltContract
import QuiltHTTP
import QuiltMode
import Testing

/// Athena and Glue are signed for the region the deployment names, else (a deployment behind a catalog that names
/// none, as a remote one often is) the region the catalog's `config.json` gives its stack; the network is scripted.
@Suite("Factory: Athena's region")
struct FactoryAthenaRegionTests {
    /// Each test its own catalog: the catalog directory (config.json) is shared by the process.
    static func transport(_ catalog: String, configStatus: Int = 200) -> FactoryS3Tests.Transport {
        FactoryS3Tests.Transport { request in
            if request.url == catalog + "/config.json" {
                let body = #"{"registryUrl": "https://registry.example.test", "region": "eu-central-1", "mode": "PRODUCT"}"#
                return QuiltHTTPResponse(status: configStatus, body: Array((configStatus == 200 ? body : "down").utf8))
            }
            return QuiltHTTPResponse(status: 200, body: Array(#"{"WorkGroups": []}"#.utf8))
        }
    }

    static func engine(_ catalog: String, _ environment: [String: String], _ transport: FactoryS3Tests.Transport) throws -> any QueryOps {
        let base = ["AWS_ACCESS_KEY_ID": "AKIDREGION", "AWS_SECRET_ACCESS_KEY": "s", "QUILT_MCP_CATALOG_URL": catalog, "HOME": "/nonexistent"]
        let mode = try FactoryS3Tests.mode(["--registry", "s3://region-bucket", "--auth", "iam"], base.merging(environment) { $1 })
        return BackendFactory.queryEngine(mode: mode, ops: try BackendFactory.make(mode: mode), transport: transport)
    }

    @Test("No region named: the catalog's config.json names it, asked once")
    func fromCatalog() async throws {
        let catalog = "https://found.catalog.example.test"
        let t = Self.transport(catalog)
        let engine = try Self.engine(catalog, [:], t)
        _ = try await engine.listWorkgroups()
        _ = try await engine.listWorkgroups()
        let athena = t.requests.filter { $0.url.contains("athena") }
        #expect(athena.count == 2 && athena.allSatisfy { $0.url == "https://athena.eu-central-1.amazonaws.com/" })
        #expect(athena.first?.header("authorization")?.contains("/eu-central-1/athena/") == true)
        #expect(t.requests.filter { $0.url.hasSuffix("/config.json") }.count <= 1, "the region is kept once found")
    }

    @Test("A region the deployment names wins, and config.json is not asked", arguments: ["AWS_REGION", "AWS_DEFAULT_REGION"])
    func named(_ variable: String) async throws {
        let catalog = "https://named-\(variable.lowercased().replacing("_", with: "-")).catalog.example.test"
        let t = Self.transport(catalog)
        _ = try await Self.engine(catalog, [variable: "us-west-2"], t).listWorkgroups()
        #expect(t.requests.map(\.url) == ["https://athena.us-west-2.amazonaws.com/"])
    }

    @Test("A catalog that cannot say is that call's error, naming config.json and AWS_REGION")
    func catalogDown() async throws {
        let catalog = "https://down.catalog.example.test"
        let engine = try Self.engine(catalog, [:], Self.transport(catalog, configStatus: 503))
        do {
            _ = try await engine.listWorkgroups()
            Issue.record("listed workgroups without a region")
        } catch let error as QuiltOpsError {
            #expect(error.message.contains("config.json") && error.message.contains("AWS_REGION"), "\(error)")
        }
    }
}
