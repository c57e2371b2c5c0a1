import Crypto
import FoundationEssentials
import QuiltJSON
import QuiltMode

/// The `requestState` of a 2026-07-28 `InputRequiredResult`: an opaque token the client echoes when it retries,
/// which the server must treat as the client's own writing.
///
/// The token carries nothing secret, so it is signed, not encrypted: `v1.<expiry>.<HMAC-SHA256>` over the expiry and
/// the call it was minted for (method, tool, a digest of the arguments with their keys sorted, and the caller). A
/// token for another call, another caller, or older than ``lifetime`` does not verify. The key is derived from the
/// deployment's `request_state_key`, else from its HS256 secret, so every replica verifies what another minted;
/// with neither it is made at start and known to this process only (docs/design/consent.md).
struct RequestState: Sendable {
    /// How long a question stays answerable: ten minutes, as in the Python SDK.
    static let lifetime: TimeInterval = 600

    private let key: SymmetricKey

    /// The deployment's state key (see the type's documentation).
    static func key(for mode: Mode) -> RequestState {
        if let configured = mode.requestStateKey { return derived(Array(configured.utf8), info: "quilt-mcp/request-state/key/v1") }
        if let secret = mode.jwtVerification?.hs256Secret { return derived(secret, info: "quilt-mcp/request-state/v1") }
        return processKey
    }

    /// A state key derived (HKDF-SHA256) from shared key material, so every replica given it derives the same key.
    private static func derived(_ material: [UInt8], info: String) -> RequestState {
        RequestState(key: HKDF<SHA256>.deriveKey(
            inputKeyMaterial: SymmetricKey(data: material), info: Array(info.utf8), outputByteCount: 32))
    }

    private static let processKey = RequestState(key: SymmetricKey(size: .bits256))

    private init(key: SymmetricKey) { self.key = key }

    /// What a token is bound to: one tool call with these arguments, by this caller.
    static func binding(tool: String, arguments: JSONObject, principal: String?) -> String {
        var args = arguments
        args["confirm"] = Optional<JSONValue>.none
        let digest = SHA256.hash(data: Array(canonical(.object(args)).utf8)).map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
        return "tools/call\n\(tool)\n\(digest)\n\(principal ?? "-")"
    }

    /// A token for `binding`, valid until `now + lifetime`.
    func seal(_ binding: String, now: Date = Date()) -> String {
        let expiry = Int(now.timeIntervalSince1970 + Self.lifetime)
        return "v1.\(expiry)." + Self.base64URL(mac(expiry: expiry, binding: binding))
    }

    /// Whether `token` was minted here for `binding` and has not expired. Never throws on hostile text.
    func verify(_ token: String, binding: String, now: Date = Date()) -> Bool {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "v1", let expiry = Int(parts[1]), parts[1] == String(expiry),
            Double(expiry) >= now.timeIntervalSince1970, let signature = Self.decodeBase64URL(String(parts[2]))
        else { return false }
        return HMAC<SHA256>.isValidAuthenticationCode(signature, authenticating: Self.message(expiry, binding), using: key)
    }

    private func mac(expiry: Int, binding: String) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: Self.message(expiry, binding), using: key))
    }

    private static func message(_ expiry: Int, _ binding: String) -> [UInt8] { Array("v1.\(expiry)\n\(binding)".utf8) }

    /// Compact JSON with every object's keys sorted, so the same arguments in another order bind the same.
    static func canonical(_ value: JSONValue) -> String {
        switch value {
        case .object(let object):
            let members = object.keys.sorted().map { key in
                JSONWriter.compact(.string(key)) + ":" + canonical(object[key] ?? .null)
            }
            return "{" + members.joined(separator: ",") + "}"
        case .array(let items):
            return "[" + items.map(canonical).joined(separator: ",") + "]"
        default:
            return JSONWriter.compact(value)
        }
    }

    private static func base64URL(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString().replacing("+", with: "-").replacing("/", with: "_").replacing("=", with: "")
    }

    private static func decodeBase64URL(_ text: String) -> Data? {
        guard text.count <= 64, text.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) else {
            return nil
        }
        var standard = text.replacing("-", with: "+").replacing("_", with: "/")
        standard += String(repeating: "=", count: (4 - standard.count % 4) % 4)
        return Data(base64Encoded: standard)
    }
}
