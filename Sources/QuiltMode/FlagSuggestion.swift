/// "Did you mean …?" for a mistyped flag: the closest known flag by edit distance, when it is close enough to be a
/// typo rather than another word.
package enum FlagSuggestion {
    /// Every flag the mode accepts (`--registry`, `--read-only`, …).
    package static var modeFlags: [String] { SettingDescriptor.all.compactMap(\.flag) }

    /// The candidate nearest to `text` (case-insensitive Levenshtein distance, `=value` ignored), if at most a
    /// third of its length (and at least 1 edit) away; nil otherwise.
    package static func closest(to text: String, among candidates: [String]) -> String? {
        let typed = Array((text.split(separator: "=", maxSplits: 1).first.map(String.init) ?? text).lowercased().utf8)
        var best: (flag: String, distance: Int)?
        for candidate in candidates {
            let d = distance(typed, Array(candidate.lowercased().utf8))
            if d < (best?.distance ?? .max) { best = (candidate, d) }
        }
        guard let best, best.distance <= max(1, best.flag.utf8.count / 3) else { return nil }
        return best.flag
    }

    /// The phrase for an error message: ` (did you mean --registry?)`, or empty.
    package static func hint(for text: String, among candidates: [String]) -> String {
        closest(to: text, among: candidates).map { " (did you mean \($0)?)" } ?? ""
    }

    private static func distance(_ a: [UInt8], _ b: [UInt8]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
