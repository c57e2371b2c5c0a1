import FoundationEssentials
import QuiltContract
import QuiltHash
import QuiltJSON

/// Turns QuiltOps values into the JSON the tools return. Field names follow the Python server where they overlap.
enum ResultEncoding {
    static func date(_ d: Date?) -> JSONValue {
        guard let d else { return .null }
        // Same text as ISO8601DateFormatter's default (`2026-11-21T19:48:18Z`), ~150× cheaper than making one.
        return .string(d.formatted(Date.ISO8601FormatStyle()))
    }

    static func hash(_ h: ObjectHash?) -> JSONValue {
        guard let h else { return .null }
        return ["type": .string(h.type), "value": .string(h.value)]
    }

    static func entry(_ e: BrowseEntry) -> JSONValue {
        var o: JSONObject = ["logical_key": .string(e.logicalKey), "type": .string(e.kind.rawValue), "size": .number(JSONNumber(e.size))]
        switch e.kind {
        case .file:
            o["physical_key"] = e.physicalKey.map { .string($0.url) } ?? .null
            o["hash"] = hash(e.hash)
            o["meta"] = e.meta ?? .object([:])
        case .directory:
            o["file_count"] = .number(JSONNumber(e.fileCount ?? 0))
            if let meta = e.meta { o["meta"] = meta }
        }
        return .object(o)
    }

    static func revision(_ r: ResolvedRevision) -> JSONObject {
        ["package_name": .string(r.name.rawValue), "registry": .string(r.registry.url), "top_hash": .string(r.hash.rawValue)]
    }

    static func info(_ i: RevisionInfo) -> JSONValue {
        var o = revision(i.revision)
        o["modified"] = date(i.modified)
        o["message"] = i.header["message"] ?? .null
        o["user_meta_present"] = .bool(i.userMeta != nil)
        o["user_meta"] = i.userMeta ?? .null
        if let wf = i.workflow { o["workflow"] = wf }
        o["entry_count"] = .number(JSONNumber(i.entryCount))
        o["total_bytes"] = .number(JSONNumber(i.totalBytes))
        o["pointers"] = .array(i.pointers.map { .string($0) })
        return .object(o)
    }

    static func change(_ c: PackageDiff.Change) -> JSONValue {
        var o: JSONObject = ["logical_key": .string(c.logicalKey)]
        if c.from != nil || c.fromSize != nil { o["from"] = ["hash": hash(c.from), "size": c.fromSize.map { .number(JSONNumber($0)) } ?? .null] }
        if c.to != nil || c.toSize != nil { o["to"] = ["hash": hash(c.to), "size": c.toSize.map { .number(JSONNumber($0)) } ?? .null] }
        return .object(o)
    }

    static func object(_ i: ObjectInfo) -> JSONValue {
        var o: JSONObject = ["s3_uri": .string(i.key.url), "key": .string(i.key.path), "size": .number(JSONNumber(i.size)),
                             "last_modified": date(i.lastModified)]
        if let v = i.key.versionId { o["version_id"] = .string(v) }
        if let e = i.etag { o["etag"] = .string(e) }
        if let c = i.contentType { o["content_type"] = .string(c) }
        if !i.metadata.isEmpty {
            o["metadata"] = .object(JSONObject(i.metadata.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) }))
        }
        return .object(o)
    }
}
