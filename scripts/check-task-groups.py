#!/usr/bin/env python3
"""Fails on a nested function declared inside a task group's closure (`withTaskGroup` / `withThrowingTaskGroup` /
`withDiscardingTaskGroup`). The release build has miscompiled that shape twice: a nested function that captured
the group and filled results trapped once ("Index out of range" at a valid index) and once silently dropped a new
revision's entries. Write the loop inline: add the first tasks, then `while let … = await group.next()`.

Usage: python3 scripts/check-task-groups.py   (from the package root; CI's unit tier runs it)
"""
import os
import re
import sys

GROUP = re.compile(r"with(Throwing|Discarding|ThrowingDiscarding)?TaskGroup\(")
NESTED = re.compile(r"^\s+func\s+\w+")


def indent(line):
    return len(line) - len(line.lstrip(" "))


def main():
    problems = []
    for root in ("Sources", "Mocks"):
        for folder, _, files in os.walk(root):
            for name in sorted(f for f in files if f.endswith(".swift")):
                path = os.path.join(folder, name)
                lines = open(path, encoding="utf-8").read().splitlines()
                for i, line in enumerate(lines):
                    if not GROUP.search(line):
                        continue
                    level = indent(line)
                    for j in range(i + 1, len(lines)):
                        inner = lines[j]
                        if inner.strip() and indent(inner) <= level:
                            break  # the closure ended
                        if NESTED.match(inner):
                            problems.append(f"{path}:{j + 1}: a nested function inside the task group opened at line {i + 1}")
    for p in problems:
        print(p)
    print(f"check-task-groups: {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
