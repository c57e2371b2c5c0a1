#!/usr/bin/env bash
# The whole Swift suite on an optimised build: what only the optimiser does (a Platform upload loop once trapped
# only in release) is invisible to the debug `swift test`. The tests launch the release executables.
#
#   scripts/release-tests.sh [swift test arguments, e.g. --filter Conformance]
#
# Not part of .ci/run: its from-scratch release build does not fit CI's 45-minute budget beside the rest
# (docs/design/ci-budget.md). Run it before a release and after changing a hot path or anything unsafe.
set -euo pipefail
cd "$(dirname "$0")/.."
exec swift test -c release -Xswiftc -enable-testing --scratch-path .build-release-tests "$@"
