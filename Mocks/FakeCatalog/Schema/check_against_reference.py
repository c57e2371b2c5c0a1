#!/usr/bin/env python3
"""Checks the project's SDL subset against the catalog's real schemas: every type, field, argument, default, union
member and enum value here must exist identically there (HEAD for 2026-08 and `none`, 2026-06 for 2025-08).

    python3 -m pip install graphql-core
    python3 Mocks/FakeCatalog/Schema/check_against_reference.py ../shared/reference/catalog-graphql
"""
import os
import sys

from graphql import GraphQLEnumType, GraphQLInputObjectType, GraphQLObjectType, GraphQLUnionType, build_schema

ref = sys.argv[1]
here = os.path.dirname(os.path.abspath(__file__))
read = lambda n: open(os.path.join(here, n)).read()
head = build_schema(open(os.path.join(ref, "schema.HEAD.0ce2dfb39.graphql")).read())
old = build_schema(open(os.path.join(ref, "schema.2026-06-10.bb1b520c0.graphql")).read())
core, common = read("schema.graphql"), read("search.common.graphql")
variants = {"2026-08": (build_schema(core + common + read("search.2026-08.graphql")), head),
            "2025-08": (build_schema(core + common + read("search.2025-08.graphql")), old),
            "none": (build_schema(core), head)}
problems = []
for name, (mine, real) in variants.items():
    for tname, t in mine.type_map.items():
        if tname.startswith("__"):
            continue
        r = real.type_map.get(tname)
        if r is None or type(r) is not type(t):
            problems.append(f"{name}: type {tname} is not in the real schema (or is another kind)")
            continue
        if isinstance(t, (GraphQLObjectType, GraphQLInputObjectType)):
            for f, fd in t.fields.items():
                rf = r.fields.get(f)
                if rf is None or str(fd.type) != str(rf.type):
                    problems.append(f"{name}: {tname}.{f} differs")
                    continue
                if isinstance(t, GraphQLObjectType):
                    for a, ad in fd.args.items():
                        ra = rf.args.get(a)
                        if ra is None or str(ra.type) != str(ad.type) or ra.default_value != ad.default_value:
                            problems.append(f"{name}: {tname}.{f}({a}:) differs")
                elif fd.default_value != rf.default_value:
                    problems.append(f"{name}: default of {tname}.{f} differs")
        if isinstance(t, GraphQLUnionType) and sorted(x.name for x in t.types) != sorted(x.name for x in r.types):
            problems.append(f"{name}: union {tname} differs")
        if isinstance(t, GraphQLEnumType) and sorted(t.values) != sorted(r.values):
            problems.append(f"{name}: enum {tname} differs")
print("\n".join(problems))
print(f"sdl-vs-reference: {0 if problems else 1} passed, {1 if problems else 0} failed")
sys.exit(1 if problems else 0)
