import FoundationEssentials
package import QuiltContract
import QuiltJSON

/// Amazon Athena as a query engine: statements run in a workgroup, their results are paged back, and Glue (or
/// Athena's own metadata calls, for other data catalogs) lists databases and tables.
///
/// Reads only, unless the deployment allows writes: every statement is lexed first (``SQLStatement``) and anything
/// but a read is refused before it is sent. A call waits up to the request's `wait`; a query that runs longer keeps
/// running and is fetched by its execution id. Cancelling the call stops the query (`StopQueryExecution`).
package struct AthenaEngine: QueryOps {
    package let engineID = "athena"
    package let queryCapabilities: Set<QueryCapability> = [.sql, .sqlCatalog, .workgroups]

    let athena: AWSJSONClient
    let glue: AWSJSONClient
    package var settings: Settings
    /// A fresh idempotency token per started query (fixed in replayed tests).
    package var requestToken: @Sendable () -> String
    /// The pause between polls of a running query: starts at `poll.first`, grows by half up to `poll.max`.
    package var poll: (first: Duration, max: Duration) = (.milliseconds(100), .seconds(2))
    let workgroups: WorkgroupChooser

    /// What the deployment configured.
    package struct Settings: Sendable {
        /// The workgroup used when a call names none, and the setting that chose it.
        package var workgroup: (name: String, setting: String)?
        /// Where results go when the workgroup configures no location (`s3://bucket/prefix/`).
        package var outputLocation: String?
        /// Whether statements other than reads may run, and the setting that says so.
        package var allowWrites: (allowed: Bool, setting: String)
        /// The setting that names a workgroup, for error messages.
        package var workgroupSetting: String
        package init(
            workgroup: (name: String, setting: String)? = nil, outputLocation: String? = nil,
            allowWrites: (allowed: Bool, setting: String) = (false, "athena_allow_writes"), workgroupSetting: String = "athena_workgroup"
        ) {
            self.workgroup = workgroup
            self.outputLocation = outputLocation
            self.allowWrites = allowWrites
            self.workgroupSetting = workgroupSetting
        }
    }

    package init(
        athena: AWSJSONClient, glue: AWSJSONClient, settings: Settings = Settings(),
        requestToken: @escaping @Sendable () -> String = { UUID().uuidString.lowercased() }
    ) {
        self.athena = athena
        self.glue = glue
        self.settings = settings
        self.requestToken = requestToken
        self.workgroups = WorkgroupChooser(athena: athena)
    }

    // MARK: - Package queries (not this engine)

    package func packageQuery(_ request: PackageQueryRequest) async throws(QuiltOpsError) -> QueryResult {
        throw .unsupported(operation: "package_query", backend: "athena query engine")
    }

    // MARK: - Statements

    package func executeQuery(_ request: SQLQueryRequest) async throws(QuiltOpsError) -> SQLQueryResult {
        try require(.sql, for: "athena_query_execute")
        guard (1...PageRequest.maxLimit).contains(request.maxRows) else {
            throw .invalidInput(field: "max_results", reason: "\(request.maxRows) is outside 1...\(PageRequest.maxLimit).")
        }
        try vetStatement(request.query)
        let workgroup = try await chooseWorkgroup(request.workgroup)
        var body: JSONObject = [
            "QueryString": .string(request.query), "ClientRequestToken": .string(requestToken()), "WorkGroup": .string(workgroup.name),
        ]
        var context = JSONObject()
        if let database = request.database { context["Database"] = .string(database) }
        if let catalog = request.catalog { context["Catalog"] = .string(catalog) }
        if !context.isEmpty { body["QueryExecutionContext"] = .object(context) }
        if workgroup.outputLocation == nil, let location = settings.outputLocation {
            body["ResultConfiguration"] = ["OutputLocation": .string(location)]
        }
        let started = try await athena.call("StartQueryExecution", body, missing: ("workgroup", workgroup.name))
        guard let id = started["QueryExecutionId"]?.stringValue else {
            throw .remote("athena StartQueryExecution answered without a QueryExecutionId.", retryable: false)
        }
        let execution = try await waitForEnd(id, upTo: request.wait, progress: request.progress)
        return try await answer(execution, cursor: nil, maxRows: request.maxRows)
    }

    package func queryResults(executionID: String, cursor: String?, maxRows: Int) async throws(QuiltOpsError) -> SQLQueryResult {
        try require(.sql, for: "athena_query_results")
        guard (1...PageRequest.maxLimit).contains(maxRows) else {
            throw .invalidInput(field: "max_results", reason: "\(maxRows) is outside 1...\(PageRequest.maxLimit).")
        }
        let execution = try await describe(executionID)
        return try await answer(execution, cursor: cursor, maxRows: maxRows)
    }

    package func queryHistory(workgroup: String?, limit: Int) async throws(QuiltOpsError) -> [SQLExecution] {
        try require(.sql, for: "athena_query_history")
        guard (1...500).contains(limit) else { throw .invalidInput(field: "max_results", reason: "\(limit) is outside 1...500.") }
        let group = try await chooseWorkgroup(workgroup).name
        var ids: [String] = []
        var token: String?
        repeat {
            var body: JSONObject = ["WorkGroup": .string(group), "MaxResults": .number(JSONNumber(min(50, limit - ids.count)))]
            if let token { body["NextToken"] = .string(token) }
            let page = try await athena.call("ListQueryExecutions", body, missing: ("workgroup", group))
            ids += (page["QueryExecutionIds"]?.arrayValue ?? []).compactMap(\.stringValue)
            token = page["NextToken"]?.stringValue
        } while token != nil && ids.count < limit
        // One GetQueryExecution per id, eight at a time: BatchGetQueryExecution would save calls on AWS, but moto
        // (the peer the suite runs against) does not implement it, and a history is a few dozen rows.
        var executions: [SQLExecution] = []
        for start in stride(from: 0, to: min(ids.count, limit), by: 8) {
            let batch = Array(ids[start..<min(start + 8, ids.count, limit)])
            let found = await withTaskGroup(of: Result<AthenaExecution, QuiltOpsError>.self) { group in
                for id in batch {
                    group.addTask {
                        do throws(QuiltOpsError) { return .success(try await describe(id)) } catch { return .failure(error) }
                    }
                }
                var all: [Result<AthenaExecution, QuiltOpsError>] = []
                for await one in group { all.append(one) }
                return all
            }
            for one in found { executions.append(try one.get().summary) }
        }
        return executions.sorted { ($0.submitted ?? .distantPast, $0.executionID) > ($1.submitted ?? .distantPast, $1.executionID) }
    }

    // MARK: - Workgroups

    package func listWorkgroups() async throws(QuiltOpsError) -> [SQLWorkgroup] {
        try require(.workgroups, for: "athena_workgroups_list")
        return try await workgroups.all(credentials: athena.credentials)
    }

    /// The workgroup a statement runs in: the one named, else the deployment's, else one discovered.
    func chooseWorkgroup(_ named: String?) async throws(QuiltOpsError) -> (name: String, outputLocation: String?) {
        if let named, !named.isEmpty { return (named, nil) }
        if let configured = settings.workgroup { return (configured.name, nil) }
        return try await workgroups.choose(
            needOutputLocation: settings.outputLocation == nil, setting: settings.workgroupSetting, credentials: athena.credentials)
    }

    // MARK: - Vetting

    /// Refuses what the deployment does not run: writes (unless allowed), several statements, nothing, unlexable text.
    package func vetStatement(_ query: String) throws(QuiltOpsError) {
        switch SQLStatement.classify(query) {
        case .read:
            return
        case .write(let keyword):
            if settings.allowWrites.allowed { return }
            throw .invalidInput(
                field: "query",
                reason: "\(keyword) is not a read; this deployment runs only reads (SELECT, WITH … SELECT, SHOW, DESCRIBE, EXPLAIN, VALUES). A deployment that trusts its callers with writes sets \(settings.allowWrites.setting).")
        case .multiple:
            throw .invalidInput(field: "query", reason: "send one statement per call (a ';' is followed by another statement).")
        case .empty:
            throw .invalidInput(field: "query", reason: "there is no statement (only whitespace or comments).")
        case .malformed(let problem):
            throw .invalidInput(field: "query", reason: problem)
        }
    }
}
