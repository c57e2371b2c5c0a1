import QuiltContract

/// The boolean spellings accepted in flags and variables.
enum BooleanText {
    /// For messages and docs.
    static let accepted = "true, false, 1, 0, yes, no, on, off"

    /// `true`/`1`/`yes`/`on` → true, `false`/`0`/`no`/`off` → false (case-insensitive); anything else → nil.
    static func parse(_ text: String) -> Bool? {
        switch text.trimmingWhitespace().lowercased() {
        case "true", "1", "yes", "on": return true
        case "false", "0", "no", "off": return false
        default: return nil
        }
    }
}
