import QuiltContract

/// The syntax of a setting's value, and how to parse it. Parsing trims surrounding whitespace and compares
/// choices and booleans case-insensitively.
enum ValueKind: Sendable, Hashable {
    /// One of a closed list of lowercase words.
    case choice([String])
    /// true/false/1/0/yes/no/on/off.
    case boolean
    /// An http:// or https:// URL; trailing slashes are trimmed.
    case httpURL
    /// A quilt registry: s3://bucket, file:///absolute/path or memory://name.
    case registry
    /// A host name or IP address to bind.
    case host
    /// A TCP port 1–65535.
    case port
    /// A bearer token or the path of a file holding one (never parsed generically).
    case token
    /// Free text without surrounding whitespace, e.g. a token issuer or audience.
    case text
    /// A positive size in bytes: digits with an optional binary suffix `K`/`KiB`, `M`/`MiB`, `G`/`GiB`.
    case byteSize
    /// A positive whole number up to 1,000,000.
    case count
    /// Comma-separated http(s) URLs (at least one).
    case httpURLList
    /// Comma-separated words without whitespace (at least one), e.g. OAuth scopes.
    case wordList
    /// Comma-separated words from a closed list (at least one); canonical text: in the list's order, once each.
    case choiceList([String])

    /// What the setting accepts, for error messages and docs.
    var accepted: String {
        switch self {
        case .choice(let words): return words.joined(separator: ", ")
        case .boolean: return BooleanText.accepted
        case .httpURL: return "an http(s) URL such as https://your-catalog.example.com"
        case .registry: return "s3://bucket (or a bare bucket name), file:///absolute/path or memory://name"
        case .host: return "a host name or IP address such as 127.0.0.1 or 0.0.0.0"
        case .port: return "an integer from 1 to 65535"
        case .token: return "a bearer token, or the path of a file holding one"
        case .text: return "a non-empty string without whitespace"
        case .byteSize: return "a positive number of bytes, optionally with K, M or G (KiB, MiB, GiB), e.g. 16MiB"
        case .count: return "a whole number from 1 to 1000000"
        case .httpURLList: return "comma-separated http(s) URLs, e.g. https://login.example.com"
        case .wordList: return "comma-separated words, e.g. mcp:read,mcp:write"
        case .choiceList(let words): return "one or more of \(words.joined(separator: ", ")), comma-separated"
        }
    }

    /// Parses `raw`, or returns why it is invalid.
    func parse(_ raw: String) -> Result<ParsedValue, ValueRejection> {
        let text = raw.trimmingWhitespace()
        switch self {
        case .choice(let words):
            let lower = text.lowercased()
            guard words.contains(lower) else { return .failure(ValueRejection("'\(text)' is not one of them")) }
            return .success(.text(lower))
        case .boolean:
            guard let value = BooleanText.parse(text) else { return .failure(ValueRejection("'\(text)' is not a boolean")) }
            return .success(.boolean(value))
        case .httpURL:
            return HTTPURLText.normalize(text).map(ParsedValue.text)
        case .registry:
            do {
                return .success(.registry(try RegistryURL.userText(text)))
            } catch {
                if case .invalidInput(_, let reason) = error { return .failure(ValueRejection(reason)) }
                return .failure(ValueRejection(error.message))
            }
        case .host:
            guard !text.isEmpty, !text.contains(where: { $0.isWhitespace || $0 == "/" }) else {
                return .failure(ValueRejection("'\(text)' is not a host name or address"))
            }
            return .success(.text(text))
        case .port:
            guard !text.isEmpty, text.utf8.allSatisfy({ (0x30...0x39).contains($0) }), text.utf8.count <= 5,
                let port = Int(text), (1...65535).contains(port)
            else { return .failure(ValueRejection("'\(text)' is not a port number")) }
            return .success(.integer(port))
        case .token:
            guard !text.isEmpty else { return .failure(ValueRejection("it is empty")) }
            return .success(.text(text))
        case .text:
            guard !text.isEmpty, !text.contains(where: { $0.isWhitespace }) else {
                return .failure(ValueRejection("'\(text)' is empty or contains whitespace"))
            }
            return .success(.text(text))
        case .byteSize:
            guard let bytes = Self.byteSize(text) else { return .failure(ValueRejection("'\(text)' is not a size in bytes")) }
            return .success(.integer(bytes))
        case .count:
            guard text.utf8.count <= 7, text.utf8.allSatisfy({ (0x30...0x39).contains($0) }), let n = Int(text),
                (1...1_000_000).contains(n)
            else { return .failure(ValueRejection("'\(text)' is not a whole number from 1 to 1000000")) }
            return .success(.integer(n))
        case .httpURLList:
            let items = Self.items(text)
            guard !items.isEmpty else { return .failure(ValueRejection("it names no URL")) }
            var urls: [String] = []
            for item in items {
                switch HTTPURLText.normalize(item) {
                case .success(let url): urls.append(url)
                case .failure(let rejection): return .failure(rejection)
                }
            }
            return .success(.text(urls.joined(separator: ",")))
        case .choiceList(let words):
            let items = Self.items(text).map { $0.lowercased() }
            guard !items.isEmpty else { return .failure(ValueRejection("it names none")) }
            if let unknown = items.first(where: { !words.contains($0) }) {
                return .failure(ValueRejection("'\(unknown)' is not one of them"))
            }
            return .success(.text(words.filter(items.contains).joined(separator: ",")))
        case .wordList:
            let items = Self.items(text)
            guard !items.isEmpty, items.allSatisfy({ !$0.contains(where: \.isWhitespace) && !$0.contains("\"") }) else {
                return .failure(ValueRejection("'\(text)' is not comma-separated words"))
            }
            return .success(.text(items.joined(separator: ",")))
        }
    }
}

extension ValueKind {
    /// The non-empty comma-separated items of `text`, trimmed.
    static func items(_ text: String) -> [String] {
        text.split(separator: ",").map { String($0).trimmingWhitespace() }.filter { !$0.isEmpty }
    }

    /// `16777216`, `16M`, `16MiB`, `512K`, `1G`: the number of bytes, from 1 to 1 TiB; nil otherwise.
    static func byteSize(_ text: String) -> Int? {
        let digits = text.prefix { $0.isASCII && $0.isNumber }
        let unit = text.dropFirst(digits.count).lowercased()
        let scale: Int
        switch unit {
        case "": scale = 1
        case "k", "kib": scale = 1 << 10
        case "m", "mib": scale = 1 << 20
        case "g", "gib": scale = 1 << 30
        default: return nil
        }
        guard !digits.isEmpty, digits.count <= 13, let n = Int(digits), n > 0, n <= (1 << 40) / scale else { return nil }
        return n * scale
    }
}

/// A parsed setting value.
enum ParsedValue: Sendable, Hashable {
    case text(String)
    case integer(Int)
    case boolean(Bool)
    case registry(RegistryURL)

    /// The canonical text of the value.
    var text: String {
        switch self {
        case .text(let t): return t
        case .integer(let i): return String(i)
        case .boolean(let b): return b ? "true" : "false"
        case .registry(let r): return r.url
        }
    }
}

/// Why a value was rejected (one clause, no trailing period).
struct ValueRejection: Error, Sendable, Hashable {
    let reason: String
    init(_ reason: String) { self.reason = reason }
}
