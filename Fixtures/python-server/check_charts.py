#!/usr/bin/env python3
"""create_data_visualization, generate_quilt_summarize_json, generate_package_visualizations and
create_quilt_summary_files through quilt-mcp over stdio, by the official Python
SDK (PyPI `mcp`), checked against peers: every Vega-Lite answer validates against the Vega-Lite JSON schema bundled
with altair (PyPI), every boxplot's five numbers equal numpy's percentiles (linear interpolation), and every
quilt_summarize.json has the shape the catalog documents (docs/Catalog/VisualizationDashboards.md in
quiltdata/quilt: a list whose items are a path, an object with path/title/description/expand/width/types, or a row
of those).

Usage: python3 Fixtures/python-server/check_charts.py .build/debug/quilt-mcp
Prints one line per check and finally `charts: N passed, M failed`; exits non-zero if anything failed.
"""
import asyncio
import glob
import json
import os
import random
import shutil
import sys
import tempfile

import altair
import jsonschema
import numpy
from mcp import Client
from mcp.client.stdio import StdioServerParameters

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "mcp"))
import python_client_check as base  # noqa: E402 (record() and its counters)

record = base.record
SUMMARY_KEYS = {"path", "title", "description", "expand", "width", "types"}


def vega_lite_schema():
    path = glob.glob(os.path.join(os.path.dirname(altair.__file__), "vegalite", "v*", "schema", "vega-lite-schema.json"))[0]
    with open(path) as f:
        return jsonschema.Draft7Validator(json.load(f))


def summary_item_ok(item):
    if isinstance(item, str):
        return True
    if isinstance(item, list):
        return all(isinstance(i, (str, dict)) and summary_item_ok(i) for i in item)
    return isinstance(item, dict) and "path" in item and set(item) <= SUMMARY_KEYS and (
        "types" not in item or (isinstance(item["types"], list) and len(item["types"]) == 1))


def echarts_ok(option):
    """What the catalog's ECharts needs of an option: JSON only, a title object if any, typed series."""
    known = {"line", "bar", "pie", "scatter", "boxplot"}
    return isinstance(option, dict) and isinstance(option.get("title", {}), dict) and option.get("series") and all(
        isinstance(s, dict) and s.get("type") in known for s in option["series"])


def datasets():
    rng = random.Random(7)
    genes = ["brca1", "tp53", "egfr"]
    rows = [{"gene": rng.choice(genes), "expr": round(rng.uniform(0, 100), 3), "batch": rng.choice(["a", "b"])}
            for _ in range(120)]
    columns = {k: [r[k] for r in rows] for k in ("gene", "expr", "batch")}
    csv = "gene,expr,batch\n" + "\n".join(f"{r['gene']},{r['expr']},{r['batch']}" for r in rows) + "\n"
    return rows, {"rows": rows, "columns": columns, "csv": csv}


async def run(binary):
    validator = vega_lite_schema()
    rows, forms = datasets()
    home = tempfile.mkdtemp(prefix="quilt-mcp-charts-")
    env = {"HOME": os.path.join(home, "home"), "XDG_DATA_HOME": os.path.join(home, "xdg"), "PATH": "/usr/bin:/bin",
           "QUILT_MCP_TOOLSETS": "all"}
    os.makedirs(env["HOME"])
    try:
        async with Client(StdioServerParameters(command=binary, args=[], env=env), mode="auto", read_timeout_seconds=60) as client:
            for form, data in forms.items():
                for plot in ("boxplot", "scatter", "line", "bar"):
                    for output in ("echarts", "vega-lite"):
                        args = {"data": data, "plot_type": plot, "x_column": "gene" if plot != "scatter" else "expr",
                                "y_column": "expr", "group_column": "batch" if plot in ("line", "scatter") else None,
                                "title": f"{plot} {form}", "output_format": output}
                        result = await client.call_tool("create_data_visualization", {k: v for k, v in args.items() if v is not None})
                        answer = result.structured_content or {}
                        label = f"{form}/{plot}/{output}"
                        if result.is_error:
                            record(f"{label}: answered", False, str(answer)[:300])
                            continue
                        chart = answer.get("chart") or {}
                        if output == "vega-lite":
                            errors = sorted(validator.iter_errors(chart), key=lambda e: e.path)
                            record(f"{label}: valid Vega-Lite (altair {altair.__version__}'s schema)", not errors,
                                   "; ".join(e.message for e in errors[:3]))
                        else:
                            series = chart.get("series") or []
                            record(f"{label}: an ECharts option with {plot} series",
                                   echarts_ok(chart) and all(s.get("type") == plot for s in series) and "xAxis" in chart, str(chart)[:300])
                            if plot == "boxplot":
                                categories = chart["xAxis"]["data"]
                                expected = [[float(v) for v in numpy.percentile([r["expr"] for r in rows if r["gene"] == c],
                                                                                [0, 25, 50, 75, 100])] for c in categories]
                                got = series[0]["data"]
                                record(f"{label}: five numbers equal numpy.percentile",
                                       all(abs(a - b) < 1e-9 for e, g in zip(expected, got) for a, b in zip(e, g)), f"{got} vs {expected}")
                        entry = answer.get("quilt_summarize_entry")
                        record(f"{label}: its quilt_summarize.json entry has the catalog's shape",
                               summary_item_ok(entry) and (output != "echarts" or entry.get("types") == ["echarts"]), str(entry))

            result = await client.call_tool("generate_quilt_summarize_json", {
                "package_name": "lab/summary", "package_metadata": {"description": "Expression study"},
                "organized_structure": {"data/processed": [{"Key": "raw/expr.csv"}], "viz": ["box.echarts.json"], "docs": ["notes.md"]},
                "readme_content": "# Expression", "source_info": {"bucket": "lab-raw", "prefix": "run/"}})
            summary = (result.structured_content or {}).get("quilt_summarize")
            record("generate_quilt_summarize_json: the catalog's shape, README first, charts typed",
                   isinstance(summary, list) and all(summary_item_ok(i) for i in summary)
                   and summary[0].get("path") == "README.md"
                   and {"path": "viz/box.echarts.json", "title": "box.echarts.json", "types": ["echarts"]} in summary
                   and any(i.get("path") == "data/processed/expr.csv" for i in summary), str(summary))

            result = await client.call_tool("generate_package_visualizations", {
                "package_name": "lab/summary", "organized_structure": {"data": ["a.csv", "b.csv"], "docs": ["n.md"]},
                "file_types": {"csv": 2, "md": 1}})
            charts = (result.structured_content or {}).get("charts") or []
            record("generate_package_visualizations: ECharts options (a title object, bar and pie series)",
                   len(charts) == 2 and all(echarts_ok(c.get("option")) for c in charts)
                   and [c["option"]["series"][0]["type"] for c in charts] == ["bar", "pie"], str(charts)[:400])

            made = await client.call_tool("package_create", {"package_name": "lab/summary", "entries": [
                {"logical_key": "data/a.csv", "text": "x\n1\n"}, {"logical_key": "docs/n.md", "text": "n"}]})
            record("create_quilt_summary_files: a package to summarise", not made.is_error, str(made)[:200])
            result = await client.call_tool("create_quilt_summary_files", {
                "package_name": "lab/summary", "package_metadata": {"description": "Study"}, "readme_content": "",
                "organized_structure": {"data": ["a.csv"], "docs": ["n.md"]}, "source_info": {}, "write": True})
            answer = result.structured_content or {}
            keys = [f.get("key") for f in answer.get("files_to_upload") or []]
            summary = answer.get("quilt_summarize")
            record("create_quilt_summary_files: README, quilt_summarize.json and charts, in the catalog's shape",
                   keys[:2] == ["README.md", "quilt_summarize.json"] and all(summary_item_ok(i) for i in summary or [])
                   and all(echarts_ok(json.loads(f["text"])) for f in answer["files_to_upload"] if f["key"].endswith(".echarts.json")),
                   str(answer)[:400])
            browsed = await client.call_tool("package_browse", {"package_name": "lab/summary"})
            stored = sorted(e.get("logical_key") for e in (browsed.structured_content or {}).get("entries") or [])
            record("create_quilt_summary_files write=true: the files are in the new revision",
                   set(keys) <= set(stored) and "data/a.csv" in stored, str(stored))
    finally:
        shutil.rmtree(home, ignore_errors=True)


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    asyncio.run(run(os.path.abspath(sys.argv[1])))
    print(f"charts: {base.passed} passed, {base.failed} failed")
    sys.exit(1 if base.failed or not base.passed else 0)


if __name__ == "__main__":
    main()
