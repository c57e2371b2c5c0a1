import Foundation

/// Hand-parsed `--name value`, `--name=value` and `--flag` arguments.
struct Args {
    private var values: [String: String] = [:]
    private var flags: Set<String> = []
    var positional: [String] = []

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Parses `arguments`; options listed in `valued` take a value, those in `boolean` do not.
    init(_ arguments: [String], valued: Set<String>, boolean: Set<String>) throws(Failure) {
        var i = 0
        while i < arguments.count {
            let a = arguments[i]
            if a.hasPrefix("--") {
                var name = String(a.dropFirst(2))
                var inline: String? = nil
                if let eq = name.firstIndex(of: "=") {
                    inline = String(name[name.index(after: eq)...])
                    name = String(name[..<eq])
                }
                if valued.contains(name) {
                    if let inline {
                        values[name] = inline
                    } else {
                        guard i + 1 < arguments.count else { throw Failure(description: "--\(name) needs a value.") }
                        i += 1
                        values[name] = arguments[i]
                    }
                } else if boolean.contains(name), inline == nil {
                    flags.insert(name)
                } else {
                    throw Failure(description: "unknown option --\(name).")
                }
            } else {
                positional.append(a)
            }
            i += 1
        }
    }

    func string(_ name: String) -> String? { values[name] }
    func flag(_ name: String) -> Bool { flags.contains(name) }

    func int(_ name: String, default d: Int, range: ClosedRange<Int>) throws(Failure) -> Int {
        guard let text = values[name] else { return d }
        guard let v = Int(text.replacingOccurrences(of: "_", with: "")), range.contains(v) else {
            throw Failure(description: "--\(name) must be an integer in \(range.lowerBound)...\(range.upperBound).")
        }
        return v
    }
}
