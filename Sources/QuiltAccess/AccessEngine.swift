import FoundationEssentials
package import QuiltContract
package import QuiltS3

/// ``AccessOps`` for every mode: AWS probes (STS GetCallerIdentity, S3 ListBuckets and per-bucket calls) with the
/// credentials the deployment's S3 client uses, the catalog's user and bucket list through the package backend, and
/// a local registry's listing through the package backend.
package struct AccessEngine: AccessOps {
    /// S3 and STS signed with the deployment's AWS credentials.
    package struct AWS: Sendable {
        let s3: S3Client
        let sts: STSClient
        package init(s3: S3Client, sts: STSClient) {
            self.s3 = s3
            self.sts = sts
        }
    }

    let ops: any QuiltOps
    /// The AWS clients, made on first use; nil when the mode has no AWS credentials to probe with (and why).
    let aws: @Sendable () -> Result<AWS, QuiltOpsError>?
    let configured: RegistryURL?
    /// The write probe's key below ``probePrefix`` (a fresh UUID; fixed in recorded tests).
    let probeName: @Sendable () -> String
    /// The most buckets one discovery probes (an account may own thousands).
    static let bucketLimit = 50
    /// Where the write probe writes (one object, removed again).
    static let probePrefix = ".quilt-mcp-probe/"

    package init(
        ops: any QuiltOps, configured: RegistryURL?, probeName: @escaping @Sendable () -> String = { UUID().uuidString.lowercased() },
        aws: @escaping @Sendable () -> Result<AWS, QuiltOpsError>?
    ) {
        self.ops = ops
        self.configured = configured
        self.probeName = probeName
        self.aws = aws
    }

    // MARK: - Discovery

    package func discoverPermissions(buckets asked: [String]?, includeOthers: Bool) async throws(QuiltOpsError) -> AccessReport {
        var wanted: [(RegistryURL, [String])] = []
        func add(_ registry: RegistryURL, _ source: String) {
            if let i = wanted.firstIndex(where: { $0.0 == registry }) {
                if !wanted[i].1.contains(source) { wanted[i].1.append(source) }
            } else {
                wanted.append((registry, [source]))
            }
        }
        if let asked {
            for name in asked { add(try RegistryURL.userText(name, field: "check_buckets"), "asked") }
        } else if let configured {
            // First, so the bucket limit never leaves out the one this deployment uses.
            add(configured, "configured registry")
        }
        var identityProbes: [AccessProbe] = []
        var bucketProbes: [AccessProbe] = []
        var identity: AWSIdentity?
        let clients = aws()
        switch clients {
        case .success(let c)?:
            do throws(QuiltOpsError) {
                let found = try await c.sts.callerIdentity(using: try await c.s3.credentials.credentials())
                identity = AWSIdentity(account: found.account, arn: found.arn, userId: found.userId)
                identityProbes.append(.init(check: "identity", how: "STS GetCallerIdentity", outcome: .allowed, detail: found.arn))
            } catch {
                identityProbes.append(Self.probe("identity", "STS GetCallerIdentity", error))
            }
            if asked == nil {
                do throws(QuiltOpsError) {
                    let owned = try await c.s3.listBuckets()
                    for b in owned { if let r = try? RegistryURL.s3(b.name) { add(r, "S3 ListBuckets") } }
                    bucketProbes.append(.init(check: "buckets", how: "S3 ListBuckets", outcome: .allowed, detail: "\(owned.count) bucket(s)"))
                } catch {
                    bucketProbes.append(Self.probe("buckets", "S3 ListBuckets", error))
                }
            }
        case .failure(let error)?:
            identityProbes.append(Self.probe("identity", "STS GetCallerIdentity", error))
        case nil:
            identityProbes.append(.init(
                check: "identity", how: "STS GetCallerIdentity", outcome: .skipped,
                detail: "this deployment reaches no AWS account (a local registry)"))
        }
        let status = try? await ops.authStatus()
        if let user = status?.catalogUser {
            identityProbes.append(.init(check: "catalog", how: "catalog GraphQL me", outcome: .allowed, detail: user.name))
        } else if let status, status.catalogURL != nil {
            identityProbes.append(.init(check: "catalog", how: "catalog GraphQL me", outcome: .failed, detail: status.detail))
        }
        if asked == nil, includeOthers || clients == nil || status?.catalogUser != nil, ops.capabilities.contains(.bucketListing) {
            let how = status?.catalogUser != nil ? "catalog bucketConfigs" : "the backend's known registries"
            do throws(QuiltOpsError) {
                let listed = try await ops.listBuckets()
                for b in listed { add(b.registry, status?.catalogUser != nil ? "catalog" : "known registry") }
                bucketProbes.append(.init(check: "buckets", how: how, outcome: .allowed, detail: "\(listed.count) bucket(s)"))
            } catch {
                bucketProbes.append(Self.probe("buckets", how, error))
            }
        }
        if wanted.count > Self.bucketLimit {
            bucketProbes.append(.init(
                check: "buckets", how: "limit", outcome: .skipped,
                detail: "\(wanted.count - Self.bucketLimit) bucket(s) beyond the first \(Self.bucketLimit) not probed; name them in check_buckets"))
            wanted = Array(wanted.prefix(Self.bucketLimit))
        }
        let probed = await probeAll(wanted.map { registry, sources in (registry, sources) }, clients)
        return AccessReport(
            identityProbes: identityProbes, aws: identity, catalogUser: status?.catalogUser, bucketProbes: bucketProbes, buckets: probed)
    }

    /// Every bucket's discovery probes (list, location, versioning, policy status), four buckets at a time, in order.
    private func probeAll(_ wanted: [(RegistryURL, [String])], _ clients: Result<AWS, QuiltOpsError>?) async -> [BucketAccess] {
        // No nested function captures the group: the release build miscompiles that shape (see PlatformBackend+Write).
        await withTaskGroup(of: (Int, BucketAccess).self, returning: [BucketAccess].self) { group in
            var out = [BucketAccess?](repeating: nil, count: wanted.count)
            var next = 0
            while next < min(4, wanted.count) {
                let i = next
                group.addTask { (i, await self.probe(wanted[i].0, sources: wanted[i].1, clients: clients)) }
                next += 1
            }
            while let (i, access) = await group.next() {
                out[i] = access
                if next < wanted.count {
                    let j = next
                    group.addTask { (j, await self.probe(wanted[j].0, sources: wanted[j].1, clients: clients)) }
                    next += 1
                }
            }
            return out.compactMap { $0 }
        }
    }

    /// One bucket's discovery probes, with where it was found.
    private func probe(_ registry: RegistryURL, sources: [String], clients: Result<AWS, QuiltOpsError>?) async -> BucketAccess {
        var access = await probe(registry, operations: [.list], clients: clients, discovery: true)
        access.sources = sources
        return access
    }

    // MARK: - One bucket

    package func checkBucketAccess(bucket: String, operations: Set<AccessOperation>) async throws(QuiltOpsError) -> BucketAccess {
        let registry = try RegistryURL.userText(bucket, field: "bucket")
        var access = await probe(registry, operations: operations, clients: aws(), discovery: false)
        access.sources = ["asked"]
        if let status = try? await ops.authStatus(), status.catalogUser != nil, ops.capabilities.contains(.bucketListing) {
            do throws(QuiltOpsError) {
                let listed = try await ops.listBuckets().contains { $0.registry == registry }
                access.probes.append(.init(
                    check: "catalog", how: "catalog bucketConfigs", outcome: listed ? .allowed : .denied,
                    detail: listed ? "the catalog lists this bucket" : "the catalog does not list this bucket"))
            } catch {
                access.probes.append(Self.probe("catalog", "catalog bucketConfigs", error))
            }
        }
        return access
    }

    /// The probes of one bucket or local registry.
    func probe(
        _ registry: RegistryURL, operations: Set<AccessOperation>, clients: Result<AWS, QuiltOpsError>?, discovery: Bool
    ) async -> BucketAccess {
        var access = BucketAccess(bucket: registry.kind == .s3 ? registry.location : registry.url, registry: registry)
        let bucket = registry.location
        let c: AWS
        switch clients {
        case .success(let made)? where registry.kind == .s3:
            c = made
        case .failure(let error)? where registry.kind == .s3:
            access.probes = [Self.probe("list", "S3 (no client)", error)]
            return access
        default:
            // A local registry, or a deployment without AWS clients (a catalog's objects go through the catalog).
            access.probes = await backendProbes(registry, operations)
            return access
        }
        var probes: [AccessProbe] = []
        var firstKey: String?
        do throws(QuiltOpsError) {
            probes.append(.init(check: "location", how: "S3 GetBucketLocation", outcome: .allowed, detail: try await c.s3.bucketLocation(bucket: bucket)))
        } catch {
            probes.append(Self.probe("location", "S3 GetBucketLocation", error))
        }
        if operations.contains(.list) || operations.contains(.read) {
            do throws(QuiltOpsError) {
                let page = try await c.s3.listObjectsV2(bucket: bucket, prefix: "", delimiter: nil, maxKeys: 1)
                firstKey = page.objects.first?.key
                if operations.contains(.list) {
                    probes.append(.init(
                        check: "list", how: "S3 ListObjectsV2 (max-keys=1)", outcome: .allowed,
                        detail: firstKey == nil ? "empty" : "not empty"))
                }
            } catch {
                if operations.contains(.list) { probes.append(Self.probe("list", "S3 ListObjectsV2 (max-keys=1)", error)) }
            }
        }
        if operations.contains(.read) {
            if let key = firstKey {
                do throws(QuiltOpsError) {
                    _ = try await c.s3.getObject(bucket: bucket, key: key, range: try ByteRange(offset: 0, length: 1))
                    probes.append(.init(check: "read", how: "S3 GetObject (1 byte of the first listed key)", outcome: .allowed))
                } catch {
                    probes.append(Self.probe("read", "S3 GetObject (1 byte of the first listed key)", error))
                }
            } else {
                probes.append(.init(
                    check: "read", how: "S3 GetObject", outcome: .skipped,
                    detail: "no key to read (the bucket is empty, or listing it was refused)"))
            }
        }
        if discovery {
            do throws(QuiltOpsError) {
                let status = try await c.s3.bucketVersioning(bucket: bucket)
                probes.append(.init(check: "versioning", how: "S3 GetBucketVersioning", outcome: .allowed, detail: status ?? "never enabled"))
            } catch {
                probes.append(Self.probe("versioning", "S3 GetBucketVersioning", error))
            }
            do throws(QuiltOpsError) {
                let isPublic = try await c.s3.bucketPolicyIsPublic(bucket: bucket)
                probes.append(.init(
                    check: "policy_status", how: "S3 GetBucketPolicyStatus", outcome: .allowed,
                    detail: isPublic.map { $0 ? "public" : "not public" } ?? "no bucket policy"))
            } catch {
                probes.append(Self.probe("policy_status", "S3 GetBucketPolicyStatus", error))
            }
        }
        if operations.contains(.write) { probes.append(await writeProbe(c.s3, bucket)) }
        access.probes = probes
        return access
    }

    /// Writes one object under ``probePrefix`` and deletes exactly the version written, so a versioned bucket keeps
    /// no trace either. A write that succeeds but cannot be removed says where the object was left.
    func writeProbe(_ s3: S3Client, _ bucket: String) async -> AccessProbe {
        let key = Self.probePrefix + probeName()
        let how = "S3 PutObject then DeleteObject of that version (s3://\(bucket)/\(key))"
        let written: S3WriteResult
        do throws(QuiltOpsError) {
            written = try await s3.putObject(bucket: bucket, key: key, bytes: Array("quilt-mcp write probe".utf8), contentType: "text/plain")
        } catch {
            return Self.probe("write", how, error)
        }
        do throws(QuiltOpsError) {
            try await s3.deleteObject(bucket: bucket, key: key, versionId: written.versionId)
            return .init(check: "write", how: how, outcome: .allowed, detail: "written and removed")
        } catch {
            return .init(
                check: "write", how: how, outcome: .allowed,
                detail: "written, but removing it failed (\(error.message)); delete s3://\(bucket)/\(key) by hand")
        }
    }

    /// Listed and read through the package backend: a local registry (the server's own file permissions apply), or
    /// a catalog's bucket (with the catalog's credentials). Nothing is written: the backend's capability is reported.
    func backendProbes(_ registry: RegistryURL, _ operations: Set<AccessOperation>) async -> [AccessProbe] {
        var probes: [AccessProbe] = []
        var first: PhysicalKey?
        let how = "listing through the \(ops.backendID.rawValue) backend"
        do throws(QuiltOpsError) {
            let listing = try await ops.listObjects(ObjectListRequest(root: registry, delimiter: nil, page: try PageRequest(limit: 1)))
            first = listing.objects.first?.key
            if operations.contains(.list) || operations.isEmpty {
                probes.append(.init(check: "list", how: how, outcome: .allowed, detail: first == nil ? "empty" : "not empty"))
            }
        } catch {
            if operations.contains(.list) || operations.isEmpty { probes.append(Self.probe("list", how, error)) }
        }
        if operations.contains(.read) {
            if let first {
                do throws(QuiltOpsError) {
                    _ = try await ops.readObject(first, range: nil, maxBytes: 1)
                    probes.append(.init(check: "read", how: "reading the first listed object", outcome: .allowed))
                } catch {
                    probes.append(Self.probe("read", "reading the first listed object", error))
                }
            } else {
                probes.append(.init(check: "read", how: "reading an object", outcome: .skipped, detail: "no object to read"))
            }
        }
        if operations.contains(.write) {
            let writes = ops.capabilities.contains(.objectWrite)
            probes.append(.init(
                check: "write", how: "the backend's capabilities", outcome: writes ? .allowed : .denied,
                detail: (writes ? "the backend writes objects here" : "the backend does not write objects here")
                    + "; without S3 credentials of its own the server is not written to as a probe"))
        }
        return probes
    }

    /// A failed call as a probe: `denied` for a refusal, `failed` for anything else, with the service's words.
    static func probe(_ check: String, _ how: String, _ error: QuiltOpsError) -> AccessProbe {
        switch error {
        case .forbidden, .unauthenticated:
            return .init(check: check, how: how, outcome: .denied, detail: error.message)
        default:
            return .init(check: check, how: how, outcome: .failed, detail: error.message)
        }
    }
}
