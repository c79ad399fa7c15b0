"""The results matrix: every rule against every implementation, on one page.

    python -m reports.matrix RESULTS.json [RESULTS.json ...] --out reports/matrix

Reads one or more ``--results-json`` files (the reference, the mutants, your own adapter, in
any mix) and writes ``matrix.html`` and ``matrix.md``: a row per requirement, grouped by
vendor and section, a column per implementation, each cell passed / failed / not applicable /
not run, with the failing scenarios' verdicts in the cell's tooltip (HTML).
"""

from __future__ import annotations

import argparse
from collections import defaultdict
from html import escape
from pathlib import Path

from features import requirements
from reports.results import Result, load, rule_outcome

COLOURS = {"passed": "#c8e6c9", "failed": "#ffcdd2", "not applicable": "#eeeeee", "not run": "#ffffff"}
SYMBOLS = {"passed": "✓", "failed": "✗", "not applicable": "–", "not run": ""}


def build(results: list[Result]) -> tuple[list[str], dict[tuple[str, str], list[Result]]]:
    adapters = sorted({r.adapter for r in results}, key=lambda a: ("mutant" in a, a))
    cells: dict[tuple[str, str], list[Result]] = defaultdict(list)
    for result in results:
        for rid in result.requirements:
            cells[(rid, result.adapter)].append(result)
    return adapters, cells


def to_markdown(results: list[Result]) -> str:
    registry = requirements.load()
    adapters, cells = build(results)
    lines = ["# Results matrix", "", "| requirement | " + " | ".join(adapters) + " |", "|---|" + "---|" * len(adapters)]
    for rid, req in registry.requirements.items():
        row = [SYMBOLS[rule_outcome(cells.get((rid, a), []))] for a in adapters]
        if any(row):
            lines.append(f"| `{rid}` | " + " | ".join(row) + " |")
    lines += ["", "✓ passed, ✗ failed, – not applicable, blank: not run (another vendor)."]
    return "\n".join(lines) + "\n"


def to_html(results: list[Result]) -> str:
    registry = requirements.load()
    adapters, cells = build(results)
    head = "".join(f'<th class="rot"><div>{escape(a)}</div></th>' for a in adapters)
    rows = []
    section = None
    for rid, req in registry.requirements.items():
        outcomes = [rule_outcome(cells.get((rid, a), [])) for a in adapters]
        if all(o == "not run" for o in outcomes):
            continue
        if req.section != section:
            section = req.section
            rows.append(f'<tr class="sec"><td colspan="{len(adapters) + 1}">{escape(registry.vendors[req.vendor])}: {escape(req.section_title)}</td></tr>')
        tds = []
        for adapter, outcome in zip(adapters, outcomes):
            failing = [r for r in cells.get((rid, adapter), []) if r.failed]
            tip = "\n".join(f"{r.scenario}: {r.message.splitlines()[0] if r.message else r.verdict}" for r in failing) or outcome
            tds.append(f'<td style="background:{COLOURS[outcome]}" title="{escape(tip)}">{SYMBOLS[outcome]}</td>')
        rows.append(f'<tr><th title="{escape(req.statement)}"><code>{escape(rid)}</code></th>{"".join(tds)}</tr>')
    return f"""<!doctype html><html><head><meta charset="utf-8"><title>Results matrix</title>
<style>body{{font:13px Helvetica,Arial,sans-serif}} table{{border-collapse:collapse}}
td,th{{border:1px solid #ddd;padding:2px 5px;text-align:center}} th{{text-align:left;font-weight:normal}}
tr.sec td{{background:#263238;color:#fff;text-align:left;font-weight:bold}}
th.rot{{height:190px;white-space:nowrap;vertical-align:bottom}} th.rot div{{transform:rotate(-60deg);width:18px}}</style>
</head><body><h1>Results matrix: rule × implementation</h1>
<p>{len(adapters)} implementations, {len({rid for rid, _ in cells})} rules. ✓ passed, ✗ failed, – not applicable;
hover a cell for the failing scenarios, a rule for its statement.</p>
<table><tr><th></th>{head}</tr>{"".join(rows)}</table></body></html>
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m reports.matrix", description=__doc__.split("\n\n")[0])
    parser.add_argument("results", nargs="+", help="results JSON files written by pytest --results-json")
    parser.add_argument("--out", default="reports/matrix", help="directory for matrix.html and matrix.md")
    args = parser.parse_args(argv)
    results = [r for path in args.results for r in load(path)]
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "matrix.html").write_text(to_html(results), encoding="utf-8")
    (out / "matrix.md").write_text(to_markdown(results), encoding="utf-8")
    print(f"matrix: {out / 'matrix.html'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
