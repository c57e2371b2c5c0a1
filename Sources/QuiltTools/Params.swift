import QuiltContract
package import QuiltJSON

/// One tool parameter: it generates the JSON Schema property and validates the argument, so schema and decoding
/// cannot drift apart.
package struct Param: Sendable {
    package enum Kind: Sendable {
        case string(pattern: String?, minLength: Int?)
        case integer(min: Int, max: Int)
        case boolean
        case object
        case stringArray(minItems: Int)
        case objectArray(minItems: Int, items: JSONValue)
        case anyJSON
    }
    package var name: String
    package var kind: Kind
    package var description: String
    package var required: Bool
    package var defaultValue: JSONValue?
    package var enumValues: [String]?
    /// Taken under this name for the Python quilt-mcp server's callers, with the meaning it has there, but not
    /// listed in the schema: every listed byte is paid for in each client's context (docs/guide/python-server.md).
    package var hidden = false

    package init(
        _ name: String, _ kind: Kind, _ description: String, required: Bool = false, default defaultValue: JSONValue? = nil,
        enum enumValues: [String]? = nil
    ) {
        self.name = name
        self.kind = kind
        self.description = description
        self.required = required
        self.defaultValue = defaultValue
        self.enumValues = enumValues
    }

    /// This parameter, accepted for the Python server's callers but not listed (``hidden``).
    package func pythonOnly() -> Param {
        var p = self
        p.hidden = true
        return p
    }

    var schema: JSONValue {
        var o = JSONObject()
        switch kind {
        case .string(let pattern, let minLength):
            o["type"] = "string"
            if let pattern { o["pattern"] = .string(pattern) }
            // A pattern already bounds the length; the check in `Arguments` still applies.
            if let minLength, pattern == nil { o["minLength"] = .number(JSONNumber(minLength)) }
        case .integer(let min, let max):
            o["type"] = "integer"
            o["minimum"] = .number(JSONNumber(min))
            o["maximum"] = .number(JSONNumber(max))
        case .boolean: o["type"] = "boolean"
        case .object: o["type"] = "object"
        case .stringArray(let minItems):
            o["type"] = "array"
            o["items"] = ["type": "string"]
            if minItems > 0 { o["minItems"] = .number(JSONNumber(minItems)) }
        case .objectArray(let minItems, let items):
            o["type"] = "array"
            o["items"] = items
            if minItems > 0 { o["minItems"] = .number(JSONNumber(minItems)) }
        case .anyJSON: break
        }
        if let enumValues { o["enum"] = .array(enumValues.map { .string($0) }) }
        o["description"] = .string(description)
        // An empty text default says nothing that leaving the argument out does not.
        if let defaultValue, defaultValue != "" { o["default"] = defaultValue }
        return .object(o)
    }

    /// The `inputSchema` of a parameter list. Only what constrains a value is written (no empty `required`, no
    /// `minItems: 0`, no `additionalProperties: false`, since `Arguments` refuses an unknown argument by name
    /// anyway): every byte is paid for in each client's context.
    static func schema(_ params: [Param]) -> JSONValue {
        var props = JSONObject()
        for p in params where !p.hidden { props[p.name] = p.schema }
        var o: JSONObject = ["type": "object", "properties": .object(props)]
        let required = params.filter { $0.required && !$0.hidden }
        if !required.isEmpty { o["required"] = .array(required.map { .string($0.name) }) }
        return .object(o)
    }
}

/// Validated arguments of one call.
package struct Arguments: Sendable {
    let values: JSONObject
    /// The names the caller passed (not filled in from defaults).
    let given: Set<String>

    /// Checks `raw` against `params`: unknown names, missing required ones, wrong types and out-of-range values are
    /// `invalidInput` errors naming the argument.
    init(_ raw: JSONObject, params: [Param]) throws(QuiltOpsError) {
        let known = Set(params.map(\.name))
        for key in raw.keys where !known.contains(key) {
            throw .invalidInput(
                field: key,
                reason: "unknown argument; this tool takes \(params.filter { !$0.hidden }.map(\.name).joined(separator: ", ")).")
        }
        var values = JSONObject()
        given = Set(raw.keys)
        for p in params {
            guard let v = raw[p.name], v != .null || !p.required else {
                if p.required { throw .invalidInput(field: p.name, reason: "is required. \(p.description)") }
                if let d = p.defaultValue { values[p.name] = d }
                continue
            }
            try Arguments.check(v, p)
            values[p.name] = v
        }
        self.values = values
    }

    static func check(_ v: JSONValue, _ p: Param) throws(QuiltOpsError) {
        func bad(_ what: String) -> QuiltOpsError { .invalidInput(field: p.name, reason: what) }
        if v == .null { return }
        switch p.kind {
        case .string(_, let minLength):
            guard let s = v.stringValue else { throw bad("must be a string.") }
            if let minLength, s.count < minLength { throw bad("must have at least \(minLength) characters.") }
            if let e = p.enumValues, !e.contains(s) { throw bad("must be one of \(e.joined(separator: ", ")).") }
        case .integer(let min, let max):
            guard let i = v.intValue else { throw bad("must be an integer.") }
            guard (min...max).contains(i) else { throw bad("\(i) is outside \(min)...\(max).") }
        case .boolean:
            guard v.boolValue != nil else { throw bad("must be true or false.") }
        case .object:
            guard v.objectValue != nil else { throw bad("must be a JSON object.") }
        case .stringArray(let minItems):
            guard let a = v.arrayValue, a.allSatisfy({ $0.stringValue != nil }) else { throw bad("must be a list of strings.") }
            guard a.count >= minItems else { throw bad("needs at least \(minItems) item(s).") }
        case .objectArray(let minItems, _):
            guard let a = v.arrayValue, a.allSatisfy({ $0.objectValue != nil }) else { throw bad("must be a list of objects.") }
            guard a.count >= minItems else { throw bad("needs at least \(minItems) item(s).") }
        case .anyJSON:
            break
        }
    }

    package subscript(_ name: String) -> JSONValue? {
        guard let v = values[name], v != .null else { return nil }
        return v
    }
    package func string(_ name: String) -> String? {
        guard let s = self[name]?.stringValue, !s.isEmpty else { return nil }
        return s
    }
    package func int(_ name: String) -> Int? { self[name]?.intValue }
    package func bool(_ name: String) -> Bool? { self[name]?.boolValue }
    /// Whether the argument has a value, passed (even as null) or from its default.
    package func has(_ name: String) -> Bool { values[name] != nil }
    /// Whether the caller passed the argument (not a default).
    package func passed(_ name: String) -> Bool { given.contains(name) }
}
