import FoundationEssentials
package import QuiltContract
import QuiltJSON

/// One revision row as `revisions.page` gives it (one per push).
struct RevisionRow: Sendable {
    var hash: TopHash
    var modified: Date?
}

extension PlatformBackend {
    // MARK: - Listing packages

    /// `packages(bucket, filter)` pages in name order. The cursor is "after this name" plus the index where it was
    /// seen, so the next call starts at the right page; if packages were removed meanwhile it steps back a page.
    package func listPackages(registry: RegistryURL, prefix: String, page: PageRequest) async throws(QuiltOpsError)
        -> Page<PackageSummary>
    {
        let bucket = try bucket(registry)
        var after: String? = nil
        var hint = -1
        if let cursor = page.cursor {
            let text = try Cursor.decode(cursor)
            if let colon = text.firstIndex(of: ":"), let i = Int(text[..<colon]) {
                hint = i
                after = String(text[text.index(after: colon)...])
            } else {
                after = text
            }
        }
        let perPage = min(max(page.limit + 1, 30), 1000)
        var number = max(1, (hint + 1) / perPage + 1)
        var items: [(index: Int, summary: PackageSummary)] = []
        var steppedBack = false
        while true {
            var variables: JSONObject = ["bucket": .string(bucket), "number": .number(JSONNumber(number)), "perPage": .number(JSONNumber(perPage))]
            variables["filter"] = prefix.isEmpty ? .null : .string(prefix)
            let data = try await graphQL(.packageList, variables)
            guard let list = data["packages"], !list.isNull else { throw .notFound(.registry(registry.url)) }
            let total = list["total"]?.intValue ?? 0
            let rows = list["page"]?.arrayValue ?? []
            let names = rows.compactMap { $0["name"]?.stringValue }
            // Items before the cursor may have been removed: then the cursor's name is on an earlier page.
            if let after, number > 1, !steppedBack, let first = names.first, !(first <= after) {
                number -= 1
                steppedBack = true
                continue
            }
            for (offset, row) in rows.enumerated() {
                guard let text = row["name"]?.stringValue, text.hasPrefix(prefix), after.map({ text > $0 }) ?? true,
                    let name = try? PackageName(text)
                else { continue }
                let summary = PackageSummary(name: name, registry: registry, modified: CatalogDate.parse(row["modified"]?.stringValue))
                items.append(((number - 1) * perPage + offset, summary))
                if items.count > page.limit { break }
            }
            if items.count > page.limit || rows.count < perPage || number * perPage >= total { break }
            number += 1
        }
        let more = items.count > page.limit
        let shown = Array(items.prefix(page.limit))
        let next = more ? shown.last.map { Cursor.encode(after: "\($0.index):\($0.summary.name.rawValue)") } : nil
        return Page(items: shown.map(\.summary), nextCursor: next)
    }

    // MARK: - Revisions

    /// Every revision row of a package (`revisions.page`, 100 at a time) and what `latest` names.
    /// - Throws: `.notFound(.package)` when the catalog does not know the package.
    func allRevisions(_ package: PackageName, _ registry: RegistryURL) async throws(QuiltOpsError) -> (rows: [RevisionRow], latest: TopHash?) {
        let bucket = try bucket(registry)
        var rows: [RevisionRow] = []
        var latest: TopHash? = nil
        var number = 1
        let perPage = 100
        while true {
            let data = try await graphQL(
                .packageRevisions,
                ["bucket": .string(bucket), "name": .string(package.rawValue), "number": .number(JSONNumber(number)),
                 "perPage": .number(JSONNumber(perPage))])
            guard let pkg = data["package"], !pkg.isNull else {
                throw .notFound(.package(name: package.rawValue, registry: registry.url))
            }
            if number == 1 { latest = pkg["latest"]?["hash"]?.stringValue.flatMap { try? TopHash($0) } }
            let page = pkg["revisions"]?["page"]?.arrayValue ?? []
            for r in page {
                guard let h = r["hash"]?.stringValue, let hash = try? TopHash(h) else { continue }
                rows.append(RevisionRow(hash: hash, modified: CatalogDate.parse(r["modified"]?.stringValue)))
            }
            let total = pkg["revisions"]?["total"]?.intValue ?? 0
            if page.count < perPage || number * perPage >= total { break }
            number += 1
        }
        if rows.isEmpty && latest == nil { throw .notFound(.package(name: package.rawValue, registry: registry.url)) }
        return (rows, latest)
    }

    /// One summary per distinct hash, newest first, with its timestamp pointer names (from `modified`, as quilt3
    /// names pointers) and `latest` as a tag.
    static func summaries(_ rows: [RevisionRow], latest: TopHash?) -> [RevisionSummary] {
        var order: [TopHash] = []
        var byHash: [TopHash: (stamps: [Date], newest: Date?)] = [:]
        for r in rows {
            if byHash[r.hash] == nil { order.append(r.hash) }
            var entry = byHash[r.hash] ?? ([], nil)
            if let m = r.modified {
                entry.stamps.append(m)
                entry.newest = max(entry.newest ?? m, m)
            }
            byHash[r.hash] = entry
        }
        if let latest, byHash[latest] == nil {
            order.insert(latest, at: 0)
            byHash[latest] = ([], nil)
        }
        var out = order.map { hash -> RevisionSummary in
            let e = byHash[hash] ?? ([], nil)
            var names: [String] = []
            for d in e.stamps.sorted(by: >) where !names.contains(CatalogDate.pointerName(d)) { names.append(CatalogDate.pointerName(d)) }
            return RevisionSummary(hash: hash, modified: e.newest, timestamps: names, tags: hash == latest ? ["latest"] : [])
        }
        out.sort { a, b in
            let da = a.modified ?? .distantPast
            let db = b.modified ?? .distantPast
            return da != db ? da > db : a.hash < b.hash
        }
        return out
    }

    package func listRevisions(package: PackageName, registry: RegistryURL, page: PageRequest) async throws(QuiltOpsError)
        -> Page<RevisionSummary>
    {
        let after = try page.cursor.map { (c) throws(QuiltOpsError) in try Cursor.decode(c) }
        let (rows, latest) = try await allRevisions(package, registry)
        let all = Self.summaries(rows, latest: latest)
        var start = 0
        if let after {
            guard let i = all.firstIndex(where: { $0.hash.rawValue == after }) else {
                throw .invalidInput(field: "cursor", reason: "the revision it points at is gone; start over.")
            }
            start = i + 1
        }
        let slice = Array(all[min(start, all.count)..<min(start + page.limit, all.count)])
        let next = start + page.limit < all.count ? slice.last.map { Cursor.encode(after: $0.hash.rawValue) } : nil
        return Page(items: slice, nextCursor: next)
    }

    // MARK: - Resolving

    /// The catalog resolves `latest` and full hashes itself (`revision(hashOrTag:)`); timestamps and hash prefixes
    /// are resolved here from the package's revisions.
    func resolveHash(_ package: PackageName, _ registry: RegistryURL, _ ref: RevisionRef) async throws(QuiltOpsError) -> TopHash {
        switch ref {
        case .latest, .hash:
            return try await directHash(package, registry, ref)
        case .tag(let tag) where RevisionRef.isTimestamp(tag):
            let (rows, _) = try await allRevisions(package, registry)
            guard let row = rows.first(where: { $0.modified.map(CatalogDate.pointerName) == tag }) else {
                throw .notFound(.revision(name: package.rawValue, reference: tag, registry: registry.url))
            }
            return row.hash
        case .tag:
            return try await directHash(package, registry, ref)
        case .hashPrefix(let p):
            let (rows, latest) = try await allRevisions(package, registry)
            var matches: [TopHash] = []
            for h in rows.map(\.hash) + (latest.map { [$0] } ?? []) where h.rawValue.hasPrefix(p) && !matches.contains(h) {
                matches.append(h)
            }
            switch matches.count {
            case 0: throw .notFound(.revision(name: package.rawValue, reference: p, registry: registry.url))
            case 1: return matches[0]
            default:
                let shown = matches.sorted().prefix(10).map { $0.prefix(12) }.joined(separator: ", ")
                throw .invalidInput(
                    field: "top_hash",
                    reason: "'\(p)' matches \(matches.count > 10 ? "more than 10" : "\(matches.count)") revisions (\(shown)); give more characters.")
            }
        }
    }

    /// `revision(hashOrTag:)` for `latest`, a full hash or a named tag.
    func directHash(_ package: PackageName, _ registry: RegistryURL, _ ref: RevisionRef) async throws(QuiltOpsError) -> TopHash {
        let data = try await graphQL(
            .revisionHash, ["bucket": .string(try bucket(registry)), "name": .string(package.rawValue), "hashOrTag": .string(ref.description)])
        guard let pkg = data["package"], !pkg.isNull else { throw .notFound(.package(name: package.rawValue, registry: registry.url)) }
        guard let text = pkg["revision"]?["hash"]?.stringValue, let hash = try? TopHash(text) else {
            throw .notFound(.revision(name: package.rawValue, reference: ref.description, registry: registry.url))
        }
        return hash
    }

    /// `latest` or a full hash as the catalog takes it; anything else resolved first.
    func hashOrTag(_ package: PackageName, _ registry: RegistryURL, _ ref: RevisionRef) async throws(QuiltOpsError) -> String {
        switch ref {
        case .latest, .hash: return ref.description
        default: return try await resolveHash(package, registry, ref).rawValue
        }
    }

    // MARK: - Resolving

    package func resolve(package: PackageName, registry: RegistryURL, revision: RevisionRef)
        async throws(QuiltOpsError) -> ResolvedRevision
    {
        let hash = try await resolveHash(package, registry, revision)
        return ResolvedRevision(name: package, registry: registry, hash: hash)
    }

    // MARK: - Revision info

    package func revisionInfo(package: PackageName, registry: RegistryURL, revision: RevisionRef)
        async throws(QuiltOpsError) -> RevisionInfo
    {
        try await refuseOnLocalCatalog("revisionInfo", lacks: "leaves PackageRevision.metadata and modified null")
        let ref = try await hashOrTag(package, registry, revision)
        let data = try await graphQL(
            .revisionInfo,
            ["bucket": .string(try bucket(registry)), "name": .string(package.rawValue), "hashOrTag": .string(ref),
             "perPage": .number(100)])
        guard let pkg = data["package"], !pkg.isNull else { throw .notFound(.package(name: package.rawValue, registry: registry.url)) }
        guard let rev = pkg["revision"], !rev.isNull, let hash = rev["hash"]?.stringValue.flatMap({ try? TopHash($0) }) else {
            throw .notFound(.revision(name: package.rawValue, reference: revision.description, registry: registry.url))
        }
        let latest = pkg["latest"]?["hash"]?.stringValue.flatMap { try? TopHash($0) }
        var pointers: [String] = []
        for r in pkg["revisions"]?["page"]?.arrayValue ?? [] where r["hash"]?.stringValue == hash.rawValue {
            if let d = CatalogDate.parse(r["modified"]?.stringValue), !pointers.contains(CatalogDate.pointerName(d)) {
                pointers.append(CatalogDate.pointerName(d))
            }
        }
        pointers.sort { (Int64($0) ?? 0) > (Int64($1) ?? 0) }
        if latest == hash { pointers.append("latest") }
        return RevisionInfo(
            revision: ResolvedRevision(name: package, registry: registry, hash: hash), modified: CatalogDate.parse(rev["modified"]?.stringValue),
            header: Self.header(rev), entryCount: rev["totalEntries"]?.intValue ?? 0,
            totalBytes: Int64(rev["totalBytes"]?.doubleValue ?? 0), pointers: pointers)
    }

    /// The manifest header: `metadata` as the catalog gives it (the header object, keys in stored order), else
    /// rebuilt from `message` and `userMeta`.
    static func header(_ rev: JSONValue) -> JSONObject {
        if let h = rev["metadata"]?.objectValue, h["version"] != nil { return h }
        var h: JSONObject = ["version": "v0"]
        if let m = rev["message"] { h["message"] = m }
        if let u = rev["userMeta"], !u.isNull { h["user_meta"] = u }
        return h
    }
}

extension RevisionRef {
    /// A Unix-timestamp pointer name (digits only, at most 12).
    static func isTimestamp(_ s: String) -> Bool {
        !s.isEmpty && s.utf8.count <= 12 && s.utf8.allSatisfy { (0x30...0x39).contains($0) }
    }
}
