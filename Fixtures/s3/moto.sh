#!/usr/bin/env bash
# Starts moto_server (moto[server] from PyPI) on 127.0.0.1 on a free port, waits until it answers, and prints
# `PORT PID`. Stop it with `kill PID`. Used by record.sh, the live tier in .ci/run and the s3-browse benchmark.
set -euo pipefail
python3 -m pip install --quiet --disable-pip-version-check 'moto[server]==5.2.1' >&2
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
log=${MOTO_LOG:-/dev/null}
# Unblock SIGTERM/SIGINT first: a parent may have them blocked (threaded spawners do), and `kill PID` must work.
python3 -c 'import signal, sys; signal.pthread_sigmask(signal.SIG_SETMASK, []); from moto.server import main; main(sys.argv[1:])' \
    -H 127.0.0.1 -p "$port" >"$log" 2>&1 &
pid=$!
for _ in $(seq 1 100); do
    if python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port/moto-api/')" 2>/dev/null; then
        echo "$port $pid"
        exit 0
    fi
    sleep 0.1
done
kill "$pid" 2>/dev/null || true
echo "moto_server did not start on port $port" >&2
exit 1
