import QuiltAthena
import Testing

/// The read-only gate's lexer: what a statement does is decided by its leading keyword, never by text inside
/// comments, strings or quoted identifiers, and never by a trap on hostile input.
@Suite("SQL statements classified for read-only deployments")
struct SQLStatementTests {
    @Test("Reads", arguments: [
        ("SELECT 1", SQLStatementKind.read("SELECT")),
        ("select * from t", .read("SELECT")),
        ("SeLeCt 1", .read("SELECT")),
        ("(SELECT 1)", .read("SELECT")),
        ("((select 1)) union (select 2)", .read("SELECT")),
        ("SHOW TABLES", .read("SHOW")),
        ("SHOW CREATE TABLE t", .read("SHOW")),
        ("show partitions t", .read("SHOW")),
        ("DESCRIBE t", .read("DESCRIBE")),
        ("DESCRIBE INPUT q", .read("DESCRIBE")),
        ("DESCRIBE OUTPUT q", .read("DESCRIBE")),
        ("desc t", .read("DESC")),
        ("VALUES (1, 'a'), (2, 'b')", .read("VALUES")),
        ("TABLE t", .read("TABLE")),
        ("\n\t  SELECT\n1", .read("SELECT")),
        ("SELECT\u{00E9} FROM t", .read("SELECT")),
    ])
    func reads(_ sql: String, _ expected: SQLStatementKind) {
        #expect(SQLStatement.classify(sql) == expected, "\(sql.debugDescription)")
    }

    @Test("Keywords inside comments, strings and quoted identifiers never count", arguments: [
        ("SELECT 'DROP TABLE x'", SQLStatementKind.read("SELECT")),
        ("SELECT 'it''s; DROP TABLE x'", .read("SELECT")),
        ("/* INSERT */ SELECT 1", .read("SELECT")),
        ("/* a ; b */ SELECT 1 /* ; DELETE */", .read("SELECT")),
        ("/* /* not nested */ SELECT 1", .read("SELECT")),
        ("-- DELETE\nSELECT 1", .read("SELECT")),
        ("SELECT 1 -- ; DROP TABLE x", .read("SELECT")),
        ("SELECT \"insert\" FROM t", .read("SELECT")),
        ("SELECT \"a\"\";drop\" FROM t", .read("SELECT")),
        ("SELECT `x;y` FROM t", .read("SELECT")),
        ("SELECT ';'", .read("SELECT")),
        ("SELECT 1 AS \"; DELETE FROM t\"", .read("SELECT")),
        ("\"SELECT\" 1", .write("\"")),
        ("'SELECT 1'", .write("'")),
        ("/* SELECT */ DELETE FROM t", .write("DELETE")),
        ("-- SELECT\nINSERT INTO t VALUES (1)", .write("INSERT")),
        ("SELECTX 1", .write("SELECTX")),
    ])
    func lexing(_ sql: String, _ expected: SQLStatementKind) {
        #expect(SQLStatement.classify(sql) == expected, "\(sql.debugDescription)")
    }

    @Test("WITH answers the statement its common table expressions lead into", arguments: [
        ("WITH x AS (SELECT 1) SELECT * FROM x", SQLStatementKind.read("SELECT")),
        ("with x as (select 1) select * from x", .read("SELECT")),
        ("WITH a AS (SELECT ')' ) SELECT * FROM a", .read("SELECT")),
        ("WITH a (x, y) AS (SELECT 1, 2) SELECT x FROM a", .read("SELECT")),
        ("WITH a AS (SELECT * FROM (SELECT (1))), b AS (SELECT * FROM a) SELECT * FROM b", .read("SELECT")),
        ("WITH RECURSIVE t(n) AS (VALUES (1) UNION ALL SELECT n + 1 FROM t WHERE n < 5) SELECT * FROM t", .read("SELECT")),
        ("WITH \"my-cte\" AS MATERIALIZED (SELECT 1) SELECT 1", .read("SELECT")),
        ("WITH a AS NOT MATERIALIZED (SELECT 1) (SELECT * FROM a)", .read("SELECT")),
        ("WITH a AS (SELECT 1) VALUES 1", .read("VALUES")),
        ("WITH x AS (SELECT 1) DELETE FROM t", .write("DELETE")),
        ("WITH x AS (SELECT 1) INSERT INTO t SELECT * FROM x", .write("INSERT")),
        ("WITH x AS (SELECT 1)", .write("WITH")),
        ("WITH x AS (SELECT 1", .write("WITH")),
        ("WITH x AS SELECT 1", .write("WITH")),
        ("WITH", .write("WITH")),
        ("WITH FUNCTION f() RETURNS bigint RETURN 1 SELECT f()", .write("WITH")),
    ])
    func with(_ sql: String, _ expected: SQLStatementKind) {
        #expect(SQLStatement.classify(sql) == expected, "\(sql.debugDescription)")
    }

    @Test("EXPLAIN is a read when its statement is; otherwise that statement's write", arguments: [
        ("EXPLAIN SELECT 1", SQLStatementKind.read("EXPLAIN")),
        ("explain analyze verbose select 1", .read("EXPLAIN")),
        ("EXPLAIN (TYPE VALIDATE) SELECT 1", .read("EXPLAIN")),
        ("EXPLAIN (TYPE DISTRIBUTED, FORMAT JSON) WITH x AS (SELECT 1) SELECT * FROM x", .read("EXPLAIN")),
        ("EXPLAIN (SELECT 1)", .read("EXPLAIN")),
        ("EXPLAIN ANALYZE DELETE FROM t", .write("DELETE")),
        ("EXPLAIN ANALYZE INSERT INTO t VALUES (1)", .write("INSERT")),
        ("EXPLAIN (FORMAT TEXT) CREATE TABLE t AS SELECT 1", .write("CREATE")),
        ("EXPLAIN", .write("EXPLAIN")),
        ("EXPLAIN (TYPE IO", .write("EXPLAIN")),
    ])
    func explain(_ sql: String, _ expected: SQLStatementKind) {
        #expect(SQLStatement.classify(sql) == expected, "\(sql.debugDescription)")
    }

    @Test("Everything else writes, or is not vetted", arguments: [
        ("INSERT INTO t VALUES (1)", SQLStatementKind.write("INSERT")),
        ("update t set a = 1", .write("UPDATE")),
        ("DELETE FROM t", .write("DELETE")),
        ("MERGE INTO t USING s ON t.a = s.a WHEN MATCHED THEN DELETE", .write("MERGE")),
        ("CREATE TABLE t AS SELECT 1", .write("CREATE")),
        ("CREATE EXTERNAL TABLE t (a int) LOCATION 's3://b/p/'", .write("CREATE")),
        ("DROP TABLE t", .write("DROP")),
        ("ALTER TABLE t ADD PARTITION (d='1')", .write("ALTER")),
        ("MSCK REPAIR TABLE t", .write("MSCK")),
        ("UNLOAD (SELECT 1) TO 's3://b/p' WITH (format='PARQUET')", .write("UNLOAD")),
        ("OPTIMIZE t REWRITE DATA USING BIN_PACK", .write("OPTIMIZE")),
        ("VACUUM t", .write("VACUUM")),
        ("CALL system.sync_partition_metadata('s', 't', 'FULL')", .write("CALL")),
        ("GRANT SELECT ON t TO u", .write("GRANT")),
        ("REVOKE SELECT ON t FROM u", .write("REVOKE")),
        ("SET SESSION a = 1", .write("SET")),
        ("RESET SESSION a", .write("RESET")),
        ("USE db", .write("USE")),
        ("PREPARE q FROM SELECT 1", .write("PREPARE")),
        ("EXECUTE q", .write("EXECUTE")),
        ("DEALLOCATE PREPARE q", .write("DEALLOCATE")),
        ("START TRANSACTION", .write("START")),
        ("COMMIT", .write("COMMIT")),
        ("ROLLBACK", .write("ROLLBACK")),
        ("REFRESH MATERIALIZED VIEW v", .write("REFRESH")),
        ("TRUNCATE TABLE t", .write("TRUNCATE")),
        ("COMMENT ON TABLE t IS 'x'", .write("COMMENT")),
        ("FROM t INSERT OVERWRITE TABLE u SELECT *", .write("FROM")),
        ("FROBNICATE everything", .write("FROBNICATE")),
        ("(DELETE FROM t)", .write("DELETE")),
        ("((( ", .write("(")),
        (") SELECT 1", .write(")")),
        ("* SELECT 1", .write("*")),
        ("1 SELECT", .write("1")),
        ("\u{00A0}SELECT 1", .write("\u{00A0}")),
        ("`select` 1", .write("`")),
    ])
    func writes(_ sql: String, _ expected: SQLStatementKind) {
        #expect(SQLStatement.classify(sql) == expected, "\(sql.debugDescription)")
    }

    @Test("Empty, multiple and malformed text", arguments: [
        ("", SQLStatementKind.empty),
        ("   \n\t ", .empty),
        ("-- nothing", .empty),
        ("/* nothing */", .empty),
        (";", .empty),
        (";;", .empty),
        (" ; -- x\n ; /* y */ ;", .empty),
        ("SELECT 1;", .read("SELECT")),
        ("SELECT 1; -- done", .read("SELECT")),
        ("SELECT 1 ; /* done */ ;; ", .read("SELECT")),
        ("SELECT 1; SELECT 2", .multiple),
        ("SELECT 1; DROP TABLE t", .multiple),
        ("SELECT 1;;DELETE FROM t", .multiple),
        (";SELECT 1", .multiple),
        ("SELECT 1; 'x'", .multiple),
        ("SELECT 'abc", .malformed("unterminated string literal at line 1, column 8")),
        ("SELECT 'it''s", .malformed("unterminated string literal at line 1, column 8")),
        ("SELECT 1\n  FROM \"t", .malformed("unterminated quoted identifier at line 2, column 8")),
        ("SELECT `t", .malformed("unterminated backtick identifier at line 1, column 8")),
        ("SELECT 1 /* trailing", .malformed("unterminated block comment at line 1, column 10")),
        ("/*/ SELECT 1", .malformed("unterminated block comment at line 1, column 1")),
        ("SELECT 'é', 'x", .malformed("unterminated string literal at line 1, column 13")),
        ("SELECT 1; SELECT 'x", .malformed("unterminated string literal at line 1, column 18")),
    ])
    func shape(_ sql: String, _ expected: SQLStatementKind) {
        #expect(SQLStatement.classify(sql) == expected, "\(sql.debugDescription)")
    }

    /// Athena runs SHOW and DESCRIBE with Hive, where a backslash escapes a quote: text that is one read by Trino's
    /// rules but not by Hive's is not a read.
    @Test("SHOW and DESCRIBE must also be one read by Hive's lexing", arguments: [
        (#"SHOW TABLES LIKE 'a\'"#, SQLStatementKind.malformed("unterminated string literal at line 1, column 18")),
        (#"SHOW TABLES LIKE 'a\''; DROP TABLE t; --'"#, .multiple),
        (#"SHOW TABLES IN db LIKE 'x\\y'"#, .read("SHOW")),
        (#"DESCRIBE t /* ; DROP TABLE t */"#, .multiple),
        (#"SELECT 'a\'"#, .read("SELECT")),
    ])
    func hive(_ sql: String, _ expected: SQLStatementKind) {
        #expect(SQLStatement.classify(sql) == expected, "\(sql.debugDescription)")
    }

    @Test("Hostile input is classified without trapping")
    func hostile() {
        let deep = String(repeating: "(", count: 100_000)
        #expect(SQLStatement.classify(deep + "SELECT 1" + String(repeating: ")", count: 100_000)) == .read("SELECT"))
        #expect(SQLStatement.classify(deep) == .write("("))
        #expect(SQLStatement.classify("WITH x AS " + deep + "SELECT 1") == .write("WITH"))
        #expect(SQLStatement.classify("EXPLAIN (TYPE " + deep) == .write("EXPLAIN"))
        #expect(SQLStatement.classify(String(repeating: "/* x */ -- y\n", count: 50_000) + "SELECT 1") == .read("SELECT"))
        #expect(SQLStatement.classify("SELECT " + String(repeating: "'a'||", count: 50_000) + "'b'") == .read("SELECT"))
        let bytes: [UInt8] = [0x00, 0xFF, 0xC3, 0x28, 0x27, 0x22, 0x60, 0x2F, 0x2A, 0x2D, 0x2D, 0x3B, 0x0A, 0xE2, 0x82]
        for length in 0...bytes.count {
            _ = SQLStatement.classify(String(decoding: bytes.prefix(length), as: UTF8.self))
            _ = SQLStatement.classify(String(decoding: bytes.suffix(length), as: UTF8.self))
        }
    }

    @Test("A quoted identifier holding quotes, semicolons or comment marks is one name", arguments: [
        ("my-db", "\"my-db\""),
        ("a\"b", "\"a\"\"b\""),
        ("", "\"\""),
        ("\"", "\"\"\"\""),
        ("select", "\"select\""),
        ("é;--", "\"é;--\""),
        ("a\"\u{301}; DROP TABLE t; --", "\"a\"\"\u{301}; DROP TABLE t; --\""),
    ])
    func quotedIdentifier(_ name: String, _ quoted: String) {
        #expect(SQLStatement.classify("SELECT * FROM " + quoted) == .read("SELECT"), "\(name)")
        #expect(SQLStatement.classify("SELECT * FROM " + quoted + "; SELECT 1") == .multiple, "\(name)")
    }
}
