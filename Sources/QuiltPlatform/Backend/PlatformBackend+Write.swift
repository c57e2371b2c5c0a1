import FoundationEssentials
package import QuiltContract
import QuiltHash
import QuiltJSON
import QuiltS3
import QuiltStorage

extension PlatformBackend {
    // MARK: - Creating and updating

    /// Uploads local files and inline bytes to `s3://<bucket>/<package>/<logical key>` with the catalog's AWS
    /// credentials (the catalog's `packageConstruct` refuses local keys and copies nothing), then constructs the
    /// revision from S3 keys with full entry metadata.
    package func createRevision(_ request: CreateRevisionRequest) async throws(QuiltOpsError) -> RevisionInfo {
        try await refuseOnLocalCatalog("createRevision", lacks: "resolves no packageConstruct")
        var request = request
        request.entries = try LocalStorageResolver(files: configuration.serverFiles).expandingLocalDirectories(request.entries, field: "files")
        let bucket = try bucket(request.registry)
        try Self.rejectDuplicates(request.entries.map(\.logicalKey), field: "entries")
        let userMeta = try Self.userMetaRecord(request.userMeta)
        try checkSources(request.entries)
        let existing = try await latestIfAny(request.package, request.registry)
        if let existing, !request.force {
            throw .conflict(
                "package \(request.package) already exists in \(request.registry) (latest \(existing.prefix())); use package_update to change it, or force=true to make this the new latest.")
        }
        let entries = try await materialize(
            request.entries, package: request.package, bucket: bucket, copyObjects: request.copyObjects, progress: request.progress)
        return try await construct(
            package: request.package, registry: request.registry, message: request.message, userMeta: userMeta, entries: entries,
            progress: request.progress)
    }

    package func updateRevision(_ request: UpdateRevisionRequest) async throws(QuiltOpsError) -> RevisionInfo {
        try await refuseOnLocalCatalog("updateRevision", lacks: "resolves no packageConstruct")
        var request = request
        request.put = try LocalStorageResolver(files: configuration.serverFiles).expandingLocalDirectories(request.put, field: "files")
        let bucket = try bucket(request.registry)
        try Self.rejectDuplicates(request.put.map(\.logicalKey), field: "put")
        try checkSources(request.put)
        let baseHash = try await resolveHash(request.package, request.registry, request.base)
        let latest = try await latestIfAny(request.package, request.registry)
        if latest != baseHash && !request.force {
            throw .conflict(
                "latest of \(request.package) is \(latest?.prefix() ?? "gone"), but the update starts from \(baseHash.prefix()); update from latest, or pass force=true.")
        }
        let limit = max(configuration.contentsLimit, 100_000)
        guard let base = try await contents(request.package, request.registry, .hash(baseHash), max: limit).contents else {
            throw .unsupported(operation: "updateRevision of a revision with more than \(limit) entries", backend: backendID.rawValue)
        }
        var kept = base.entries.map { Self.constructEntry($0.logicalKey, $0.physicalKey, hash: $0.hash, size: $0.size, meta: $0.meta) }
        var keys = base.entries.map(\.logicalKey)
        for key in request.remove {
            let before = keys.count
            let doomed = keys.indices.filter { key.hasSuffix("/") ? keys[$0].hasPrefix(key) : keys[$0] == key }
            for i in doomed.reversed() {
                keys.remove(at: i)
                kept.remove(at: i)
            }
            if keys.count == before { throw .notFound(.entry(path: key, package: request.package.rawValue)) }
        }
        let added = try await materialize(
            request.put, package: request.package, bucket: bucket, copyObjects: request.copyObjects, progress: request.progress)
        let replaced = Set(request.put.map(\.logicalKey.rawValue))
        var entries: [JSONValue] = []
        for (k, e) in zip(keys, kept) where !replaced.contains(k) { entries.append(e) }
        entries += added
        var userMeta = base.header["user_meta"]
        switch request.metadata {
        case .keep: break
        case .replace(let value): userMeta = value
        case .merge(let patch):
            var merged = userMeta?.objectValue ?? JSONObject()
            for (k, v) in patch { merged[k] = v }
            userMeta = .object(merged)
        }
        return try await construct(
            package: request.package, registry: request.registry, message: request.message,
            userMeta: try Self.userMetaRecord(userMeta), entries: entries, progress: request.progress)
    }

    /// `latest`'s hash, or nil when the package (or its latest) does not exist.
    func latestIfAny(_ package: PackageName, _ registry: RegistryURL) async throws(QuiltOpsError) -> TopHash? {
        do { return try await directHash(package, registry, .latest) } catch .notFound { return nil }
    }

    static func rejectDuplicates(_ keys: [LogicalKey], field: String) throws(QuiltOpsError) {
        var seen = Set<String>()
        for k in keys where !seen.insert(k.rawValue).inserted {
            throw .invalidInput(field: field, reason: "logical key '\(k)' appears more than once.")
        }
    }

    /// Package metadata as the catalog takes it: a JSON object, or null for none. The catalog cannot store an
    /// explicit `user_meta: null` (null means "no user_meta"), so `.null` is written as absent.
    static func userMetaRecord(_ value: JSONValue?) throws(QuiltOpsError) -> JSONValue {
        switch value {
        case nil, .null?: return .null
        case .object?: return value ?? .null
        default:
            throw .invalidInput(field: "metadata", reason: "the catalog stores package metadata as a JSON object (JsonRecord), not \(JSONWriter.compact(value ?? .null).prefix(40)).")
        }
    }

    /// Refuses what cannot work before anything is uploaded: missing or disallowed local files, local object URLs.
    func checkSources(_ entries: [NewEntry]) throws(QuiltOpsError) {
        for e in entries {
            switch e.source {
            case .localFile(let path):
                _ = try LocalStorageResolver(files: configuration.serverFiles).localFile(path)
            case .object(let key) where key.scheme != .s3:
                throw .invalidInput(
                    field: "s3_uris", reason: "'\(key.url)' is not in S3; the catalog's packageConstruct takes s3:// objects only (give local files as files, and they are uploaded first).")
            default: break
            }
        }
    }

    // MARK: - Materialising entries

    /// Uploads or references every new entry (eight at a time), in order: the `PackageConstructEntry` values.
    func materialize(
        _ entries: [NewEntry], package: PackageName, bucket: String, copyObjects: Bool, progress: ProgressHandler?
    ) async throws(QuiltOpsError) -> [JSONValue] {
        guard !entries.isEmpty else { return [] }
        let objects = try await objects()
        let storage = try objects.resolver.storage(for: try RegistryURL.s3(bucket))
        let count = entries.count
        let total = Int64(count)
        // Eight uploads at a time. The results are collected inside the group and returned from it: an earlier
        // version filled an array declared outside the group from a nested function that also captured the
        // group, and the release build trapped there ("Index out of range" writing a valid index).
        let result = await withTaskGroup(
            of: (Int, Result<JSONValue, QuiltOpsError>).self, returning: Result<[JSONValue], QuiltOpsError>.self
        ) { group in
            var out = [JSONValue?](repeating: nil, count: count)
            var next = 0
            var done: Int64 = 0
            while next < min(8, count) {
                let i = next
                group.addTask { await self.materializeResult(i, entries[i], package: package, storage: storage, objects: objects, copy: copyObjects) }
                next += 1
            }
            while let (i, stored) = await group.next() {
                switch stored {
                case .success(let value):
                    out[i] = value
                case .failure(let error):
                    group.cancelAll()
                    return .failure(error)
                }
                done += 1
                progress?(WriteProgress(phase: WriteProgress.entriesPhase, completed: done, total: total))
                if next < count {
                    let j = next
                    group.addTask { await self.materializeResult(j, entries[j], package: package, storage: storage, objects: objects, copy: copyObjects) }
                    next += 1
                }
            }
            return .success(out.compactMap { $0 })
        }
        return try result.get()
    }

    /// ``materialize(_:package:storage:objects:copy:)`` of entry number `index`, as a value for the task group.
    func materializeResult(
        _ index: Int, _ entry: NewEntry, package: PackageName, storage: any ObjectStorage, objects: ObjectAccess, copy: Bool
    ) async -> (Int, Result<JSONValue, QuiltOpsError>) {
        do throws(QuiltOpsError) {
            return (index, .success(try await materialize(entry, package: package, storage: storage, objects: objects, copy: copy)))
        } catch {
            return (index, .failure(error))
        }
    }

    func materialize(
        _ entry: NewEntry, package: PackageName, storage: any ObjectStorage, objects: ObjectAccess, copy: Bool
    ) async throws(QuiltOpsError) -> JSONValue {
        if Task.isCancelled { throw .cancelled("creating the revision was cancelled before it finished.") }
        let meta: JSONValue = entry.userMeta.map { .object(["user_meta": $0]) } ?? .object([:])
        let dataKey = package.rawValue + "/" + entry.logicalKey.rawValue
        switch entry.source {
        case .localFile(let source):
            let path = try LocalStorageResolver(files: configuration.serverFiles).localFile(source)
            let hash: ObjectHash
            do { hash = try ObjectHashing.hashFile(atPath: path) } catch {
                throw .remote("cannot read \(path): \(error.reason)", retryable: false)
            }
            let stored = try await storage.putFile(dataKey, fromPath: path)
            return Self.constructEntry(entry.logicalKey.rawValue, storage.physicalKey(dataKey, versionId: stored.versionId), hash: hash, size: stored.size, meta: meta)
        case .bytes(let bytes):
            let hash = ObjectHashing.hash(bytes)
            let stored = try await storage.put(dataKey, bytes: bytes, contentType: nil, metadata: [:])
            return Self.constructEntry(entry.logicalKey.rawValue, storage.physicalKey(dataKey, versionId: stored.versionId), hash: hash, size: stored.size, meta: meta)
        case .object(let key):
            guard copy, key.unversioned != storage.physicalKey(dataKey) else {
                // Referenced in place: the catalog fills in size and hash (HeadObject / its hashing service).
                return Self.constructEntry(entry.logicalKey.rawValue, key, hash: nil, size: nil, meta: meta)
            }
            let (source, sourceKey) = try objects.resolver.locate(key)
            let info = try await source.head(sourceKey, versionId: key.versionId)
            let stored = try await storage.copyIn(from: source, key: sourceKey, versionId: key.versionId, info: info, to: dataKey)
            return Self.constructEntry(entry.logicalKey.rawValue, storage.physicalKey(dataKey, versionId: stored.versionId), hash: nil, size: stored.size, meta: meta)
        }
    }

    /// A `PackageConstructEntry` input value.
    static func constructEntry(_ key: String, _ physical: PhysicalKey, hash: ObjectHash?, size: Int64?, meta: JSONValue) -> JSONValue {
        var e: JSONObject = ["logicalKey": .string(key), "physicalKey": .string(physical.url)]
        if let hash { e["hash"] = ["type": .string(hash.type), "value": .string(hash.value)] }
        if let size { e["size"] = .number(JSONNumber(size)) }
        e["meta"] = meta
        return .object(e)
    }

    // MARK: - Pushing

    /// `packageConstruct`: the new revision becomes `latest` (the catalog does not check for conflicts; the check
    /// above is made just before). Reported as the final phase, `constructing-revision` 0/1 then 1/1 once it exists.
    func construct(
        package: PackageName, registry: RegistryURL, message: String?, userMeta: JSONValue, entries: [JSONValue],
        progress: ProgressHandler?
    ) async throws(QuiltOpsError) -> RevisionInfo {
        progress?(WriteProgress(phase: "constructing-revision", completed: 0, total: 1))
        let params: JSONObject = [
            "bucket": .string(try bucket(registry)), "name": .string(package.rawValue),
            "message": message.flatMap { $0.isEmpty ? nil : JSONValue.string($0) } ?? .null, "userMeta": userMeta, "workflow": .null,
        ]
        let data = try await graphQL(.packageConstruct, ["params": .object(params), "src": ["entries": .array(entries)]])
        let info = try pushResult(data["packageConstruct"], operation: "PackageConstruct", package: package, registry: registry)
        await configuration.contents.setLatestHint("\(await callerKey()) \(registry.url) \(package.rawValue)", info.revision.hash)
        progress?(WriteProgress(phase: "constructing-revision", completed: 1, total: 1))
        return info
    }

    /// Reads a `PackagePushSuccess | InvalidInput | OperationError` result.
    func pushResult(_ result: JSONValue?, operation: String, package: PackageName, registry: RegistryURL) throws(QuiltOpsError) -> RevisionInfo {
        try Self.checkUnion(result, operation: operation)
        guard let rev = result?["revision"], let hash = rev["hash"]?.stringValue.flatMap({ try? TopHash($0) }) else {
            throw .remote("\(operation) answered without a revision hash.", retryable: false)
        }
        let modified = CatalogDate.parse(rev["modified"]?.stringValue)
        return RevisionInfo(
            revision: ResolvedRevision(name: package, registry: registry, hash: hash), modified: modified, header: Self.header(rev),
            entryCount: rev["totalEntries"]?.intValue ?? 0, totalBytes: Int64(rev["totalBytes"]?.doubleValue ?? 0),
            pointers: (modified.map { [CatalogDate.pointerName($0)] } ?? []) + ["latest"])
    }

    /// Throws the typed error an `InvalidInput` or `OperationError` union member stands for.
    static func checkUnion(_ result: JSONValue?, operation: String) throws(QuiltOpsError) {
        switch result?["__typename"]?.stringValue {
        case "InvalidInput":
            let errors = (result?["errors"]?.arrayValue ?? []).map {
                CatalogInputError(path: $0["path"]?.stringValue, message: $0["message"]?.stringValue ?? "", name: $0["name"]?.stringValue ?? "")
            }
            throw CatalogError.invalidInput(operation: operation, errors: errors).quiltOpsError
        case "OperationError":
            throw CatalogError.operationError(
                operation: operation, name: result?["name"]?.stringValue ?? "", message: result?["message"]?.stringValue ?? "").quiltOpsError
        case nil:
            throw .remote("\(operation) answered without a result.", retryable: false)
        default:
            return
        }
    }
}
