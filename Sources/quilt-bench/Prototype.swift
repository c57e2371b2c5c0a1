#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif
import QuiltHash
import QuiltJSON
import QuiltManifest
import QuiltOps
import QuiltStorage

/// Prototypes of the changes proposed for the browse hot path, kept here (not in the library) only to measure
/// what they would save. `profile-manifest` checks that the prototype still computes the right top hash.
enum Prototype {
    /// `PhysicalKey(url)` with one pass over the UTF-8 bytes for the common `s3://bucket/key?versionId=v` shape
    /// (no `%`, `+` or `#`); anything else falls back to the library parser.
    static func physicalKey(_ url: String) throws(QuiltOpsError) -> PhysicalKey {
        var u = url
        let fast: PhysicalKey? = u.withUTF8 { b -> PhysicalKey? in
            let n = b.count
            guard n > 5, b[0] | 0x20 == UInt8(ascii: "s"), b[1] == UInt8(ascii: "3"), b[2] == UInt8(ascii: ":"),
                b[3] == UInt8(ascii: "/"), b[4] == UInt8(ascii: "/")
            else { return nil }
            var slash = -1
            var query = n
            var i = 5
            while i < n {
                let c = b[i]
                if c == UInt8(ascii: "%") || c == UInt8(ascii: "#") || c == UInt8(ascii: "+") { return nil }
                if c == UInt8(ascii: "?") { query = i; break }
                if c == UInt8(ascii: "/") && slash < 0 { slash = i }
                i += 1
            }
            guard slash > 5 else { return nil }
            let bucket = String(decoding: UnsafeBufferPointer(rebasing: b[5..<slash]), as: UTF8.self)
            let key = String(decoding: UnsafeBufferPointer(rebasing: b[(slash + 1)..<query]), as: UTF8.self)
            var version: String? = nil
            if query < n {
                let prefix = Array("?versionId=".utf8)
                guard n - query > prefix.count else { return nil }
                for k in 0..<prefix.count where b[query + k] != prefix[k] { return nil }
                for k in (query + prefix.count)..<n where b[k] == UInt8(ascii: "&") || b[k] == UInt8(ascii: "%") {
                    return nil
                }
                version = String(decoding: UnsafeBufferPointer(rebasing: b[(query + prefix.count)..<n]), as: UTF8.self)
            }
            return PhysicalKey(s3Bucket: bucket, key: key, versionId: version)
        }
        if let fast { return fast }
        return try PhysicalKey(url)
    }

    /// Read + split + JSON parse + byte-level physical key + top hash written straight from the entry fields
    /// (no intermediate `hashRecord` object) + a one-level listing under `prefix`. Returns the top hash.
    static func browse(_ path: String, prefix: String) async throws -> String {
        var sha = ObjectHasher(type: .sha256, totalSize: 0)
        var scratch: [UInt8] = []
        scratch.reserveCapacity(1024)
        var first = true
        var files = 0
        var dirs: [String: Int] = [:]
        let prefixBytes = Array(prefix.utf8)
        try await ManifestProfile.forEachLine(path) { line in
            guard case .object(var o) = try JSONParser.parse(line) else { throw SpawnError(description: "not an object") }
            if first {
                first = false
                _ = o.removeValue(forKey: "top_hash")
                scratch.removeAll(keepingCapacity: true)
                CanonicalJSON.append(.object(o), to: &scratch)
                scratch.withUnsafeBytes { sha.update($0) }
                return
            }
            guard let lk = o["logical_key"]?.stringValue, let url = o["physical_keys"]?[0]?.stringValue,
                let size = o["size"]?.numberValue?.int64Value, let hash = o["hash"]
            else { throw SpawnError(description: "bad entry") }
            let meta: JSONValue = o["meta"].flatMap { $0.isNull ? nil : $0 } ?? .object([:])
            _ = try physicalKey(url)
            // Canonical `{"hash":…,"logical_key":…,"meta":…,"size":…}` (keys already in sorted order).
            scratch.removeAll(keepingCapacity: true)
            scratch.append(contentsOf: #"{"hash":"#.utf8)
            CanonicalJSON.append(hash, to: &scratch)
            scratch.append(contentsOf: #","logical_key":"#.utf8)
            CanonicalJSON.append(.string(lk), to: &scratch)
            scratch.append(contentsOf: #","meta":"#.utf8)
            CanonicalJSON.append(meta, to: &scratch)
            scratch.append(contentsOf: #","size":"#.utf8)
            scratch.append(contentsOf: String(size).utf8)
            scratch.append(UInt8(ascii: "}"))
            scratch.withUnsafeBytes { sha.update($0) }
            // One-level listing, comparing bytes.
            var key = lk
            key.withUTF8 { k in
                guard k.count > prefixBytes.count, k.starts(with: prefixBytes) else { return }
                if let slash = k[prefixBytes.count...].firstIndex(of: UInt8(ascii: "/")) {
                    dirs[String(decoding: UnsafeBufferPointer(rebasing: k[..<(slash + 1)]), as: UTF8.self), default: 0] += 1
                } else {
                    files += 1
                }
            }
        }
        let digest = sha.finalize().value  // SHA256 type: lowercase hex
        log("prototype listing: \(files) files, \(dirs.count) directories")
        return digest
    }
}

extension Prototype {
    /// Read + split with `memchr` (one reused buffer), counting lines.
    static func memchrLines(_ path: String) throws -> Int {
        var lines = 0
        try scanLines(path, from: 0, to: Int(LocalDirs.fileSize(path) ?? 0)) { _ in lines += 1 }
        return lines
    }

    /// Calls `body` with each line of bytes `[from, to)` of the file (`from` must start a line), reading 1 MiB
    /// blocks with `pread` into one reused buffer and finding newlines with `memchr`.
    static func scanLines(
        _ path: String, from: Int, to: Int, _ body: (UnsafeRawBufferPointer) throws -> Void
    ) throws {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw SpawnError(description: "open \(path)") }
        defer { close(fd) }
        let block = 1 << 20
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: block, alignment: 64)
        defer { buffer.deallocate() }
        var carry: [UInt8] = []
        var offset = from
        while offset < to {
            let n = pread(fd, buffer.baseAddress!, min(block, to - offset), off_t(offset))
            guard n > 0 else { break }
            offset += n
            var start = 0
            while start < n {
                guard let hit = memchr(buffer.baseAddress! + start, 0x0A, n - start) else {
                    carry.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[start..<n]))
                    break
                }
                let nl = buffer.baseAddress!.distance(to: hit)
                if carry.isEmpty {
                    try body(UnsafeRawBufferPointer(rebasing: buffer[start..<nl]))
                } else {
                    carry.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[start..<nl]))
                    try carry.withUnsafeBytes { try body($0) }
                    carry.removeAll(keepingCapacity: true)
                }
                start = nl + 1
            }
        }
        if !carry.isEmpty { try carry.withUnsafeBytes { try body($0) } }
    }

    /// One half of the two-core prototype: parse lines of `[from, to)`, returning the canonical top-hash bytes in
    /// order (header first when `from == 0`) and the one-level listing counts.
    static func half(_ path: String, from: Int, to: Int, prefix: [UInt8]) throws -> (bytes: [UInt8], files: Int, dirs: Set<String>) {
        var out: [UInt8] = []
        out.reserveCapacity((to - from) * 2 / 3)
        var files = 0
        var dirs = Set<String>()
        var first = from == 0
        try scanLines(path, from: from, to: to) { line in
            guard case .object(var o) = try JSONParser.parse(line) else { throw SpawnError(description: "not an object") }
            if first {
                first = false
                _ = o.removeValue(forKey: "top_hash")
                CanonicalJSON.append(.object(o), to: &out)
                return
            }
            guard let lk = o["logical_key"]?.stringValue, let url = o["physical_keys"]?[0]?.stringValue,
                let size = o["size"]?.numberValue?.int64Value, let hash = o["hash"]
            else { throw SpawnError(description: "bad entry") }
            let meta: JSONValue = o["meta"].flatMap { $0.isNull ? nil : $0 } ?? .object([:])
            _ = try physicalKey(url)
            out.append(contentsOf: #"{"hash":"#.utf8)
            CanonicalJSON.append(hash, to: &out)
            out.append(contentsOf: #","logical_key":"#.utf8)
            CanonicalJSON.append(.string(lk), to: &out)
            out.append(contentsOf: #","meta":"#.utf8)
            CanonicalJSON.append(meta, to: &out)
            out.append(contentsOf: #","size":"#.utf8)
            out.append(contentsOf: String(size).utf8)
            out.append(UInt8(ascii: "}"))
            var key = lk
            key.withUTF8 { k in
                guard k.count > prefix.count, k.starts(with: prefix) else { return }
                if let slash = k[prefix.count...].firstIndex(of: UInt8(ascii: "/")) {
                    dirs.insert(String(decoding: UnsafeBufferPointer(rebasing: k[..<(slash + 1)]), as: UTF8.self))
                } else {
                    files += 1
                }
            }
        }
        return (out, files, dirs)
    }

    /// P2 split over two cores: each half of the file (cut at a newline) is parsed and canonical-encoded by its
    /// own task; the canonical bytes are then hashed in order. Returns the top hash.
    static func browseTwoCores(_ path: String, prefix: String) async throws -> String {
        let size = Int(LocalDirs.fileSize(path) ?? 0)
        // The second half starts after the first newline at or past the middle.
        var mid = size
        let fd = open(path, O_RDONLY)
        if fd >= 0 {
            var probe = [UInt8](repeating: 0, count: 65536)
            let n = probe.withUnsafeMutableBytes { pread(fd, $0.baseAddress!, $0.count, off_t(size / 2)) }
            close(fd)
            if n > 0, let nl = probe[0..<n].firstIndex(of: 0x0A) { mid = size / 2 + nl + 1 }
        }
        let p = Array(prefix.utf8)
        let cut = mid
        async let a = Task.detached { try half(path, from: 0, to: cut, prefix: p) }.value
        async let b = Task.detached { try half(path, from: cut, to: size, prefix: p) }.value
        let (first, second) = try await (a, b)
        var sha = ObjectHasher(type: .sha256, totalSize: 0)
        first.bytes.withUnsafeBytes { sha.update($0) }
        second.bytes.withUnsafeBytes { sha.update($0) }
        log("two-core prototype listing: \(first.files + second.files) files, \(first.dirs.union(second.dirs).count) directories")
        return sha.finalize().value
    }
}
