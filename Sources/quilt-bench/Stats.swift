import Foundation
import QuiltJSON

/// Summary of repeated child runs of one tool.
struct RunSummary: Sendable {
    var tool: String
    var runs: [ChildRun]

    var millis: [Double] { runs.map(\.wallMillis).sorted() }
    var minMillis: Double { millis.first ?? .nan }
    var medianMillis: Double { Stats.median(millis) }
    var maxRSSMiB: Double { runs.map(\.maxRSSMiB).max() ?? .nan }
    /// The largest `VmHWM` the children reported about themselves, in MiB (NaN when none did).
    var maxSelfHWMMiB: Double {
        runs.compactMap(\.selfHWMBytes).max().map { Double($0) / 1_048_576 } ?? .nan
    }
    var medianCPUMillis: Double { Stats.median(runs.map { ($0.userSeconds + $0.systemSeconds) * 1000 }) }

    var json: JSONValue {
        .object([
            "tool": .string(tool),
            "runs": .number(JSONNumber(runs.count)),
            "min_ms": Stats.number(minMillis),
            "median_ms": Stats.number(medianMillis),
            "peak_rss_mib": Stats.number(maxRSSMiB),
            "self_vm_hwm_mib": Stats.number(maxSelfHWMMiB),
            "median_cpu_ms": Stats.number(medianCPUMillis),
            "wall_ms": .array(runs.map { Stats.number($0.wallMillis) }),
            "rss_mib": .array(runs.map { Stats.number($0.maxRSSMiB) }),
        ])
    }
}

enum Stats {
    static func median(_ values: [Double]) -> Double {
        let v = values.sorted()
        guard !v.isEmpty else { return .nan }
        return v.count % 2 == 1 ? v[v.count / 2] : (v[v.count / 2 - 1] + v[v.count / 2]) / 2
    }

    /// A JSON number rounded to 0.01 (NaN becomes null).
    static func number(_ x: Double) -> JSONValue {
        x.isFinite ? .number(JSONNumber((x * 100).rounded() / 100)) : .null
    }

    static func fixed(_ x: Double, _ digits: Int = 1) -> String {
        x.isFinite ? String(format: "%.\(digits)f", x) : "-"
    }

    /// Left-aligned first column, right-aligned others.
    static func table(_ header: [String], _ rows: [[String]]) -> String {
        let all = [header] + rows
        let widths = (0..<header.count).map { c in all.map { $0.count > c ? $0[c].count : 0 }.max() ?? 0 }
        func line(_ row: [String]) -> String {
            row.enumerated().map { c, cell in
                let pad = String(repeating: " ", count: max(0, widths[c] - cell.count))
                return c == 0 ? cell + pad : pad + cell
            }.joined(separator: "  ")
        }
        let rule = widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")
        return ([line(header), rule] + rows.map(line)).joined(separator: "\n")
    }
}

/// Writes a result line to standard output.
func emit(_ text: String) {
    FileHandle.standardOutput.write(Data((text + "\n").utf8))
}

/// Today's date and a short machine description, for reports.
enum MachineInfo {
    static func describe() -> String {
        var parts: [String] = []
        if let cpuinfo = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
            let model = cpuinfo.split(separator: "\n").first(where: { $0.hasPrefix("model name") })?
                .split(separator: ":", maxSplits: 1).last
        {
            parts.append(model.trimmingCharacters(in: .whitespaces))
        }
        parts.append("\(ProcessInfo.processInfo.activeProcessorCount) cores")
        parts.append("\(ProcessInfo.processInfo.physicalMemory / 1_073_741_824) GiB RAM")
        return parts.joined(separator: ", ")
    }

    static func date() -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyy-MM-dd HH:mm 'UTC'"
        return f.string(from: Date())
    }
}
