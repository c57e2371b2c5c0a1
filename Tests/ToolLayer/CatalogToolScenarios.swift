import Foundation
import QuiltContract
import QuiltJSON
import QuiltRegistry
import QuiltStorage
import QuiltTestSupport
import QuiltTools
import Testing

/// `search_catalog`, `catalog_url` and `catalog_uri` through `ToolCatalog.call`.
@Suite("Search and catalog link tools")
struct CatalogToolScenarios {
    // MARK: - search_catalog

    @Test("search_catalog finds packages by name, message and metadata, and files by key", arguments: ToolBackend.all)
    func search(_ backend: ToolBackend) async throws {
        try await withSession(backend) { s in
            _ = try await s.seed(
                "package_create",
                #"{"package_name": "genomics/rnaseq", "entries": [{"logical_key": "counts.csv", "text": "g,n"}], "message": "RNA run 2025", "metadata": {"organism": "Mouse"}}"#)
            _ = try await s.seed("package_create", #"{"package_name": "imaging/cells", "entries": [], "message": "microscopy"}"#)
            _ = try await s.seed("bucket_objects_put", #"{"items": [{"key": "raw/mouse-liver.fastq", "text": "@r1"}, {"key": "raw/human.fastq", "text": "@r2"}]}"#)

            let byName = try await s.call("search_catalog", #"{"query": "rnaseq", "scope": "package"}"#)
            #expect(byName["hits"]?.arrayValue?.compactMap { $0["package_name"]?.stringValue } == ["genomics/rnaseq"])
            #expect(byName["hits"]?[0]?["matched_in"] == ["name"] && byName["hits"]?[0]?["type"] == "package")
            #expect(byName["hits"]?[0]?["top_hash"]?.stringValue?.count == 64)

            let byMeta = try await s.call("search_catalog", #"{"query": "MOUSE run", "scope": "package"}"#)
            #expect(byMeta["hits"]?[0]?["matched_in"] == ["message", "user_meta"])

            let files = try await s.call("search_catalog", #"{"query": "fastq mouse", "scope": "file"}"#)
            #expect(files["hits"]?.arrayValue?.compactMap { $0["key"]?.stringValue } == ["raw/mouse-liver.fastq"])
            #expect(files["hits"]?[0]?["type"] == "file" && files["hits"]?[0]?["size"]?.intValue == 3)

            let both = try await s.call("search_catalog", #"{"query": "mouse"}"#)
            #expect(Set(both["hits"]?.arrayValue?.compactMap { $0["type"]?.stringValue } ?? []) == ["package", "file"])
            let one = try await s.call("search_catalog", #"{"query": "mouse", "limit": 1}"#)
            #expect(one["count"]?.intValue == 1 && one["total"]?.intValue == 2)
            let cursor = try #require(one["next_cursor"]?.stringValue, "\(one)")
            let second = try await s.call("search_catalog", #"{"query": "mouse", "limit": 1, "cursor": "\#(cursor)"}"#)
            #expect(second["count"]?.intValue == 1 && second["next_cursor"] == .null)
            #expect(second["hits"]?[0]?["type"] != one["hits"]?[0]?["type"], "the second page holds the other hit")
            let mismatched = await s.failure("search_catalog", #"{"query": "fastq", "limit": 1, "cursor": "\#(cursor)"}"#)
            #expect(mismatched.map { if case .invalidInput(let f, _) = $0 { f == "cursor" } else { false } } == true)

            let named = try await s.call("search_catalog", #"{"query": "microscopy", "bucket": "\#(s.registry.url)"}"#)
            #expect(named["hits"]?[0]?["registry"]?.stringValue == s.registry.url)
            #expect(try await s.call("search_catalog", #"{"query": "nothing-like-this"}"#)["hits"] == [])
        }
    }

    @Test("search_catalog refuses empty queries and scopes it does not serve", arguments: [
        (#"{"query": "   "}"#, "query"), (#"{"query": ""}"#, "query"), (#"{"query": "x", "scope": "packageEntry"}"#, "scope"),
        (#"{"query": "x", "limit": 0}"#, "limit"), (#"{"query": "x", "backend": "graphql"}"#, "backend"),
    ])
    func searchValidation(_ arguments: String, _ field: String) async throws {
        try await withSession(ToolBackend(kind: .memory)) { s in
            let failure = await s.failure("search_catalog", arguments)
            #expect(failure?.kind == "invalid_input")
            if case .invalidInput(let f, _)? = failure { #expect(f == field) }
        }
    }

    // MARK: - catalog_url

    @Test("catalog_url builds package, revision, path and bucket URLs", arguments: [
        (#"{"package_name": "alice/simple"}"#, "https://cat.example.com/b/data-bucket/packages/alice/simple/tree/latest/"),
        (#"{"package_name": "alice/simple", "path": "dir with space/ü+x.csv"}"#,
         "https://cat.example.com/b/data-bucket/packages/alice/simple/tree/latest/dir%20with%20space/%C3%BC%2Bx.csv"),
        (#"{"path": "raw/"}"#, "https://cat.example.com/b/data-bucket/tree/raw/"),
        (#"{"package_name": "alice/simple", "catalog_host": "http://127.0.0.1:3000/"}"#,
         "http://127.0.0.1:3000/b/data-bucket/packages/alice/simple/tree/latest/"),
        (#"{"package_name": "alice/simple", "registry": "other-bucket", "catalog_host": "open.quiltdata.com"}"#,
         "https://open.quiltdata.com/b/other-bucket/packages/alice/simple/tree/latest/"),
    ])
    func catalogURL(_ arguments: String, _ expected: String) async throws {
        let s = try S3Session()
        #expect(try await s.call("catalog_url", arguments)["url"]?.stringValue == expected)
    }

    @Test("catalog_url and catalog_uri pin tags and hash prefixes to the full top hash")
    func pinned() async throws {
        let s = try S3Session()
        let created = try await s.call("package_create", #"{"package_name": "alice/simple", "entries": [{"logical_key": "a", "text": "1"}]}"#)
        let hash = try #require(created["top_hash"]?.stringValue)
        let prefix = String(hash.prefix(8))
        let url = try await s.call("catalog_url", #"{"package_name": "alice/simple", "top_hash": "\#(prefix)", "path": "a"}"#)
        #expect(url["url"]?.stringValue == "https://cat.example.com/b/data-bucket/packages/alice/simple/tree/\(hash)/a")
        let versions = try await s.call("package_versions", #"{"package_name": "alice/simple"}"#)
        let stamp = try #require(versions["versions"]?[0]?["timestamps"]?[0]?.stringValue)
        let byTag = try await s.call("catalog_url", #"{"package_name": "alice/simple", "tag": "\#(stamp)"}"#)
        #expect(byTag["revision"]?.stringValue == hash)
        let uri = try await s.call("catalog_uri", #"{"package_name": "alice/simple", "top_hash": "\#(prefix)"}"#)
        #expect(uri["uri"]?.stringValue == "quilt+s3://data-bucket#package=alice/simple@\(hash)&catalog=cat.example.com")
        #expect(await s.failure("catalog_url", #"{"package_name": "alice/simple", "top_hash": "abcdef0"}"#)?.kind == "not_found")
    }

    // MARK: - catalog_uri

    @Test("catalog_uri writes the catalog's quilt+s3 form", arguments: [
        (#"{"package_name": "alice/simple"}"#, "quilt+s3://data-bucket#package=alice/simple&catalog=cat.example.com"),
        (#"{"package_name": "alice/simple", "tag": "latest", "path": "50%_sample.csv"}"#,
         "quilt+s3://data-bucket#package=alice/simple:latest&path=50%25_sample.csv&catalog=cat.example.com"),
        (#"{"package_name": "alice/simple", "path": "C++/a b.csv", "catalog_host": "https://open.quiltdata.com"}"#,
         "quilt+s3://data-bucket#package=alice/simple&path=C%2B%2B%2Fa%20b.csv&catalog=open.quiltdata.com"),
        (#"{"package_name": "alice/simple", "top_hash": "\#(String(repeating: "ab", count: 32))"}"#,
         "quilt+s3://data-bucket#package=alice/simple@\(String(repeating: "ab", count: 32))&catalog=cat.example.com"),
    ])
    func catalogURI(_ arguments: String, _ expected: String) async throws {
        let s = try S3Session()
        #expect(try await s.call("catalog_uri", arguments)["uri"]?.stringValue == expected)
    }

    @Test("catalog_uri leaves out the catalog when none is known")
    func uriWithoutCatalog() async throws {
        let s = try S3Session(catalogURL: nil)
        #expect(try await s.call("catalog_uri", #"{"package_name": "alice/simple"}"#)["uri"] == "quilt+s3://data-bucket#package=alice/simple")
        #expect(await s.failure("catalog_url", #"{"package_name": "alice/simple"}"#) == .invalidInput(
            field: "catalog_host",
            reason: "no catalog is configured; pass catalog_host (e.g. catalog.example.com) or set QUILT_MCP_CATALOG_URL."))
    }

    @Test("Link tools name what is wrong", arguments: [
        ("catalog_url", #"{"top_hash": "abcdef"}"#, "top_hash"),
        ("catalog_url", #"{"catalog_host": "cat.example.com/some/path"}"#, "catalog_host"),
        ("catalog_url", #"{"catalog_host": "ftp://cat.example.com"}"#, "catalog_host"),
        ("catalog_uri", #"{}"#, "package_name"),
        ("catalog_uri", #"{"package_name": "a/b", "top_hash": "abcdef", "tag": "latest"}"#, "top_hash"),
        ("catalog_uri", #"{"package_name": "a/b", "registry": "file:///tmp/reg"}"#, "registry"),
        ("catalog_url", #"{"registry": "memory://x"}"#, "registry"),
    ])
    func linkValidation(_ tool: String, _ arguments: String, _ field: String) async throws {
        let s = try S3Session()
        let failure = await s.failure(tool, arguments)
        guard case .invalidInput(let f, _)? = failure else {
            Issue.record("expected invalid_input for \(field), got \(String(describing: failure))")
            return
        }
        #expect(f == field)
    }
}

/// A registry engine whose `s3://` buckets live in memory (the edge — S3 — faked, the engine real), with a
/// configured catalog, as the link tools see a deployment with `QUILT_MCP_CATALOG_URL` set.
struct S3Session: ToolCaller {
    struct InMemoryS3: StorageResolver {
        let pool = MemoryStoragePool()
        func storage(for root: RegistryURL) throws(QuiltOpsError) -> any ObjectStorage {
            guard root.kind == .s3 else { throw .unsupported(operation: "storage for \(root.url)", backend: "test-s3") }
            return try pool.storage(named: root.location)
        }
    }

    let ops: RegistryEngine
    let registry: RegistryURL
    let catalogURL: String?

    init(catalogURL: String? = "https://cat.example.com") throws {
        let clock = TickingClock()
        registry = try RegistryURL.s3("data-bucket")
        ops = RegistryEngine(backendID: "s3", resolver: InMemoryS3(), knownRegistries: [registry], clock: { clock.tick() })
        self.catalogURL = catalogURL
    }

    func call(_ tool: String, _ arguments: String) async throws(ToolError) -> JSONValue {
        try await ToolCatalog.call(
            tool, arguments: ToolSession.object(arguments),
            context: ToolContext(ops: ops, defaultRegistry: registry, catalogURL: catalogURL))
    }
}
