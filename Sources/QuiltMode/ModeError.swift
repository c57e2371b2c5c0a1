/// An invalid configuration: every violated rule, not only the first. The process exits with ``exitStatus``.
package struct ModeError: Error, Sendable, Equatable, CustomStringConvertible {
    /// One violated rule and what to do about it.
    package struct Violation: Sendable, Hashable, CustomStringConvertible {
        /// The rule violated.
        package var rule: ModeRule
        /// One or two sentences naming the flags/variables involved as the user set them, and a valid alternative.
        package var message: String

        /// Creates a violation. Never fails.
        package init(rule: ModeRule, message: String) {
            self.rule = rule
            self.message = message
        }

        /// `[R1] <message>`.
        package var description: String { "[\(rule.rawValue)] \(message)" }
    }

    /// The prefix of every line of ``description``.
    package static let prefix = "quilt-mcp: invalid configuration:"

    /// The process exit status for any configuration error.
    package static let exitStatus: Int32 = 2

    /// The violations, in the order found (malformed values first, then rules R1–R10 in order).
    package var violations: [Violation]

    /// Creates an error. Never fails.
    package init(violations: [Violation]) {
        self.violations = violations
    }

    /// The rule ids violated, e.g. `["R1", "R5"]`.
    package var ruleIDs: [String] { violations.map(\.rule.rawValue) }

    /// One line per violation: `quilt-mcp: invalid configuration: [R1] <message>`.
    package var description: String {
        violations.map { "\(ModeError.prefix) \($0)" }.joined(separator: "\n")
    }
}
