import GraphQL
import OrderedCollections
package import QuiltJSON

/// A value of a union or interface type, naming its concrete type.
package struct Typed: Sendable {
    package let type: String
    package let value: any Sendable
    package init(_ type: String, _ value: any Sendable) {
        self.type = type
        self.value = value
    }
}

/// A failure the fake reports in `errors[]` (never a crash).
package struct FakeGraphQLError: Error, Sendable, CustomStringConvertible {
    package let message: String
    package var path: [String] = []
    package init(_ message: String, path: [String] = []) {
        self.message = message
        self.path = path
    }
    package var description: String { message }
}

/// Resolves one field: the parent value, the coerced arguments, the request.
package typealias FakeResolver = @Sendable (_ source: any Sendable, _ args: JSONObject, _ request: FakeRequest) async throws -> (any Sendable)?

/// Executes a validated operation against the schema with resolvers keyed `Type.field`, producing exact JSON
/// (QuiltJSON values: big integers, member order and `-0.0` survive, which GraphQLSwift's `Map` would not keep).
///
/// A field without a resolver reads the member of the same name when the parent is a JSON object, and is a
/// loud error otherwise; a root field without a resolver is "not implemented by the fake catalog". Values of
/// object type may be `JSONObject`/`JSONValue.object` or anything a resolver understands; abstract types need
/// ``Typed``; non-null fields that resolve to null are errors.
struct FakeExecutor {
    let schema: GraphQLSchema
    let document: Document
    let resolvers: [String: FakeResolver]
    let request: FakeRequest
    let fragments: [String: FragmentDefinition]

    init(schema: GraphQLSchema, document: Document, resolvers: [String: FakeResolver], request: FakeRequest) {
        self.schema = schema
        self.document = document
        self.resolvers = resolvers
        self.request = request
        var f: [String: FragmentDefinition] = [:]
        for d in document.definitions { if let frag = d as? FragmentDefinition { f[frag.name.value] = frag } }
        fragments = f
    }

    /// Runs `operation`'s selection set from the root type.
    func run(_ operation: OperationDefinition) async throws -> JSONValue {
        let root: GraphQLObjectType?
        switch operation.operation {
        case .query: root = schema.queryType
        case .mutation: root = schema.mutationType
        case .subscription: root = nil
        }
        guard let root else { throw FakeGraphQLError("the fake catalog serves no \(operation.operation.rawValue) operations") }
        return try await object(root, source: (), selections: [operation.selectionSet], path: [])
    }

    // MARK: - Objects and fields

    func object(_ type: GraphQLObjectType, source: any Sendable, selections: [SelectionSet], path: [String]) async throws -> JSONValue {
        var out = JSONObject()
        let fields = try type.fields()
        for (key, nodes) in try collect(selections, type: type) {
            let node = nodes[0]
            let name = node.name.value
            if name == "__typename" {
                out[key] = .string(type.name)
                continue
            }
            guard let field = fields[name] else { throw FakeGraphQLError("\(type.name) has no field \(name)", path: path + [key]) }
            let args = try arguments(node.arguments, definitions: field.args)
            let raw: (any Sendable)?
            if let resolver = resolvers["\(type.name).\(name)"] {
                raw = try await resolver(source, args, request)
            } else if let json = (source as? JSONObject) ?? (source as? JSONValue)?.objectValue {
                raw = json[name]
            } else if let dict = source as? [String: any Sendable] {
                raw = dict[name]
            } else if type === schema.queryType || type === schema.mutationType {
                throw FakeGraphQLError(
                    "the fake catalog does not implement \(type.name).\(name) (operation \(request.operationName ?? "anonymous")); extend Mocks/FakeCatalog or do not send it",
                    path: path + [key])
            } else {
                throw FakeGraphQLError("the fake catalog has no resolver for \(type.name).\(name)", path: path + [key])
            }
            out[key] = try await complete(field.type, raw, selection: nodes.compactMap(\.selectionSet), path: path + [key])
        }
        return .object(out)
    }

    func complete(_ type: GraphQLType, _ raw: (any Sendable)?, selection: [SelectionSet], path: [String]) async throws -> JSONValue {
        if let nonNull = type as? GraphQLNonNull {
            let v = try await complete(nonNull.ofType, raw, selection: selection, path: path)
            if v.isNull { throw FakeGraphQLError("Cannot return null for non-nullable field \(path.joined(separator: "."))", path: path) }
            return v
        }
        guard let raw = Self.unwrap(raw) else { return .null }
        if let list = type as? GraphQLList {
            let items: [any Sendable]
            if let a = raw as? [any Sendable] { items = a } else if let a = (raw as? JSONValue)?.arrayValue { items = a } else {
                throw FakeGraphQLError("expected a list at \(path.joined(separator: "."))", path: path)
            }
            var out: [JSONValue] = []
            for (i, item) in items.enumerated() {
                out.append(try await complete(list.ofType, item, selection: selection, path: path + [String(i)]))
            }
            return .array(out)
        }
        if type is GraphQLScalarType || type is GraphQLEnumType {
            if let v = raw as? JSONValue { return v }
            if let s = raw as? String { return .string(s) }
            if let i = raw as? Int { return .number(JSONNumber(i)) }
            if let i = raw as? Int64 { return .number(JSONNumber(i)) }
            if let d = raw as? Double { return .number(JSONNumber(d)) }
            if let b = raw as? Bool { return .bool(b) }
            if let o = raw as? JSONObject { return .object(o) }
            throw FakeGraphQLError("cannot serialise \(Swift.type(of: raw)) at \(path.joined(separator: "."))", path: path)
        }
        guard !selection.isEmpty else { throw FakeGraphQLError("no selection for \(path.joined(separator: "."))", path: path) }
        if let objectType = type as? GraphQLObjectType {
            let value = (raw as? Typed)?.value ?? raw
            return try await object(objectType, source: value, selections: selection, path: path)
        }
        guard let typed = raw as? Typed, let concrete = schema.getType(name: typed.type) as? GraphQLObjectType else {
            throw FakeGraphQLError("the fake catalog resolved an abstract type without naming its concrete type at \(path.joined(separator: "."))", path: path)
        }
        return try await object(concrete, source: typed.value, selections: selection, path: path)
    }

    static func unwrap(_ raw: (any Sendable)?) -> (any Sendable)? {
        guard let raw else { return nil }
        if let v = raw as? JSONValue, v.isNull { return nil }
        // A nested optional (an `Optional` stored as `any Sendable`) that is nil.
        if Mirror(reflecting: raw).displayStyle == .optional, Mirror(reflecting: raw).children.isEmpty { return nil }
        return raw
    }

    // MARK: - Field collection

    /// The fields of `selections` that apply to `type`, grouped by response key in order (fragments expanded,
    /// `@skip`/`@include` honoured).
    func collect(_ selections: [SelectionSet], type: GraphQLObjectType) throws -> [(String, [Field])] {
        var order: [String] = []
        var groups: [String: [Field]] = [:]
        func visit(_ set: SelectionSet) throws {
            for s in set.selections {
                if let f = s as? Field {
                    guard try included(f.directives) else { continue }
                    let key = f.alias?.value ?? f.name.value
                    if groups[key] == nil { order.append(key) }
                    groups[key, default: []].append(f)
                } else if let inline = s as? InlineFragment {
                    guard try included(inline.directives), applies(inline.typeCondition?.name.value, to: type) else { continue }
                    try visit(inline.selectionSet)
                } else if let spread = s as? FragmentSpread {
                    guard try included(spread.directives), let frag = fragments[spread.name.value],
                        applies(frag.typeCondition.name.value, to: type)
                    else { continue }
                    try visit(frag.selectionSet)
                }
            }
        }
        for set in selections { try visit(set) }
        return order.map { ($0, groups[$0] ?? []) }
    }

    func applies(_ condition: String?, to type: GraphQLObjectType) -> Bool {
        guard let condition, condition != type.name else { return true }
        guard let abstract = schema.getType(name: condition) as? GraphQLAbstractType else { return false }
        return schema.isSubType(abstractType: abstract, maybeSubType: type)
    }

    func included(_ directives: [Directive]) throws -> Bool {
        for d in directives where d.name.value == "skip" || d.name.value == "include" {
            let value = try d.arguments.first { $0.name.value == "if" }.map { try FakeValues.literal($0.value, variables: request.variables) }
            let flag = value?.boolValue ?? false
            if d.name.value == "skip" && flag { return false }
            if d.name.value == "include" && !flag { return false }
        }
        return true
    }

    // MARK: - Arguments

    /// The field's arguments as JSON: given ones (literals or variables, exact), then schema defaults.
    func arguments(_ given: [Argument], definitions: GraphQLArgumentConfigMap) throws -> JSONObject {
        var out = JSONObject()
        for (name, def) in definitions {
            if let arg = given.first(where: { $0.name.value == name }) {
                if let variable = arg.value as? Variable, request.variables[variable.name.value] == nil {
                    if let d = def.defaultValue { out[name] = FakeValues.json(d) }
                    continue
                }
                out[name] = try FakeValues.literal(arg.value, variables: request.variables)
            } else if let d = def.defaultValue {
                out[name] = FakeValues.json(d)
            }
        }
        return out
    }
}
extension Typed: Error {}
