#!/usr/bin/env python3
"""The tool surface of the Python `quilt-mcp` server (PyPI), as vectors: every tool each version registers and each
tool's parameter names, types, defaults and enum values, in Fixtures/python-server/tools.json.

    python3 Fixtures/python-server/surface.py [--python-server PATH] [--upstream-repo PATH] [--check]

Sources (each optional; the versions a run cannot regenerate are kept from the existing file):
- `--python-server PATH`: an installed `quilt-mcp` executable. Started over stdio in a throwaway HOME, once with
  QUILT_DEPLOYMENT=legacy and once with QUILT_DEPLOYMENT=local (QUILT_CATALOG_URL=https://example.invalid), and asked
  tools/list through the official MCP Python SDK (`mcp` on PyPI). Its version is read with the python beside it
  (`importlib.metadata`), or given by `--python-version`: the server's serverInfo.version is not the package's.
- `--upstream-repo PATH`: a git clone of github.com/quiltdata/quilt-mcp-server. For each of `--tags`: which tools
  register in each deployment, found by applying the registration rule of `src/quilt_mcp/utils/common.py` (public
  functions defined in each module of `_MODULE_PATHS`, less the excluded names; the workflow module only in a
  single-user deployment) to the tag's source; the parameters from `tests/fixtures/mcp-list.csv`, else (for tools the
  fixture lacks) from the function's own signature. Tools the fixture lists but the tag does not register are kept
  with `"unregistered_in"`: from 0.21.0 the package CRUD tools are imported into `tools/packages.py` rather than
  defined there, so the registration rule skips them.

Types come from the live inputSchema where a version was run live, else from the annotation text: "string",
"integer", "number", "boolean", "object", "array", "any", or several joined by "|"; `nullable` when null is allowed.
Each parameter's attributes are those of the newest version that has it; an older version that differs says how
under `by_version`. The hidden `context` parameter is left out; the leaked `service` and `quilt_ops` are kept and
marked `"internal": true`.

`--check` regenerates what the given sources allow and compares it with the committed file for those versions only;
it prints a unified diff and exits 1 on a difference.
"""
import argparse
import ast
import asyncio
import csv
import difflib
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
OUTPUT = os.path.join(HERE, "tools.json")
GENERATED_BY = "Fixtures/python-server/surface.py"
DEPLOYMENTS = ("legacy", "local")
HIDDEN = {"context"}
INTERNAL = {"service", "quilt_ops"}
DEFAULT_TAGS = "v0.20.0,v0.21.0"


def version_key(version):
    return tuple(int(part) if part.isdigit() else part for part in version.replace("-", ".").split("."))


# ---------------------------------------------------------------------------------------------------------------
# Types


def json_type_of_value(value):
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "any"


def join_types(types):
    """A set of JSON types -> (type string, nullable)."""
    nullable = "null" in types
    types = {t for t in types if t != "null"}
    if not types or "any" in types:
        return "any", nullable
    return "|".join(sorted(types)), nullable


def schema_types(prop):
    """JSON-schema property -> (set of JSON types, enum or None)."""
    if not isinstance(prop, dict):
        return {"any"}, None
    if "anyOf" in prop or "oneOf" in prop:
        types, enum = set(), None
        for member in prop.get("anyOf", []) + prop.get("oneOf", []):
            member_types, member_enum = schema_types(member)
            types |= member_types
            if member_enum is not None:
                enum = (enum or []) + [v for v in member_enum if v not in (enum or [])]
        return types, enum
    enum = prop.get("enum")
    if "const" in prop and enum is None:
        enum = [prop["const"]]
    kind = prop.get("type")
    if isinstance(kind, list):
        return set(kind), enum
    if isinstance(kind, str):
        return {kind}, enum
    if enum is not None:
        return {json_type_of_value(v) for v in enum if v is not None} | ({"null"} if None in enum else set()), enum
    if "$ref" in prop or "properties" in prop:
        return {"object"}, None
    return {"any"}, None


NAMED_TYPES = {"str": "string", "int": "integer", "float": "number", "bool": "boolean", "dict": "object",
               "Dict": "object", "Mapping": "object", "list": "array", "List": "array", "Sequence": "array",
               "tuple": "array", "Tuple": "array", "set": "array", "Set": "array", "Any": "any", "None": "null",
               "NoneType": "null"}


def annotation_node(node):
    """An annotation: string annotations (postponed evaluation) are parsed."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return ast.parse(node.value, mode="eval").body
    return node


def last_name(node):
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def field_keywords(node):
    """Keywords of a pydantic Field(...)/FieldInfo(...) call among Annotated's extras."""
    if isinstance(node, ast.Call) and last_name(node.func) in ("Field", "FieldInfo"):
        return {k.arg: k.value for k in node.keywords if k.arg}
    return {}


def annotation_types(node):
    """Annotation AST -> (set of JSON types, enum or None, Field keywords)."""
    node = annotation_node(node)
    if isinstance(node, ast.Constant) and node.value is None:
        return {"null"}, None, {}
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        left, left_enum, _ = annotation_types(node.left)
        right, right_enum, _ = annotation_types(node.right)
        enum = (left_enum or []) + (right_enum or []) if (left_enum or right_enum) else None
        return left | right, enum, {}
    if isinstance(node, ast.Subscript):
        head = last_name(node.value)
        items = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
        if head == "Annotated":
            types, enum, _ = annotation_types(items[0])
            keywords = {}
            for extra in items[1:]:
                keywords.update(field_keywords(extra))
            return types, enum, keywords
        if head == "Optional":
            types, enum, _ = annotation_types(items[0])
            return types | {"null"}, enum, {}
        if head == "Union":
            types, enum = set(), None
            for item in items:
                item_types, item_enum, _ = annotation_types(item)
                types |= item_types
                if item_enum is not None:
                    enum = (enum or []) + item_enum
            return types, enum, {}
        if head == "Literal":
            values = [ast.literal_eval(item) for item in items]
            types = {json_type_of_value(v) for v in values if v is not None} | ({"null"} if None in values else set())
            return types, [v for v in values if v is not None], {}
        return {NAMED_TYPES.get(head, "any")}, None, {}
    return {NAMED_TYPES.get(last_name(node), "any")}, None, {}


# ---------------------------------------------------------------------------------------------------------------
# Parameters


def param_entry(name, types, enum, default, required):
    type_name, nullable = join_types(types)
    entry = {"type": type_name, "required": required}
    if nullable:
        entry["nullable"] = True
    if enum is not None:
        entry["enum"] = enum
    if not required:
        entry["default"] = default
    if name in INTERNAL:
        entry["internal"] = True
    return entry


def literal(node, where):
    try:
        return ast.literal_eval(node)
    except ValueError:
        raise SystemExit(f"{where}: default {ast.unparse(node)!r} is not a literal; extend surface.py")


def function_params(function, where):
    """A FunctionDef (from the csv signature text or from source) -> {name: entry}."""
    args = function.args
    positional = args.posonlyargs + args.args
    defaults = [None] * (len(positional) - len(args.defaults)) + list(args.defaults)
    pairs = list(zip(positional, defaults)) + list(zip(args.kwonlyargs, args.kw_defaults))
    params = {}
    for arg, default_node in pairs:
        if arg.arg in HIDDEN or arg.arg in ("self", "cls"):
            continue
        if arg.annotation is None:
            types, enum, keywords = {"any"}, None, {}
        else:
            types, enum, keywords = annotation_types(arg.annotation)
        required, default = True, None
        if default_node is not None:
            required, default = False, literal(default_node, f"{where}({arg.arg})")
        elif "default" in keywords and last_name(keywords["default"]) not in ("PydanticUndefined", "Ellipsis") \
                and not (isinstance(keywords["default"], ast.Constant) and keywords["default"].value is Ellipsis):
            required, default = False, literal(keywords["default"], f"{where}({arg.arg})")
        params[arg.arg] = param_entry(arg.arg, types, enum, default, required)
    if args.vararg or args.kwarg:
        raise SystemExit(f"{where}: *args/**kwargs; extend surface.py")
    return params


def signature_params(signature, where):
    """csv `signature` text, `name(a: 'T' = 1, ...) -> 'R'` -> {name: entry}."""
    try:
        function = ast.parse("def " + signature + ": pass").body[0]
    except SyntaxError:
        head, _, _ = signature.rpartition(" -> ")
        function = ast.parse("def " + head + ": pass").body[0]
    return function_params(function, where)


def schema_params(schema):
    """A tool's live inputSchema -> {name: entry}."""
    required = set(schema.get("required") or [])
    params = {}
    for name, prop in (schema.get("properties") or {}).items():
        if name in HIDDEN:
            continue
        types, enum = schema_types(prop)
        params[name] = param_entry(name, types, enum, prop.get("default"), name in required and "default" not in prop)
    return params


# ---------------------------------------------------------------------------------------------------------------
# Live server


def sandbox(deployment):
    home = tempfile.mkdtemp(prefix="quilt-python-surface-")
    env = {"HOME": os.path.join(home, "home"), "XDG_DATA_HOME": os.path.join(home, "xdg"),
           "XDG_CONFIG_HOME": os.path.join(home, "config"), "XDG_CACHE_HOME": os.path.join(home, "cache"),
           "PATH": "/usr/bin:/bin", "QUILT_DEPLOYMENT": deployment, "FASTMCP_TRANSPORT": "stdio",
           "MCP_SKIP_BANNER": "true", "QUILT_DISABLE_USAGE_METRICS": "true", "MCP_TELEMETRY_LOCAL_ONLY": "true",
           "AWS_DEFAULT_REGION": "us-east-1", "AWS_EC2_METADATA_DISABLED": "true"}
    if deployment == "local":
        env["QUILT_CATALOG_URL"] = "https://example.invalid"
    os.makedirs(env["HOME"])
    return home, env


async def list_tools(server, env, errlog):
    from mcp import Client
    from mcp.client.stdio import StdioServerParameters, stdio_client

    params = StdioServerParameters(command=server, args=["--skip-banner"], env=env)
    async with Client(stdio_client(params, errlog=errlog), mode="legacy", read_timeout_seconds=60) as client:
        tools = (await client.list_tools()).tools
        return [tool.model_dump(mode="json", by_alias=True, exclude_none=True) for tool in tools]


def live_version(server):
    python = os.path.join(os.path.dirname(os.path.abspath(server)), "python")
    done = subprocess.run([python, "-c", "import importlib.metadata as m; print(m.version('quilt-mcp'))"],
                          capture_output=True, text=True, timeout=60)
    if done.returncode != 0:
        raise SystemExit(f"cannot read quilt-mcp's version with {python}; pass --python-version")
    return done.stdout.strip()


def live_observations(server, version):
    """{version: {tool: {"status", "deployments", "params"}}} from tools/list in each deployment."""
    seen = {}
    for deployment in DEPLOYMENTS:
        home, env = sandbox(deployment)
        try:
            with open(os.path.join(home, "stderr"), "w") as errlog:
                try:
                    tools = asyncio.run(asyncio.wait_for(list_tools(server, env, errlog), 120))
                except BaseException as error:
                    with open(os.path.join(home, "stderr")) as f:
                        tail = f.read()[-2000:]
                    raise SystemExit(f"{server} ({deployment}): tools/list failed: {error!r}\n{tail}")
        finally:
            shutil.rmtree(home, ignore_errors=True)
        for tool in tools:
            params = schema_params(tool.get("inputSchema") or {})
            entry = seen.setdefault(tool["name"], {"status": "registered", "deployments": [], "params": params})
            if entry["params"] != params:
                raise SystemExit(f"{tool['name']}: its inputSchema differs between deployments; extend surface.py")
            entry["deployments"].append(deployment)
        print(f"live {version} {deployment}: {len(tools)} tools", file=sys.stderr)
    return {version: seen}


# ---------------------------------------------------------------------------------------------------------------
# Upstream repository


def git_show(repo, tag, path):
    done = subprocess.run(["git", "-C", repo, "show", f"{tag}:{path}"], capture_output=True, text=True)
    return done.stdout if done.returncode == 0 else None


def find_assignment(tree, name):
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in node.targets):
            return ast.literal_eval(node.value)
    return None


def registration_rule(repo, tag):
    """The tag's module map, its excluded tool names and its multi-user-only exclusions, read from its source."""
    init = git_show(repo, tag, "src/quilt_mcp/tools/__init__.py")
    common = git_show(repo, tag, "src/quilt_mcp/utils/common.py")
    if init is None or common is None:
        raise SystemExit(f"{tag}: src/quilt_mcp/tools/__init__.py or utils/common.py missing; extend surface.py")
    modules = find_assignment(ast.parse(init), "_MODULE_PATHS")
    tree = ast.parse(common)
    functions = {n.name: n for n in tree.body if isinstance(n, ast.FunctionDef)}
    if not modules or "register_tools" not in functions or "get_tool_modules" not in functions:
        raise SystemExit(f"{tag}: the registration code changed; extend surface.py")
    excluded = set(find_assignment(functions["register_tools"], "excluded_tools") or ())
    excluded |= set(find_assignment(functions["register_tools"], "RESOURCE_AVAILABLE_TOOLS") or ())
    multiuser_excluded = set()
    for node in ast.walk(functions["get_tool_modules"]):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "update" \
                and last_name(node.func.value) == "excluded_modules":
            multiuser_excluded |= set(ast.literal_eval(node.args[0]))
    if not excluded:
        raise SystemExit(f"{tag}: no excluded tool names found; the registration code changed; extend surface.py")
    return modules, excluded, multiuser_excluded


def module_functions(repo, tag, module_path):
    """Public functions defined (not imported) at the top of a module: {name: FunctionDef}."""
    relative = "src/" + module_path.replace(".", "/")
    text = git_show(repo, tag, relative + ".py") or git_show(repo, tag, relative + "/__init__.py")
    if text is None:
        raise SystemExit(f"{tag}: no source for {module_path}")
    return {node.name: node for node in ast.parse(text).body
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and not node.name.startswith("_")}


def upstream_observations(repo, tags):
    observations = {}
    for tag in tags:
        if subprocess.run(["git", "-C", repo, "rev-parse", "--verify", "--quiet", tag + "^{commit}"],
                          capture_output=True).returncode != 0:
            raise SystemExit(f"{repo}: no tag {tag} (fetch tags, or pass --tags)")
        version = tag[1:] if tag.startswith("v") else tag
        modules, excluded, multiuser_excluded = registration_rule(repo, tag)
        fixture = git_show(repo, tag, "tests/fixtures/mcp-list.csv")
        rows = {row["function_name"]: row for row in csv.DictReader(io.StringIO(fixture or ""))
                if row.get("type") == "tool"}
        seen = {}
        for module_name, module_path in sorted(modules.items()):
            for name, function in sorted(module_functions(repo, tag, module_path).items()):
                if name in excluded:
                    continue
                if name in seen:
                    raise SystemExit(f"{tag}: {name} is defined in two tool modules")
                deployments = [d for d in DEPLOYMENTS if d == "legacy" or module_name not in multiuser_excluded]
                if name in rows:
                    params = signature_params(rows[name]["signature"], f"{tag} mcp-list.csv {name}")
                else:
                    params = function_params(function, f"{tag} {module_path}.{name}")
                seen[name] = {"status": "registered", "deployments": deployments, "params": params}
        for name, row in sorted(rows.items()):
            if name not in seen:
                seen[name] = {"status": "unregistered",
                              "params": signature_params(row["signature"], f"{tag} mcp-list.csv {name}")}
        counts = {d: sum(d in e.get("deployments", ()) for e in seen.values()) for d in DEPLOYMENTS}
        print(f"upstream {tag}: {counts} registered, {len(rows)} in mcp-list.csv"
              + ("" if fixture else " (no mcp-list.csv: signatures from source)"), file=sys.stderr)
        observations[version] = seen
    return observations


# ---------------------------------------------------------------------------------------------------------------
# The merged file: implode(table) <-> explode(doc), table = {version: {tool: observation}}

ATTRIBUTES = ("type", "nullable", "enum", "default", "required", "internal")


def normalized(entry):
    """Every attribute present, so two entries compare attribute by attribute."""
    return {"type": entry["type"], "nullable": entry.get("nullable", False), "enum": entry.get("enum"),
            "default": None if entry["required"] else entry.get("default"), "required": entry["required"],
            "internal": entry.get("internal", False)}


def implode(table):
    versions = sorted(table, key=version_key)
    tools = {}
    for name in sorted({tool for version in versions for tool in table[version]}):
        having = [v for v in versions if name in table[v]]
        registered = [v for v in having if table[v][name]["status"] == "registered"]
        unregistered = [v for v in having if table[v][name]["status"] == "unregistered"]
        tool = {"versions": registered, "params": {}}
        if unregistered:
            tool["unregistered_in"] = unregistered
        if registered:
            newest = table[registered[-1]][name]["deployments"]
            tool["deployments"] = newest
            others = {v: table[v][name]["deployments"] for v in registered if table[v][name]["deployments"] != newest}
            if others:
                tool["deployments_by_version"] = others
        for param in sorted({p for v in having for p in table[v][name]["params"]}):
            param_versions = [v for v in having if param in table[v][name]["params"]]
            base = table[param_versions[-1]][name]["params"][param]
            entry = dict(base, **{"in": param_versions})
            differences = {}
            for v in param_versions[:-1]:
                mine, theirs = normalized(table[v][name]["params"][param]), normalized(base)
                changed = {k: mine[k] for k in ATTRIBUTES if mine[k] != theirs[k]}
                if mine["required"]:
                    changed.pop("default", None)
                if changed:
                    differences[v] = changed
            if differences:
                entry["by_version"] = differences
            tool["params"][param] = entry
        tools[name] = tool
    summary = {v: {"registered": {d: sum(d in o.get("deployments", ()) for o in table[v].values())
                                  for d in DEPLOYMENTS},
                   "unregistered": sum(o["status"] == "unregistered" for o in table[v].values())} for v in versions}
    return {"generated_by": GENERATED_BY, "versions": summary, "tools": tools}


def explode(doc):
    table = {v: {} for v in doc.get("versions", {})}
    for name, tool in doc.get("tools", {}).items():
        for status, versions in (("registered", tool.get("versions", [])),
                                 ("unregistered", tool.get("unregistered_in", []))):
            for v in versions:
                observation = {"status": status, "params": {}}
                if status == "registered":
                    observation["deployments"] = tool.get("deployments_by_version", {}).get(v, tool["deployments"])
                for param, entry in tool["params"].items():
                    if v not in entry["in"]:
                        continue
                    attributes = normalized(entry)
                    attributes.update(entry.get("by_version", {}).get(v, {}))
                    types = set(attributes["type"].split("|")) | ({"null"} if attributes["nullable"] else set())
                    observation["params"][param] = param_entry(param, types, attributes["enum"], attributes["default"],
                                                               attributes["required"])
                table.setdefault(v, {})[name] = observation
    return table


def differences(before, after):
    """Readable lines: what changed per version, tool and parameter."""
    lines = []
    for version in sorted(set(before) | set(after), key=version_key):
        old, new = before.get(version), after.get(version)
        if old is None or new is None:
            lines.append(f"{version}: {'not in the committed file' if old is None else 'not regenerated'}")
            continue
        for tool in sorted(set(old) | set(new)):
            if tool not in old or tool not in new:
                lines.append(f"{version} {tool}: {'added' if tool not in old else 'gone'}")
                continue
            for key in ("status", "deployments"):
                if old[tool].get(key) != new[tool].get(key):
                    lines.append(f"{version} {tool} {key}: {old[tool].get(key)} -> {new[tool].get(key)}")
            for param in sorted(set(old[tool]["params"]) | set(new[tool]["params"])):
                a, b = old[tool]["params"].get(param), new[tool]["params"].get(param)
                if a is None or b is None:
                    lines.append(f"{version} {tool}.{param}: {'added' if a is None else 'gone'}")
                elif a != b:
                    a, b = normalized(a), normalized(b)
                    changed = ", ".join(f"{k} {json.dumps(a[k])} -> {json.dumps(b[k])}"
                                        for k in ATTRIBUTES if a[k] != b[k])
                    lines.append(f"{version} {tool}.{param}: {changed}")
    return lines


def render(doc):
    return json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--python-server", help="an installed quilt-mcp executable")
    parser.add_argument("--python-version", help="its package version, when the python beside it cannot tell")
    parser.add_argument("--upstream-repo", help="a git clone of quiltdata/quilt-mcp-server")
    parser.add_argument("--tags", default=DEFAULT_TAGS, help=f"upstream tags to read (default {DEFAULT_TAGS})")
    parser.add_argument("--output", default=OUTPUT)
    parser.add_argument("--check", action="store_true", help="compare with the committed file instead of writing it")
    args = parser.parse_args()

    committed, text = {}, None
    if os.path.exists(args.output):
        with open(args.output) as f:
            text = f.read()
        committed = explode(json.loads(text))
        if args.check and render(implode(committed)) != text:
            print(f"{args.output} is not as surface.py writes it (edited by hand?); regenerate it", file=sys.stderr)
            return 1

    fresh = {}
    if args.upstream_repo:
        fresh.update(upstream_observations(args.upstream_repo, [t for t in args.tags.split(",") if t]))
    if args.python_server:
        fresh.update(live_observations(args.python_server, args.python_version or live_version(args.python_server)))
    if not fresh:
        print("no source given (--python-server, --upstream-repo): nothing to regenerate"
              + (f"; {args.output} is well-formed" if args.check and text is not None else ""), file=sys.stderr)
        return 0 if args.check and text is not None else 2

    if args.check:
        old = {v: committed[v] for v in fresh if v in committed}
        before, after = render(implode(old)), render(implode(fresh))
        if before == after:
            tools = {name for v in fresh.values() for name in v}
            print(f"python-server surface: {', '.join(sorted(fresh, key=version_key))} match {args.output}")
            print(f"python-server-surface: {len(tools)} passed, 0 failed")  # one check per tool (.ci/run counts them)
            return 0
        print(f"python-server surface differs from {args.output} (regenerate with surface.py, then review):")
        print("".join(f"  {line}\n" for line in differences(old, fresh)), end="")
        sys.stdout.writelines(difflib.unified_diff(before.splitlines(True), after.splitlines(True),
                                                   f"committed ({', '.join(sorted(fresh, key=version_key))})",
                                                   "regenerated"))
        return 1

    kept = sorted(set(committed) - set(fresh), key=version_key)
    if kept:
        print(f"kept from {args.output}: {', '.join(kept)}", file=sys.stderr)
    text = render(implode(dict(committed, **fresh)))
    with open(args.output, "w") as f:
        f.write(text)
    print(f"wrote {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
