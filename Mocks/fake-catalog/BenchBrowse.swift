import FakeCatalog
import Foundation
import QuiltContract
import QuiltHTTP
import QuiltHash
import QuiltPlatform
import QuiltRegistry

/// `fake-catalog bench-browse`: seeds a package of N entries (100 directories) in a fresh fake catalog, then
/// browses one directory through the Platform backend over loopback HTTP, cold (new process-wide caches) and
/// warm, printing requests and wall time.
enum BenchBrowse {
    static func run(_ arguments: [String]) async {
        var entries = 10_000
        if let i = arguments.firstIndex(of: "--entries"), i + 1 < arguments.count, let n = Int(arguments[i + 1]) { entries = n }
        var path = "dir-7"
        if let i = arguments.firstIndex(of: "--path"), i + 1 < arguments.count { path = arguments[i + 1] }
        do {
            let catalog = try await FakeCatalogServer.start(FakeCatalogOptions(buckets: ["bench"]))
            defer { catalog.stop() }
            let registry = try RegistryURL.s3("bench")
            try await catalog.seedBenchmark(entries: entries)
            let token = try await catalog.mintToken()
            for label in ["cold", "warm", "warm", "dir()"] {
                let directory = label == "cold" || label == "dir()" ? CatalogDirectory() : shared.directory
                let contents = label == "cold" || label == "dir()" ? ContentsCache() : shared.contents
                if label == "cold" { shared = (directory, contents) }
                catalog.log.reset()
                let backend = PlatformBackend(
                    configuration: PlatformConfiguration(
                        catalogURL: catalog.url, bearerToken: token, transport: LiveHTTPTransport.shared,
                        contentsLimit: label == "dir()" ? 1 : 10_000, directory: directory, contents: contents))
                let start = ContinuousClock.now
                let page = try await backend.browse(
                    BrowseRequest(package: try PackageName("bench/big"), registry: registry, path: path, page: try PageRequest(limit: 1000)))
                let elapsed = ContinuousClock.now - start
                let requests = catalog.log.all.filter { !$0.key.hasPrefix("graphql ") && !$0.key.hasPrefix("S3 ") }
                    .sorted { $0.key < $1.key }.map { "\($0.key) ×\($0.value)" }.joined(separator: ", ")
                print("browse '\(path)' of a \(entries)-entry package (\(label)): \(page.entries.count) rows, \(catalog.log.total) requests [\(requests)], \(elapsed)")
            }
        } catch {
            print("bench-browse failed: \(error)")
        }
    }

    nonisolated(unsafe) static var shared: (directory: CatalogDirectory, contents: ContentsCache) = (CatalogDirectory(), ContentsCache())
}
