import Foundation
import QuiltAthena
import QuiltContract
import QuiltHTTP
import QuiltJSON
import QuiltS3
import Synchronization
import Testing

/// Tables of a data catalog Glue does not hold (a Tabulator or federated Lambda catalog) come from Athena's
/// ListTableMetadata and GetTableMetadata. moto implements neither, so here the service is a scripted HTTP edge that
/// answers in the shapes of the Athena API reference (TableMetadataList with NextToken, at most 50 per page;
/// TableMetadata with Columns, PartitionKeys, Parameters, TableType, CreateTime; MetadataException when the
/// catalog's own metastore fails).
@Suite("Athena: tables of a data catalog Glue does not hold")
struct AthenaFederatedCatalogTests {
    final class Service: HTTPTransport {
        let seen = Mutex<[(target: String, body: JSONValue)]>([])
        var requests: [(target: String, body: JSONValue)] { seen.withLock { $0 } }

        func send(_ request: QuiltHTTPRequest) async throws(QuiltOpsError) -> QuiltHTTPResponse {
            let target = request.header("x-amz-target") ?? ""
            let body = (try? JSONParser.parse(request.body)) ?? .null
            seen.withLock { $0.append((target, body)) }
            func json(_ value: JSONValue, _ status: Int = 200) -> QuiltHTTPResponse {
                QuiltHTTPResponse(status: status, body: Array(JSONWriter.compact(value).utf8))
            }
            switch (target, body["TableName"]?.stringValue, body["NextToken"]?.stringValue) {
            case ("AmazonAthena.ListTableMetadata", _, nil):
                return json(["TableMetadataList": [Self.table("read_counts", partitioned: true)], "NextToken": "page-2"])
            case ("AmazonAthena.ListTableMetadata", _, "page-2"):
                return json(["TableMetadataList": [Self.table("samples", partitioned: false)]])
            case ("AmazonAthena.GetTableMetadata", "read_counts", _):
                return json(["TableMetadata": Self.table("read_counts", partitioned: true)])
            case ("AmazonAthena.GetTableMetadata", _, _):
                return json([
                    "__type": "MetadataException",
                    "Message": "Lambda function tabulator returned: table not found in bucket lab-data",
                ], 400)
            default:
                return json(["__type": "InvalidRequestException", "Message": .string("unexpected \(target)")], 400)
            }
        }

        static func table(_ name: String, partitioned: Bool) -> JSONValue {
            [
                "Name": .string(name), "TableType": "EXTERNAL_TABLE", "CreateTime": 1_795_282_874.5,
                "Columns": [["Name": "sample_id", "Type": "varchar"], ["Name": "reads", "Type": "bigint", "Comment": "per sample"]],
                "PartitionKeys": partitioned ? [["Name": "pkg_name", "Type": "varchar"]] : [],
                "Parameters": ["location": .string("s3://lab-data/\(name)/")],
            ]
        }
    }

    static func engine(_ service: Service) throws -> AthenaEngine {
        let credentials = StaticCredentialsProvider(AWSCredentials(accessKeyId: "AKIDFEDERATED", secretAccessKey: "s", source: "test"))
        func client(_ name: String, _ prefix: String) throws -> AWSJSONClient {
            AWSJSONClient(
                service: name, targetPrefix: prefix, endpoint: try #require(HTTPURL("http://127.0.0.1:9")), region: "eu-west-3",
                transport: service, credentials: credentials, retry: .none)
        }
        return AthenaEngine(athena: try client("athena", "AmazonAthena"), glue: try client("glue", "AWSGlue"))
    }

    @Test("Tables are listed over every page, filtered by pattern here; a schema carries columns, partitions and location")
    func tablesAndSchema() async throws {
        let service = Service()
        let engine = try Self.engine(service)
        let all = try await engine.listTables(database: "lab-data", catalog: "quilt-stack-tabulator", pattern: nil)
        #expect(all.map(\.name) == ["read_counts", "samples"])
        let pages = service.requests.filter { $0.target == "AmazonAthena.ListTableMetadata" }
        #expect(pages.count == 2 && pages[1].body["NextToken"] == "page-2")
        #expect(pages.allSatisfy { $0.body["CatalogName"] == "quilt-stack-tabulator" && $0.body["DatabaseName"] == "lab-data" && $0.body["MaxResults"] == 50 })
        #expect(!service.requests.contains { $0.target.hasPrefix("AWSGlue.") }, "a non-Glue catalog is never asked of Glue")

        let some = try await engine.listTables(database: "lab-data", catalog: "quilt-stack-tabulator", pattern: "READ_*")
        #expect(some.map(\.name) == ["read_counts"])

        let schema = try await engine.tableSchema(database: "lab-data", table: "read_counts", catalog: "quilt-stack-tabulator")
        #expect(schema.columns == [.init(name: "sample_id", type: "varchar"), .init(name: "reads", type: "bigint")])
        #expect(schema.partitionColumns == [.init(name: "pkg_name", type: "varchar")])
        #expect(schema.location == "s3://lab-data/read_counts/" && schema.type == "EXTERNAL_TABLE")
        #expect(schema.created == Date(timeIntervalSince1970: 1_795_282_874.5))
    }

    @Test("The catalog's own metastore failing (MetadataException) is a remote failure in its words, not the caller's input")
    func metastoreFailure() async throws {
        let engine = try Self.engine(Service())
        do {
            _ = try await engine.tableSchema(database: "lab-data", table: "nope", catalog: "quilt-stack-tabulator")
            Issue.record("a failed metastore answered")
        } catch {
            guard case .remote(let message, let retryable) = error else { Issue.record("got \(error)"); return }
            #expect(message.contains("MetadataException") && message.contains("table not found in bucket lab-data") && !retryable)
        }
    }
}
