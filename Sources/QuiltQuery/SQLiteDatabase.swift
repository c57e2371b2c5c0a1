import CSQLite
import FoundationEssentials
import QuiltContract
import QuiltJSON
import Synchronization

/// One private in-memory SQLite database, locked down for statements from callers the server does not trust.
///
/// - No files: the database lives in memory, temporary tables too, and `ATTACH` is impossible (its limit is 0), so a
///   statement can neither read nor write the server's disk.
/// - Read-only statements only: a statement is refused unless SQLite itself says it cannot write
///   (`sqlite3_stmt_readonly`), and an authorizer denies pragmas, attach and detach besides.
/// - Bounded: one statement per call, at most ``maxRows`` rows kept, and a progress handler that stops the statement
///   when its deadline passes or the call is cancelled.
///
/// Not thread-safe: one thread uses it at a time (the engine runs each query on a thread of its own).
final class SQLiteDatabase {
    private let db: OpaquePointer
    /// Set from another thread to stop the running statement.
    let interrupt = InterruptFlag()

    /// The dialect name results carry: `SQLite 3.40.1`.
    static var dialect: String { "SQLite " + String(cString: sqlite3_libversion()) }

    init() throws(QuiltOpsError) {
        var handle: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_MEMORY | SQLITE_OPEN_NOMUTEX
        guard sqlite3_open_v2(":memory:", &handle, flags, nil) == SQLITE_OK, let handle else {
            if let handle { sqlite3_close(handle) }
            throw .remote("the embedded SQL engine (SQLite) could not open an in-memory database", retryable: false)
        }
        db = handle
        sqlite3_limit(db, SQLITE_LIMIT_ATTACHED, 0)
        sqlite3_limit(db, SQLITE_LIMIT_SQL_LENGTH, 1 << 20)
        _ = sqlite3_exec(db, "PRAGMA temp_store = MEMORY", nil, nil, nil)
    }

    deinit { sqlite3_close(db) }

    // MARK: - Loading

    /// Creates table `name` with `columns` (name and declared type) and inserts the rows `write` hands to its insert,
    /// in one transaction (rolled back if `write` throws).
    func createTable(
        _ name: String, columns: [(name: String, type: String)],
        write: (_ insert: ([SQLValue]) throws(QuiltOpsError) -> Void) throws(QuiltOpsError) -> Void
    ) throws(QuiltOpsError) {
        try createTable(name, columns: columns) { (insert) throws(QuiltOpsError) in
            try withoutActuallyEscaping(insert) { (insert) throws(QuiltOpsError) in
                try write { (row) throws(QuiltOpsError) in
                    try insert { binder in
                        for (i, value) in row.enumerated() { binder.bind(value, Int32(i)) }
                    }
                }
            }
        }
    }

    /// ``createTable(_:columns:write:)`` binding each row's columns in place: text is bound without a copy, so
    /// the bytes a row binds need stay valid only until its insert returns.
    func createTable(
        _ name: String, columns: [(name: String, type: String)],
        bindingRows write: (_ insert: (_ bind: (RowBinder) -> Void) throws(QuiltOpsError) -> Void) throws(QuiltOpsError) -> Void
    ) throws(QuiltOpsError) {
        let definition = columns.map { "\(Self.quote($0.name)) \($0.type)" }.joined(separator: ", ")
        try execute("CREATE TABLE \(Self.quote(name)) (\(definition))")
        try execute("BEGIN")
        let placeholders = Array(repeating: "?", count: columns.count).joined(separator: ", ")
        let insert = try prepare("INSERT INTO \(Self.quote(name)) VALUES (\(placeholders))")
        defer { sqlite3_finalize(insert) }
        let binder = RowBinder(statement: insert)
        do {
            try write { (bind) throws(QuiltOpsError) in
                sqlite3_reset(insert)
                bind(binder)
                guard sqlite3_step(insert) == SQLITE_DONE else { throw engineError("loading table \(name)") }
            }
            // Nothing may point at bytes the caller has released.
            sqlite3_clear_bindings(insert)
        } catch {
            sqlite3_clear_bindings(insert)
            try? execute("ROLLBACK")
            throw error
        }
        try execute("COMMIT")
    }

    // MARK: - Querying

    /// The table `sql` names that does not exist yet, or nil when the statement prepares.
    /// - Throws: `.invalidInput(field: "query")` with SQLite's words for any other refusal.
    func missingTable(in sql: String) throws(QuiltOpsError) -> String? {
        sqlite3_set_authorizer(db, Self.authorizer, nil)
        defer { sqlite3_set_authorizer(db, nil, nil) }
        var statement: OpaquePointer?
        let code = sqlite3_prepare_v2(db, sql, -1, &statement, nil)
        sqlite3_finalize(statement)
        if code == SQLITE_OK { return nil }
        let text = message
        if text.hasPrefix("no such table: ") {
            var name = String(text.dropFirst("no such table: ".count))
            if name.hasPrefix("main.") { name = String(name.dropFirst(5)) }
            return name
        }
        throw .invalidInput(field: "query", reason: "SQLite refused the statement: \(text).")
    }

    /// Runs one read-only statement and returns its columns, at most `maxRows` rows, and whether there were more.
    /// - Throws: `.invalidInput(field: "query")` with SQLite's words for a statement it refuses, for more than one
    ///   statement, or for a statement that would write; `.cancelled` when ``interrupt`` was set or `deadline` passed.
    func query(_ sql: String, maxRows: Int, deadline: ContinuousClock.Instant) throws(QuiltOpsError)
        -> (columns: [QueryResult.Column], rows: [[JSONValue]], truncated: Bool)
    {
        let guardRail = Guard(interrupt: interrupt, deadline: deadline)
        let context = Unmanaged.passRetained(guardRail)
        defer {
            sqlite3_progress_handler(db, 0, nil, nil)
            sqlite3_set_authorizer(db, nil, nil)
            context.release()
        }
        sqlite3_set_authorizer(db, Self.authorizer, nil)
        sqlite3_progress_handler(db, 1000, Self.progress, context.toOpaque())

        var statement: OpaquePointer?
        var tail: UnsafePointer<CChar>?
        let prepared = sql.withCString { text in
            let code = sqlite3_prepare_v2(db, text, -1, &statement, &tail)
            let rest = tail.map { String(cString: $0) } ?? ""
            return (code, rest)
        }
        guard prepared.0 == SQLITE_OK, let statement else {
            throw .invalidInput(field: "query", reason: "SQLite refused the statement: \(message).")
        }
        defer { sqlite3_finalize(statement) }
        guard Self.isBlank(prepared.1) else {
            throw .invalidInput(field: "query", reason: "one statement per call; remove what follows the first ';'.")
        }
        guard sqlite3_stmt_readonly(statement) != 0 else {
            throw .invalidInput(
                field: "query",
                reason: "only statements that read are run here (SELECT, WITH … SELECT, VALUES, EXPLAIN); this one writes.")
        }

        let count = sqlite3_column_count(statement)
        let columns = (0..<count).map { i in
            QueryResult.Column(
                name: String(cString: sqlite3_column_name(statement, i)),
                type: sqlite3_column_decltype(statement, i).map { String(cString: $0) } ?? "")
        }
        var rows: [[JSONValue]] = []
        var truncated = false
        while true {
            let step = sqlite3_step(statement)
            if step == SQLITE_DONE { break }
            guard step == SQLITE_ROW else {
                if step == SQLITE_INTERRUPT {
                    throw guardRail.timedOut
                        ? .invalidInput(field: "query", reason: "the statement ran past its time limit; narrow it or add a LIMIT.")
                        : .cancelled("the query was cancelled.")
                }
                throw .invalidInput(field: "query", reason: "SQLite stopped the statement: \(message).")
            }
            if rows.count == maxRows {
                truncated = true
                break
            }
            rows.append((0..<count).map { Self.cell(statement, $0) })
        }
        return (columns, rows, truncated)
    }

    // MARK: - Helpers

    /// `name` as an SQL identifier: in double quotes, quotes doubled.
    static func quote(_ name: String) -> String { "\"" + name.replacing("\"", with: "\"\"") + "\"" }

    private var message: String { String(cString: sqlite3_errmsg(db)) }

    private func engineError(_ doing: String) -> QuiltOpsError {
        .remote("the embedded SQL engine failed \(doing): \(message)", retryable: false)
    }

    private func execute(_ sql: String) throws(QuiltOpsError) {
        guard sqlite3_exec(db, sql, nil, nil, nil) == SQLITE_OK else { throw engineError("running \(sql.prefix(60))") }
    }

    private func prepare(_ sql: String) throws(QuiltOpsError) -> OpaquePointer {
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(db, sql, -1, &statement, nil) == SQLITE_OK, let statement else {
            throw engineError("preparing \(sql.prefix(60))")
        }
        return statement
    }

    private static func cell(_ statement: OpaquePointer, _ i: Int32) -> JSONValue {
        switch sqlite3_column_type(statement, i) {
        case SQLITE_INTEGER: return .number(JSONNumber(Int(sqlite3_column_int64(statement, i))))
        case SQLITE_FLOAT:
            let v = sqlite3_column_double(statement, i)
            return v.isFinite ? .number(JSONNumber(v)) : .string(String(v))
        case SQLITE_NULL: return .null
        case SQLITE_BLOB:
            let count = Int(sqlite3_column_bytes(statement, i))
            guard count > 0, let base = sqlite3_column_blob(statement, i) else { return .string("") }
            return .string(Data(bytes: base, count: count).base64EncodedString())
        default:
            guard let text = sqlite3_column_text(statement, i) else { return .null }
            let count = Int(sqlite3_column_bytes(statement, i))
            return .string(String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self))
        }
    }

    static func isBlank(_ rest: String) -> Bool {
        var text = Substring(rest)
        while true {
            text = text.drop { $0.isWhitespace || $0 == ";" }
            if text.hasPrefix("--") {
                text = text.drop { $0 != "\n" }
            } else if text.hasPrefix("/*"), let end = text.firstRange(of: "*/") {
                text = text[end.upperBound...]
            } else {
                return text.isEmpty
            }
        }
    }

    /// What the progress handler sees: the flag and the deadline.
    private final class Guard {
        let interrupt: InterruptFlag
        let deadline: ContinuousClock.Instant
        var timedOut = false
        init(interrupt: InterruptFlag, deadline: ContinuousClock.Instant) {
            self.interrupt = interrupt
            self.deadline = deadline
        }
    }

    private static let progress: @convention(c) (UnsafeMutableRawPointer?) -> Int32 = { context in
        guard let context else { return 0 }
        let guardRail = Unmanaged<Guard>.fromOpaque(context).takeUnretainedValue()
        if guardRail.interrupt.isSet { return 1 }
        if ContinuousClock.now > guardRail.deadline {
            guardRail.timedOut = true
            return 1
        }
        return 0
    }

    /// Denies what could reach outside the in-memory database or change the connection: pragmas, attach, detach.
    private static let authorizer: @convention(c) (
        UnsafeMutableRawPointer?, Int32, UnsafePointer<CChar>?, UnsafePointer<CChar>?, UnsafePointer<CChar>?, UnsafePointer<CChar>?
    ) -> Int32 = { _, action, _, _, _, _ in
        switch action {
        case SQLITE_PRAGMA, SQLITE_ATTACH, SQLITE_DETACH: return SQLITE_DENY
        default: return SQLITE_OK
        }
    }
}

/// A flag another thread sets to stop a running statement (the call was cancelled).
final class InterruptFlag: Sendable {
    private let flag = Atomic<Bool>(false)
    var isSet: Bool { flag.load(ordering: .relaxed) }
    func set() { flag.store(true, ordering: .relaxed) }
}

/// Binds one row's values to an insert (1-based columns are SQLite's; these are 0-based).
struct RowBinder {
    fileprivate let statement: OpaquePointer

    /// SQLite's `SQLITE_TRANSIENT` (a macro Swift does not import): copy the bytes before returning.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    func null(_ column: Int32) { sqlite3_bind_null(statement, column + 1) }
    func integer(_ column: Int32, _ value: Int64) { sqlite3_bind_int64(statement, column + 1, value) }
    func real(_ column: Int32, _ value: Double) { sqlite3_bind_double(statement, column + 1, value) }

    /// Binds `bytes` as text without copying them (`SQLITE_STATIC`): they must stay valid until the insert returns.
    func text(_ column: Int32, _ bytes: UnsafeBufferPointer<UInt8>) {
        guard let base = bytes.baseAddress, !bytes.isEmpty else {
            sqlite3_bind_text(statement, column + 1, "", 0, Self.transient)
            return
        }
        sqlite3_bind_text(statement, column + 1, UnsafeRawPointer(base).assumingMemoryBound(to: CChar.self), Int32(bytes.count), nil)
    }

    func bind(_ value: SQLValue, _ column: Int32) {
        switch value {
        case .null: null(column)
        case .integer(let v): integer(column, v)
        case .real(let v): real(column, v)
        case .text(let v): sqlite3_bind_text(statement, column + 1, v, -1, Self.transient)
        }
    }
}

/// A value to store in a table.
enum SQLValue: Sendable, Hashable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
}
