// libFuzzer target `manifest`: quilt3 manifests (JSONL) through the streaming reader, the full line parser, the fast
// entry scanner and the writer.
//
// Properties (each traps on violation):
// - LineSplitter yields the same lines whether the bytes arrive whole or in 7-byte chunks;
// - FastEntryScanner leaves its output untouched when it declines a line;
// - when it accepts a line, the full parser (ManifestParser) either gives an entry whose top-hash record
//   (TopHasher.appendRecord) is byte-identical to the scanner's, with the same logical key and size, or fails only
//   where the scanner does not look (the physical key's syntax and UTF-8): the invariant FastEntryScanner documents
//   and TopHasher.addLine relies on;
// - a manifest that Manifest.parse accepts and that can be written (no NaN/Infinity, lines under the limit)
//   re-parses from Manifest.serialized() to the same header, directories and entries (in the written tree order;
//   each physical key as its URL names it), with the same top hash, and writing it again gives the same bytes;
// - the streaming top hash (TopHasher.addLine fast path, else parse + add, as the registry reads manifests) equals
//   the in-memory one whenever the entries came in tree order.
import Crypto
import FuzzSupport
import QuiltJSON
import QuiltManifest
import QuiltContract

@_cdecl("LLVMFuzzerInitialize")
public func initialize(_ argc: UnsafeMutablePointer<CInt>?, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>?) -> CInt {
    CryptoStubSelfTest.run()  // top hashes are SHA-256 through the fuzz build's Crypto stand-in
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    let bytes = Array(UnsafeRawBufferPointer(start: start, count: count))

    // Lines, whole and chunked.
    let lines = splitLines(bytes, chunk: max(bytes.count, 1))
    check(splitLines(bytes, chunk: 7) == lines, "LineSplitter depends on how the bytes are chunked")

    // Each line through both entry parsers (as an entry line) and the header path.
    for line in lines {
        line.withUnsafeBytes { raw in
            _ = try? ManifestParser.parse(raw, lineNumber: 1)
            compareFastAndFull(raw)
        }
    }

    // The whole manifest: parse, write, parse again.
    guard let manifest = try? Manifest.parse(bytes) else { return 0 }
    let topHash = manifest.topHash
    checkStreamingTopHash(lines, manifest: manifest, topHash: topHash)
    guard let written = try? manifest.serialized() else { return 0 }
    let again: Manifest
    do throws(ManifestError) {
        again = try Manifest.parse(written)
    } catch {
        fatalError("fuzz property violated: Manifest.serialized() output does not parse: \(error)\n\(String(decoding: written, as: UTF8.self))")
    }
    var header = manifest.header
    _ = header.removeValue(forKey: "top_hash")
    check(again.header == header, "the header changed through serialized()")
    check(again.directories == manifest.directories.sorted { LogicalKey.treeOrderPrecedes($0.logicalKey, $1.logicalKey) },
          "directory lines changed through serialized()")
    // A physical key is written as its URL, which for a file path drops trailing slashes as pathlib does (the `keys`
    // target checks that URL round trip): the entry read back has the key its URL names.
    let expected = manifest.entries.sorted { LogicalKey.treeOrderPrecedes($0.logicalKey, $1.logicalKey) }.map { e in
        var e = e
        if let named = try? PhysicalKey(e.physicalKey.url) { e.physicalKey = named }
        return e
    }
    check(again.entries == expected, "entries changed through serialized()")
    check(again.topHash == topHash, "the top hash changed through serialized()")
    check((try? again.serialized()) == written, "serialized() is not a fixpoint")
    return 0
}

private func splitLines(_ bytes: [UInt8], chunk: Int) -> [[UInt8]] {
    var splitter = LineSplitter()
    var lines: [[UInt8]] = []
    var i = 0
    while i < bytes.count {
        let end = min(i + chunk, bytes.count)
        splitter.feed(Array(bytes[i..<end])) { line, n in
            check(n == lines.count + 1, "LineSplitter numbered line \(n) after \(lines.count) lines")
            lines.append(Array(line))
        }
        i = end
    }
    splitter.finish { line, _ in lines.append(Array(line)) }
    check(splitter.lineCount == lines.count, "LineSplitter.lineCount is \(splitter.lineCount) after \(lines.count) lines")
    return lines
}

private func compareFastAndFull(_ line: UnsafeRawBufferPointer) {
    var scanner = FastEntryScanner()
    let sentinel: [UInt8] = [0xAA, 0x55]
    var out = sentinel
    let fast = scanner.appendRecord(line, to: &out)
    guard let fast else {
        check(out == sentinel, "FastEntryScanner declined but changed its output")
        return
    }
    check(out.starts(with: sentinel), "FastEntryScanner overwrote earlier output")
    let record: ManifestRecord
    do throws(ManifestError) {
        record = try ManifestParser.parse(line, lineNumber: 2)
    } catch {
        // The scanner checks the shape and the hashed strings only; the physical key is the full parser's business.
        check(error.message.hasPrefix("physical key of ") || error.message.hasPrefix("invalid JSON"),
              "FastEntryScanner accepted a line the full parser rejects for another reason: \(error)")
        if error.message.hasPrefix("invalid JSON") { checkOnlyPhysicalKeyIsInvalidUTF8(line, error) }
        return
    }
    guard case .entry(let entry) = record else {
        fatalError("fuzz property violated: FastEntryScanner accepted a line the full parser reads as \(record)")
    }
    var expected = sentinel
    TopHasher.appendRecord(entry, to: &expected)
    check(out == expected, """
        FastEntryScanner's record differs from the full path's:
        fast: \(String(decoding: out.dropFirst(2), as: UTF8.self))
        full: \(String(decoding: expected.dropFirst(2), as: UTF8.self))
        """)
    check(line[fast.key].elementsEqual(entry.logicalKey.utf8), "FastEntryScanner's key range is not the logical key")
    check(fast.size == entry.size, "FastEntryScanner's size \(fast.size) is not the entry's \(entry.size)")
}

/// When the scanner accepted a line that is not valid JSON, the only bytes it did not validate are the physical key's:
/// replacing that string by a plain one must make the line parse.
private func checkOnlyPhysicalKeyIsInvalidUTF8(_ line: UnsafeRawBufferPointer, _ error: ManifestError) {
    let prefix = Array(#"{"logical_key": ""#.utf8)
    let marker = Array(#"", "physical_keys": [""#.utf8)
    let bytes = Array(line)
    guard let m = firstRange(of: marker, in: bytes, from: prefix.count),
          let close = bytes[m.upperBound...].firstIndex(of: UInt8(ascii: "\""))
    else { fatalError("fuzz property violated: accepted line without the plain shape: \(error)") }
    var repaired = Array(bytes[..<m.upperBound])
    repaired += Array("s3://b/k".utf8)
    repaired += bytes[close...]
    check((try? JSONParser.parse(repaired)) != nil,
          "FastEntryScanner accepted invalid JSON outside the physical key: \(error)")
}

private func firstRange(of needle: [UInt8], in haystack: [UInt8], from: Int) -> Range<Int>? {
    guard needle.count <= haystack.count else { return nil }
    var i = from
    while i + needle.count <= haystack.count {
        if haystack[i..<(i + needle.count)].elementsEqual(needle) { return i..<(i + needle.count) }
        i += 1
    }
    return nil
}

/// The registry's streaming read: header, then each entry line by the fast path or parsed.
private func checkStreamingTopHash(_ lines: [[UInt8]], manifest: Manifest, topHash: TopHash) {
    var hasher: TopHasher? = nil
    for line in lines where !line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) {
        let ok: Bool = line.withUnsafeBytes { raw in
            guard var h = hasher else {
                guard case .header(let header)? = try? ManifestParser.parse(raw, lineNumber: 1) else { return false }
                hasher = TopHasher(header: header)
                return true
            }
            defer { hasher = h }
            if h.addLine(raw) != nil { return true }
            switch try? ManifestParser.parse(raw, lineNumber: 2) {
            case .entry(let e)?: h.add(e)
            case .directory?: break
            default: return false
            }
            return true
        }
        check(ok, "a line Manifest.parse accepted failed in the streaming read")
    }
    guard var h = hasher, !h.outOfOrder else { return }
    check(h.finalize() == topHash, "the streaming top hash differs from Manifest.topHash")
}
