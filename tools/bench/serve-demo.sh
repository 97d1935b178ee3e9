# Sourced by the HTTP benchmarks: builds spro in release, makes the demo's national directory in the work
# directory if it holds none yet, serves it on 127.0.0.1:18080 until the script exits (its log in
# <work>/serve.log), waits until ready.
# Expects: scale, scratch, work (set by the caller), and the repository root as the current directory.
tools/setup --bench
build_log="$(mktemp)"
swift build -c release --product spro --scratch-path "$scratch" >"$build_log" 2>&1 || { cat "$build_log" >&2; exit 1; }
spro="$scratch/release/spro"
[ -f "$work/national.sqlite" ] || "$spro" demo --once --ephemeral-ports --scale "$scale" --work "$work" >/dev/null
# A server left by an interrupted run would answer instead of this one.
if curl -s -o /dev/null http://127.0.0.1:18080/healthz; then
  echo "$(basename "$0"): port 18080 is taken (a server left running?)" >&2
  exit 1
fi
"$spro" national serve --work "$work" --port 18080 >"$work/serve.log" 2>&1 &
server=$!
trap 'kill $server' EXIT
# Loading ~80,000 places and computing coverage takes about 20 s; wait up to 2 minutes.
for _ in $(seq 1 600); do curl -sf -o /dev/null http://127.0.0.1:18080/readyz && break; sleep 0.2; done
curl -sf -o /dev/null http://127.0.0.1:18080/readyz || { echo "$(basename "$0"): the server did not start" >&2; exit 1; }
