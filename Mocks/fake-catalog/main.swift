// fake-catalog: the fake Quilt catalog on 127.0.0.1, for trying quilt-mcp's Platform backend (or any client) by
// hand and for recording fixtures over real HTTP.
//
//   swift run fake-catalog --port 8080 [--bucket NAME]... [--schema 2026-08|2026-06|2025-08|2025-07|enterprise|2024-11|none] [--seed-bench N]
//   swift run -c release fake-catalog bench-browse [--entries 10000]
//   fake-catalog mint-token SUBJECT [--hours N] [--foreign-key]   # a token this fake accepts (or, with
//     --foreign-key, one signed with a throwaway key that it refuses), so scripts hold no key and sign nothing
import FakeCatalog
import Foundation

/// The signal sources, kept for the life of the process.
nonisolated(unsafe) var keepAlive: [DispatchSourceSignal] = []

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("fake-catalog: \(message)\n".utf8))
    exit(2)
}

var arguments = Array(CommandLine.arguments.dropFirst())
if arguments.first == "bench-browse" {
    arguments.removeFirst()
    await BenchBrowse.run(arguments)
    exit(0)
}
if arguments.first == "mint-token" {
    guard arguments.count >= 2 else { fail("mint-token needs a subject, e.g. mint-token bob") }
    let hours = arguments.firstIndex(of: "--hours").flatMap { $0 + 1 < arguments.count ? Double(arguments[$0 + 1]) : nil } ?? 6
    let key = arguments.contains("--foreign-key") ? UUID().uuidString + UUID().uuidString : FakeAuth.testKey
    print(try await FakeAuth(key: key).mint(subject: arguments[1], expiresIn: hours * 3600))
    exit(0)
}
var port = 8080
var buckets: [String] = []
var variant = FakeCatalogSchema.Variant.head
var seedBench = 0
var i = 0
while i < arguments.count {
    let a = arguments[i]
    func value() -> String {
        i += 1
        guard i < arguments.count else { fail("\(a) needs a value") }
        return arguments[i]
    }
    switch a {
    case "--port": port = Int(value()) ?? { fail("--port needs a number") }()
    case "--bucket": buckets.append(value())
    case "--schema":
        let v = value()
        variant = FakeCatalogSchema.Variant(rawValue: v) ?? { fail("--schema must be one of \(FakeCatalogSchema.Variant.allCases.map(\.rawValue).joined(separator: ", ")); got \(v)") }()
    case "--seed-bench": seedBench = Int(value()) ?? { fail("--seed-bench needs a number") }()
    case "-h", "--help":
        print("usage: fake-catalog [--port N] [--bucket NAME]... [--schema 2026-08|2026-06|2025-08|2025-07|enterprise|2024-11|none] [--seed-bench N] | bench-browse [--entries N] | mint-token SUBJECT [--hours N] [--foreign-key]")
        exit(0)
    default: fail("unknown argument \(a); see --help")
    }
    i += 1
}
if buckets.isEmpty { buckets = ["quilt-example"] }
do {
    let catalog = try await FakeCatalogServer.start(FakeCatalogOptions(port: port, buckets: buckets, variant: variant))
    if seedBench > 0 { try await catalog.seedBenchmark(entries: seedBench) }
    let token = try await catalog.mintToken(subject: "alice", expiresIn: 12 * 3600)
    FileHandle.standardError.write(Data("fake-catalog: serving \(catalog.url) (schema \(variant.rawValue), buckets \(buckets.joined(separator: ", ")))\n".utf8))
    print("QUILT_MCP_CATALOG_URL=\(catalog.url)")
    print("QUILT_MCP_JWT_TOKEN=\(token)")
    print("AWS_ENDPOINT_URL_S3=\(catalog.s3Endpoint)")
    fflush(nil)
    let signals = [SIGINT, SIGTERM].map { sig -> DispatchSourceSignal in
        signal(sig, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
        source.setEventHandler { catalog.stop(); exit(0) }
        source.resume()
        return source
    }
    keepAlive = signals
    while true { try await Task.sleep(for: .seconds(3600)) }
} catch {
    fail("\(error)")
}
