import GraphQL
import OrderedCollections
import QuiltJSON

/// Conversions between GraphQL values and exact JSON, and the variable checks GraphQL validation does not make.
enum FakeValues {
    /// A literal or variable reference as JSON (variables come from the request, exactly as sent).
    static func literal(_ value: Value, variables: JSONObject) throws -> JSONValue {
        switch value {
        case let v as Variable: return variables[v.name.value] ?? .null
        case let v as IntValue:
            return .number(JSONNumber(integerText: v.value) ?? JSONNumber(Double(v.value) ?? 0))
        case let v as FloatValue: return (try? JSONParser.parse(v.value)) ?? .number(JSONNumber(Double(v.value) ?? 0))
        case let v as StringValue: return .string(v.value)
        case let v as BooleanValue: return .bool(v.value)
        case is NullValue: return .null
        case let v as EnumValue: return .string(v.value)
        case let v as ListValue: return .array(try v.values.map { try literal($0, variables: variables) })
        case let v as ObjectValue:
            var o = JSONObject()
            for f in v.fields { o[f.name.value] = try literal(f.value, variables: variables) }
            return .object(o)
        default: throw FakeGraphQLError("unsupported value literal \(type(of: value))")
        }
    }

    /// A schema default value as JSON.
    static func json(_ map: Map) -> JSONValue {
        switch map {
        case .undefined, .null: return .null
        case .bool(let b): return .bool(b)
        case .number(let n):
            switch n.storageType {
            case .int: return .number(JSONNumber(n.intValue))
            case .bool: return .bool(n.intValue != 0)
            default: return .number(JSONNumber(n.doubleValue))
            }
        case .string(let s): return .string(s)
        case .array(let a): return .array(a.map(json))
        case .dictionary(let d):
            var o = JSONObject()
            for (k, v) in d { o[k] = json(v) }
            return .object(o)
        }
    }

    /// JSON as a GraphQLSwift `Map` (introspection requests only; exactness does not matter there).
    static func map(_ value: JSONValue) -> Map {
        switch value {
        case .null: return .null
        case .bool(let b): return .bool(b)
        case .number(let n): return n.isInteger ? .number(Number(Int(n.int64Value ?? 0))) : .number(Number(n.doubleValue))
        case .string(let s): return .string(s)
        case .array(let a): return .array(a.map(map))
        case .object:
            return .null  // introspection requests (the only ones GraphQLSwift executes here) take no object variables
        }
    }

    /// Checks the request's variables against the operation's definitions: required ones present and non-null,
    /// every value of its declared type (input objects with known fields and their required fields). Returns the
    /// variables with declared defaults filled in.
    static func check(_ operation: OperationDefinition, variables: JSONObject, schema: GraphQLSchema) throws -> JSONObject {
        var out = variables
        for def in operation.variableDefinitions {
            let name = def.variable.name.value
            let value = variables[name]
            if value == nil, let d = def.defaultValue { out[name] = try literal(d, variables: [:]) }
            try checkValue(out[name], def.type, schema: schema, path: "$" + name)
        }
        let declared = Set(operation.variableDefinitions.map { $0.variable.name.value })
        for k in variables.keys where !declared.contains(k) {
            throw FakeGraphQLError("Variable \"$\(k)\" is not defined by operation \"\(operation.name?.value ?? "anonymous")\".")
        }
        return out
    }

    static func checkValue(_ value: JSONValue?, _ type: GraphQL.`Type`, schema: GraphQLSchema, path: String) throws {
        if let nonNull = type as? NonNullType {
            guard let value, !value.isNull else { throw FakeGraphQLError("Variable \"\(path)\" of non-null type must not be null.") }
            try checkValue(value, nonNull.type as GraphQL.`Type`, schema: schema, path: path)
            return
        }
        guard let value, !value.isNull else { return }
        if let list = type as? ListType {
            for (i, item) in (value.arrayValue ?? [value]).enumerated() { try checkValue(item, list.type, schema: schema, path: "\(path)[\(i)]") }
            return
        }
        guard let named = type as? NamedType else { return }
        try checkNamed(value, named.name.value, schema: schema, path: path)
    }

    static func checkNamed(_ value: JSONValue, _ typeName: String, schema: GraphQLSchema, path: String) throws {
        func fail(_ what: String) throws -> Never { throw FakeGraphQLError("Variable \"\(path)\" got invalid value \(JSONWriter.compact(value).prefix(80)); \(what).") }
        switch typeName {
        case "Int": if value.intValue == nil { try fail("Int cannot represent a non-integer value") }
        case "Float": if value.numberValue == nil { try fail("Float cannot represent a non-numeric value") }
        case "String", "ID", "Datetime", "PackageOrdering": if value.stringValue == nil && !(typeName == "ID" && value.intValue != nil) { try fail("\(typeName) cannot represent a non-string value") }
        case "Boolean": if value.boolValue == nil { try fail("Boolean cannot represent a non-boolean value") }
        case "JsonRecord": if value.objectValue == nil { try fail("JsonRecord must be a JSON object") }
        default:
            if let e = schema.getType(name: typeName) as? GraphQLEnumType {
                guard let s = value.stringValue, e.nameLookup[s] != nil else { try fail("not a value of enum \(typeName)") }
            } else if let input = schema.getType(name: typeName) as? GraphQLInputObjectType {
                guard let object = value.objectValue else { try fail("\(typeName) must be an object") }
                let fields = try input.fields()
                for k in object.keys where fields[k] == nil { try fail("field \"\(k)\" is not defined by type \"\(typeName)\"") }
                // A field left out that has a default is fine (the resolver applies the default).
                for (name, field) in fields where object[name] != nil || field.defaultValue == nil {
                    try checkInput(object[name], field.type, schema: schema, path: path + "." + name)
                }
            }
        }
    }

    /// Like `checkValue`, for schema input types.
    static func checkInput(_ value: JSONValue?, _ type: GraphQLInputType, schema: GraphQLSchema, path: String) throws {
        if let nonNull = type as? GraphQLNonNull {
            guard let value, !value.isNull else { throw FakeGraphQLError("Field \"\(path)\" of required type was not provided.") }
            guard let inner = nonNull.ofType as? GraphQLInputType else { return }
            try checkInput(value, inner, schema: schema, path: path)
            return
        }
        guard let value, !value.isNull else { return }
        if let list = type as? GraphQLList, let inner = list.ofType as? GraphQLInputType {
            for (i, item) in (value.arrayValue ?? [value]).enumerated() { try checkInput(item, inner, schema: schema, path: "\(path)[\(i)]") }
            return
        }
        if let named = type as? GraphQLNamedType { try checkNamed(value, named.name, schema: schema, path: path) }
    }
}
