#!/usr/bin/env python3
"""Prints the (mangled) names of the functions a callgrind profile saw executing in one object, one per line,
sorted: `callgrind_functions.py callgrind.out OBJECT_SUFFIX`. Run valgrind with --demangle=no.

callgrind compresses names: `fn=(12) name` defines id 12, later `fn=(12)` refers to it; `ob=`/`cob=` name the
object of the current function and of the next callee (`cob=` may be left out when it is the current object)."""
import re
import sys


def functions(path, suffix):
    objects, names, found = {}, {}, set()
    current = callee_object = None
    for line in open(path, errors="replace"):
        m = re.match(r"(c?ob)=\((\d+)\)(?: (.*))?", line)
        if m:
            if m.group(3):
                objects[m.group(2)] = m.group(3).strip()
            if m.group(1) == "ob":
                current = callee_object = objects[m.group(2)]
            else:
                callee_object = objects[m.group(2)]
            continue
        m = re.match(r"(c?fn)=\((\d+)\)(?: (.*))?", line)
        if not m:
            continue
        if m.group(3):
            names[m.group(2)] = m.group(3).strip()
        obj = current if m.group(1) == "fn" else callee_object
        if obj and obj.endswith(suffix):
            found.add(names[m.group(2)])
        if m.group(1) == "cfn":
            callee_object = current
    return sorted(n for n in found if not n.startswith("0x"))


if __name__ == "__main__":
    print("\n".join(functions(sys.argv[1], sys.argv[2])))
