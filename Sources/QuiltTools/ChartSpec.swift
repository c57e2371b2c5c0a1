import QuiltContract
import QuiltJSON

/// A chart of a ``ChartData`` as the catalog renders it: an ECharts option (named in `quilt_summarize.json` with
/// `"types": ["echarts"]`) or a Vega-Lite specification (recognised by its `$schema`). JSON only: the catalog runs
/// no chart JavaScript.
struct ChartSpec {
    enum Kind: String, CaseIterable { case boxplot, scatter, line, bar }

    static let palettes: [String: [String]] = [
        "genomics": ["#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02"],
        "ml": ["#4c78a8", "#f58518", "#54a24b", "#e45756", "#72b7b2", "#b279a2"],
        "research": ["#332288", "#88ccee", "#44aa99", "#117733", "#999933", "#cc6677"],
        "analytics": ["#003f5c", "#58508d", "#bc5090", "#ff6361", "#ffa600", "#2f4b7c"],
        "default": ["#5470c6", "#91cc75", "#fac858", "#ee6666", "#73c0de", "#3ba272"],
    ]

    let kind: Kind
    let data: ChartData
    let x: Int
    let y: Int?
    let group: Int?
    let title: String
    let xLabel: String
    let yLabel: String
    let palette: [String]

    /// The groups of `group` in first-seen order (one series each), or one unnamed group.
    var groups: [(name: String?, rows: [[JSONValue]])] {
        guard let group else { return [(nil, data.rows)] }
        var order: [String] = []
        var byName: [String: [[JSONValue]]] = [:]
        for row in data.rows {
            let name = Self.label(row[group])
            if byName[name] == nil { order.append(name) }
            byName[name, default: []].append(row)
        }
        return order.map { ($0, byName[$0] ?? []) }
    }

    static func label(_ v: JSONValue) -> String {
        if case .string(let s) = v { return s }
        return v == .null ? "(none)" : JSONWriter.compact(v)
    }

    // MARK: - ECharts

    var echarts: JSONValue {
        var option: JSONObject = [
            "title": ["text": .string(title)], "tooltip": ["trigger": kind == .scatter ? "item" : "axis"],
            "color": .array(palette.map { .string($0) }),
        ]
        let numericX = data.isNumeric(x) && kind == .scatter
        let groups = self.groups
        if groups.count > 1 { option["legend"] = ["data": .array(groups.map { .string($0.name ?? "") })] }
        if kind == .boxplot {
            let categories = self.categories(groups)
            option["xAxis"] = ["type": "category", "name": .string(xLabel), "data": .array(categories.map { .string($0) })]
            option["yAxis"] = ["type": "value", "name": .string(yLabel)]
            option["series"] = .array(groups.map { g in
                let stats = categories.map { c in Self.fiveNumbers(g.rows.filter { Self.label($0[x]) == c }.compactMap { $0[y ?? x].doubleValue }) }
                var s: JSONObject = ["type": "boxplot", "data": .array(stats)]
                if let name = g.name { s["name"] = .string(name) }
                return .object(s)
            })
            return .object(option)
        }
        option["xAxis"] = numericX ? ["type": "value", "name": .string(xLabel)] : ["type": "category", "name": .string(xLabel)]
        option["yAxis"] = ["type": "value", "name": .string(yLabel)]
        option["series"] = .array(groups.map { g in
            let points: [JSONValue] = if let y {
                g.rows.map { .array([numericX ? $0[x] : .string(Self.label($0[x])), $0[y]]) }
            } else {
                counts(g.rows).map { .array([.string($0.0), .number(JSONNumber($0.1))]) }
            }
            var s: JSONObject = ["type": .string(kind.rawValue), "data": .array(points)]
            if let name = g.name { s["name"] = .string(name) }
            return .object(s)
        })
        return .object(option)
    }

    /// The x categories in first-seen order.
    func categories(_ groups: [(name: String?, rows: [[JSONValue]])]) -> [String] {
        var seen = Set<String>()
        var out: [String] = []
        for g in groups { for row in g.rows where seen.insert(Self.label(row[x])).inserted { out.append(Self.label(row[x])) } }
        return out
    }

    /// How often each x value occurs (a bar chart without y), in first-seen order.
    func counts(_ rows: [[JSONValue]]) -> [(String, Int)] {
        var order: [String] = []
        var n: [String: Int] = [:]
        for row in rows {
            let k = Self.label(row[x])
            if n[k] == nil { order.append(k) }
            n[k, default: 0] += 1
        }
        return order.map { ($0, n[$0] ?? 0) }
    }

    /// `[min, Q1, median, Q3, max]` (quartiles by linear interpolation, as numpy's default); empty for no values.
    static func fiveNumbers(_ values: [Double]) -> JSONValue {
        let v = values.sorted()
        guard !v.isEmpty else { return [] }
        func q(_ p: Double) -> Double {
            let pos = p * Double(v.count - 1)
            let lo = Int(pos.rounded(.down)), hi = min(lo + 1, v.count - 1)
            return v[lo] + (v[hi] - v[lo]) * (pos - Double(lo))
        }
        return .array([v[0], q(0.25), q(0.5), q(0.75), v[v.count - 1]].map { .number(JSONNumber($0)) })
    }

    // MARK: - Vega-Lite

    var vegaLite: JSONValue {
        let names = data.columns
        let values: [JSONValue] = data.rows.map { row in .object(JSONObject(zip(names, row).map { ($0, $1) })) }
        var encoding: JSONObject = [
            "x": ["field": .string(names[x]), "type": data.isNumeric(x) && kind == .scatter ? "quantitative" : "nominal", "title": .string(xLabel)],
        ]
        if let y {
            encoding["y"] = ["field": .string(names[y]), "type": "quantitative", "title": .string(yLabel)]
        } else {
            encoding["y"] = ["aggregate": "count", "type": "quantitative", "title": .string(yLabel)]
        }
        if let group {
            encoding["color"] = ["field": .string(names[group]), "type": "nominal", "scale": ["range": .array(palette.map { .string($0) })]]
        }
        let mark: JSONValue = kind == .scatter ? "point" : .string(kind.rawValue)
        return [
            "$schema": "https://vega.github.io/schema/vega-lite/v5.json", "title": .string(title),
            "data": ["values": .array(values)], "mark": mark, "encoding": .object(encoding),
        ]
    }
}
