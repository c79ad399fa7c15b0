"""The conformance summary: per adapter and per rule, passed / failed / not applicable.

    python -m reconnection_conformance.reports.summary reports/results.json --out reports/summary

writes ``summary.json`` and ``summary.md`` (fit for a CI job summary, e.g. appended to
``$GITHUB_STEP_SUMMARY``), naming the failing scenarios with their one-line verdicts.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from reconnection_conformance.features import requirements
from reconnection_conformance.reports.results import Result, load, rule_outcome


def summarise(results: list[Result]) -> dict[str, Any]:
    registry = requirements.load()
    adapters: dict[str, Any] = {}
    for adapter in sorted({r.adapter for r in results}):
        mine = [r for r in results if r.adapter == adapter]
        by_rule: dict[str, list[Result]] = defaultdict(list)
        for result in mine:
            for rid in result.requirements:
                by_rule[rid].append(result)
        rules = {}
        for rid in sorted(by_rule):
            req = registry.requirements[rid]
            rules[rid] = {
                "outcome": rule_outcome(by_rule[rid]),
                "kind": req.kind,  # spec, reading (a declared interpretation) or informative
                "statement": req.statement,
                "spec": f"{req.spec_file}, {req.section_title}",
                "failing": [
                    {"scenario": r.scenario, "verdict": r.verdict, "message": r.message.splitlines()[0] if r.message else ""}
                    for r in by_rule[rid] if r.failed
                ],
            }
        adapters[adapter] = {
            "vendor": mine[0].vendor,
            "scenarios": dict(Counter(r.verdict for r in mine)),
            "rules": dict(Counter(v["outcome"] for v in rules.values())),
            "by_rule": rules,
        }
    return {"adapters": adapters}


def to_markdown(summary: dict[str, Any]) -> str:
    lines = ["# Conformance summary", ""]
    lines += ["| adapter | rules passed | rules failed | not applicable | scenarios |", "|---|---|---|---|---|"]
    for name, a in summary["adapters"].items():
        scen = ", ".join(f"{n} {v}" for v, n in sorted(a["scenarios"].items()))
        lines.append(f"| {name} | {a['rules'].get('passed', 0)} | {a['rules'].get('failed', 0)} | {a['rules'].get('not applicable', 0)} | {scen} |")
    for name, a in summary["adapters"].items():
        failed = {rid: r for rid, r in a["by_rule"].items() if r["outcome"] == "failed"}
        lines += ["", f"## {name}", ""]
        lines += ["| rule | kind | outcome | statement |", "|---|---|---|---|"]
        for rid, r in a["by_rule"].items():
            mark = {"passed": "✅ passed", "failed": "❌ failed", "not applicable": "➖ not applicable"}.get(r["outcome"], r["outcome"])
            lines.append(f"| `{rid}` | {r['kind']} | {mark} | {r['statement']} ({r['spec']}) |")
        for rid, r in failed.items():
            lines += ["", f"**{rid}** ({r['kind']}) failing scenarios:"]
            lines += [f"- `{f['scenario']}` ({f['verdict']}): {f['message']}" for f in r["failing"]]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m reconnection_conformance.reports.summary", description=__doc__.split("\n\n")[0])
    parser.add_argument("results", help="results JSON written by pytest --results-json")
    parser.add_argument("--out", default="reports/summary", help="directory for summary.json and summary.md")
    args = parser.parse_args(argv)
    summary = summarise(load(args.results))
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "summary.json").write_text(json.dumps(summary, indent=1), encoding="utf-8")
    (out / "summary.md").write_text(to_markdown(summary), encoding="utf-8")
    print(f"summary: {out / 'summary.md'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
