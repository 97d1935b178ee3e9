#!/usr/bin/env bash
# HTTP load test of the national search API with wrk (Debian package) on loopback.
# Usage: tools/bench/wrk-nearest.sh [--scale N] [--duration 10s] [--connections 8] [--threads 2]
#                                   [--scratch-path DIR] [--page] [work-dir]
#   Runs `spro demo --once --scale N` into work-dir first if it holds no national.sqlite yet
#   (default work-dir: /tmp/spro-wrk for scale 1, /tmp/spro-wrk-xN otherwise; scale 10 is ~80,000 places).
#   --scratch-path builds and runs the release binary there (swift build --scratch-path), default .build.
#   --connections and --threads are wrk's -c and -t (default -t2 -c32).
#   --page loads the public search page rendered on the server (/?lat=…&lon=…) instead of the JSON API.
set -euo pipefail
cd "$(dirname "$0")/../.."
scale=1
duration=10s
connections=32
threads=2
scratch=.build
path='/api/v1/places/nearest?lat=%.4f&lon=%.4f&limit=10'
while [ $# -gt 0 ]; do
  case "$1" in
    --scale) scale="$2"; shift 2 ;;
    --duration) duration="$2"; shift 2 ;;
    --connections) connections="$2"; shift 2 ;;
    --threads) threads="$2"; shift 2 ;;
    --scratch-path) scratch="$2"; shift 2 ;;
    --page) path='/?lat=%.4f&lon=%.4f'; shift ;;
    *) break ;;
  esac
done
work="${1:-/tmp/spro-wrk$([ "$scale" = 1 ] || echo "-x$scale")}"
. tools/bench/serve-demo.sh
cat > /tmp/spro-wrk.lua <<LUA
local points = { {48.39,-4.49}, {47.99,-4.10}, {48.86,2.35}, {45.76,4.84}, {43.30,5.37}, {44.84,-0.58}, {50.63,3.06}, {43.60,1.44} }
local i = 0
request = function()
  i = i + 1
  local p = points[(i % #points) + 1]
  return wrk.format("GET", string.format("$path", p[1], p[2]))
end
LUA
echo "wrk-nearest: scale $scale, work $work, $path, wrk -t$threads -c$connections -d$duration" >&2
wrk -t"$threads" -c"$connections" -d"$duration" --latency -s /tmp/spro-wrk.lua http://127.0.0.1:18080
