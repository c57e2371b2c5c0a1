import Crypto
package import FoundationEssentials
import QuiltContract
package import QuiltHTTP
import QuiltHash

/// AWS Signature Version 4: `Authorization` headers and presigned query strings.
///
/// Follows the published algorithm and botocore's choices: every header present is signed except `expect`,
/// `transfer-encoding`, `user-agent`, `x-amzn-trace-id` and `authorization`; header values are trimmed with inner
/// runs of spaces collapsed; query names and values are RFC 3986-encoded and sorted. S3 signs the path exactly as
/// sent; other services normalise it and encode it twice. Tests check it against the AWS examples and against
/// botocore on the same requests (`Fixtures/sigv4`).
package struct SigV4Signer: Sendable {
    /// Headers never signed.
    package static let unsignedHeaders: Set<String> = ["expect", "transfer-encoding", "user-agent", "x-amzn-trace-id", "authorization"]
    /// The payload hash S3 accepts in place of a digest.
    package static let unsignedPayload = "UNSIGNED-PAYLOAD"
    /// SHA-256 of nothing.
    package static let emptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

    package var region: String
    package var service: String

    package init(region: String, service: String) {
        self.region = region
        self.service = service
    }

    /// S3 signs the path as sent; other services normalise and double-encode it.
    var isS3: Bool { service == "s3" }

    // MARK: - Headers

    /// Adds `x-amz-date`, `x-amz-security-token` (temporary credentials), `x-amz-content-sha256` (S3) and the
    /// `Authorization` header to `request`.
    /// - Parameter payloadHash: hex SHA-256 of the body, or `UNSIGNED-PAYLOAD`; nil computes it from the body.
    package func sign(_ request: inout QuiltHTTPRequest, credentials: AWSCredentials, date: Date, payloadHash: String? = nil) {
        let stamp = Self.timestamps(date)
        request.headers.removeAll { ["authorization", "x-amz-date", "x-amz-security-token"].contains($0.name.lowercased()) }
        if !request.headers.contains(where: { $0.name.lowercased() == "host" }), let url = HTTPURL(request.url) {
            request.headers.append(HTTPField("host", url.hostHeader))
        }
        request.headers.append(HTTPField("x-amz-date", stamp.long))
        if let token = credentials.sessionToken { request.headers.append(HTTPField("x-amz-security-token", token)) }
        let payload = payloadHash ?? request.header("x-amz-content-sha256") ?? Self.hex(SHA256.hash(data: request.body))
        if isS3 && request.header("x-amz-content-sha256") == nil {
            request.headers.append(HTTPField("x-amz-content-sha256", payload))
        }
        let (canonical, signed) = canonicalRequest(request, payloadHash: payload)
        let signature = self.signature(canonicalRequest: canonical, credentials: credentials, stamp: stamp)
        request.headers.append(
            HTTPField(
                "authorization",
                "AWS4-HMAC-SHA256 Credential=\(credentials.accessKeyId)/\(scope(stamp.short)), SignedHeaders=\(signed), Signature=\(signature)"
            ))
    }

    // MARK: - Presigning

    /// A URL anyone may use with `method` until `expires` seconds after `date` (at most 7 days).
    /// Only `host` is signed and the payload is unsigned, as S3 presigned URLs are.
    package func presign(method: String, url: String, credentials: AWSCredentials, date: Date, expires: Int) -> String {
        guard let parsed = HTTPURL(url) else { return url }
        let stamp = Self.timestamps(date)
        var items = Self.rawQueryItems(parsed.query)
        items += [
            ("X-Amz-Algorithm", "AWS4-HMAC-SHA256"),
            ("X-Amz-Credential", "\(credentials.accessKeyId)/\(scope(stamp.short))"),
            ("X-Amz-Date", stamp.long), ("X-Amz-Expires", String(expires)),
        ]
        if let token = credentials.sessionToken { items.append(("X-Amz-Security-Token", token)) }
        items.append(("X-Amz-SignedHeaders", "host"))
        let query = Self.canonicalQuery(items)
        var base = parsed
        base.query = query
        let request = QuiltHTTPRequest(method: method, url: base.text, headers: [HTTPField("host", parsed.hostHeader)])
        let (canonical, _) = canonicalRequest(request, payloadHash: isS3 ? Self.unsignedPayload : Self.emptyPayloadHash)
        let signature = self.signature(canonicalRequest: canonical, credentials: credentials, stamp: stamp)
        base.query = query + "&X-Amz-Signature=" + signature
        return base.text
    }

    // MARK: - The algorithm

    /// The canonical request and the signed-header list.
    package func canonicalRequest(_ request: QuiltHTTPRequest, payloadHash: String) -> (String, String) {
        let url = HTTPURL(request.url)
        var grouped: [String: [String]] = [:]
        for field in request.headers {
            let name = field.name.lowercased()
            guard !Self.unsignedHeaders.contains(name) else { continue }
            grouped[name, default: []].append(Self.trimmed(field.value))
        }
        if grouped["host"] == nil, let url { grouped["host"] = [url.hostHeader] }
        let names = grouped.keys.sorted()
        let headers = names.map { "\($0):\(grouped[$0, default: []].joined(separator: ","))\n" }.joined()
        let signed = names.joined(separator: ";")
        let items = Self.rawQueryItems(url?.query)
        let canonical = [
            request.method.uppercased(), canonicalPath(url?.path ?? "/"), Self.canonicalQuery(items), headers, signed, payloadHash,
        ].joined(separator: "\n")
        return (canonical, signed)
    }

    /// The string to sign for a canonical request at `stamp`.
    package func stringToSign(canonicalRequest: String, date: Date) -> String {
        let stamp = Self.timestamps(date)
        return stringToSign(canonicalRequest, stamp)
    }

    func stringToSign(_ canonicalRequest: String, _ stamp: (long: String, short: String)) -> String {
        "AWS4-HMAC-SHA256\n\(stamp.long)\n\(scope(stamp.short))\n\(Self.hex(SHA256.hash(data: Array(canonicalRequest.utf8))))"
    }

    func signature(canonicalRequest: String, credentials: AWSCredentials, stamp: (long: String, short: String)) -> String {
        let key = signingKey(secret: credentials.secretAccessKey, day: stamp.short)
        let mac = HMAC<SHA256>.authenticationCode(for: Array(stringToSign(canonicalRequest, stamp).utf8), using: key)
        return Self.hex(mac)
    }

    /// `AWS4<secret>` → day → region → service → `aws4_request`.
    func signingKey(secret: String, day: String) -> SymmetricKey {
        var key = SymmetricKey(data: Array("AWS4\(secret)".utf8))
        for part in [day, region, service, "aws4_request"] {
            key = SymmetricKey(data: HMAC<SHA256>.authenticationCode(for: Array(part.utf8), using: key))
        }
        return key
    }

    func scope(_ day: String) -> String { "\(day)/\(region)/\(service)/aws4_request" }

    /// S3: the path as sent. Others: dot segments and repeated slashes removed, then every segment encoded again.
    func canonicalPath(_ path: String) -> String {
        guard !isS3 else { return path.isEmpty ? "/" : path }
        var segments: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == ".." { _ = segments.popLast(); continue }
            segments.append(part)
        }
        var normalized = "/" + segments.joined(separator: "/")
        if path.hasSuffix("/") && normalized != "/" { normalized += "/" }
        return FormEncoding.encode(normalized, keepSlash: true)
    }

    /// The query's pairs decoded (`+` stays a plus sign, as S3 reads it).
    static func rawQueryItems(_ query: String?) -> [(String, String)] {
        guard let query, !query.isEmpty else { return [] }
        return query.split(separator: "&").map { (part: Substring) -> (String, String) in
            let pieces = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = String(pieces[0])
            let value = pieces.count > 1 ? String(pieces[1]) : ""
            return (FormEncoding.decode(name, plusIsSpace: false), FormEncoding.decode(value, plusIsSpace: false))
        }
    }

    /// Names and values encoded, sorted by encoded name then value, `name=value` joined with `&`.
    static func canonicalQuery(_ items: [(String, String)]) -> String {
        items.map { (FormEncoding.encode($0.0), FormEncoding.encode($0.1)) }
            .sorted { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
            .map { "\($0.0)=\($0.1)" }.joined(separator: "&")
    }

    /// Leading and trailing whitespace removed, inner runs of spaces collapsed to one.
    static func trimmed(_ value: String) -> String {
        var out = ""
        var lastSpace = false
        for ch in value.trimmingWhitespace() {
            if ch == " " {
                if !lastSpace { out.append(ch) }
                lastSpace = true
            } else {
                out.append(ch)
                lastSpace = false
            }
        }
        return out
    }

    /// `yyyyMMdd'T'HHmmss'Z'` and `yyyyMMdd` in UTC.
    static func timestamps(_ date: Date) -> (long: String, short: String) {
        let seconds = Int(date.timeIntervalSince1970.rounded(.down))
        let (days, rest) = seconds.quotientAndRemainder(dividingBy: 86_400)
        let (y, m, d) = CivilDate.civil(fromDays: rest < 0 ? days - 1 : days)
        let sod = rest < 0 ? rest + 86_400 : rest
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        let short = "\(y)\(two(m))\(two(d))"
        return ("\(short)T\(two(sod / 3600))\(two(sod % 3600 / 60))\(two(sod % 60))Z", short)
    }

    static func hex<D: Sequence>(_ digest: D) -> String where D.Element == UInt8 { HashEncoding.lowercaseHex(digest) }
}
