#!/usr/bin/env python3
"""Checks the project's SDL against the catalog's published schemas: for every variant in variants.json, every type,
field, argument, default, union member and enum value the variant's files declare must exist identically in the
schema it stands for. Run it where the reference schemas are (they are not part of this repository):

    python3 -m pip install graphql-core
    python3 Mocks/FakeCatalog/Schema/check_against_reference.py ../shared/reference/catalog-graphql
"""
import json
import os
import sys

from graphql import GraphQLEnumType, GraphQLInputObjectType, GraphQLObjectType, GraphQLUnionType, build_schema

ref = sys.argv[1]
here = os.path.dirname(os.path.abspath(__file__))
read = lambda n: open(os.path.join(here, n)).read()
manifest = json.loads(read("variants.json"))["variants"]
variants = {name: (build_schema("\n".join(read(f + ".graphql") for f in v["files"])),
                   build_schema(open(os.path.join(ref, v["reference"])).read()))
            for name, v in manifest.items()}
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
print(f"sdl-vs-reference: {len(variants)} variants, {len(problems)} differences")
sys.exit(1 if problems else 0)
