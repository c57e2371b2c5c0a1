import FoundationEssentials
package import QuiltContract
import QuiltHash
import QuiltJSON
import QuiltManifest
import QuiltStorage

extension RegistryEngine {
    // MARK: - Creating and updating

    package func createRevision(_ request: CreateRevisionRequest) async throws(QuiltOpsError) -> RevisionInfo {
        var request = request
        request.entries = try resolver.expandingLocalDirectories(request.entries, field: "files")
        let storage = try resolver.storage(for: request.registry)
        try Self.rejectDuplicates(request.entries.map(\.logicalKey), field: "entries")
        try checkLocalSources(request.entries)
        let existing = try await currentLatest(storage, request.package)
        if let existing, !request.force {
            throw .conflict(
                "package \(request.package) already exists in \(request.registry) (latest \(existing.prefix())); use package_update to change it, or force=true to make this the new latest."
            )
        }
        let entries = try await materialize(
            request.entries, package: request.package, storage: storage, copyObjects: request.copyObjects,
            progress: request.progress)
        let manifest = Manifest(
            header: Manifest.freshHeader(userMeta: request.userMeta, message: request.message), entries: entries)
        return try await push(
            manifest, package: request.package, storage: storage, expectedLatest: existing, force: request.force,
            progress: request.progress)
    }

    /// Every local source through the resolver's gate, before anything is read or written: a forbidden or missing
    /// file refuses the whole write (as bad input, before any state check), with nothing stored.
    func checkLocalSources(_ entries: [NewEntry]) throws(QuiltOpsError) {
        for entry in entries {
            switch entry.source {
            case .localFile(let source): _ = try resolver.localFile(source)
            case .object(let key) where key.scheme == .file: try resolver.serverFiles.check(key.url)
            default: break
            }
        }
    }

    package func updateRevision(_ request: UpdateRevisionRequest) async throws(QuiltOpsError) -> RevisionInfo {
        var request = request
        request.put = try resolver.expandingLocalDirectories(request.put, field: "files")
        let storage = try resolver.storage(for: request.registry)
        try Self.rejectDuplicates(request.put.map(\.logicalKey), field: "put")
        try checkLocalSources(request.put)
        let baseHash = try await resolveHash(storage, request.package, request.base)
        let latest = try await currentLatest(storage, request.package)
        if latest != baseHash && !request.force {
            throw .conflict(
                "latest of \(request.package) is \(latest?.prefix() ?? "gone"), but the update starts from \(baseHash.prefix()); update from latest, or pass force=true."
            )
        }
        var manifest = try await loadManifest(storage, baseHash)
        // Removals first, so a put may replace what it removes.
        for key in request.remove {
            let before = manifest.entries.count
            if key.hasSuffix("/") {
                manifest.entries.removeAll { $0.logicalKey.hasPrefix(key) }
                manifest.directories.removeAll { $0.logicalKey.hasPrefix(key) }
            } else {
                manifest.entries.removeAll { $0.logicalKey == key }
            }
            if manifest.entries.count == before {
                throw .notFound(.entry(path: key, package: request.package.rawValue))
            }
        }
        let added = try await materialize(
            request.put, package: request.package, storage: storage, copyObjects: request.copyObjects,
            progress: request.progress)
        let replaced = Set(added.map(\.logicalKey))
        manifest.entries.removeAll { replaced.contains($0.logicalKey) }
        manifest.entries += added
        switch request.metadata {
        case .keep:
            break
        case .replace(let value):
            manifest.header["user_meta"] = value
        case .merge(let patch):
            var merged = manifest.header["user_meta"]?.objectValue ?? JSONObject()
            for (k, v) in patch { merged[k] = v }
            manifest.header["user_meta"] = .object(merged)
        }
        manifest.header["message"] = request.message.map { .string($0) } ?? .null
        return try await push(
            manifest, package: request.package, storage: storage, expectedLatest: latest, force: request.force,
            progress: request.progress)
    }

    /// The hash `latest` names now, or nil when the package has no `latest`.
    func currentLatest(_ storage: any ObjectStorage, _ name: PackageName) async throws(QuiltOpsError) -> TopHash? {
        do {
            let text = try await storage.getText(RegistryLayout.pointerKey(name, RegistryLayout.latest))
            return try? TopHash(text.trimmingWhitespace())
        } catch .notFound {
            return nil
        }
    }

    static func rejectDuplicates(_ keys: [LogicalKey], field: String) throws(QuiltOpsError) {
        var seen = Set<String>()
        for k in keys where !seen.insert(k.rawValue).inserted {
            throw .invalidInput(field: field, reason: "logical key '\(k)' appears more than once.")
        }
    }

    // MARK: - Materialising entries

    /// How many entries are hashed, uploaded or copied at once: a revision of many S3 objects is bound by round
    /// trips (a HEAD and a read each), not by bandwidth.
    static let materializeWidth = 8

    /// Hashes (and uploads or copies, as needed) every new entry, ``materializeWidth`` at a time, and returns them in
    /// the entries' order; progress counts finished entries. The first failure stops the rest and is thrown.
    func materialize(
        _ entries: [NewEntry], package: PackageName, storage: any ObjectStorage, copyObjects: Bool,
        progress: ProgressHandler?
    ) async throws(QuiltOpsError) -> [ManifestEntry] {
        let total = Int64(entries.count)
        let count = entries.count
        // No nested function captures the group: the release build miscompiles that shape (see PlatformBackend+Write).
        let outcome = await withTaskGroup(
            of: (Int, Result<ManifestEntry, QuiltOpsError>).self, returning: Result<[ManifestEntry], QuiltOpsError>.self
        ) { group in
            var results = [ManifestEntry?](repeating: nil, count: count)
            var next = 0
            var done: Int64 = 0
            while next < min(Self.materializeWidth, count) {
                let i = next
                group.addTask { await self.materializeResult(i, entries[i], package: package, storage: storage, copyObjects: copyObjects) }
                next += 1
            }
            while let (index, result) = await group.next() {
                switch result {
                case .success(let made):
                    results[index] = made
                case .failure(let error):
                    group.cancelAll()
                    return .failure(error)
                }
                done += 1
                progress?(WriteProgress(phase: WriteProgress.entriesPhase, completed: done, total: total))
                if next < count {
                    let j = next
                    group.addTask { await self.materializeResult(j, entries[j], package: package, storage: storage, copyObjects: copyObjects) }
                    next += 1
                }
            }
            let made = results.compactMap { $0 }
            guard made.count == count else {
                return .failure(.remote("\(count - made.count) of \(count) entries were not stored, so the revision was not made; retry.", retryable: true))
            }
            return .success(made)
        }
        return try outcome.get()
    }

    /// ``materializeOne(_:package:storage:copyObjects:)`` of entry number `index`, as a value for the task group.
    func materializeResult(
        _ index: Int, _ entry: NewEntry, package: PackageName, storage: any ObjectStorage, copyObjects: Bool
    ) async -> (Int, Result<ManifestEntry, QuiltOpsError>) {
        do throws(QuiltOpsError) {
            return (index, .success(try await materializeOne(entry, package: package, storage: storage, copyObjects: copyObjects)))
        } catch {
            return (index, .failure(error))
        }
    }

    /// One entry hashed, and uploaded or copied as needed.
    func materializeOne(
        _ entry: NewEntry, package: PackageName, storage: any ObjectStorage, copyObjects: Bool
    ) async throws(QuiltOpsError) -> ManifestEntry {
        try checkCancellation("creating the revision")
        let meta: JSONValue = entry.userMeta.map { .object(["user_meta": $0]) } ?? .object([:])
        let dataKey = RegistryLayout.dataKey(package, entry.logicalKey)
        switch entry.source {
        case .localFile(let source):
            // Through the resolver's gate: a caller who may not reach this machine's files gets `forbidden`.
            let path = try resolver.localFile(source)
            let hash: ObjectHash
            do { hash = try ObjectHashing.hashFile(atPath: path) } catch {
                throw .remote("cannot read \(path): \(error.reason)", retryable: false)
            }
            let stored = try await storage.putFile(dataKey, fromPath: path)
            return ManifestEntry(
                logicalKey: entry.logicalKey.rawValue, physicalKey: storage.physicalKey(dataKey, versionId: stored.versionId),
                size: stored.size, hash: hash, meta: meta)
        case .bytes(let bytes):
            let hash = ObjectHashing.hash(bytes)
            let stored = try await storage.put(dataKey, bytes: bytes, contentType: nil, metadata: [:])
            return ManifestEntry(
                logicalKey: entry.logicalKey.rawValue, physicalKey: storage.physicalKey(dataKey, versionId: stored.versionId),
                size: stored.size, hash: hash, meta: meta)
        case .object(let key):
            let (source, sourceKey) = try resolver.locate(key)
            let info = try await source.head(sourceKey, versionId: key.versionId)
            let hash = try await hashObject(source, sourceKey, versionId: key.versionId, size: info.size)
            var physical = key
            if copyObjects && key.unversioned != storage.physicalKey(dataKey) {
                let stored = try await storage.copyIn(from: source, key: sourceKey, versionId: key.versionId, info: info, to: dataKey)
                physical = storage.physicalKey(dataKey, versionId: stored.versionId)
            }
            return ManifestEntry(
                logicalKey: entry.logicalKey.rawValue, physicalKey: physical, size: info.size, hash: hash, meta: meta)
        }
    }

    /// sha2-256-chunked of a stored object, streamed.
    func hashObject(_ storage: any ObjectStorage, _ key: String, versionId: String? = nil, size: Int64) async throws(QuiltOpsError)
        -> ObjectHash
    {
        var hasher = ObjectHasher(type: .sha2256Chunked, totalSize: size)
        let reader = try await storage.reader(key, versionId: versionId)
        while let chunk = try await reader.next() {
            try checkCancellation("hashing \(key)")
            chunk.withUnsafeBytes { hasher.update($0) }
        }
        return hasher.finalize()
    }

    // MARK: - Pushing

    /// Writes manifest, then timestamp pointer, then `latest` (quilt3's order). If a later step fails, earlier
    /// pointer writes are undone, so `latest` never moves on failure and no half-written revision stays listed.
    func push(
        _ manifest: Manifest, package: PackageName, storage: any ObjectStorage, expectedLatest: TopHash?, force: Bool,
        progress: ProgressHandler?
    ) async throws(QuiltOpsError) -> RevisionInfo {
        try checkCancellation("pushing \(package)")
        let hash = manifest.topHash
        let bytes: [UInt8]
        do { bytes = try manifest.serialized() } catch {
            throw .invalidInput(field: "metadata", reason: error.message)
        }
        // quilt3 checks for a conflicting push again right before writing.
        if !force {
            let now = try await currentLatest(storage, package)
            if now != expectedLatest {
                throw .conflict(
                    "latest of \(package) moved to \(now?.prefix() ?? "nothing") while this revision was being made; retry.")
            }
        }
        progress?(WriteProgress(phase: "writing-manifest", completed: 0, total: 3))
        _ = try await storage.put(RegistryLayout.manifestKey(hash), bytes: bytes, contentType: nil, metadata: [:])
        let now = clock()
        let pointer = RegistryLayout.pointerName(for: now)
        let pointerKey = RegistryLayout.pointerKey(package, pointer)
        let previousAtPointer: TopHash? = try? await TopHash(storage.getText(pointerKey))
        let hashBytes = Array(hash.rawValue.utf8)
        _ = try await storage.put(pointerKey, bytes: hashBytes, contentType: nil, metadata: [:])
        progress?(WriteProgress(phase: "writing-manifest", completed: 2, total: 3))
        do {
            _ = try await storage.put(
                RegistryLayout.pointerKey(package, RegistryLayout.latest), bytes: hashBytes, contentType: nil,
                metadata: [:])
        } catch {
            // Undo the timestamp pointer (restore what a same-second push had written there).
            if let previousAtPointer {
                _ = try? await storage.put(pointerKey, bytes: Array(previousAtPointer.rawValue.utf8), contentType: nil, metadata: [:])
            } else {
                try? await storage.delete(pointerKey)
            }
            throw error
        }
        progress?(WriteProgress(phase: "writing-manifest", completed: 3, total: 3))
        let totals = manifest.totals
        return RevisionInfo(
            revision: ResolvedRevision(name: package, registry: storage.root, hash: hash), modified: RegistryLayout.date(ofPointer: pointer),
            header: manifest.header, entryCount: totals.count, totalBytes: totals.bytes,
            pointers: [pointer, RegistryLayout.latest])
    }
}
