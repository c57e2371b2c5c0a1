import Foundation
import GraphQL
import QuiltContract
import QuiltJSON

/// `POST /graphql`: parses, validates against the project's SDL (GraphQLSwift), and executes with the fake's
/// resolvers. Invalid documents and unknown variables are refused loudly (HTTP 400 with GraphQL `errors`);
/// introspection runs on GraphQLSwift's own executor over the same schema.
enum FakeGraphQLEndpoint {
    /// The status and JSON body for a request body, and the operation name (for the request log).
    static func handle(
        body: [UInt8], user: FakeUser?, state: FakeCatalogState, variant: FakeCatalogSchema.Variant
    ) async -> (status: Int, body: JSONValue, operation: String?) {
        guard let json = try? JSONParser.parse(body), let query = json["query"]?.stringValue else {
            return (400, errors(["the body must be JSON with a string `query`"]), nil)
        }
        let operationName = json["operationName"]?.stringValue
        let variables = json["variables"]?.objectValue ?? [:]
        let schema: GraphQLSchema
        do { schema = try FakeCatalogSchema.schema(variant) } catch {
            return (500, errors(["the fake catalog's SDL does not build: \(error)"]), operationName)
        }
        let document: Document
        do { document = try parse(source: query) } catch {
            return (400, errors(["Syntax error: \(error)"]), operationName)
        }
        let problems = validate(schema: schema, ast: document)
        if !problems.isEmpty {
            return (400, .object(["errors": .array(problems.map(describe))]), operationName)
        }
        let operations = document.definitions.compactMap { $0 as? OperationDefinition }
        guard let operation = operationName.map({ n in operations.first { $0.name?.value == n } }) ?? (operations.count == 1 ? operations.first : nil)
        else {
            return (400, errors(["no operation named \(operationName ?? "(none)") in the document"]), operationName)
        }
        let name = operation.name?.value ?? operationName
        let rootFields = operation.selectionSet.selections.compactMap { ($0 as? Field)?.name.value }
        if !rootFields.isEmpty, rootFields.allSatisfy({ $0.hasPrefix("__") }) {
            return (200, await introspect(schema, document, variables, name), name)
        }
        let checked: JSONObject
        do { checked = try FakeValues.check(operation, variables: variables, schema: schema) } catch {
            return (400, errors(["\(error)"]), name)
        }
        let request = FakeRequest(operationName: name, variables: checked, user: user, state: state, variant: variant)
        let executor = FakeExecutor(schema: schema, document: document, resolvers: FakeResolvers.all, request: request)
        do {
            return (200, .object(["data": try await executor.run(operation)]), name)
        } catch let e as FakeGraphQLError {
            return (200, .object(["data": .null, "errors": [["message": .string(e.message), "path": .array(e.path.map { .string($0) })]]]), name)
        } catch {
            let message = (error as? QuiltOpsError)?.message ?? "\(error)"
            return (200, .object(["data": .null, "errors": [["message": .string("internal error: \(message)")]]]), name)
        }
    }

    static func errors(_ messages: [String]) -> JSONValue {
        .object(["errors": .array(messages.map { .object(["message": .string($0)]) })])
    }

    static func describe(_ e: GraphQLError) -> JSONValue {
        var o: JSONObject = ["message": .string(e.message)]
        if !e.locations.isEmpty {
            o["locations"] = .array(e.locations.map { ["line": .number(JSONNumber($0.line)), "column": .number(JSONNumber($0.column))] })
        }
        return .object(o)
    }

    /// Introspection through GraphQLSwift's executor (it serves `__schema`/`__type` from the built schema).
    static func introspect(_ schema: GraphQLSchema, _ document: Document, _ variables: JSONObject, _ name: String?) async -> JSONValue {
        var vars: [String: Map] = [:]
        for (k, v) in variables { vars[k] = FakeValues.map(v) }
        do {
            let result = try await execute(schema: schema, documentAST: document, rootValue: (), context: (), variableValues: vars, operationName: name)
            let data = try JSONEncoder().encode(result)
            return (try? JSONParser.parse(Array(data))) ?? errors(["introspection result did not encode"])
        } catch {
            return errors(["introspection failed: \(error)"])
        }
    }
}
