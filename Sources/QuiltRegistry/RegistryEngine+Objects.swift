import FoundationEssentials
package import QuiltContract
import QuiltJSON
import QuiltManifest
import QuiltStorage

extension RegistryEngine {
    // MARK: - Objects

    package func listObjects(_ request: ObjectListRequest) async throws(QuiltOpsError) -> ObjectListing {
        let storage = try resolver.storage(for: request.root)
        let after = try request.page.cursor.map { (c) throws(QuiltOpsError) in try Cursor.decode(c) }
        let listing = try await storage.list(
            prefix: request.prefix, delimiter: request.delimiter, startAfter: after, limit: request.page.limit)
        if listing.objects.isEmpty && listing.commonPrefixes.isEmpty && after == nil {
            try await requireRegistryExists(storage)
        }
        return ObjectListing(
            objects: listing.objects.map { objectInfo(storage.physicalKey($0.key, versionId: $0.versionId), $0) },
            prefixes: listing.commonPrefixes, nextCursor: listing.continueAfter.map { Cursor.encode(after: $0) })
    }

    package func readObject(_ key: PhysicalKey, range: ByteRange?, maxBytes: Int) async throws(QuiltOpsError) -> ObjectData {
        guard maxBytes > 0 else { throw .invalidInput(field: "max_bytes", reason: "\(maxBytes) must be positive.") }
        let (storage, k) = try resolver.locate(key)
        let offset = range?.offset ?? 0
        let length = min(Int64(maxBytes), range?.length ?? Int64(maxBytes))
        let (info, bytes) = try await storage.get(k, range: try ByteRange(offset: offset, length: length), versionId: key.versionId)
        return ObjectData(info: objectInfo(key, info), bytes: bytes, offset: offset)
    }

    package func locateObject(_ key: PhysicalKey, expiresIn: Int) async throws(QuiltOpsError) -> ObjectLink {
        let (storage, k) = try resolver.locate(key)
        _ = try await storage.head(k, versionId: key.versionId)
        return try await link(key, storage, k, expiresIn: expiresIn)
    }

    /// ``locateObject(_:expiresIn:)`` without the HEAD: a presigned URL is a signature computed here.
    package func linkListedObjects(_ keys: [PhysicalKey], expiresIn: Int) async -> [PhysicalKey: ObjectLink] {
        var links: [PhysicalKey: ObjectLink] = [:]
        for key in keys {
            guard let (storage, k) = try? resolver.locate(key),
                  let link = try? await link(key, storage, k, expiresIn: expiresIn) else { continue }
            links[key] = link
        }
        return links
    }

    private func link(
        _ key: PhysicalKey, _ storage: any ObjectStorage, _ k: String, expiresIn: Int
    ) async throws(QuiltOpsError) -> ObjectLink {
        switch key.scheme {
        case .file:
            return ObjectLink(url: key.url, kind: .local, expiresAt: nil)
        case .s3 where capabilities.contains(.presign):
            guard let presigner = storage as? any PresigningStorage else { fallthrough }
            let (url, expiresAt) = try await presigner.presignedURL(k, versionId: key.versionId, expiresIn: expiresIn)
            return ObjectLink(url: url, kind: .presigned, expiresAt: expiresAt)
        case .memory, .s3:
            throw .unsupported(operation: "locateObject for \(key.scheme.rawValue):// objects", backend: backendID.rawValue)
        }
    }

    /// The configured registries, and every bucket the resolver can list (a role that may not list buckets
    /// still sees the configured ones).
    package func listBuckets() async throws(QuiltOpsError) -> [BucketInfo] {
        var buckets = knownRegistries.map { BucketInfo(name: $0.location, registry: $0) }
        if let lister = resolver as? any BucketListingResolver {
            do {
                for b in try await lister.listBuckets() where !buckets.contains(where: { $0.registry == b.registry }) {
                    buckets.append(b)
                }
            } catch .forbidden {
                // Many roles may not list every bucket; the configured registries still answer.
            }
        }
        return buckets
    }

    package func headObject(_ key: PhysicalKey) async throws(QuiltOpsError) -> ObjectInfo {
        let (storage, k) = try resolver.locate(key)
        return objectInfo(key, try await storage.head(k, versionId: key.versionId))
    }

    package func putObject(_ put: ObjectPut) async throws(QuiltOpsError) -> ObjectInfo {
        let (storage, k) = try resolver.locate(put.key)
        let stored = try await storage.put(k, bytes: put.bytes, contentType: put.contentType, metadata: put.metadata)
        return objectInfo(storage.physicalKey(k, versionId: stored.versionId), stored)
    }

    // MARK: - Search

    /// A scan of the registries: every word must occur (case-insensitively) in a package's name, its latest
    /// message or its metadata, or in an object key. Pages are cut from the ranked matches after the cursor's
    /// rank (not at an offset), so matches added or removed meanwhile never make a page repeat or skip another.
    package func search(_ request: SearchRequest) async throws(QuiltOpsError) -> SearchResult {
        let words = Self.searchWords(request.query)
        guard request.limit > 0 else { throw .invalidInput(field: "limit", reason: "must be positive.") }
        let state = try request.cursorState()
        let after = try state["after"].map { (json) throws(QuiltOpsError) -> SearchHit.Rank in
            guard let rank = SearchHit.Rank(json: json) else {
                throw .invalidInput(field: "cursor", reason: "is damaged; omit it to start over.")
            }
            return rank
        }
        let registries = request.registries.isEmpty ? knownRegistries : request.registries
        guard !registries.isEmpty else {
            throw .invalidInput(field: "registry", reason: "name a registry to search; this backend has no default.")
        }
        var hits: [SearchHit] = []
        for registry in registries {
            let storage = try resolver.storage(for: registry)
            if request.scope != .objects {
                var cursor: String? = nil
                repeat {
                    let page = try await listPackages(
                        registry: registry, prefix: "", page: try PageRequest(limit: 1000, cursor: cursor))
                    for pkg in page.items {
                        try checkCancellation("search")
                        guard let hit = try await packageHit(storage, pkg, words) else { continue }
                        hits.append(hit)
                    }
                    cursor = page.nextCursor
                } while cursor != nil
            }
            if request.scope != .packages {
                let listing = try await storage.listAll(prefix: "")
                for o in listing.objects where !o.key.hasPrefix(".quilt/") {
                    let key = o.key.lowercased()
                    guard words.allSatisfy({ key.contains($0) }) else { continue }
                    hits.append(
                        SearchHit(
                            kind: .object, registry: registry, object: storage.physicalKey(o.key), size: o.size,
                            modified: o.lastModified, score: 1, matchedIn: ["key"]))
                }
            }
        }
        let ranked = hits.map { ($0.rank, $0) }.sorted { $0.0 < $1.0 }
        let start = after.map { a in ranked.firstIndex { a < $0.0 } ?? ranked.count } ?? 0
        let page = ranked[start..<min(start + request.limit, ranked.count)]
        let more = start + request.limit < ranked.count
        return SearchResult(
            hits: page.map(\.1), total: hits.count,
            nextCursor: more ? page.last.map { request.nextCursor(["after": $0.0.json]) } : nil)
    }

    /// The words of a query as ``search(_:)`` matches them: lower-cased, split at white space.
    static func searchWords(_ query: String) -> [String] {
        query.lowercased().split(whereSeparator: { $0.isWhitespace }).map(String.init)
    }

    package func explainSearch(_ request: SearchRequest) async throws(QuiltOpsError) -> SearchExplanation {
        let registries = request.registries.isEmpty ? knownRegistries : request.registries
        var matching: [String: String] = [:]
        if request.scope != .objects {
            matching["packages"] = "The latest revision of every package: each word must occur (as a substring, any case) in "
                + "the name, the message or the metadata as JSON; a name match ranks above a message or metadata match."
        }
        if request.scope != .packages {
            matching["objects"] = "Every object under the registry (except .quilt/): each word must occur in the key "
                + "(substring, any case)."
        }
        return SearchExplanation(
            engine: "scan of the registry's own listings (no index)", words: Self.searchWords(request.query),
            scope: request.scope, registries: registries.map(\.url), matching: matching)
    }

    private func packageHit(_ storage: any ObjectStorage, _ pkg: PackageSummary, _ words: [String])
        async throws(QuiltOpsError) -> SearchHit?
    {
        let name = pkg.name.rawValue.lowercased()
        guard let hash = try? await resolveHash(storage, pkg.name, .latest) else { return nil }
        var header = JSONObject()
        try await scanManifest(storage, hash) { record throws(QuiltOpsError) in
            if case .header(let h) = record { header = h }
            return false
        }
        let message = header["message"]?.stringValue?.lowercased() ?? ""
        let meta = header["user_meta"].map { JSONWriter.compact($0).lowercased() } ?? ""
        var matched = Set<String>()
        for w in words {
            var found = false
            if name.contains(w) { matched.insert("name"); found = true }
            if message.contains(w) { matched.insert("message"); found = true }
            if meta.contains(w) { matched.insert("user_meta"); found = true }
            if !found { return nil }
        }
        let score = (matched.contains("name") ? 2.0 : 0) + (matched.contains("message") ? 1 : 0)
            + (matched.contains("user_meta") ? 1 : 0)
        return SearchHit(
            kind: .package, registry: storage.root, package: pkg.name, hash: hash, modified: pkg.modified,
            score: words.isEmpty ? 1 : score, matchedIn: matched.sorted())
    }

    // MARK: - Auth

    package func authStatus() async throws(QuiltOpsError) -> AuthStatus { await authProbe?() ?? auth }
}
