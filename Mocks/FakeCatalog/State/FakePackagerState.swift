import Foundation
import Synchronization

/// A packager event rule: an EventBridge rule that makes packages from bucket events, switched on or off by admins.
struct FakeEventRule: Sendable, Equatable {
    let name: String
    var enabled: Bool
}

/// The packager's event rules (catalogs from 2025-07), in a fixed order; admins only switch them on and off.
final class FakePackagerState: Sendable {
    private let rules = Mutex([
        FakeEventRule(name: "package-on-upload", enabled: false),
        FakeEventRule(name: "readme-on-push", enabled: true),
    ])

    var eventRules: [FakeEventRule] { rules.withLock { $0 } }

    func eventRule(_ name: String) -> FakeEventRule? { rules.withLock { r in r.first { $0.name == name } } }

    /// Switches a rule on or off; nil when there is no rule `name`.
    func toggle(_ name: String, enabled: Bool) -> FakeEventRule? {
        rules.withLock { r in
            guard let i = r.firstIndex(where: { $0.name == name }) else { return nil }
            r[i].enabled = enabled
            return r[i]
        }
    }
}
