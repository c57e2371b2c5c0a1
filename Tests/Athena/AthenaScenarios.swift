import Foundation
import QuiltAthena
import QuiltContract
import QuiltHTTP
import QuiltJSON
import QuiltTestSupport
import Synchronization
import Testing

/// The Athena engine against moto (replayed by default; `Fixtures/athena/record.sh` re-records, the `athena` tier
/// of `.ci/run` runs it live). Serialized: moto's switches (state transitions) are global.
@Suite("Athena: statements, results, workgroups and the Glue catalog against moto", .serialized)
struct AthenaScenarios {
    /// Runs `body` in a session and finishes it (replay checks every exchange was used; record writes the fixture).
    func run(
        _ scenario: String, region: String, settings: AthenaEngine.Settings = .init(), _ body: (AthenaSession) async throws -> Void
    ) async throws {
        let session = try AthenaSession.make(scenario, region: region, settings: settings)
        do {
            try await body(session)
        } catch {
            try? await session.finish(true)
            throw error
        }
        try await session.finish(false)
    }

    @Test("A SELECT answers typed rows without Athena's header row, bounded by max_results")
    func selectRows() async throws {
        // The deployment's result location is sent (moto, unlike Athena, does not apply the workgroup's own).
        try await run("select.typed-rows", region: "eu-west-1", settings: .init(outputLocation: "s3://quilt-athena-results/adhoc/")) { s in
            try await s.createWorkgroup("reports", outputLocation: "s3://quilt-athena-results/reports/")
            let columns = [("name", "varchar"), ("units", "integer"), ("price", "double"), ("ok", "boolean"), ("amount", "decimal(10,2)")]
            try await s.queueResult(columns: columns, rows: [
                ["name", "units", "price", "ok", "amount"],
                ["apple", "3", "0.5", "true", "1.50"],
                ["pear, green", nil, "1e3", "false", "10.00"],
                ["kiwi", "-7", "NaN", "true", nil],
            ])
            let all = try await s.engine.executeQuery(SQLQueryRequest(
                query: "SELECT * FROM sales", database: "retail", workgroup: "reports", maxRows: 10))
            #expect(all.state == "SUCCEEDED")
            #expect(all.engine == "athena")
            #expect(all.workgroup == "reports")
            #expect(all.columns.map(\.name) == ["name", "units", "price", "ok", "amount"])
            #expect(all.rows.count == 3)
            #expect(all.rows.first == [.string("apple"), 3, .number(JSONNumber(0.5)), true, .string("1.50")])
            #expect(all.rows[1] == [.string("pear, green"), .null, .number(JSONNumber(1000.0)), false, .string("10.00")])
            // NaN is no JSON number: it stays the text Athena sent.
            #expect(all.rows[2][2] == .string("NaN"))
            #expect(!all.truncated)
            #expect(all.outputLocation?.hasPrefix("s3://quilt-athena-results/adhoc/") == true)

            try await s.queueResult(columns: [("n", "integer")], rows: [["n"], ["1"], ["2"], ["3"]])
            let two = try await s.engine.executeQuery(SQLQueryRequest(query: "SELECT n FROM t", workgroup: "reports", maxRows: 2))
            #expect(two.rows == [[1], [2]])
            #expect(two.truncated)

            // The same execution's rows again, by id.
            let again = try await s.engine.queryResults(executionID: two.executionID, cursor: nil, maxRows: 5)
            #expect(again.rows == [[1], [2], [3]])
        }
    }

    @Test("Without a workgroup named or configured, an enabled one with an output location is chosen, Quilt's first")
    func workgroupDiscovery() async throws {
        try await run("workgroups.discovery", region: "eu-central-1") { s in
            try await s.createWorkgroup("analytics", outputLocation: nil)
            try await s.createWorkgroup("QuiltTabulatorOpenQuery-stack", outputLocation: "s3://quilt-results/open/")
            try await s.createWorkgroup("zz-team", outputLocation: "s3://team-results/")
            let listed = try await s.engine.listWorkgroups()
            #expect(Set(listed.map(\.name)).isSuperset(of: ["primary", "analytics", "QuiltTabulatorOpenQuery-stack", "zz-team"]))
            #expect(listed.first { $0.name == "zz-team" }?.outputLocation == "s3://team-results/")
            #expect(listed.first { $0.name == "analytics" }?.outputLocation == nil)

            try await s.queueResult(columns: [("one", "integer")], rows: [["one"], ["1"]])
            let result = try await s.engine.executeQuery(SQLQueryRequest(query: "SELECT 1 AS one"))
            #expect(result.workgroup == "QuiltTabulatorOpenQuery-stack")
            #expect(result.rows == [[1]])
        }
    }

    @Test("No usable workgroup is an invalid_input naming what was tried and the settings that fix it")
    func noWorkgroup() async throws {
        try await run("workgroups.none-usable", region: "ap-south-1", settings: .init(workgroupSetting: "QUILT_MCP_ATHENA_WORKGROUP")) { s in
            // moto's `primary` has no output location, and nothing else exists in this region.
            do {
                _ = try await s.engine.executeQuery(SQLQueryRequest(query: "SELECT 1"))
                Issue.record("expected invalid_input")
            } catch let error as QuiltOpsError {
                guard case .invalidInput(let field, let reason) = error else { Issue.record("got \(error)"); return }
                #expect(field == "workgroup_name")
                #expect(reason.contains("primary (no output location)"))
                #expect(reason.contains("QUILT_MCP_ATHENA_WORKGROUP"))
            }
        }
    }

    @Test("Databases, tables (filtered by pattern) and a table's columns come from Glue; a missing table is not_found")
    func glueCatalog() async throws {
        try await run("catalog.glue", region: "ca-central-1") { s in
            _ = try await s.glue.call("CreateDatabase", ["DatabaseInput": ["Name": "retail-2024", "Description": "shop data"]])
            try await s.createTable(
                database: "retail-2024", table: "sales", columns: [("item", "string"), ("units", "int")],
                partitions: [("day", "date")], location: "s3://retail/sales/")
            try await s.createTable(database: "retail-2024", table: "salaries", columns: [("who", "string")], location: "s3://retail/pay/")
            try await s.createTable(database: "retail-2024", table: "resale", columns: [("item", "string")], location: "s3://retail/resale/")

            let databases = try await s.engine.listDatabases(catalog: nil)
            #expect(databases.contains(SQLDatabase(name: "retail-2024", catalog: "AwsDataCatalog", description: "shop data")))
            let all = try await s.engine.listTables(database: "retail-2024", catalog: nil, pattern: nil)
            #expect(all.map(\.name).sorted() == ["resale", "salaries", "sales"])
            let some = try await s.engine.listTables(database: "retail-2024", catalog: nil, pattern: "SAL*")
            #expect(some.map(\.name).sorted() == ["salaries", "sales"])

            let sales = try await s.engine.tableSchema(database: "retail-2024", table: "sales", catalog: nil)
            #expect(sales.columns == [.init(name: "item", type: "string"), .init(name: "units", type: "int")])
            #expect(sales.partitionColumns == [.init(name: "day", type: "date")])
            #expect(sales.location == "s3://retail/sales/")
            #expect(sales.type == "EXTERNAL_TABLE")

            await #expect(throws: QuiltOpsError.notFound(.analytics(kind: "table", name: "nope in database retail-2024"))) {
                _ = try await s.engine.tableSchema(database: "retail-2024", table: "nope", catalog: nil)
            }
            await #expect(throws: QuiltOpsError.notFound(.analytics(kind: "database", name: "missing"))) {
                _ = try await s.engine.listTables(database: "missing", catalog: nil, pattern: nil)
            }

            // Another data catalog (a Tabulator catalog is a Lambda one): listed through Athena; one that does not
            // exist is not_found naming those there are (ListDataCatalogs), not an empty list.
            _ = try await s.athena.call("CreateDataCatalog", [
                "Name": "quilt-stack-tabulator", "Type": "LAMBDA",
                "Parameters": ["function": "arn:aws:lambda:ca-central-1:123456789012:function:tabulator"],
            ])
            #expect(try await s.engine.listDatabases(catalog: "quilt-stack-tabulator").isEmpty)
            await #expect(throws: QuiltOpsError.notFound(.analytics(
                kind: "data catalog", name: "quilt-nope-tabulator (the data catalogs are AwsDataCatalog, quilt-stack-tabulator)"))) {
                _ = try await s.engine.listDatabases(catalog: "quilt-nope-tabulator")
            }
        }
    }

    @Test("History lists a workgroup's executions newest first; a query still running returns its id to fetch later")
    func historyAndRunning() async throws {
        try await run("executions.history", region: "sa-east-1") { s in
            try await s.createWorkgroup("hist", outputLocation: "s3://results/hist/")
            try await s.queueResult(columns: [("a", "integer")], rows: [["a"], ["1"]])
            let first = try await s.engine.executeQuery(SQLQueryRequest(query: "SELECT 1 AS a", workgroup: "hist"))
            try await s.queueResult(columns: [("b", "integer")], rows: [["b"], ["2"]])
            let second = try await s.engine.executeQuery(SQLQueryRequest(query: "SELECT 2 AS b", workgroup: "hist"))
            let history = try await s.engine.queryHistory(workgroup: "hist", limit: 10)
            #expect(Set(history.map(\.executionID)) == [first.executionID, second.executionID])
            #expect(history.allSatisfy { $0.state == "SUCCEEDED" && $0.workgroup == "hist" })
            #expect(history.map(\.query).contains("SELECT 2 AS b"))
            // Newest first (moto's submission times are distinct instants).
            #expect(zip(history, history.dropFirst()).allSatisfy { ($0.submitted ?? .distantPast) >= ($1.submitted ?? .distantPast) })
        }
    }

    @Test("A query still running when the wait ends returns its execution id; fetching later gives its state, then its rows")
    func outlivesTheCall() async throws {
        try await run("executions.outlive-call", region: "ap-northeast-1") { s in
            try await s.transitions(3)
            do {
                try await s.createWorkgroup("slow", outputLocation: "s3://results/slow/")
                try await s.queueResult(columns: [("n", "bigint")], rows: [["n"], ["42"]])
                let started = try await s.engine.executeQuery(SQLQueryRequest(query: "SELECT 42 AS n", workgroup: "slow", wait: .zero))
                #expect(started.state == "QUEUED")
                #expect(started.rows.isEmpty && !started.finished)
                var states: [String] = []
                var done = started
                for _ in 0..<20 where !done.finished {
                    done = try await s.engine.queryResults(executionID: started.executionID, cursor: nil, maxRows: 10)
                    states.append(done.state)
                }
                #expect(states.contains("RUNNING"), "\(states)")
                #expect(done.state == "SUCCEEDED")
                #expect(done.rows == [[42]])
            } catch {
                try? await s.transitions(nil)
                throw error
            }
            try await s.transitions(nil)
        }
    }

    @Test("Cancelling the call stops the query on Athena (StopQueryExecution) and ends the call as cancelled")
    func cancellationStopsTheQuery() async throws {
        // The client goes away after the query's second poll.
        let session = try AthenaSession.make("executions.cancel", region: "ap-southeast-2") {
            DisconnectingTransport($0, after: 2, of: "GetQueryExecution")
        }
        var failed = true
        defer { if failed { Task { try? await session.finish(true) } } }
        try await session.transitions(1000)
        try await session.createWorkgroup("long", outputLocation: "s3://results/long/")
        let engine = session.engine
        let seen = Mutex<[WriteProgress]>([])
        let outcome = await Task {
            do throws(QuiltOpsError) {
                return Result<SQLQueryResult, QuiltOpsError>.success(
                    try await engine.executeQuery(SQLQueryRequest(
                        query: "SELECT count(*) FROM huge", workgroup: "long", progress: { report in seen.withLock { $0.append(report) } })))
            } catch { return .failure(error) }
        }.value
        try await session.transitions(nil)
        guard case .failure(.cancelled(let message)) = outcome else {
            Issue.record("expected cancelled, got \(outcome)")
            return
        }
        #expect(message.contains("stopped"), "\(message)")
        // While it waited, the call reported each state it saw: seconds waited of at most the call's 60.
        let reports = seen.withLock { $0 }
        #expect(!reports.isEmpty && reports.allSatisfy { ["athena QUEUED", "athena RUNNING"].contains($0.phase) && $0.total == 60 }, "\(reports)")
        let id = try #require(message.split(separator: " ").first { $0.count == 36 }.map(String.init))
        let after = try await session.engine.queryResults(executionID: id, cursor: nil, maxRows: 1)
        #expect(after.state == "CANCELLED")
        failed = false
        try await session.finish(false)
    }

    @Test("Statements other than one read are refused before anything is sent, unless the deployment allows writes",
          arguments: [
            ("INSERT INTO t VALUES (1)", "INSERT is not a read"),
            ("WITH x AS (SELECT 1) DELETE FROM t", "DELETE is not a read"),
            ("SELECT 1; DROP TABLE t", "one statement per call"),
            ("-- nothing", "there is no statement"),
            ("SELECT 'open", "unterminated string literal"),
          ])
    func refusedBeforeSending(query: String, says: String) async throws {
        // An empty recording: any request at all fails the test.
        let session = try AthenaSession.make("refusals.nothing-sent", region: "us-west-2")
        let reason = await refusal(session.engine, query)
        #expect(reason?.contains(says) == true, "\(reason ?? "accepted")")
        #expect(throws: Never.self) { try session.engine.vetStatement("SELECT * FROM \"my-db\".\"t\"") }
        let writer = AthenaEngine(
            athena: session.athena, glue: session.glue, settings: .init(allowWrites: (true, "QUILT_MCP_ATHENA_ALLOW_WRITES")))
        if query.hasPrefix("INSERT") { #expect(throws: Never.self) { try writer.vetStatement(query) } }
        try await session.finish(false)
    }

    /// The reason `query` is refused as `invalid_input` on the query field, or nil when it was accepted.
    func refusal(_ engine: AthenaEngine, _ query: String) async -> String? {
        do {
            _ = try await engine.executeQuery(SQLQueryRequest(query: query, workgroup: "primary"))
            return nil
        } catch {
            if case .invalidInput("query", let reason) = error { return reason }
            return "unexpected \(error)"
        }
    }
}
