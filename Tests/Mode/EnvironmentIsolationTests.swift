import Foundation
import Testing

/// The package root, found from this file's path (Tests/Mode/<file>, symlinks resolved).
let packageRoot = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()

/// Every .swift file under `directory` (relative to the package root), sorted.
func swiftFiles(under directory: String) -> [URL] {
    let base = packageRoot.appendingPathComponent(directory)
    guard let walker = FileManager.default.enumerator(at: base, includingPropertiesForKeys: nil) else { return [] }
    return walker.compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" }.sorted { $0.path < $1.path }
}

/// `file:line: text` for each code line (comment lines skipped) in `files` that matches `matches`.
func offendingLines(_ files: [URL], _ matches: (String) -> Bool) throws -> [String] {
    var found: [String] = []
    for file in files {
        let text = try String(contentsOf: file, encoding: .utf8)
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.drop { $0 == " " || $0 == "\t" }
            if trimmed.hasPrefix("//") || trimmed.hasPrefix("*") || trimmed.hasPrefix("/*") { continue }
            if matches(String(line)) {
                let relative = String(file.path.dropFirst(packageRoot.path.count + 1))
                found.append("\(relative):\(index + 1): \(trimmed)")
            }
        }
    }
    return found
}

/// True when `line` reads or changes the process environment.
func readsEnvironment(_ line: String) -> Bool {
    let needles = ["ProcessInfo.processInfo.environment", "getenv(", "setenv(", "unsetenv(", ".environment["]
    if needles.contains(where: line.contains) { return true }
    // `environ` as a whole identifier (the C global), not as part of `environment`.
    var rest = Substring(line)
    while let range = rest.range(of: "environ") {
        let before = rest[..<range.lowerBound].last
        let after = rest[range.upperBound...].first
        let isIdentifierChar: (Character?) -> Bool = { c in c.map { $0.isLetter || $0.isNumber || $0 == "_" } ?? false }
        if !isIdentifierChar(before) && !isIdentifierChar(after) { return true }
        rest = rest[range.upperBound...]
    }
    return false
}

@Suite("Only QuiltMode reads the environment")
struct EnvironmentIsolationTests {
    @Test("No file under Sources/ (outside Sources/QuiltMode/) or Mocks/ reads the environment")
    func noOtherModuleReadsTheEnvironment() throws {
        let files = (swiftFiles(under: "Sources") + swiftFiles(under: "Mocks"))
            .filter { !$0.path.contains("/Sources/QuiltMode/") }
        #expect(!files.isEmpty, "found no sources under \(packageRoot.path)")
        let offenders = try offendingLines(files, readsEnvironment)
        let listing = offenders.joined(separator: "\n")
        #expect(offenders.isEmpty, "these lines read the environment; take a [String: String] or a Mode instead:\n\(listing)")
    }

    @Test("Inside QuiltMode, only ProcessEnvironment.current() touches ProcessInfo's environment")
    func singleCallSite() throws {
        let files = swiftFiles(under: "Sources/QuiltMode")
        let offenders = try offendingLines(files, readsEnvironment)
        #expect(offenders == ["Sources/QuiltMode/ProcessEnvironment.swift:13: ProcessInfo.processInfo.environment"])
    }

    @Test("The detector recognises each pattern and ignores the word 'environment'", arguments: [
        ("let e = ProcessInfo.processInfo.environment", true),
        ("let h = getenv(\"HOME\")", true),
        ("setenv(\"A\", \"b\", 1)", true),
        ("unsetenv(\"A\")", true),
        ("let p = environ", true),
        ("let v = info.environment[\"X\"]", true),
        ("func resolve(environment: [String: String])", false),
        ("let environmentName = 1", false),
    ])
    func detector(_ line: String, _ expected: Bool) {
        #expect(readsEnvironment(line) == expected)
    }
}
