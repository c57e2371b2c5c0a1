import FoundationEssentials
package import QuiltContract
import QuiltJSON
import QuiltManifest
import QuiltStorage

extension RegistryEngine {
    // MARK: - Listing packages

    package func listPackages(registry: RegistryURL, prefix: String, page: PageRequest) async throws(QuiltOpsError)
        -> Page<PackageSummary>
    {
        let storage = try resolver.storage(for: registry)
        let base = RegistryLayout.pointersPrefix
        // The name prefix maps straight onto the pointer key prefix.
        let keyPrefix = base + prefix
        var startAfter: String? = nil
        if let cursor = page.cursor {
            // Skip every pointer of the last package returned: `<name>0` sorts after all of `<name>/…`.
            startAfter = base + (try Cursor.decode(cursor)) + "0"
        }
        var names: [PackageSummary] = []
        var more = false
        // A package's date is its newest timestamp pointer (the latest revision's push, as revisionInfo reports
        // it); `latest`'s own write time only when it has none (deleting a revision rewrites `latest` later).
        var current: (name: String, stamped: Date?, written: Date?)? = nil
        scan: while true {
            let listing = try await storage.list(prefix: keyPrefix, delimiter: nil, startAfter: startAfter, limit: 1000)
            for object in listing.objects {
                let rest = object.key.dropFirst(base.count)
                let parts = rest.split(separator: "/", omittingEmptySubsequences: false)
                guard parts.count == 3 else { continue }
                let name = parts[0] + "/" + parts[1]
                if current?.name != String(name) {
                    if let c = current, let n = try? PackageName(c.name) {
                        if names.count == page.limit { more = true; break scan }
                        names.append(PackageSummary(name: n, registry: registry, modified: c.stamped ?? c.written))
                    }
                    current = (String(name), nil, nil)
                }
                if parts[2] == RegistryLayout.latest {
                    current?.written = object.lastModified
                } else if let date = RegistryLayout.date(ofPointer: String(parts[2])) {
                    let newest = max(current?.stamped ?? date, date)
                    current?.stamped = newest
                }
            }
            guard let next = listing.continueAfter else { break }
            startAfter = next
        }
        if !more, let c = current, let n = try? PackageName(c.name) {
            if names.count == page.limit { more = true } else {
                names.append(PackageSummary(name: n, registry: registry, modified: c.stamped ?? c.written))
            }
        }
        if names.isEmpty && page.cursor == nil && prefix.isEmpty {
            try await requireRegistryExists(storage)
        }
        return Page(items: names, nextCursor: more ? names.last.map { Cursor.encode(after: $0.name.rawValue) } : nil)
    }

    /// A registry that has never been written to is fine (empty); a local directory that does not exist is not.
    func requireRegistryExists(_ storage: any ObjectStorage) async throws(QuiltOpsError) {
        if await !storage.rootExists() {
            throw .notFound(.registry(storage.root.url))
        }
    }

    // MARK: - Pointers and revisions

    /// Every pointer of a package with the hash it names, in storage order.
    func readPointers(_ storage: any ObjectStorage, _ name: PackageName) async throws(QuiltOpsError)
        -> [(name: String, hash: TopHash, modified: Date?)]
    {
        let listing = try await storage.listAll(prefix: RegistryLayout.pointerPrefix(name))
        var out: [(String, TopHash, Date?)] = []
        for object in listing.objects {
            let pointer = String(object.key.dropFirst(RegistryLayout.pointerPrefix(name).count))
            guard !pointer.contains("/") else { continue }
            let text: String
            do { text = try await storage.getText(object.key) } catch .notFound { continue }  // deleted meanwhile
            guard let hash = try? TopHash(text.trimmingWhitespace()) else {
                throw .remote(
                    "pointer \(storage.physicalKey(object.key).url) does not hold a top hash; the registry is damaged.",
                    retryable: false)
            }
            out.append((pointer, hash, object.lastModified))
        }
        return out
    }

    package func listRevisions(package: PackageName, registry: RegistryURL, page: PageRequest) async throws(QuiltOpsError)
        -> Page<RevisionSummary>
    {
        let storage = try resolver.storage(for: registry)
        let pointers = try await readPointers(storage, package)
        guard !pointers.isEmpty else { throw .notFound(.package(name: package.rawValue, registry: registry.url)) }
        // Per hash: its timestamp pointers, its other tags, the newest timestamp, and the tag objects' write time
        // (used only for a revision no timestamp names, e.g. after a rollback of `latest`).
        var byHash: [TopHash: (timestamps: [String], tags: [String], stamped: Date?, written: Date?)] = [:]
        for p in pointers {
            var row = byHash[p.hash] ?? ([], [], nil, nil)
            if let date = RegistryLayout.date(ofPointer: p.name) {
                row.timestamps.append(p.name)
                row.stamped = max(row.stamped ?? date, date)
            } else {
                row.tags.append(p.name)
                row.written = p.modified
            }
            byHash[p.hash] = row
        }
        var rows = byHash.map { hash, row in
            RevisionSummary(
                hash: hash, modified: row.stamped ?? row.written,
                timestamps: row.timestamps.sorted(by: RegistryLayout.newestFirst), tags: row.tags.sorted())
        }
        rows.sort { a, b in
            let da = a.modified ?? .distantPast
            let db = b.modified ?? .distantPast
            return da != db ? da > db : a.hash < b.hash
        }
        var start = 0
        if let cursor = page.cursor {
            let after = try Cursor.decode(cursor)
            guard let i = rows.firstIndex(where: { $0.hash.rawValue == after }) else {
                throw .invalidInput(field: "cursor", reason: "the revision it points at is gone; start over.")
            }
            start = i + 1
        }
        let slice = Array(rows[min(start, rows.count)..<min(start + page.limit, rows.count)])
        let next = start + page.limit < rows.count ? slice.last.map { Cursor.encode(after: $0.hash.rawValue) } : nil
        return Page(items: slice, nextCursor: next)
    }

    // MARK: - Resolving

    /// Resolves a revision reference to its full top hash.
    package func resolve(package: PackageName, registry: RegistryURL, revision: RevisionRef)
        async throws(QuiltOpsError) -> ResolvedRevision
    {
        let storage = try resolver.storage(for: registry)
        let hash = try await resolveHash(storage, package, revision)
        return ResolvedRevision(name: package, registry: registry, hash: hash)
    }

    func resolveHash(_ storage: any ObjectStorage, _ name: PackageName, _ ref: RevisionRef) async throws(QuiltOpsError)
        -> TopHash
    {
        switch ref {
        case .latest, .tag:
            let pointer = ref == .latest ? RegistryLayout.latest : ref.description
            let text: String
            do {
                text = try await storage.getText(RegistryLayout.pointerKey(name, pointer))
            } catch .notFound {
                let any = try await storage.list(
                    prefix: RegistryLayout.pointerPrefix(name), delimiter: "/", startAfter: nil, limit: 1)
                if any.objects.isEmpty {
                    throw .notFound(.package(name: name.rawValue, registry: storage.root.url))
                }
                throw .notFound(.revision(name: name.rawValue, reference: pointer, registry: storage.root.url))
            }
            guard let hash = try? TopHash(text.trimmingWhitespace()) else {
                throw .remote("pointer \(pointer) of \(name) does not hold a top hash.", retryable: false)
            }
            return hash
        case .hash(let h):
            do {
                _ = try await storage.head(RegistryLayout.manifestKey(h))
            } catch .notFound {
                throw .notFound(.revision(name: name.rawValue, reference: h.rawValue, registry: storage.root.url))
            }
            return h
        case .hashPrefix(let p):
            let listing = try await storage.list(
                prefix: RegistryLayout.manifestsPrefix + p, delimiter: nil, startAfter: nil, limit: 11)
            let matches = listing.objects.compactMap {
                try? TopHash(String($0.key.dropFirst(RegistryLayout.manifestsPrefix.count)))
            }
            switch matches.count {
            case 0:
                throw .notFound(.revision(name: name.rawValue, reference: p, registry: storage.root.url))
            case 1:
                return matches[0]
            default:
                let shown = matches.prefix(10).map { $0.prefix(12) }.joined(separator: ", ")
                throw .invalidInput(
                    field: "top_hash",
                    reason:
                        "'\(p)' matches \(listing.continueAfter == nil ? "\(matches.count)" : "more than 10") revisions (\(shown)); give more characters."
                )
            }
        }
    }

    // MARK: - Revision info

    package func revisionInfo(package: PackageName, registry: RegistryURL, revision: RevisionRef)
        async throws(QuiltOpsError) -> RevisionInfo
    {
        let storage = try resolver.storage(for: registry)
        let hash = try await resolveHash(storage, package, revision)
        var header = JSONObject()
        var count = 0
        var bytes: Int64 = 0
        var hasher: TopHasher? = nil
        let url = storage.physicalKey(RegistryLayout.manifestKey(hash)).url
        try await scanManifestLines(storage, hash) { (line, n) throws(QuiltOpsError) -> Bool in
            if n > 1, let fast = hasher?.addLine(line) {
                count += 1
                bytes += fast.size
                return true
            }
            let record: ManifestRecord
            do throws(ManifestError) {
                record = try ManifestParser.parse(line, lineNumber: n)
            } catch {
                throw .remote("manifest \(url) is corrupt: \(error.description)", retryable: false)
            }
            switch record {
            case .header(let h):
                header = h
                hasher = TopHasher(header: h)
            case .entry(let e):
                hasher?.add(e)
                count += 1
                bytes += e.size
            case .directory: break
            }
            return true
        }
        try await verify(&hasher, storage, hash)
        let resolved = ResolvedRevision(name: package, registry: registry, hash: hash)
        let pointers = try await readPointers(storage, package).filter { $0.hash == hash }.map(\.name)
            .sorted(by: RegistryLayout.newestFirst)
        var modified = pointers.compactMap(RegistryLayout.date(ofPointer:)).max()
        if modified == nil { modified = try? await storage.head(RegistryLayout.manifestKey(hash)).lastModified }
        return RevisionInfo(
            revision: resolved, modified: modified, header: header, entryCount: count, totalBytes: bytes,
            pointers: pointers)
    }

    // MARK: - Manifest streaming

    /// Streams the records of manifest `hash`; `body` returns false to stop early.
    /// - Throws: `.notFound(.revision)` when the manifest is missing; `.remote` when it is corrupt.
    func scanManifest(
        _ storage: any ObjectStorage, _ hash: TopHash,
        _ body: (ManifestRecord) throws(QuiltOpsError) -> Bool
    ) async throws(QuiltOpsError) {
        let url = storage.physicalKey(RegistryLayout.manifestKey(hash)).url
        try await scanManifestLines(storage, hash) { (line, n) throws(QuiltOpsError) -> Bool in
            let record: ManifestRecord
            do throws(ManifestError) {
                record = try ManifestParser.parse(line, lineNumber: n)
            } catch {
                throw .remote("manifest \(url) is corrupt: \(error.description)", retryable: false)
            }
            return try body(record)
        }
    }

    /// Streams the non-blank lines of manifest `hash` (line 1 is the header); `body` returns false to stop early.
    /// - Throws: `.notFound(.revision)` when the manifest is missing; `.remote` when it is empty or unreadable.
    func scanManifestLines(
        _ storage: any ObjectStorage, _ hash: TopHash,
        _ body: (UnsafeRawBufferPointer, Int) throws(QuiltOpsError) -> Bool
    ) async throws(QuiltOpsError) {
        let key = RegistryLayout.manifestKey(hash)
        let reader: any ChunkReader
        do {
            reader = try await storage.reader(key)
        } catch .notFound {
            throw .notFound(.revision(name: "(any)", reference: hash.rawValue, registry: storage.root.url))
        }
        var splitter = LineSplitter()
        var lineNumber = 0
        var stop = false
        func handle(_ line: UnsafeRawBufferPointer, _ n: Int) throws(QuiltOpsError) {
            guard !stop else { return }
            // Blank lines are skipped; only a line that starts with whitespace needs the full check.
            if line.isEmpty { return }
            if line[0] == 0x20 || line[0] == 0x09 || line[0] == 0x0D,
                line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D })
            {
                return
            }
            lineNumber += 1
            if try !body(line, lineNumber) { stop = true }
        }
        while !stop, let chunk = try await reader.next() {
            try splitter.feed(chunk, handle)
        }
        if !stop { try splitter.finish(handle) }
        if lineNumber == 0 {
            throw .remote("manifest \(storage.physicalKey(key).url) is empty.", retryable: false)
        }
    }

    /// Checks a finished streaming top hash against the manifest's name (re-hashing in sorted order when the
    /// manifest was not written in tree order).
    /// - Throws: `.remote` when the manifest does not hash to its name.
    func verify(_ hasher: inout TopHasher?, _ storage: any ObjectStorage, _ hash: TopHash) async throws(QuiltOpsError) {
        guard var h = hasher else { return }
        if h.outOfOrder {
            let manifest = try await loadManifest(storage, hash)
            h = TopHasher(header: manifest.header, mode: .sorting)
            for e in manifest.entries { h.add(e) }
        }
        let computed = h.finalize()
        guard computed == hash else {
            throw .remote(
                "manifest \(storage.physicalKey(RegistryLayout.manifestKey(hash)).url) hashes to \(computed.prefix()), not \(hash.prefix()); it is corrupt or was edited.",
                retryable: false)
        }
    }

    /// Loads a whole manifest into memory (for writes and diffs).
    func loadManifest(_ storage: any ObjectStorage, _ hash: TopHash) async throws(QuiltOpsError) -> Manifest {
        var header = JSONObject()
        var dirs: [ManifestDirectory] = []
        var entries: [ManifestEntry] = []
        try await scanManifest(storage, hash) { record throws(QuiltOpsError) in
            switch record {
            case .header(let h): header = h
            case .directory(let d): dirs.append(d)
            case .entry(let e): entries.append(e)
            }
            return true
        }
        return Manifest(header: header, directories: dirs, entries: entries)
    }
}

