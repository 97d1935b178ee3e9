#!/usr/bin/env bash
# HTTP load test of the read API's lists (/api/v1/places, /api/v1/structures) with wrk on loopback: each
# request one of a few typical queries (a Région, a département and a service, a zone d'emploi, a name,
# the first page of all), 100 records a page.
# Usage: tools/bench/wrk-list.sh [--scale N] [--duration 10s] [--connections 32] [--threads 2]
#                                [--scratch-path DIR] [work-dir]
#   Same work directories and build as wrk-nearest.sh (default /tmp/spro-wrk, /tmp/spro-wrk-xN).
set -euo pipefail
cd "$(dirname "$0")/../.."
scale=1
duration=10s
connections=32
threads=2
scratch=.build
while [ $# -gt 0 ]; do
  case "$1" in
    --scale) scale="$2"; shift 2 ;;
    --duration) duration="$2"; shift 2 ;;
    --connections) connections="$2"; shift 2 ;;
    --threads) threads="$2"; shift 2 ;;
    --scratch-path) scratch="$2"; shift 2 ;;
    *) break ;;
  esac
done
work="${1:-/tmp/spro-wrk$([ "$scale" = 1 ] || echo "-x$scale")}"
. tools/bench/serve-demo.sh
cat > /tmp/spro-wrk-list.lua <<'LUA'
local paths = {
  "/api/v1/places",
  "/api/v1/places?region=53",
  "/api/v1/places?departement=29&service=cep_niveau_1",
  "/api/v1/places?zone_emploi=5315",
  "/api/v1/places?q=mission%20locale",
  "/api/v1/places?region=84&network=cio&updated_since=2026-01-01",
  "/api/v1/structures?region=11",
  "/api/v1/structures?network=mission_locale",
}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1])
end
LUA
echo "wrk-list: scale $scale, work $work, wrk -t$threads -c$connections -d$duration" >&2
for p in "/api/v1/places" "/api/v1/places?region=53" "/api/v1/structures?region=11"; do
  echo "  $p: $(curl -s "http://127.0.0.1:18080$p" | head -c 2000000 | wc -c) bytes" >&2
done
wrk -t"$threads" -c"$connections" -d"$duration" --latency -s /tmp/spro-wrk-list.lua http://127.0.0.1:18080
