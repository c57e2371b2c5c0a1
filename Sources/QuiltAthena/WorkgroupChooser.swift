import FoundationEssentials
import QuiltContract
import QuiltHTTP
import QuiltJSON
import QuiltS3
import Synchronization

/// Lists workgroups and picks one for statements that name none: enabled, with an output location (unless the
/// deployment gives one), Quilt's first (a name containing `quilt`), then `primary`, then by name.
///
/// Every page of `ListWorkGroups` is read, and a workgroup whose configuration the caller may not read
/// (`GetWorkGroup` AccessDenied, common in shared accounts) is skipped, not fatal. The choice is kept for 15 minutes
/// per endpoint and access key, so each caller's credentials choose for themselves.
final class WorkgroupChooser: Sendable {
    let athena: AWSJSONClient
    /// Shared by every engine in the process (over HTTP one is made per caller), keyed by endpoint and access key.
    private static let chosen = Mutex<[String: (workgroup: SQLWorkgroup, until: ContinuousClock.Instant)]>([:])
    static let keep: Duration = .seconds(15 * 60)

    init(athena: AWSJSONClient) { self.athena = athena }

    /// Every workgroup, each with its output location and engine version where `GetWorkGroup` answers.
    func all(credentials: any CredentialsProvider) async throws(QuiltOpsError) -> [SQLWorkgroup] {
        var found: [SQLWorkgroup] = []
        for summary in try await summaries() {
            found.append(summary.state == "ENABLED" ? (try await detail(summary)) : summary)
        }
        return found
    }

    /// The workgroup for a statement that names none.
    /// - Throws: `.invalidInput(field: "workgroup_name")` naming what was tried and the settings that fix it.
    func choose(needOutputLocation: Bool, setting: String, credentials: any CredentialsProvider) async throws(QuiltOpsError)
        -> (name: String, outputLocation: String?)
    {
        let (endpoint, region) = try await athena.location.get()
        let key = endpoint.origin + "|" + region + "|" + ((try? await credentials.credentials().accessKeyId) ?? "")
        if let kept = Self.chosen.withLock({ $0[key] }), kept.until > .now { return (kept.workgroup.name, kept.workgroup.outputLocation) }
        let enabled = try await summaries().filter { $0.state == "ENABLED" }.sorted(by: Self.preferred)
        var tried: [String] = []
        for summary in enabled {
            let group = try await detail(summary)
            if group.outputLocation != nil || !needOutputLocation {
                Self.chosen.withLock { $0[key] = (group, .now + Self.keep) }
                return (group.name, group.outputLocation)
            }
            tried.append(group.name + (group.description == Self.unreadable ? " (its configuration is not readable)" : " (no output location)"))
        }
        let seen = tried.isEmpty ? "no enabled workgroup is visible to these credentials" : "tried " + tried.prefix(10).joined(separator: ", ")
        throw .invalidInput(
            field: "workgroup_name",
            reason: "no workgroup to run in: \(seen). Name one with workgroup_name, set \(setting), or give results a place with athena_output_location.")
    }

    // MARK: - Calls

    /// `ListWorkGroups`, every page.
    private func summaries() async throws(QuiltOpsError) -> [SQLWorkgroup] {
        var groups: [SQLWorkgroup] = []
        var token: String?
        repeat {
            var body: JSONObject = ["MaxResults": 50]
            if let token { body["NextToken"] = .string(token) }
            let page = try await athena.call("ListWorkGroups", body)
            for item in page["WorkGroups"]?.arrayValue ?? [] {
                guard let name = item["Name"]?.stringValue else { continue }
                groups.append(SQLWorkgroup(
                    name: name, state: item["State"]?.stringValue ?? "ENABLED", description: item["Description"]?.stringValue,
                    engineVersion: item["EngineVersion"]?["EffectiveEngineVersion"]?.stringValue))
            }
            token = page["NextToken"]?.stringValue
        } while token != nil
        return groups
    }

    static let unreadable = "(configuration not readable with these credentials)"

    /// `GetWorkGroup`: the output location; AccessDenied leaves the summary as it was, marked unreadable.
    private func detail(_ summary: SQLWorkgroup) async throws(QuiltOpsError) -> SQLWorkgroup {
        var group = summary
        do throws(QuiltOpsError) {
            let answer = try await athena.call("GetWorkGroup", ["WorkGroup": .string(summary.name)], missing: ("workgroup", summary.name))
            guard let found = answer["WorkGroup"], !found.isNull else { throw QuiltOpsError.notFound(.analytics(kind: "workgroup", name: summary.name)) }
            let configuration = found["Configuration"]
            group.outputLocation = configuration?["ResultConfiguration"]?["OutputLocation"]?.stringValue
            group.engineVersion = configuration?["EngineVersion"]?["EffectiveEngineVersion"]?.stringValue ?? group.engineVersion
        } catch .forbidden {
            group.description = Self.unreadable
        }
        return group
    }

    /// Quilt's workgroups first, then `primary`, then by name.
    static func preferred(_ a: SQLWorkgroup, _ b: SQLWorkgroup) -> Bool {
        func rank(_ g: SQLWorkgroup) -> Int { g.name.lowercased().contains("quilt") ? 0 : g.name == "primary" ? 1 : 2 }
        return (rank(a), a.name) < (rank(b), b.name)
    }
}
