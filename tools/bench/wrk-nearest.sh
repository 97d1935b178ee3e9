#!/usr/bin/env bash
# HTTP load test of the national search API with wrk (Debian package) on loopback.
# Usage: tools/bench/wrk-nearest.sh [work-dir]   (runs `spro demo --once` into it first if needed)
set -euo pipefail
cd "$(dirname "$0")/../.."
command -v wrk >/dev/null || { echo "installing wrk" >&2; apt-get install -y -qq wrk >/dev/null; }
work="${1:-/tmp/spro-wrk}"
swift build -c release --product spro >/dev/null
[ -f "$work/national.sqlite" ] || .build/release/spro demo --once --ephemeral-ports --work "$work" >/dev/null
.build/release/spro national serve --work "$work" --port 18080 >/dev/null &
server=$!
trap 'kill $server' EXIT
for _ in $(seq 1 50); do curl -sf -o /dev/null http://127.0.0.1:18080/health && break; sleep 0.2; done
cat > /tmp/spro-wrk.lua <<'LUA'
local points = { {48.39,-4.49}, {47.99,-4.10}, {48.86,2.35}, {45.76,4.84}, {43.30,5.37}, {44.84,-0.58}, {50.63,3.06}, {43.60,1.44} }
local i = 0
request = function()
  i = i + 1
  local p = points[(i % #points) + 1]
  return wrk.format("GET", string.format("/api/v1/places/nearest?lat=%.4f&lon=%.4f&limit=10", p[1], p[2]))
end
LUA
wrk -t2 -c32 -d10s --latency -s /tmp/spro-wrk.lua http://127.0.0.1:18080
