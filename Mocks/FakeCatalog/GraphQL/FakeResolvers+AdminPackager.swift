import Foundation
import QuiltJSON

/// Packager event rules (catalogs from 2025-07), under `admin.packager` (refused to non-admins at the `admin` root):
/// listed, read by name, and switched on or off.
extension FakeResolvers {
    static let adminPackager: [String: FakeResolver] = [
        "AdminQueries.packager": { _, _, req in try admin(req) },
        "AdminMutations.packager": { _, _, req in try admin(req) },
        "PackagerAdminQueries.eventRules": { _, _, req in req.state.packager.eventRules.map { ruleValue($0) as any Sendable } },
        "PackagerAdminQueries.eventRule": { _, args, req in req.state.packager.eventRule(try string(args, "name")).map(ruleValue) },
        "PackagerAdminMutations.toggleEventRule": { _, args, req in
            let name = try string(args, "name")
            guard let enabled = args["enabled"]?.boolValue else { throw FakeGraphQLError("argument enabled is required") }
            if name.allSatisfy(\.isWhitespace) { return invalid("name", "the event rule name must not be blank", name: "InvalidName") }
            guard let rule = req.state.packager.toggle(name, enabled: enabled) else {
                return operationError("EventRuleNotFound", "no packager event rule named '\(name)'")
            }
            return Typed("PackagerEventRule", ruleValue(rule))
        },
    ]

    /// A `PackagerEventRule`.
    static func ruleValue(_ rule: FakeEventRule) -> JSONObject { ["name": .string(rule.name), "enabled": .bool(rule.enabled)] }
}
