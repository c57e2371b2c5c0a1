import FoundationEssentials
import QuiltJSON

/// The one place secrets and per-run noise are taken out of recorded exchanges, in requests and responses alike.
///
/// `FixtureStore.write` runs every exchange through `scrub` before encoding (no other path writes fixtures), and
/// `ReplayingTransport` runs each incoming request through `scrub` before matching, so a replayed request matches
/// its recording whatever secret values the replaying client holds.
package struct FixtureScrubber: Sendable {
    /// Placeholder for a removed secret value.
    package static let placeholder = "<SCRUBBED>"

    /// Request headers never written: credentials, and values that differ on every run or machine.
    package static let droppedRequestHeaders: Set<String> = [
        "authorization", "proxy-authorization", "cookie", "x-amz-security-token", "x-aws-ec2-metadata-token",
        "user-agent", "x-amz-user-agent", "amz-sdk-invocation-id", "amz-sdk-request", "host", "content-length",
        "connection", "accept-encoding",
    ]
    /// Response headers never written: cookies, and per-request ids, dates and server noise.
    package static let droppedResponseHeaders: Set<String> = [
        "set-cookie", "date", "server", "x-amz-request-id", "x-amz-id-2", "x-amzn-requestid", "x-amzn-trace-id",
        "connection", "keep-alive", "transfer-encoding", "x-aws-ec2-metadata-token-ttl-seconds",
    ]
    /// Query parameters whose values are replaced (presigned URLs, legacy signatures).
    package static let scrubbedQuery: Set<String> = [
        "X-Amz-Signature", "X-Amz-Credential", "X-Amz-Security-Token", "Signature", "AWSAccessKeyId", "access_token",
    ]
    /// JSON members (at any depth) whose string values are secrets: AWS credentials, catalog and OAuth tokens.
    package static let secretJSONKeys: Set<String> = [
        "AccessKeyId", "SecretAccessKey", "SessionToken", "Token", "access_key", "secret_key", "token", "access_token",
        "refresh_token", "id_token", "password", "client_secret", "api_key", "apiKey", "secret",
    ]
    /// XML elements whose text is secret (STS responses and requests).
    package static let secretXMLElements = [
        "AccessKeyId", "SecretAccessKey", "SessionToken", "WebIdentityToken", "Token",
        // STS GetCallerIdentity: the account (its ARN is scrubbed by pattern; UserId may be the access key id).
        "Account", "UserId",
    ]
    /// Form fields whose values are secret (`POST /api/token`, STS queries).
    package static let secretFormFields: Set<String> = [
        "refresh_token", "access_token", "WebIdentityToken", "password", "client_secret", "token", "code",
    ]

    /// Exact values learned while recording (e.g. the credentials and endpoint in use) and their placeholders;
    /// replaced wherever they appear. Values shorter than 12 characters are ignored (they would hit ordinary text).
    package private(set) var values: [(value: String, placeholder: String)] = []

    package init() {}

    /// Registers a value to replace everywhere with `placeholder`.
    package mutating func register(_ value: String, as placeholder: String) {
        guard value.count >= 12 else { return }
        values.append((value, placeholder))
        values.sort { $0.value.count > $1.value.count }
    }

    // MARK: - Scrubbing

    /// `exchange` without secrets or noise.
    package func scrub(_ exchange: FixtureExchange) -> FixtureExchange {
        var x = exchange
        x.request = scrub(x.request)
        let contentType = x.response.headers.first { $0.name == "content-type" }?.value
        x.response = FixtureResponse(
            status: x.response.status,
            headers: x.response.headers.filter { !Self.droppedResponseHeaders.contains($0.name) }.map {
                HTTPField($0.name, text($0.value))
            },
            body: x.request.path.hasSuffix("/latest/api/token") && x.request.method == "PUT"
                ? Array("<IMDS_TOKEN>".utf8) : body(x.response.body, contentType: contentType))
        return x
    }

    /// `request` without secrets or noise.
    package func scrub(_ request: FixtureRequest) -> FixtureRequest {
        FixtureRequest(
            method: request.method, path: text(request.path),
            query: request.query.map { Self.scrubbedQuery.contains($0.name) ? QueryItem($0.name, Self.placeholder) : QueryItem($0.name, text($0.value)) },
            headers: request.headers.filter { !Self.droppedRequestHeaders.contains($0.name) }.map { HTTPField($0.name, text($0.value)) },
            body: body(request.body, contentType: request.header("content-type")))
    }

    /// A header value, path or query value with learned values and credential patterns replaced.
    package func text(_ s: String) -> String {
        var out = s
        for (value, placeholder) in values where out.contains(value) {
            out = out.replacingAll(value, with: placeholder)
        }
        return SecretPatterns.redact(out)
    }

    /// A body: text bodies get learned values and patterns replaced, then structured secrets by content type
    /// (JSON members, XML elements, form fields). Binary bodies are kept.
    func body(_ bytes: [UInt8], contentType: String?) -> [UInt8] {
        guard !bytes.isEmpty, let s = String(validating: bytes, as: UTF8.self) else { return bytes }
        var t = text(s)
        let type = contentType?.lowercased() ?? ""
        if type.contains("json") {
            t = json(t)
        } else if type.contains("x-www-form-urlencoded") {
            t = form(t)
        }
        if type.contains("xml") || t.hasPrefix("<?xml") {
            t = escapingPlaceholders(xml(t))
        }
        return t == s ? bytes : Array(t.utf8)
    }

    /// XML with every placeholder written as escaped text (`&lt;AWS_ACCESS_KEY_ID&gt;`), so a scrubbed value inside
    /// an element (STS's UserId is the access key id) leaves the document well-formed and replays as that text.
    func escapingPlaceholders(_ s: String) -> String {
        let names = [Self.placeholder] + values.map(\.placeholder)
            + [SecretPatterns.Kind.accessKeyId, .jwt, .accountId].map(\.rawValue)
        var out = s
        for name in Set(names) where name.hasPrefix("<") && out.contains(name) {
            out = out.replacingAll(name, with: "&lt;" + name.dropFirst().dropLast() + "&gt;")
        }
        return out
    }

    func json(_ s: String) -> String {
        guard let value = try? JSONParser.parse(s) else { return s }
        let scrubbed = Self.scrubJSON(value)
        return scrubbed == value ? s : JSONWriter.compact(scrubbed)
    }

    static func scrubJSON(_ v: JSONValue) -> JSONValue {
        switch v {
        case .object(let o):
            var out = JSONObject()
            for (k, value) in o {
                if secretJSONKeys.contains(k), case .string = value { out[k] = .string(placeholder) } else { out[k] = scrubJSON(value) }
            }
            return .object(out)
        case .array(let a):
            return .array(a.map(scrubJSON))
        default:
            return v
        }
    }

    func form(_ s: String) -> String {
        s.split(separator: "&", omittingEmptySubsequences: false).map { part -> String in
            guard let eq = part.firstIndex(of: "=") else { return String(part) }
            let name = FormEncoding.decode(String(part[..<eq]))
            return Self.secretFormFields.contains(name) ? part[..<eq] + "=" + FormEncoding.encode(Self.placeholder) : String(part)
        }.joined(separator: "&")
    }

    func xml(_ s: String) -> String {
        var out = s
        for name in Self.secretXMLElements {
            let open = "<\(name)>"
            let close = "</\(name)>"
            var result = ""
            var rest = Substring(out)
            while let o = rest.firstRange(of: open), let c = rest[o.upperBound...].firstRange(of: close) {
                result += rest[..<o.upperBound] + Self.placeholder + close
                rest = rest[c.upperBound...]
            }
            out = result + rest
        }
        return out
    }
}

extension String {
    /// Every occurrence of `target` replaced (no Foundation needed).
    func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var result = ""
        var rest = Substring(self)
        while let r = rest.firstRange(of: target) {
            result += rest[..<r.lowerBound] + replacement
            rest = rest[r.upperBound...]
        }
        return result + rest
    }
}
