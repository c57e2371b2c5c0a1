/// A shell-style pattern as Python's `fnmatch.fnmatchcase` reads it, which the Python server's include and exclude
/// patterns use: `*` any run of characters (`/` too), `?` one character, `[abc]`, `[a-z]` and `[!abc]` one of (or
/// none of) a set; anything else matches itself. An unclosed `[` is a literal `[`. Case-sensitive.
package struct Glob: Sendable, Hashable {
    private enum Token: Hashable {
        case literal(Character)
        case any
        case anyRun
        case set([ClosedRange<Character>], negated: Bool)
    }

    package let pattern: String
    private let tokens: [Token]

    package init(_ pattern: String) {
        self.pattern = pattern
        var tokens: [Token] = []
        let chars = Array(pattern)
        var i = 0
        while i < chars.count {
            let c = chars[i]
            switch c {
            case "*":
                if tokens.last != .anyRun { tokens.append(.anyRun) }
                i += 1
            case "?":
                tokens.append(.any)
                i += 1
            case "[":
                if let (set, next) = Self.set(chars, from: i + 1) {
                    tokens.append(set)
                    i = next
                } else {
                    tokens.append(.literal("["))
                    i += 1
                }
            default:
                tokens.append(.literal(c))
                i += 1
            }
        }
        self.tokens = tokens
    }

    /// The set starting after `[` at `start`, and the index after its `]`; nil when it is not closed.
    private static func set(_ chars: [Character], from start: Int) -> (Token, Int)? {
        var i = start
        var negated = false
        if i < chars.count, chars[i] == "!" {
            negated = true
            i += 1
        }
        var ranges: [ClosedRange<Character>] = []
        var first = true
        while i < chars.count {
            let c = chars[i]
            if c == "]" && !first { return (.set(ranges, negated: negated), i + 1) }
            first = false
            if i + 2 < chars.count, chars[i + 1] == "-", chars[i + 2] != "]" {
                if c <= chars[i + 2] { ranges.append(c...chars[i + 2]) }
                i += 3
            } else {
                ranges.append(c...c)
                i += 1
            }
        }
        return nil
    }

    /// Whether the whole of `text` matches.
    package func matches(_ text: String) -> Bool {
        let s = Array(text)
        // Iterative matching with one backtrack point for the last `*` (linear in practice, no recursion).
        var t = 0, i = 0
        var star: (token: Int, text: Int)? = nil
        while i < s.count {
            if t < tokens.count {
                switch tokens[t] {
                case .anyRun:
                    star = (t, i)
                    t += 1
                    continue
                case .any:
                    t += 1
                    i += 1
                    continue
                case .literal(let c) where c == s[i]:
                    t += 1
                    i += 1
                    continue
                case .set(let ranges, let negated) where ranges.contains(where: { $0.contains(s[i]) }) != negated:
                    t += 1
                    i += 1
                    continue
                default:
                    break
                }
            }
            guard let back = star else { return false }
            star = (back.token, back.text + 1)
            t = back.token + 1
            i = back.text + 1
        }
        while t < tokens.count, tokens[t] == .anyRun { t += 1 }
        return t == tokens.count
    }
}
