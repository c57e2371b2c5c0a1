import Foundation
import QuiltJSON

/// Tabulator: a bucket's tables (set, rename, delete with a null config) and the open-query switch. Admins only, as
/// on the catalog (the `@admin` fields answer a GraphQL error to anyone else); the table mutations answer at the top
/// level and under `admin`, as each schema variant has them.
extension FakeResolvers {
    static let tabulator: [String: FakeResolver] = [
        "Query.admin": { _, _, req in try admin(req) },
        "Mutation.admin": { _, _, req in try admin(req) },
        "AdminQueries.tabulatorOpenQuery": { _, _, req in req.state.tabulatorOpenQuery },
        "AdminMutations.setTabulatorOpenQuery": { _, args, req in
            guard let enabled = args["enabled"]?.boolValue else { throw FakeGraphQLError("argument enabled is required") }
            req.state.setTabulatorOpenQuery(enabled)
            return ["tabulatorOpenQuery": .bool(enabled)] as JSONObject
        },
        "Mutation.bucketSetTabulatorTable": { _, args, req in try setTable(req, args) },
        "AdminMutations.bucketSetTabulatorTable": { _, args, req in try setTable(req, args) },
        "Mutation.bucketRenameTabulatorTable": { _, args, req in try renameTable(req, args) },
        "AdminMutations.bucketRenameTabulatorTable": { _, args, req in try renameTable(req, args) },
    ]

    /// The `admin` root: an empty object for admins, a GraphQL error for anyone else.
    static func admin(_ req: FakeRequest) throws -> JSONObject {
        guard req.user?.isAdmin == true else { throw FakeGraphQLError("Forbidden: only catalog admins may do this") }
        return [:]
    }

    /// Athena's table names: lowercase letters, digits and underscores, not starting with a digit.
    static func validTableName(_ name: String) -> Bool {
        guard let first = name.utf8.first, !(0x30...0x39).contains(first) else { return false }
        return name.utf8.allSatisfy { (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == UInt8(ascii: "_") }
    }

    static func setTable(_ req: FakeRequest, _ args: JSONObject) throws -> Typed {
        _ = try admin(req)
        let bucket = try string(args, "bucketName"), name = try string(args, "tableName")
        guard req.state.hasBucket(bucket) else { return invalid("bucketName", "the catalog does not know bucket '\(bucket)'", name: "BucketNotFound") }
        guard validTableName(name) else { return invalid("tableName", "'\(name)' must match ^[a-z_][a-z0-9_]*$") }
        let config = args["config"]?.stringValue
        if let config {
            // The catalog parses the YAML against Tabulator's model; the fake checks the three sections are there.
            let sections = config.split(separator: "\n").map { $0.prefix { $0 != ":" } }
            for section in ["schema", "source", "parser"] where !sections.contains(Substring(section)) {
                return invalid("config", "the configuration has no '\(section)' section")
            }
        }
        let tables = req.state.setTabulatorTable(bucket, name, config)
        return Typed("BucketConfig", configWith(bucket, tables, req))
    }

    static func renameTable(_ req: FakeRequest, _ args: JSONObject) throws -> Typed {
        _ = try admin(req)
        let bucket = try string(args, "bucketName"), name = try string(args, "tableName"), newName = try string(args, "newTableName")
        guard req.state.hasBucket(bucket) else { return invalid("bucketName", "the catalog does not know bucket '\(bucket)'", name: "BucketNotFound") }
        guard validTableName(newName) else { return invalid("newTableName", "'\(newName)' must match ^[a-z_][a-z0-9_]*$") }
        guard let tables = req.state.renameTabulatorTable(bucket, name, newName) else {
            return invalid("tableName", "no table '\(name)' in \(bucket), or '\(newName)' is taken", name: "TableNotFound")
        }
        return Typed("BucketConfig", configWith(bucket, tables, req))
    }

    static func configWith(_ bucket: String, _ tables: [(name: String, config: String)], _ req: FakeRequest) -> JSONObject {
        var config = bucketConfig(bucket, req.state)
        config["tabulatorTables"] = .array(tables.map { ["name": .string($0.name), "config": .string($0.config)] })
        return config
    }
}
