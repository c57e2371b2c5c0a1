// libFuzzer target `keys`: the value types that parse text from manifests, tool arguments and configuration —
// physical keys, registry URLs, logical keys, package names, top hashes, revision references, percent-encoding and
// the http(s) URLs of S3 endpoints.
//
// The input is read as two strings split at the first newline (`a`, `b`); each parser sees `a`, and the ordering
// checks compare `a` with `b`.
//
// Properties (each traps on violation):
// - PhysicalKey: a parsed key prints (`url`) to a URL that parses back to the same key (a file path loses its trailing
//   slashes, as pathlib's do) and prints the same again; the one-pass fast parser and the general parser agree
//   (appending an empty fragment `#` forces the general one); the scheme is case-insensitive; a URL the one-pass
//   check (`isCertainlyValid`, the manifest fast path's) vouches for parses;
// - RegistryURL: `url` parses back to the same registry; a physical key it makes for a valid logical key round-trips;
// - LogicalKey: accepted keys have no empty, `.` or `..` component between '/' bytes, and `components` are those; tree order (treeOrderPrecedes, on strings and on
//   bytes alike) is a strict total order on distinct strings and equals comparing component lists by code point;
// - PackageName, TopHash, RevisionRef: what is accepted re-parses from its printed form to the same value;
// - PercentEncoding: unquote(quote(s)) == s, for quote with and without safe characters and for quotePlus;
// - HTTPURL (S3 endpoints): the host is the one the bytes delimit (RFC 3986) and holds no '/', '?', '#' or '@'; the
//   path starts with '/' and holds no '?' or '#'; `text` parses back to the same URL.
import FuzzSupport
import QuiltHTTP
import QuiltContract

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    let (first, rest) = split(UnsafeRawBufferPointer(start: start, count: count), at: 0x0A)
    let a = text(first)
    let b = rest.map(text) ?? ""

    physicalKey(a)
    httpURL(a)
    registryURL(a, logicalKey: b)
    logicalKeys(a, b)
    names(a, b)
    percentEncoding(a)
    return 0
}

private func physicalKey(_ s: String) {
    let parsed = try? PhysicalKey(s)
    let certain = Array(s.utf8).withUnsafeBytes { PhysicalKey.isCertainlyValid($0) }
    check(!certain || parsed != nil, "PhysicalKey.isCertainlyValid('\(s)') but the parser refuses it")
    if !s.contains("#") {
        let general = try? PhysicalKey(s + "#")
        check(general == parsed, "PhysicalKey('\(s)') is \(String(describing: parsed)) but with an empty fragment \(String(describing: general))")
    }
    for scheme in ["s3://", "file://", "memory://"] where s.hasPrefix(scheme) {
        let upper = scheme.uppercased() + s.dropFirst(scheme.count)
        check((try? PhysicalKey(upper)) == parsed, "PhysicalKey scheme case matters for '\(s)'")
    }
    guard let key = parsed else { return }
    let url = key.url
    let again: PhysicalKey
    do throws(QuiltOpsError) {
        again = try PhysicalKey(url)
    } catch {
        fatalError("fuzz property violated: PhysicalKey('\(s)').url = '\(url)' does not parse: \(error)")
    }
    var expected = key
    if key.scheme == .file {
        var p = key.path
        while p.count > 1 && p.hasSuffix("/") { p.removeLast() }
        expected = PhysicalKey(filePath: p)
    }
    check(again == expected, "PhysicalKey('\(s)') → '\(url)' → \(again.scheme) \(again.bucket ?? "-") '\(again.path)' \(again.versionId ?? "-"), not \(expected.scheme) \(expected.bucket ?? "-") '\(expected.path)' \(expected.versionId ?? "-")")
    check(again.url == url, "PhysicalKey url is not a fixpoint: '\(url)' → '\(again.url)'")
    check(key.unversioned.versionId == nil && key.unversioned.path == key.path, "unversioned changed more than the version")
    _ = key.basename
}

/// S3 endpoints (`AWS_ENDPOINT_URL…`, profile `endpoint_url`) and every request the S3 client signs.
private func httpURL(_ s: String) {
    guard let url = HTTPURL(s) else { return }
    let delimiters: [UInt8] = Array("/?#@".utf8)
    check(!url.host.utf8.contains { delimiters.contains($0) },
          "HTTPURL('\(s)') has host '\(url.host)' (scalars \(url.host.unicodeScalars.map { String($0.value, radix: 16) })), which holds a URL delimiter")
    check(url.path.utf8.first == UInt8(ascii: "/"), "HTTPURL('\(s)') has path '\(url.path)'")
    check(!url.path.utf8.contains(UInt8(ascii: "?")) && !url.path.utf8.contains(UInt8(ascii: "#")), "HTTPURL('\(s)') path '\(url.path)' holds '?' or '#'")
    // The host as the bytes delimit it (RFC 3986: the authority ends at the first '/', '?' or '#'; userinfo ends at
    // the last '@'; the port follows the last ':'), which is what an HTTP client connecting to the text would use.
    let bytes = Array(s.utf8)
    if let sep = firstRange(of: Array("://".utf8), in: bytes) {
        let end = bytes[sep.upperBound...].firstIndex { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#") } ?? bytes.endIndex
        var authority = bytes[sep.upperBound..<end]
        if let at = authority.lastIndex(of: UInt8(ascii: "@")) { authority = authority[(at + 1)...] }
        if let colon = authority.lastIndex(of: UInt8(ascii: ":")), authority.last != UInt8(ascii: "]") { authority = authority[..<colon] }
        let host = String(decoding: authority, as: UTF8.self).lowercased()
        check(url.host == host, "HTTPURL('\(s)') has host '\(url.host)' where the bytes delimit '\(host)'")
    }
    let again = HTTPURL(url.text)
    check(again == url, "HTTPURL('\(s)').text = '\(url.text)' parses to \(String(describing: again))")
    _ = url.queryItems
}

private func firstRange(of needle: [UInt8], in haystack: [UInt8]) -> Range<Int>? {
    guard needle.count <= haystack.count else { return nil }
    for i in 0...(haystack.count - needle.count) where haystack[i..<(i + needle.count)].elementsEqual(needle) {
        return i..<(i + needle.count)
    }
    return nil
}

private func registryURL(_ s: String, logicalKey: String) {
    guard let registry = try? RegistryURL(s) else { return }
    let url = registry.url
    let again = try? RegistryURL(url)
    check(again == registry, "RegistryURL('\(s)').url = '\(url)' parses to \(String(describing: again))")
    guard let lk = try? LogicalKey(logicalKey) else { return }
    let physical = registry.physicalKey(lk.rawValue, versionId: nil)
    let back = try? PhysicalKey(physical.url)
    check(back == physical, "registry \(url) key '\(lk.rawValue)': physical key '\(physical.url)' parses to \(String(describing: back))")
}

private func logicalKeys(_ a: String, _ b: String) {
    if let key = try? LogicalKey(a) {
        // Components as quilt3 (Python's str.split) and file systems see them: split at every '/' byte.
        let parts = a.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)
        check(!parts.contains { $0.isEmpty || $0.elementsEqual(".".utf8) || $0.elementsEqual("..".utf8) },
              "LogicalKey accepted '\(a)' (scalars \(a.unicodeScalars.map { String($0.value, radix: 16) })), whose '/'-separated parts include an empty, '.' or '..' one")
        check(key.components.count == parts.count, "LogicalKey.components has \(key.components.count) parts, '/' splits '\(a)' into \(parts.count)")
        check(key.components.joined(separator: "/") == a, "LogicalKey components do not rebuild '\(a)'")
    }
    let ab = LogicalKey.treeOrderPrecedes(a, b)
    let ba = LogicalKey.treeOrderPrecedes(b, a)
    let same = a.utf8.elementsEqual(b.utf8)
    check(!(ab && ba), "tree order is not antisymmetric for '\(a)', '\(b)'")
    check(same ? !ab && !ba : ab || ba, "tree order is not total/irreflexive for '\(a)', '\(b)'")
    check(ab == LogicalKey.treeOrderPrecedes(bytes: Array(a.utf8), Array(b.utf8)), "tree order on bytes differs from strings")
    check(ab == componentOrder(a, b), "tree order for '\(a)' < '\(b)' is \(ab), component-wise order says \(!ab)")
}

/// quilt3's order as documented: lists of `/`-separated components, each compared by code point (UTF-8 bytes order
/// the same way), a list that is a prefix of another first.
private func componentOrder(_ a: String, _ b: String) -> Bool {
    let x = a.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)
    let y = b.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)
    return x.lexicographicallyPrecedes(y) { p, q in p.lexicographicallyPrecedes(q) }
}

private func names(_ a: String, _ b: String) {
    if let name = try? PackageName(a) {
        check(name.namespace + "/" + name.shortName == a, "PackageName parts do not rebuild '\(a)'")
        check((try? PackageName(name.rawValue)) == name, "PackageName does not re-parse")
        check(!(name < name), "PackageName order is reflexive")
    }
    if let hash = try? TopHash(a) {
        check(hash.rawValue.utf8.count == 64 && TopHash.isHex(hash.rawValue), "TopHash kept '\(hash.rawValue)'")
        check((try? TopHash(hash.rawValue)) == hash, "TopHash does not re-parse")
    }
    for (topHash, tag) in [(a, nil), (nil, a), (a, b)] as [(String?, String?)] {
        guard let ref = try? RevisionRef.parse(topHash: topHash, tag: tag) else { continue }
        let printed = ref.description
        let again: RevisionRef?
        switch ref {
        case .latest: again = try? RevisionRef.parse(topHash: nil, tag: "latest")
        case .tag: again = try? RevisionRef.parse(topHash: nil, tag: printed)
        case .hash, .hashPrefix: again = try? RevisionRef.parse(topHash: printed, tag: nil)
        }
        check(again == ref, "RevisionRef \(ref) printed as '\(printed)' re-parses to \(String(describing: again))")
    }
}

private func percentEncoding(_ s: String) {
    for safe in ["/", ""] {
        let q = PercentEncoding.quote(s, safe: safe)
        check(q.utf8.allSatisfy { $0 < 0x80 && $0 > 0x20 }, "quote('\(s)') is not printable ASCII: '\(q)'")
        check(PercentEncoding.unquote(q) == s, "unquote(quote('\(s)', safe: '\(safe)')) = \(String(describing: PercentEncoding.unquote(q)))")
        check(PercentEncoding.unquoteBytes(q).elementsEqual(s.utf8), "unquoteBytes(quote('\(s)')) differs")
    }
    let qp = PercentEncoding.quotePlus(s)
    check(PercentEncoding.unquote(qp, plus: true) == s, "unquote(quotePlus('\(s)'), plus: true) differs")
    _ = PercentEncoding.unquote(s)
    _ = PercentEncoding.unquote(s, plus: true)
}
