import Foundation
import QuiltJSON
import Synchronization

/// The SSO config: set, replaced or removed by an admin, checked for being a mapping first.
extension FakeAdminState {
    /// Stores (or, with nil text, removes) the SSO config; returns what is stored now.
    func setSsoConfig(_ text: String?, uploader: FakeAdminUser) -> Result<FakeSsoConfig?, FakeAdminRefusal> {
        guard let text else {
            store.withLock { $0.sso = nil }
            return .success(nil)
        }
        if let reason = Self.ssoProblem(text) { return .failure(.invalid("config", reason, "InvalidSsoConfig")) }
        let config = FakeSsoConfig(text: text, timestamp: now, uploader: uploader)
        store.withLock { $0.sso = config }
        return .success(config)
    }

    /// Why `text` is no SSO config (nil when it is one): it must be a JSON object, or YAML with a `key: value` line.
    static func ssoProblem(_ text: String) -> String? {
        if text.allSatisfy(\.isWhitespace) { return "the SSO config is empty" }
        if let json = try? JSONParser.parse(text) {
            return json.objectValue == nil ? "the SSO config must be a mapping, not a JSON \(json.kindName)" : nil
        }
        let mapping = text.split(whereSeparator: \.isNewline).contains { line in
            let t = line.trimmingCharacters(in: .whitespaces)
            guard !t.hasPrefix("#"), let colon = t.firstIndex(of: ":") else { return false }
            let key = t[..<colon].trimmingCharacters(in: .whitespaces), rest = t[t.index(after: colon)...]
            return !key.isEmpty && rest.first?.isWhitespace == true && !rest.trimmingCharacters(in: .whitespaces).isEmpty
        }
        return mapping ? nil : "the SSO config is neither JSON nor YAML with a 'key: value' line"
    }
}

extension JSONValue {
    /// The JSON kind, for messages.
    fileprivate var kindName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .number: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }
}
