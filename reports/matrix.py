"""The results matrix: every rule against every implementation, on one page.

    python -m reconnection_conformance.reports.matrix RESULTS.json [RESULTS.json ...] --out reports/matrix

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

from reconnection_conformance.features import requirements
from reconnection_conformance.features.requirements import Requirement
from reconnection_conformance.reports.results import Result, load, rule_outcome

COLOURS = {"passed": "#c8e6c9", "failed": "#ffcdd2", "not applicable": "#eeeeee", "not run": "#ffffff"}
SYMBOLS = {"passed": "✓", "failed": "✗", "not applicable": "–", "not run": ""}


def build(results: list[Result]) -> tuple[list[str], dict[tuple[str, str], list[Result]]]:
    adapters = sorted({r.adapter for r in results}, key=lambda a: ("mutant" in a, a))
    cells: dict[tuple[str, str], list[Result]] = defaultdict(list)
    for result in results:
        for rid in result.requirements:
            cells[(rid, result.adapter)].append(result)
    return adapters, cells


def _tables(results: list[Result]) -> list[tuple[str, list[str], list[Requirement]]]:
    """One table per vendor: its requirements (in section order) x the adapters that ran them."""
    registry = requirements.load()
    adapters, cells = build(results)
    tables = []
    for vendor, title in registry.vendors.items():
        ran = [a for a in adapters if any(r.adapter == a and r.vendor == vendor for r in results)]
        if not ran:
            continue
        sections = list(registry.sections)
        rules = sorted((r for r in registry.requirements.values() if r.vendor == vendor), key=lambda r: sections.index(r.section))
        tables.append((title, ran, rules))
    return tables


def to_markdown(results: list[Result]) -> str:
    _, cells = build(results)
    lines = ["# Results matrix", ""]
    for title, adapters, rules in _tables(results):
        lines += [f"## {title}", "", "| requirement | " + " | ".join(adapters) + " |", "|---|" + "---|" * len(adapters)]
        for req in rules:
            row = [SYMBOLS[rule_outcome(cells.get((req.id, a), []))] or " " for a in adapters]
            lines.append(f"| `{req.id}` | " + " | ".join(row) + " |")
        lines.append("")
    lines += ["✓ passed, ✗ failed, – not applicable, blank: not run.", ""]
    lines += ["## Implementations", "", "| implementation | language, runtime; SDK version |", "|---|---|"]
    lines += [f"| {name} | {what or 'not recorded'} |" for name, what in _implementations(results).items()]
    return "\n".join(lines) + "\n"


def _implementations(results: list[Result]) -> dict[str, str]:
    """Each adapter's language, runtime and SDK version, as its results recorded them."""
    found: dict[str, str] = {}
    for result in results:
        found[result.adapter] = found.get(result.adapter) or result.implementation
    return dict(sorted(found.items(), key=lambda item: ("mutant" in item[0], item[0])))


def to_html(results: list[Result]) -> str:
    _, cells = build(results)
    parts = []
    total_rules = 0
    for title, adapters, rules in _tables(results):
        total_rules += len(rules)
        kinds = _implementations(results)
        head = "".join(f'<th class="rot" title="{escape(kinds.get(a, ""))}"><div>{escape(a)}</div></th>' for a in adapters)
        rows, section = [], None
        for req in rules:
            if req.section != section:
                section = req.section
                rows.append(f'<tr class="sec"><td colspan="{len(adapters) + 1}">{escape(req.section_title)} ({escape(req.spec_file)})</td></tr>')
            tds = []
            for adapter in adapters:
                outcome = rule_outcome(cells.get((req.id, adapter), []))
                failing = [r for r in cells.get((req.id, adapter), []) if r.failed]
                tip = "\n".join(f"{r.scenario}: {r.message.splitlines()[0] if r.message else r.verdict}" for r in failing) or outcome
                tds.append(f'<td style="background:{COLOURS[outcome]}" title="{escape(tip)}">{SYMBOLS[outcome]}</td>')
            rows.append(f'<tr><th title="{escape(req.statement)}"><code>{escape(req.id)}</code></th>{"".join(tds)}</tr>')
        parts.append(f'<h2>{escape(title)}</h2><table><tr><th></th>{head}</tr>{"".join(rows)}</table>')
    return f"""<!doctype html><html><head><meta charset="utf-8"><title>Results matrix</title>
<style>body{{font:13px Helvetica,Arial,sans-serif}} table{{border-collapse:collapse;margin-bottom:24px}}
td,th{{border:1px solid #ddd;padding:2px 5px;text-align:center}} th{{text-align:left;font-weight:normal;white-space:nowrap}}
tr.sec td{{background:#263238;color:#fff;text-align:left;font-weight:bold}}
th.rot{{height:210px;vertical-align:bottom}} th.rot div{{transform:rotate(-60deg);width:18px}}</style>
</head><body><h1>Results matrix: rule × implementation</h1>
<p>{len({r.adapter for r in results})} implementations, {total_rules} rules. ✓ passed, ✗ failed, – not applicable;
hover a cell for the failing scenarios and their verdicts, a rule for its statement.</p>
{"".join(parts)}<h2>Implementations</h2><table><tr><th>implementation</th><th>language, runtime; SDK version</th></tr>
{"".join(f"<tr><th>{escape(n)}</th><td>{escape(w or 'not recorded')}</td></tr>" for n, w in _implementations(results).items())}</table></body></html>
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m reconnection_conformance.reports.matrix", description=__doc__.split("\n\n")[0])
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
