import FoundationEssentials
import QuiltContract
import QuiltJSON

/// One `QueryExecution` object as Athena describes it.
struct AthenaExecution {
    var id: String
    var query: String
    var state: String
    var reason: String?
    /// `DML` (its results start with a header row), `DDL` or `UTILITY`.
    var statementType: String?
    var database: String?
    var workgroup: String?
    var submitted: Date?
    var scannedBytes: Int64?
    var engineMilliseconds: Int64?
    var outputLocation: String?
    var engineVersion: String?

    init(_ object: JSONObject) {
        id = object["QueryExecutionId"]?.stringValue ?? ""
        query = object["Query"]?.stringValue ?? ""
        let status = object["Status"]?.objectValue
        state = status?["State"]?.stringValue ?? "UNKNOWN"
        reason = status?["StateChangeReason"]?.stringValue ?? status?["AthenaError"]?["ErrorMessage"]?.stringValue
        submitted = status?["SubmissionDateTime"]?.doubleValue.map { Date(timeIntervalSince1970: $0) }
        statementType = object["StatementType"]?.stringValue
        database = object["QueryExecutionContext"]?["Database"]?.stringValue
        workgroup = object["WorkGroup"]?.stringValue
        let statistics = object["Statistics"]?.objectValue
        scannedBytes = statistics?["DataScannedInBytes"]?.intValue.map(Int64.init)
        engineMilliseconds = statistics?["EngineExecutionTimeInMillis"]?.intValue.map(Int64.init)
        outputLocation = object["ResultConfiguration"]?["OutputLocation"]?.stringValue
        engineVersion = object["EngineVersion"]?["EffectiveEngineVersion"]?.stringValue
    }

    var summary: SQLExecution {
        SQLExecution(
            executionID: id, query: query, state: state, reason: reason, database: database, workgroup: workgroup,
            submitted: submitted, scannedBytes: scannedBytes, engineMilliseconds: engineMilliseconds)
    }
}

extension AthenaEngine {
    // MARK: - Waiting

    /// Polls the execution until it ends or `wait` passes, reporting each state it sees to `progress` (seconds
    /// waited of at most `wait`'s). When the calling task is cancelled, the query is stopped and the call ends with
    /// `.cancelled`.
    func waitForEnd(_ id: String, upTo wait: Duration, progress: ProgressHandler? = nil) async throws(QuiltOpsError) -> AthenaExecution {
        let started = ContinuousClock.now
        let deadline = started + wait
        var pause = poll.first
        while true {
            if Task.isCancelled { throw await stop(id) }
            let execution: AthenaExecution
            do {
                execution = try await describe(id)
            } catch {
                // A poll cut short by the cancellation still stops the query.
                if Task.isCancelled { throw await stop(id) }
                throw error
            }
            if ["SUCCEEDED", "FAILED", "CANCELLED"].contains(execution.state) || ContinuousClock.now >= deadline {
                return execution
            }
            progress?(WriteProgress(
                phase: "athena \(execution.state)", completed: (ContinuousClock.now - started).components.seconds,
                total: max(1, wait.components.seconds)))
            try? await Task.sleep(for: min(pause, deadline - ContinuousClock.now))
            pause = min(poll.max, pause * 1.5)
        }
    }

    /// Stops a query whose call was cancelled, outside the cancelled task (its own requests would fail at once).
    func stop(_ id: String) async -> QuiltOpsError {
        let athena = athena
        let stopped = await Task.detached { () async -> String in
            do throws(QuiltOpsError) {
                _ = try await athena.call("StopQueryExecution", ["QueryExecutionId": .string(id)])
                return "stopped"
            } catch { return "could not be stopped (\(error.message))" }
        }.value
        return .cancelled("The call was cancelled; Athena query \(id) \(stopped).")
    }

    /// `GetQueryExecution`.
    func describe(_ id: String) async throws(QuiltOpsError) -> AthenaExecution {
        let answer = try await athena.call("GetQueryExecution", ["QueryExecutionId": .string(id)], missing: ("query execution", id))
        guard let object = answer["QueryExecution"]?.objectValue else {
            throw .remote("athena GetQueryExecution answered without a QueryExecution.", retryable: false)
        }
        return AthenaExecution(object)
    }

    // MARK: - Results

    /// The result for `execution`: its rows from `cursor` when it succeeded, its state when it still runs or was
    /// cancelled (by someone else: this call is not).
    /// - Throws: `.invalidInput(field: "query")` with Athena's reason when it failed.
    func answer(_ execution: AthenaExecution, cursor: String?, maxRows: Int) async throws(QuiltOpsError) -> SQLQueryResult {
        var result = SQLQueryResult(
            engine: engineID, dialect: execution.engineVersion.map { "Trino (\($0))" } ?? "Athena SQL", executionID: execution.id,
            state: execution.state, workgroup: execution.workgroup ?? "", scannedBytes: execution.scannedBytes,
            engineMilliseconds: execution.engineMilliseconds, outputLocation: execution.outputLocation)
        switch execution.state {
        case "SUCCEEDED":
            break
        case "FAILED":
            throw .invalidInput(field: "query", reason: "Athena query \(execution.id) failed: \(execution.reason ?? "no reason given").")
        default:
            return result
        }
        var token = cursor
        var first = cursor == nil
        var extra = false
        repeat {
            var body: JSONObject = [
                "QueryExecutionId": .string(execution.id), "MaxResults": .number(JSONNumber(min(1000, maxRows - result.rows.count))),
            ]
            if let token { body["NextToken"] = .string(token) }
            let page: JSONObject
            do {
                page = try await athena.call("GetQueryResults", body, missing: ("query execution", execution.id))
            } catch .invalidInput(_, let reason) where token != nil && reason.lowercased().contains("token") {
                throw .invalidInput(field: "cursor", reason: "\(reason) (a cursor works only with the execution id it came with).")
            }
            let set = page["ResultSet"]?.objectValue
            let columns = (set?["ResultSetMetadata"]?["ColumnInfo"]?.arrayValue ?? []).map { column in
                QueryResult.Column(name: column["Name"]?.stringValue ?? "", type: column["Type"]?.stringValue ?? "")
            }
            if result.columns.isEmpty { result.columns = columns }
            var rows = (set?["Rows"]?.arrayValue ?? [])[...]
            // A SELECT's results start with the column names as a row (Athena's CSV header).
            if first, execution.statementType == "DML", let head = rows.first,
                (head["Data"]?.arrayValue ?? []).map({ $0["VarCharValue"]?.stringValue }) == columns.map({ Optional($0.name) })
            {
                rows = rows.dropFirst()
            }
            first = false
            // Only the rows wanted are converted: a service that sends more than MaxResults (moto ignores it) still
            // gets only maxRows through.
            let room = maxRows - result.rows.count
            if rows.count > room { extra = true }
            result.rows += rows.prefix(room).map { row in
                AthenaCells.row((row["Data"]?.arrayValue ?? []).map { $0["VarCharValue"]?.stringValue }, columns: columns)
            }
            token = page["NextToken"]?.stringValue
        } while token != nil && result.rows.count < maxRows
        result.truncated = token != nil || extra
        result.nextCursor = token
        return result
    }
}

/// Athena's cells (every value a string, or absent for null) as JSON by the column's type.
enum AthenaCells {
    static func row(_ cells: [String?], columns: [QueryResult.Column]) -> [JSONValue] {
        cells.enumerated().map { i, text in
            guard let text else { return .null }
            return cell(text, type: i < columns.count ? columns[i].type : "varchar")
        }
    }

    /// Integers and finite floating-point numbers as numbers, booleans as booleans; decimals stay strings (exact
    /// digits), like dates, text and nested values.
    static func cell(_ text: String, type: String) -> JSONValue {
        switch type.lowercased() {
        case "tinyint", "smallint", "integer", "int", "bigint":
            if let n = JSONNumber(integerText: text) { return .number(n) }
        case "double", "float", "real":
            if let d = Double(text), d.isFinite { return .number(JSONNumber(d)) }
        case "boolean":
            if text == "true" { return .bool(true) }
            if text == "false" { return .bool(false) }
        default:
            break
        }
        return .string(text)
    }
}
