#!/usr/bin/env bash
# The national server keeps answering while thousands of clients hold idle connections (issue 12):
# opens N idle sockets to it, then times probes (/readyz and a nearest query, each on a new connection),
# and counts the idle sockets the server has closed once its idle timeout (15 s) has passed.
# Usage: tools/bench/idle-sockets.sh [--sockets 5000] [--scale N] [--scratch-path DIR] [work-dir]
#   work-dir defaults to /tmp/spro-wrk (see wrk-nearest.sh); the demo is run into it if needed.
set -euo pipefail
cd "$(dirname "$0")/../.."
sockets=5000
scale=1
scratch=.build
while [ $# -gt 0 ]; do
  case "$1" in
    --sockets) sockets="$2"; shift 2 ;;
    --scale) scale="$2"; shift 2 ;;
    --scratch-path) scratch="$2"; shift 2 ;;
    *) break ;;
  esac
done
work="${1:-/tmp/spro-wrk$([ "$scale" = 1 ] || echo "-x$scale")}"
. tools/bench/serve-demo.sh
python3 - "$sockets" <<'PY'
import resource, socket, sys, time
wanted = int(sys.argv[1])
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))

def probe(path):
    start = time.perf_counter()
    s = socket.create_connection(("127.0.0.1", 18080), timeout=10)
    s.sendall(f"GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".encode())
    data = b""
    while chunk := s.recv(65536):
        data += chunk
    s.close()
    return (time.perf_counter() - start) * 1000, data.split(b" ", 2)[1].decode() if data else "none"

def table(name, timings):
    ms = sorted(t for t, _ in timings)
    statuses = sorted(set(st for _, st in timings))
    print(f"  {name}: {len(ms)} probes, status {','.join(statuses)}, p50 {ms[len(ms)//2]:.1f} ms, "
          f"p99 {ms[min(len(ms)-1, int(len(ms)*0.99))]:.1f} ms, max {ms[-1]:.1f} ms (target < 50 ms)")

idle = []
start = time.perf_counter()
for _ in range(wanted):
    s = socket.socket()
    s.connect(("127.0.0.1", 18080))
    idle.append(s)
print(f"idle-sockets: {len(idle)} idle connections open in {time.perf_counter() - start:.1f} s")
time.sleep(1)
table("GET /readyz", [probe("/readyz") for _ in range(100)])
table("GET /api/v1/places/nearest", [probe("/api/v1/places/nearest?lat=48.39&lon=-4.49&limit=10") for _ in range(100)])
time.sleep(17)
closed = 0
for s in idle:
    s.setblocking(False)
    try:
        if s.recv(1) == b"":
            closed += 1
    except BlockingIOError:
        pass
    except ConnectionResetError:
        closed += 1
print(f"  after 18 s idle: {closed} of {len(idle)} idle connections closed by the server (idle timeout 15 s)")
PY
