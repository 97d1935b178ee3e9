#!/usr/bin/env bash
# Fuzzes a region node's admin API against its document, docs/node-admin-api.yaml, with schemathesis
# (every check: statuses, bodies and headers as documented, no 5xx, valid data accepted and invalid data
# refused, authentication enforced, 405 with Allow for undocumented methods): once with an admin token, once
# with a structure editor's. Starts a demo node (Bretagne, the deterministic sample data) on loopback in a
# scratch directory, prints the cases run and the failures per token, and exits 1 if there is any failure.
# Usage: tools/bench/schemathesis.sh [--max-examples N] [--seed S] [--port P] [--keep]
#   --max-examples: cases per operation and token (default 50: about 3,000 cases in all)
#   --keep: keep the scratch directory (the node's database and log, schemathesis' reports)
# Run from anywhere; builds spro (debug: this checks behaviour, not speed) with SwiftPM.
set -euo pipefail
cd "$(dirname "$0")/../.."
max_examples=50 seed=2014 port=18153 keep=0
while [ $# -gt 0 ]; do
  case "$1" in
    --max-examples) max_examples="$2"; shift 2 ;;
    --seed) seed="$2"; shift 2 ;;
    --port) port="$2"; shift 2 ;;
    --keep) keep=1; shift ;;
    *) echo "schemathesis.sh: unknown option $1 (expected --max-examples N, --seed S, --port P, --keep)" >&2; exit 64 ;;
  esac
done
command -v schemathesis >/dev/null 2>&1 || tools/setup --tests
command -v curl >/dev/null 2>&1 || tools/setup --bench

build_log="$(mktemp)"
swift build --product spro >"$build_log" 2>&1 || { cat "$build_log" >&2; exit 1; }
spro="$(swift build --show-bin-path)/spro"
work="$(mktemp -d -t spro-schemathesis.XXXXXX)"
server=""
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
  if [ "$keep" = 1 ]; then echo "kept: $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT
if curl -s -o /dev/null "http://127.0.0.1:$port/healthz"; then
  echo "schemathesis.sh: port $port is taken (a node left running?); choose another with --port" >&2
  exit 1
fi

# A demo node: Bretagne's sample records, its own key and registry, an admin token and the token of the
# editor of the node's first structure.
"$spro" sample --out "$work/sample" >/dev/null
cp -R Regions "$work/registry"
"$spro" keys generate --region 53 --out "$work/keys/53.key" --registry "$work/registry" >/dev/null
structure="$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["structures"][0]["id"])' "$work/sample/53.json")"
admin_token="$("$spro" node token --region 53 --work "$work" --name schemathesis-equipe 2>/dev/null)"
editor_token="$("$spro" node token --region 53 --work "$work" --name schemathesis-editeur --role editor --structure "$structure" 2>/dev/null)"
"$spro" node serve --region 53 --work "$work" --port "$port" >"$work/node.log" 2>&1 &
server=$!
for _ in $(seq 1 300); do curl -sf -o /dev/null "http://127.0.0.1:$port/healthz" && break; sleep 0.2; done
curl -sf -o /dev/null "http://127.0.0.1:$port/healthz" || { cat "$work/node.log" >&2; echo "schemathesis.sh: the node did not start" >&2; exit 1; }

# One run per token. Each prints its summary; the JUnit report gives the counts.
status=0
summary=""
for who in admin editor; do
  token="$admin_token"; [ "$who" = editor ] && token="$editor_token"
  report="$work/report-$who"
  set +e
  schemathesis --config-file tools/bench/schemathesis.toml run docs/node-admin-api.yaml \
    --url "http://127.0.0.1:$port" --checks all --header "Authorization: Bearer $token" \
    --max-examples "$max_examples" --seed "$seed" --workers 2 --generation-database none \
    --report junit,ndjson --report-dir "$report" >"$work/schemathesis-$who.log" 2>&1
  rc=$?
  set -e
  tail -n 60 "$work/schemathesis-$who.log"
  counts="$(python3 - "$report" <<'EOF'
import glob, json, sys, xml.etree.ElementTree as ET
directory = sys.argv[1]
cases = 0
for path in glob.glob(directory + "/*.ndjson"):
    for line in open(path, encoding="utf-8"):
        event = json.loads(line)
        if "ScenarioFinished" in event:
            cases += len(event["ScenarioFinished"].get("recorder", {}).get("interactions", {}))
operations = failures = errors = 0
for path in glob.glob(directory + "/*.xml"):
    root = ET.parse(path).getroot()
    for suite in ([root] if root.tag == "testsuite" else root.findall("testsuite")):
        operations += int(suite.get("tests", 0))
        failures += int(suite.get("failures", 0))
        errors += int(suite.get("errors", 0))
print(cases, operations, failures, errors)
EOF
)"
  read -r cases operations failures errors <<<"$counts"
  summary+="$(printf '%-7s %6s %11s %9s %7s %4s' "$who" "$cases" "$operations" "$failures" "$errors" "$rc")"$'\n'
  if [ "$rc" -ne 0 ] || [ "$failures" -ne 0 ] || [ "$errors" -ne 0 ]; then status=1; fi
done
if grep -q "Fatal\|panic" "$work/node.log"; then
  echo "schemathesis.sh: the node logged a crash:" >&2
  grep -n "Fatal\|panic" "$work/node.log" >&2
  status=1
fi
echo
echo "token   cases  operations  failures  errors  exit"
printf '%s' "$summary"
exit "$status"
