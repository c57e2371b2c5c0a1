// quilt-bench: release-build benchmarks for the performance figures.
//
//   quilt-bench manifest   open + browse one directory + verify the top hash of a 100k-entry package (vs quilt3)
//   quilt-bench hash       sha2-256-chunked file hashing throughput (vs openssl dgst -sha256)
//   quilt-bench startup    MCP server cold start over stdio to tools/list, and idle RSS (vs the Python quilt-mcp)
//   quilt-bench s3-browse  browse one directory of a 100k-entry package in S3 (moto on loopback), vs quilt3
//   quilt-bench stdio-calls per-message round trips over stdio (ping, tools/list, a trivial tools/call)
//   quilt-bench http-load  tool calls over streamable HTTP with JWT: throughput, p50/p99 at 1, 16, 64 clients
//   quilt-bench help
//
// Logs go to standard error, results to standard output. See Benchmarks/README.md.
import Foundation

let helpText = """
    quilt-bench — benchmarks for quilt-mcp (build with -c release)

    USAGE
      \(ManifestBench.usage)
          Open a local quilt3 registry, browse one directory of a 100k-entry package and verify its top hash, in a
          fresh child process per run (wall time spawn→exit, peak RSS from wait4). Measures quilt3 (Python) the
          same way with Benchmarks/quilt3_browse.py. Target: median ≤ 150 ms and ≤ 80 MB peak RSS.

      \(HashBench.usage)
          Time ObjectHashing.hashFile(type: .sha2256Chunked) on a local file (in-process, best of N) against
          `openssl dgst -sha256` (child, best of N). Target: ≥ 70% of openssl's throughput.

      \(StartupBench.usage)
          Spawn the release quilt-mcp 10 times; time spawn → tools/list answered over stdio (initialize, initialized,
          tools/list) and read its idle VmRSS. Measures the Python quilt-mcp from PyPI the same way when installed
          (QUILT_DEPLOYMENT=legacy). Target: median ≤ 60 ms and ≤ 25 MB idle RSS.

      \(HTTPLoadBench.usage)
          Start the release quilt-mcp over HTTP with auth=jwt and HS256 verification on a file registry; per
          concurrency level, clients with their own tokens call package_info until the request budget or the time
          limit is spent; report requests/s, p50 and p99 latency and the server's RSS. Loopback only.

      \(StdioCallsBench.usage)
          One server process per SERVER (default: the quilt-mcp beside this binary) over stdio; after the handshake,
          sequential round trips of ping, tools/list and a tools/call that does almost nothing, each timed from
          write to response: what the protocol layer costs per message. Servers run one after the other.

      \(S3BrowseBench.usage)
          The same browse against S3: the package in a bucket on moto_server (started on 127.0.0.1 unless --endpoint
          is given), each run a fresh process that streams the manifest over HTTP; quilt3's Package.browse on the same
          bucket in the same run (Benchmarks/quilt3_browse_s3.py). Goal: ≥ 10× faster and ≤ ¼ the memory.

      \(ManifestProfile.usage)
          Where a browse spends its time: cumulative in-process passes (read, split, parse, canonical, SHA).

      quilt-bench help

    Internal (spawned by `manifest`):
      quilt-bench browse-once <registryDir> <package> <path>
      quilt-bench generate-fixture <registryDir> <entries>
    """

func runMain() async -> Int32 {
    let argv = Array(CommandLine.arguments.dropFirst())
    let command = argv.first ?? "help"
    let rest = Array(argv.dropFirst())
    do {
        switch command {
        case "manifest":
            return try ManifestBench.run(rest)
        case "hash":
            return try HashBench.run(rest)
        case "startup":
            return try StartupBench.run(rest)
        case "http-load":
            return try await HTTPLoadBench.run(rest)
        case "stdio-calls":
            return try StdioCallsBench.run(rest)
        case "s3-browse":
            return try S3BrowseBench.run(rest)
        case "s3-browse-once":
            return await S3BrowseBench.browseOnce(rest)
        case "s3-upload-fixture":
            return try await S3BrowseBench.upload(rest)
        case "profile-manifest":
            return try await ManifestProfile.run(rest)
        case "browse-once":
            return await BrowseOnce.run(rest)
        case "generate-fixture":
            guard rest.count == 2, let n = Int(rest[1]), n > 0 else {
                log("usage: quilt-bench generate-fixture <registryDir> <entries>")
                return 2
            }
            _ = try Fixture.generate(in: rest[0], entries: n)
            return 0
        case "help", "--help", "-h":
            emit(helpText)
            return 0
        default:
            log("unknown command '\(command)'")
            FileHandle.standardError.write(Data((helpText + "\n").utf8))
            return 2
        }
    } catch {
        log("error: \(error)")
        return 1
    }
}

exit(await runMain())
