import FoundationEssentials
package import QuiltContract
package import QuiltJSON

/// Where `promotePackage` copies a revision from and to.
package struct PromoteRequest: Sendable {
    package var package: PackageName
    package var registry: RegistryURL
    package var revision: RevisionRef
    package var destinationPackage: PackageName
    package var destinationRegistry: RegistryURL
    package var message: String?
    /// Package metadata for the copy: nil keeps the source's.
    package var userMeta: JSONValue?
    /// Where copied data goes in the destination bucket (when the source workflow copies data).
    package var destinationPrefix: String?
    package init(
        package: PackageName, registry: RegistryURL, revision: RevisionRef = .latest, destinationPackage: PackageName,
        destinationRegistry: RegistryURL, message: String? = nil, userMeta: JSONValue? = nil, destinationPrefix: String? = nil
    ) {
        self.package = package
        self.registry = registry
        self.revision = revision
        self.destinationPackage = destinationPackage
        self.destinationRegistry = destinationRegistry
        self.message = message
        self.userMeta = userMeta
        self.destinationPrefix = destinationPrefix
    }
}

extension PlatformBackend {
    // MARK: - Deleting

    /// `packageRevisionDelete` for the resolved hash: the catalog removes every pointer naming it and moves
    /// `latest` to the newest remaining revision (quilt3's delete by hash).
    package func deleteRevision(package: PackageName, registry: RegistryURL, revision: RevisionRef)
        async throws(QuiltOpsError) -> DeleteResult
    {
        try await refuseOnLocalCatalog("deleteRevision", lacks: "resolves no packageRevisionDelete")
        let (rows, latest) = try await allRevisions(package, registry)
        let hash = try await resolveHash(package, registry, revision)
        let doomed = Self.summaries(rows, latest: latest).first { $0.hash == hash }
        guard let doomed else {
            throw .notFound(.revision(name: package.rawValue, reference: revision.description, registry: registry.url))
        }
        try await deleteHash(package, registry, hash)
        let after = try? await directHash(package, registry, .latest)
        var removed = doomed.timestamps
        if doomed.isLatest && after == nil { removed.append("latest") }
        return DeleteResult(removedPointers: removed, latest: after)
    }

    /// Every revision, one `packageRevisionDelete` each (the catalog has no whole-package delete).
    package func deletePackage(package: PackageName, registry: RegistryURL) async throws(QuiltOpsError) -> DeleteResult {
        try await refuseOnLocalCatalog("deletePackage", lacks: "resolves no packageRevisionDelete")
        let (rows, latest) = try await allRevisions(package, registry)
        let all = Self.summaries(rows, latest: latest)
        // Older revisions first and latest last, so an interrupted delete leaves the package listed.
        for r in all.reversed() {
            if Task.isCancelled { throw .cancelled("deleting \(package) was cancelled; some revisions may remain.") }
            try await deleteHash(package, registry, r.hash)
        }
        let names = all.flatMap(\.timestamps) + ["latest"]
        return DeleteResult(removedPointers: names.sorted { (Int64($0) ?? .max) > (Int64($1) ?? .max) }, latest: nil)
    }

    func deleteHash(_ package: PackageName, _ registry: RegistryURL, _ hash: TopHash) async throws(QuiltOpsError) {
        let data = try await graphQL(
            .packageRevisionDelete,
            ["bucket": .string(try bucket(registry)), "name": .string(package.rawValue), "hash": .string(hash.rawValue)])
        try Self.checkUnion(data["packageRevisionDelete"], operation: "PackageRevisionDelete")
    }

    // MARK: - Promoting (beyond QuiltOps)

    /// Copies a revision into another bucket or name with the catalog's `packagePromote` (the contract has no copy
    /// operation; this is the Platform backend's own). The catalog copies the manifest, and the data too when the
    /// source bucket's workflow says `copy_data` for that successor; the copy becomes the destination's `latest`.
    /// - Throws: `.unsupported` without `packageWrite`, or for a destination prefix on a catalog whose schema has
    ///   none; as `resolve` for the source; `invalidInput` /
    ///   `remote` for the catalog's `InvalidInput` / `OperationError` (e.g. a destination that is not a successor).
    package func promotePackage(_ request: PromoteRequest) async throws(QuiltOpsError) -> RevisionInfo {
        try require(.packageWrite, for: "promotePackage")
        try await refuseOnLocalCatalog("promotePackage", lacks: "resolves no packagePromote")
        let hash = try await resolveHash(request.package, request.registry, request.revision)
        var params: JSONObject = [
            "bucket": .string(try bucket(request.destinationRegistry)), "name": .string(request.destinationPackage.rawValue),
            "message": request.message.flatMap { $0.isEmpty ? nil : JSONValue.string($0) } ?? .null,
        ]
        if let meta = request.userMeta { params["userMeta"] = try Self.userMetaRecord(meta) }
        let src: JSONObject = ["bucket": .string(try bucket(request.registry)), "name": .string(request.package.rawValue), "hash": .string(hash.rawValue)]
        var variables: JSONObject = ["params": .object(params), "src": .object(src)]
        let features = try await schemaFeatures()
        if let prefix = request.destinationPrefix {
            guard features.promoteDestPrefix else {
                throw .unsupported(
                    operation: "a destination prefix when promoting on this catalog (its packagePromote has no destPrefix before 2025-07; promote without one)",
                    backend: backendID.rawValue)
            }
            variables["destPrefix"] = .string(prefix)
        }
        let data = try await graphQL(.packagePromote, variables, features: features)
        return try pushResult(
            data["packagePromote"], operation: "PackagePromote", package: request.destinationPackage, registry: request.destinationRegistry)
    }
}
