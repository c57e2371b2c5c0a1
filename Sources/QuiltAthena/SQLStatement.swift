/// What a SQL statement does, as far as deciding whether it may run on a read-only deployment.
package enum SQLStatementKind: Sendable, Hashable {
    /// Reads only: the leading keyword that decided it (uppercased), e.g. "SELECT", "SHOW", "DESCRIBE", "VALUES",
    /// "TABLE", or "EXPLAIN" for an `EXPLAIN` of a read. A `WITH` query answers the keyword of the statement its
    /// common table expressions lead into (`WITH x AS (…) SELECT …` is `read("SELECT")`).
    case read(String)
    /// Writes or changes something, or runs something the server cannot vet: the keyword that decided it, uppercased
    /// (e.g. "INSERT", "CREATE", "UNLOAD", "MSCK", "CALL", any unknown word), or the leading symbol or literal's first
    /// character when the statement does not start with a word. "WITH" or "EXPLAIN" when what follows cannot be found.
    case write(String)
    /// No statement at all: empty, or only whitespace, comments and semicolons.
    case empty
    /// More than one statement: a `;` followed by anything but whitespace, comments or more `;` (a `;` before the
    /// statement counts too: `;SELECT 1` is two statements, the first empty).
    case multiple
    /// The text cannot be lexed: an unterminated string, quoted identifier or block comment. The String names which
    /// and where it starts, e.g. "unterminated string literal at line 2, column 8" (1-based; columns count Unicode
    /// scalars).
    case malformed(String)
}

/// Decides, by lexing alone, whether SQL for Amazon Athena (Trino/Presto, and Hive for DDL) only reads.
///
/// Whitespace, `--` line comments and `/* */` block comments (not nested, as in Trino) are skipped between tokens;
/// `'…'` strings (`''` escapes), `"…"` identifiers (`""`) and backtick identifiers (Hive; doubled inside) are single
/// tokens, so nothing inside a comment, string or quoted identifier ever counts as a keyword. Keywords are ASCII
/// words `[A-Za-z_][A-Za-z0-9_]*`, case-insensitive. Leading `(` are skipped. Linear time, no recursion: any input,
/// however long or deeply parenthesised, is classified without trapping.
package enum SQLStatement {
    /// Classifies `sql` (see ``SQLStatementKind``). Precedence: ``SQLStatementKind/malformed(_:)`` if any of the text
    /// cannot be lexed, then ``SQLStatementKind/multiple``, then ``SQLStatementKind/empty``, then the one statement:
    /// - `SELECT`, `SHOW` (any, `SHOW CREATE TABLE` too), `DESCRIBE`/`DESC` (with `INPUT`/`OUTPUT` too), `VALUES`,
    ///   `TABLE` read.
    /// - `WITH [RECURSIVE] name [(columns)] AS [NOT] [MATERIALIZED] (…) [, …]` is skipped and the statement that
    ///   follows decides (`WITH x AS (…) DELETE …` is `write("DELETE")`). When that shape is not found (the text
    ///   ends early, or Trino's `WITH FUNCTION`), the answer is `write("WITH")`: not vetted, never a read.
    /// - `EXPLAIN [ANALYZE] [VERBOSE] [(TYPE …, FORMAT …)]` classifies its inner statement: `read("EXPLAIN")` when
    ///   that reads, otherwise the inner statement's own answer (`EXPLAIN ANALYZE INSERT …` executes the insert, so
    ///   it is `write("INSERT")`; plain `EXPLAIN INSERT …` is refused the same way, as the statement is what is vetted).
    /// - Anything else is `write` of its leading keyword (or symbol): unknown means not vetted.
    ///
    /// Athena runs `SHOW` and `DESCRIBE` with Hive, whose strings take backslash escapes (`'a\'b'`) and which has no
    /// block comments; such a read must also be a single read when lexed by Hive's rules, or that answer is returned.
    package static func classify(_ sql: String) -> SQLStatementKind {
        let bytes = Array(sql.utf8)
        let kind = classify(bytes, hive: false)
        guard case .read(let keyword) = kind, ["SHOW", "DESCRIBE", "DESC"].contains(keyword) else { return kind }
        let hive = classify(bytes, hive: true)
        if case .read = hive { return kind }
        return hive
    }

    // MARK: - Lexing

    private static func classify(_ bytes: [UInt8], hive: Bool) -> SQLStatementKind {
        switch lex(bytes, hive: hive) {
        case .failure(let unlexable): .malformed(unlexable.message)
        case .success(let lexed) where lexed.multiple: .multiple
        case .success(let lexed) where lexed.tokens.isEmpty: .empty
        case .success(let lexed): statement(lexed.tokens)
        }
    }

    private struct Lexed { var tokens: [SQLToken] = [], multiple = false }
    private struct Unlexable: Error { var message: String }

    /// The tokens of the first statement (up to its `;`), and whether any token other than `;` follows a `;`.
    /// With `hive`, backslash escapes the next byte in `'` and `"` literals, and `/*` is not a comment.
    private static func lex(_ s: [UInt8], hive: Bool) -> Result<Lexed, Unlexable> {
        var lexed = Lexed(), sawSemicolon = false, i = 0
        while i < s.count {
            let c = s[i], start = i, next: UInt8 = i + 1 < s.count ? s[i + 1] : 0
            let token: SQLToken
            switch c {
            case 0x09...0x0D, 0x20:
                i += 1
                continue
            case UInt8(ascii: "-") where next == UInt8(ascii: "-"):
                while i < s.count && s[i] != 0x0A { i += 1 }
                continue
            case UInt8(ascii: "/") where next == UInt8(ascii: "*") && !hive:
                i += 2
                while i + 1 < s.count && !(s[i] == UInt8(ascii: "*") && s[i + 1] == UInt8(ascii: "/")) { i += 1 }
                guard i + 1 < s.count else { return .failure(unterminated("block comment", at: start, in: s)) }
                i += 2
                continue
            case UInt8(ascii: "'"), UInt8(ascii: "\""), UInt8(ascii: "`"):
                guard let end = closing(s, from: i + 1, quote: c, backslash: hive && c != UInt8(ascii: "`")) else {
                    let what = c == UInt8(ascii: "'") ? "string literal" : c == UInt8(ascii: "`") ? "backtick identifier" : "quoted identifier"
                    return .failure(unterminated(what, at: start, in: s))
                }
                i = end + 1
                token = SQLToken(kind: .literal, text: String(UnicodeScalar(c)))
            case _ where isWordByte(c):
                while i < s.count && isWordByte(s[i]) { i += 1 }
                if isDigit(c) {
                    token = SQLToken(kind: .literal, text: String(UnicodeScalar(c)))
                } else {
                    let upper = s[start..<i].map { $0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z") ? $0 - 0x20 : $0 }
                    token = SQLToken(kind: .word, text: String(decoding: upper, as: UTF8.self))
                }
            default:  // one character: an ASCII symbol, or a whole non-ASCII scalar
                i += 1
                while i < s.count && s[i] & 0xC0 == 0x80 { i += 1 }
                token = SQLToken(kind: .symbol, text: String(decoding: s[start..<i], as: UTF8.self))
            }
            if token.kind == .symbol && token.text == ";" {
                sawSemicolon = true
            } else if sawSemicolon {
                lexed.multiple = true
            } else {
                lexed.tokens.append(token)
            }
        }
        return .success(lexed)
    }

    private static func isDigit(_ c: UInt8) -> Bool { c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") }

    private static func isWordByte(_ c: UInt8) -> Bool {
        let lower = c | 0x20
        return (lower >= UInt8(ascii: "a") && lower <= UInt8(ascii: "z")) || isDigit(c) || c == UInt8(ascii: "_")
    }

    /// The index of the quote closing a literal whose content starts at `from` (a doubled quote is content), or nil.
    private static func closing(_ s: [UInt8], from: Int, quote: UInt8, backslash: Bool) -> Int? {
        var j = from
        while j < s.count {
            if backslash && s[j] == UInt8(ascii: "\\") {
                j += 2
            } else if s[j] == quote {
                guard j + 1 < s.count && s[j + 1] == quote else { return j }
                j += 2
            } else {
                j += 1
            }
        }
        return nil
    }

    private static func unterminated(_ what: String, at offset: Int, in s: [UInt8]) -> Unlexable {
        var line = 1, column = 1
        for byte in s[..<offset] {
            if byte == 0x0A {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
        }
        return Unlexable(message: "unterminated \(what) at line \(line), column \(column)")
    }

    // MARK: - Classifying

    /// Classifies one statement's tokens (never empty) by its leading keyword, looking through `(`, `WITH` and
    /// `EXPLAIN` iteratively.
    private static func statement(_ t: [SQLToken]) -> SQLStatementKind {
        var i = 0, explained = false, pending = "("
        while true {
            while t.symbol(i) == "(" { i += 1 }
            guard i < t.count else { return .write(pending) }
            guard let keyword = t.word(i) else { return .write(t[i].text) }
            switch keyword {
            case "SELECT", "SHOW", "DESCRIBE", "DESC", "VALUES", "TABLE":
                return .read(explained ? "EXPLAIN" : keyword)
            case "EXPLAIN":
                (explained, pending) = (true, "EXPLAIN")
                i += 1
                while let option = t.word(i), option == "ANALYZE" || option == "VERBOSE" { i += 1 }
                if t.symbol(i) == "(", let option = t.word(i + 1), option == "TYPE" || option == "FORMAT" {
                    guard let end = afterParens(t, from: i) else { return .write("EXPLAIN") }
                    i = end
                }
            case "WITH":
                guard let end = afterCommonTableExpressions(t, from: i + 1) else { return .write("WITH") }
                (i, pending) = (end, "WITH")
            default:
                return .write(keyword)
            }
        }
    }

    /// The index after the `)` matching the `(` at `from`, or nil when the statement ends first.
    private static func afterParens(_ t: [SQLToken], from: Int) -> Int? {
        var depth = 0
        for j in from..<t.count {
            if t.symbol(j) == "(" {
                depth += 1
            } else if t.symbol(j) == ")" {
                depth -= 1
                if depth == 0 { return j + 1 }
            }
        }
        return nil
    }

    /// The index after `[RECURSIVE] name [(columns)] AS [NOT] [MATERIALIZED] (…) [, …]` starting at `from`, or nil.
    private static func afterCommonTableExpressions(_ t: [SQLToken], from: Int) -> Int? {
        var i = from
        if t.word(i) == "RECURSIVE" && t.word(i + 1) != "AS" { i += 1 }
        while true {
            guard i < t.count, t[i].kind != .symbol else { return nil }  // the name: a word or a quoted identifier
            i += 1
            if t.symbol(i) == "(" {
                guard let end = afterParens(t, from: i) else { return nil }
                i = end
            }
            guard t.word(i) == "AS" else { return nil }
            i += 1
            if t.word(i) == "NOT" { i += 1 }
            if t.word(i) == "MATERIALIZED" { i += 1 }
            guard t.symbol(i) == "(", let end = afterParens(t, from: i) else { return nil }
            i = end
            guard t.symbol(i) == "," else { return i }
            i += 1
        }
    }
}

/// One token: a word (`text` uppercased), a symbol (one character), or a literal (a string, quoted identifier or
/// number; `text` is its first character).
private struct SQLToken {
    enum Kind { case word, symbol, literal }
    var kind: Kind
    var text: String
}

private extension [SQLToken] {
    /// The uppercased word at `k`, or nil (not a word, or past the end).
    func word(_ k: Int) -> String? { k < count && self[k].kind == .word ? self[k].text : nil }
    /// The symbol at `k`, or nil (not a symbol, or past the end).
    func symbol(_ k: Int) -> String? { k < count && self[k].kind == .symbol ? self[k].text : nil }
}
