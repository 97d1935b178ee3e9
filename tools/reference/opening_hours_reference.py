#!/usr/bin/env python3
"""Evaluates opening_hours strings with opening-hours-py (the bindings of opening-hours-rs).

Reads JSON from stdin: [{"oh": "...", "at": "2026-03-09T10:00"}, ...] (naive local times, French
public holidays) and writes one JSON answer per case: {"state": "open|closed|unknown",
"comment": "...", "next": "2026-03-09T12:30" or null} or {"error": "..."} when the string is refused.
The opening-hours tests run it to compare spro's evaluator with the reference.
"""
import datetime
import json
import sys

import opening_hours

out = []
for case in json.load(sys.stdin):
    try:
        oh = opening_hours.OpeningHours(case["oh"], country="FR")
    except Exception as e:  # the reference refuses the string
        out.append({"error": str(e)})
        continue
    at = datetime.datetime.fromisoformat(case["at"])
    state, comment = oh.state(at)
    nxt = oh.next_change(at)
    out.append({"state": str(state).split(".")[-1].lower(), "comment": comment or "",
                "next": nxt.strftime("%Y-%m-%dT%H:%M") if nxt else None})
json.dump(out, sys.stdout)
