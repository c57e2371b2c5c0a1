package import QuiltContract
package import QuiltHash
package import QuiltJSON

/// One file line of a manifest.
package struct ManifestEntry: Sendable, Hashable {
    /// The path inside the package.
    package var logicalKey: String
    /// Where the bytes are (quilt3 writes exactly one URL in `physical_keys`).
    package var physicalKey: PhysicalKey
    package var size: Int64
    /// The hash object as stored (normally `{"type", "value"}`); it takes part in the top hash as is.
    package var hash: JSONValue
    /// The full entry metadata (`{}` when absent or null); user metadata lives under `user_meta`.
    package var meta: JSONValue

    package init(logicalKey: String, physicalKey: PhysicalKey, size: Int64, hash: ObjectHash, meta: JSONValue = .object([:])) {
        self.logicalKey = logicalKey
        self.physicalKey = physicalKey
        self.size = size
        self.hash = .object(["type": .string(hash.type), "value": .string(hash.value)])
        self.meta = meta
    }

    package init(logicalKey: String, physicalKey: PhysicalKey, size: Int64, rawHash: JSONValue, meta: JSONValue) {
        self.logicalKey = logicalKey
        self.physicalKey = physicalKey
        self.size = size
        self.hash = rawHash
        self.meta = meta
    }

    /// The hash as a typed value, when it has string `type` and `value`.
    package var objectHash: ObjectHash? {
        guard let t = hash["type"]?.stringValue, let v = hash["value"]?.stringValue else { return nil }
        return ObjectHash(type: t, value: v)
    }

    /// `meta.user_meta`, when present.
    package var userMeta: JSONValue? { meta["user_meta"] }

    /// The record that takes part in the top hash: exactly `hash`, `logical_key`, `meta`, `size`.
    package var hashRecord: JSONValue {
        .object([
            "hash": hash, "logical_key": .string(logicalKey), "meta": meta,
            "size": .number(JSONNumber(size)),
        ])
    }

    /// The manifest line quilt3 writes for this entry (key order `logical_key, physical_keys, size, hash, meta`).
    package var lineRecord: JSONValue {
        .object([
            "logical_key": .string(logicalKey), "physical_keys": .array([.string(physicalKey.url)]),
            "size": .number(JSONNumber(size)), "hash": hash, "meta": meta,
        ])
    }
}

/// A directory-metadata line (`{"logical_key": "dir/", "meta": {...}}`); not part of the top hash.
package struct ManifestDirectory: Sendable, Hashable {
    /// The directory path, ending in `/`.
    package var logicalKey: String
    /// The directory's user metadata (not wrapped in `user_meta`).
    package var meta: JSONValue
    package init(logicalKey: String, meta: JSONValue) {
        self.logicalKey = logicalKey
        self.meta = meta
    }
}

/// One parsed manifest line.
package enum ManifestRecord: Sendable, Hashable {
    case header(JSONObject)
    case directory(ManifestDirectory)
    case entry(ManifestEntry)
}

/// A manifest that could not be read: the 1-based line and what was wrong.
package struct ManifestError: Error, Sendable, Equatable, CustomStringConvertible {
    package var line: Int
    package var message: String
    package init(line: Int, message: String) {
        self.line = line
        self.message = message
    }
    package var description: String { "manifest line \(line): \(message)" }
}
