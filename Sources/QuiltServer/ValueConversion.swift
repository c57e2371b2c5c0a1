import Foundation
package import MCP
package import QuiltJSON

/// Conversions between quilt-mcp's exact ``QuiltJSON/JSONValue`` and the SDK's `Value`.
///
/// `Value` has no big integers and no member order, and the SDK's decoder reads `1.0` as the integer `1`; the
/// exact path for tool arguments and results is ``ExactJSONTransport``. These conversions are the fallback and
/// are exact wherever `Value` can be: integers that fit in `Int` stay `.int`, doubles stay `.double`.
package enum ValueConversion {
    /// The SDK value for `json`. Integers outside `Int`'s range become the nearest `.double` (the only lossy case).
    package static func value(_ json: JSONValue) -> Value {
        switch json {
        case .null: return .null
        case .bool(let b): return .bool(b)
        case .number(let n):
            if n.isInteger {
                if let i = n.int64Value, let small = Int(exactly: i) { return .int(small) }
                return .double(n.doubleValue)
            }
            return .double(n.doubleValue)
        case .string(let s): return .string(s)
        case .array(let items): return .array(items.map(value))
        case .object(let object):
            var out: [String: Value] = [:]
            out.reserveCapacity(object.count)
            for (key, member) in object { out[key] = value(member) }
            return .object(out)
        }
    }

    /// The exact JSON for an SDK value. Object members come out in key order (a `Value` keeps none); `.data`
    /// becomes its `data:` URL string, as the SDK writes it.
    package static func json(_ value: Value) -> JSONValue {
        switch value {
        case .null: return .null
        case .bool(let b): return .bool(b)
        case .int(let i): return .number(JSONNumber(i))
        case .double(let d): return .number(JSONNumber(d))
        case .string(let s): return .string(s)
        case .data(let mimeType, let data):
            return .string("data:\(mimeType ?? "application/octet-stream");base64,\(data.base64EncodedString())")
        case .array(let items): return .array(items.map(json))
        case .object(let members):
            return .object(JSONObject(members.sorted { $0.key < $1.key }.map { ($0.key, json($0.value)) }))
        }
    }

    /// ``json(_:)`` of each member, as a `JSONObject` (tool arguments).
    package static func object(_ members: [String: Value]) -> JSONObject {
        JSONObject(members.sorted { $0.key < $1.key }.map { ($0.key, json($0.value)) })
    }
}
