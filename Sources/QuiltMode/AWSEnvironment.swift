/// The snapshot of variables the AWS credential chain and S3 client will need.
enum AWSEnvironment {
    /// Variables naming files under HOME, which a stateless server never opens.
    static let homeFileVariables = ["AWS_PROFILE", "AWS_SHARED_CREDENTIALS_FILE", "AWS_CONFIG_FILE"]

    /// Every non-empty `AWS_*` variable, plus `HOME` in persistent state. In stateless state the HOME-file
    /// variables are dropped and one warning names those that were set.
    static func snapshot(environment: [String: String], state: Mode.State) -> (aws: [String: String], warning: String?) {
        var aws: [String: String] = [:]
        for (key, value) in environment where key.hasPrefix("AWS_") && !value.isEmpty {
            aws[key] = value
        }
        guard state == .stateless else {
            if let home = environment.setValue("HOME") { aws["HOME"] = home }
            return (aws, nil)
        }
        let dropped = homeFileVariables.filter { aws.removeValue(forKey: $0) != nil }
        guard !dropped.isEmpty else { return (aws, nil) }
        let list = dropped.joined(separator: ", ")
        return (aws, "warning: state=stateless ignores \(list): stateless never opens files under HOME; "
            + "use AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY/AWS_SESSION_TOKEN or a container or instance role")
    }
}
