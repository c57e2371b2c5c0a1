"""What the CLI check scripts share: a pass/fail tally that prints `ok`/`FAIL` lines and the closing
`<name>: N passed, M failed` line CI counts, and `quilt-mcp call` with a given environment.

    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    from cli_checks import Checks, caller
"""
import json
import subprocess
import sys


class Checks:
    def __init__(self, name):
        self.name, self.passed, self.failed = name, 0, 0

    def check(self, what, ok, detail=""):
        if ok:
            self.passed += 1
            print(f"ok   {what}")
        else:
            self.failed += 1
            print(f"FAIL {what} {detail}")

    def finish(self):
        """Prints the closing line and exits 1 when anything failed."""
        print(f"{self.name}: {self.passed} passed, {self.failed} failed")
        sys.exit(1 if self.failed else 0)


def caller(quilt_mcp, env, timeout=120):
    """`call(tool, args) -> (exit status, parsed JSON stdout)` for the binary at `quilt_mcp` in `env`."""
    def call(tool, args):
        r = subprocess.run([quilt_mcp, "call", tool, json.dumps(args)], env=env, capture_output=True, text=True, timeout=timeout)
        return r.returncode, json.loads(r.stdout or "null")
    return call
