#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif
import QuiltHash
package import QuiltJSON
import QuiltContract

/// Turns manifest lines into records, with quilt3's leniencies: a missing or null `meta` reads as `{}`, the obsolete
/// header key `top_hash` is dropped, and a line whose `physical_keys` is missing or empty is a directory line.
package enum ManifestParser {
    /// Parses one line (without its newline). `lineNumber` is 1-based; line 1 is the header.
    /// - Throws: `ManifestError` naming the line and the problem.
    package static func parse(_ line: UnsafeRawBufferPointer, lineNumber: Int) throws(ManifestError) -> ManifestRecord {
        let value: JSONValue
        do {
            value = try JSONParser.parse(line)
        } catch {
            throw ManifestError(line: lineNumber, message: "invalid JSON at byte \(error.offset): \(error.message)")
        }
        return try record(value, lineNumber: lineNumber)
    }

    /// Interprets an already-parsed line.
    /// - Throws: `ManifestError`.
    package static func record(_ value: JSONValue, lineNumber: Int) throws(ManifestError) -> ManifestRecord {
        guard case .object(var object) = value else {
            throw ManifestError(line: lineNumber, message: "a manifest line must be a JSON object.")
        }
        if lineNumber == 1 {
            _ = object.removeValue(forKey: "top_hash")
            return .header(object)
        }
        guard let lk = object["logical_key"]?.stringValue else {
            throw ManifestError(line: lineNumber, message: "missing string 'logical_key'.")
        }
        let meta: JSONValue
        switch object["meta"] {
        case nil, .null?: meta = .object([:])
        case let m?: meta = m
        }
        let keys = object["physical_keys"]?.arrayValue ?? []
        if keys.isEmpty {
            return .directory(ManifestDirectory(logicalKey: lk, meta: meta))
        }
        guard let url = keys[0].stringValue else {
            throw ManifestError(line: lineNumber, message: "'physical_keys' of \(lk) must hold URL strings.")
        }
        let physicalKey: PhysicalKey
        do {
            physicalKey = try PhysicalKey(url)
        } catch {
            throw ManifestError(line: lineNumber, message: "physical key of \(lk): \(error.message)")
        }
        guard let size = object["size"]?.numberValue?.int64Value, size >= 0 else {
            throw ManifestError(line: lineNumber, message: "'size' of \(lk) must be a non-negative integer.")
        }
        guard let hash = object["hash"] else {
            throw ManifestError(line: lineNumber, message: "missing 'hash' for \(lk).")
        }
        return .entry(ManifestEntry(logicalKey: lk, physicalKey: physicalKey, size: size, rawHash: hash, meta: meta))
    }
}

/// Splits a byte stream into `\n`-terminated lines without holding more than one partial line.
package struct LineSplitter {
    private var carry: [UInt8] = []
    /// Lines seen so far.
    package private(set) var lineCount = 0

    package init() {}

    /// Feeds a chunk; calls `body` with each complete line (without the newline).
    package mutating func feed<E: Error>(
        _ chunk: [UInt8], _ body: (UnsafeRawBufferPointer, Int) throws(E) -> Void
    ) throws(E) {
        try chunk.withBytes { (buf) throws(E) in
            var start = 0
            let n = buf.count
            while start < n {
                guard let nl = memchrIndex(buf, from: start) else {
                    carry.append(contentsOf: buf[start..<n])
                    return
                }
                lineCount += 1
                if carry.isEmpty {
                    try body(UnsafeRawBufferPointer(rebasing: buf[start..<nl]), lineCount)
                } else {
                    carry.append(contentsOf: buf[start..<nl])
                    let line = carry
                    carry.removeAll(keepingCapacity: true)
                    try line.withBytes { (l) throws(E) in try body(l, lineCount) }
                }
                start = nl + 1
            }
        }
    }

    /// Flushes a final line that had no newline (tolerated, though quilt3 always writes one).
    package mutating func finish<E: Error>(_ body: (UnsafeRawBufferPointer, Int) throws(E) -> Void) throws(E) {
        guard !carry.isEmpty else { return }
        lineCount += 1
        let line = carry
        carry.removeAll()
        try line.withBytes { (l) throws(E) in try body(l, lineCount) }
    }

    private func memchrIndex(_ buf: UnsafeRawBufferPointer, from: Int) -> Int? {
        guard from < buf.count, let base = buf.baseAddress else { return nil }
        guard let hit = memchr(base + from, 0x0A, buf.count - from) else { return nil }
        return base.distance(to: UnsafeRawPointer(hit))
    }
}
