import Foundation
import QuiltContract
import QuiltHash
import QuiltJSON
import QuiltManifest
import QuiltRegistry

extension FakeResolvers {
    static let mutations: [String: FakeResolver] = [
        "Mutation.packageConstruct": { _, args, req in
            try await construct(req, params: args["params"]?.objectValue ?? [:], entries: args["src"]?["entries"]?.arrayValue ?? [])
        },
        "Mutation.packagePromote": { _, args, req in
            try await promote(req, params: args["params"]?.objectValue ?? [:], src: args["src"]?.objectValue ?? [:])
        },
        "Mutation.packageRevisionDelete": { _, args, req in
            let bucket = try string(args, "bucket")
            guard req.state.hasBucket(bucket), let name = try? PackageName(try string(args, "name")),
                let hash = try? TopHash(try string(args, "hash"))
            else { return operationError("NotFound", "no such bucket, package or revision") }
            let registry = try RegistryURL.s3(bucket)
            let deleted = await FakeResolvers.attempt { () async throws(QuiltOpsError) in
                try await req.engine.deleteRevision(package: name, registry: registry, revision: .hash(hash))
            }
            if case .failure(.notFound) = deleted {
                return operationError("NotFound", "revision \(hash.prefix()) of \(name) in \(bucket) does not exist")
            }
            _ = try deleted.get()
            return Typed("PackageRevisionDeleteSuccess", ["_": true] as JSONObject)
        },
    ]

    static func invalid(_ path: String, _ message: String, name: String = "ValidationError") -> Typed {
        Typed("InvalidInput", ["errors": [["path": .string(path), "message": .string(message), "name": .string(name), "context": .null]]] as JSONObject)
    }

    static func operationError(_ name: String, _ message: String) -> Typed {
        Typed("OperationError", ["message": .string(message), "name": .string(name), "context": .null] as JSONObject)
    }

    /// `PackagePushParams` checks shared by construct and promote; the header the revision gets.
    static func push(_ req: FakeRequest, _ params: JSONObject) -> Result<(String, PackageName, JSONObject), Typed> {
        guard let bucket = params["bucket"]?.stringValue, req.state.hasBucket(bucket) else {
            return .failure(invalid("params.bucket", "the catalog does not know bucket '\(params["bucket"]?.stringValue ?? "")'", name: "BucketNotFound"))
        }
        guard let name = params["name"]?.stringValue.flatMap({ try? PackageName($0) }) else {
            return .failure(invalid("params.name", "'\(params["name"]?.stringValue ?? "")' is not a valid package name"))
        }
        let message = params["message"]
        if message?.stringValue == "" { return .failure(invalid("params.message", "message must be non-empty or null")) }
        let userMeta = params["userMeta"].nonNull
        // quilt3's header: version, user_meta (only when given), message.
        let header = Manifest.freshHeader(userMeta: userMeta, message: message?.stringValue)
        return .success((bucket, name, header))
    }

    static func construct(_ req: FakeRequest, params: JSONObject, entries: [JSONValue]) async throws -> Typed {
        let (bucket, name, header): (String, PackageName, JSONObject)
        switch push(req, params) {
        case .failure(let t): return t
        case .success(let v): (bucket, name, header) = v
        }
        var out: [ConstructEntry] = []
        for (i, e) in entries.enumerated() {
            let path = "src.entries[\(i)]"
            guard let lk = e["logicalKey"]?.stringValue.flatMap({ try? LogicalKey($0) }) else {
                return invalid(path + ".logicalKey", "'\(e["logicalKey"]?.stringValue ?? "")' is not a valid logical key")
            }
            guard let pkText = e["physicalKey"]?.stringValue, let pk = try? PhysicalKey(pkText) else {
                return invalid(path + ".physicalKey", "not a physical key URL")
            }
            guard pk.scheme == .s3 else { return invalid(path + ".physicalKey", "local keys are not allowed: \(pkText)", name: "LocalPhysicalKey") }
            var hash: ObjectHash? = nil
            if let h = e["hash"], !h.isNull {
                guard let t = h["type"]?.stringValue, let v = h["value"]?.stringValue else { return invalid(path + ".hash", "hash needs type and value") }
                hash = ObjectHash(type: t, value: v)
            }
            let size = e["size"].flatMap { $0.isNull ? nil : $0.numberValue?.int64Value ?? $0.doubleValue.map { Int64($0) } }
            let meta = e["meta"].nonNull ?? .object([:])
            out.append(ConstructEntry(logicalKey: lk, physicalKey: pk, size: size, hash: hash, meta: meta))
        }
        let result = await pushed(req, bucket, name, header, out)
        switch result {
        case .success(let info): return success(bucket, name, info)
        case .failure(.invalidInput(let field, let reason)): return invalid("src.\(field)", reason)
        case .failure(.notFound(let subject)): return operationError("NotFound", "\(subject) does not exist")
        case .failure(let error): throw error
        }
    }

    static func pushed(_ req: FakeRequest, _ bucket: String, _ name: PackageName, _ header: JSONObject, _ entries: [ConstructEntry]) async
        -> Result<RevisionInfo, QuiltOpsError>
    {
        do throws(QuiltOpsError) {
            return .success(try await req.engine.construct(package: name, registry: try RegistryURL.s3(bucket), header: header, entries: entries))
        } catch {
            return .failure(error)
        }
    }

    static func promote(_ req: FakeRequest, params: JSONObject, src: JSONObject) async throws -> Typed {
        guard let sb = src["bucket"]?.stringValue, req.state.hasBucket(sb), let sn = src["name"]?.stringValue.flatMap({ try? PackageName($0) }),
            let sh = src["hash"]?.stringValue.flatMap({ try? TopHash($0) })
        else { return invalid("src", "no such source bucket, package or hash") }
        guard let manifest = try? await req.manifest(sb, sh) else { return operationError("NotFound", "revision \(sh.prefix()) of \(sn) does not exist") }
        var adjusted = params
        if params["userMeta"] == nil { adjusted["userMeta"] = manifest.header["user_meta"] ?? .null }
        let (bucket, name, header): (String, PackageName, JSONObject)
        switch push(req, adjusted) {
        case .failure(let t): return t
        case .success(let v): (bucket, name, header) = v
        }
        let entries = manifest.entries.compactMap { e -> ConstructEntry? in
            guard let lk = try? LogicalKey(e.logicalKey) else { return nil }
            return ConstructEntry(logicalKey: lk, physicalKey: e.physicalKey, size: e.size, hash: e.objectHash, meta: e.meta)
        }
        let info = try await req.engine.construct(package: name, registry: try RegistryURL.s3(bucket), header: header, entries: entries)
        return success(bucket, name, info)
    }

    static func success(_ bucket: String, _ name: PackageName, _ info: RevisionInfo) -> Typed {
        Typed("PackagePushSuccess", [
            "package": PackageSource(bucket: bucket, name: name) as any Sendable,
            "revision": RevisionSource(bucket: bucket, name: name, hash: info.revision.hash, modified: info.modified) as any Sendable,
        ] as [String: any Sendable])
    }
}
