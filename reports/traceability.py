"""The traceability matrix: requirement -> scenarios -> mutants that prove them -> last verdict.

Built from the requirement registry (``features/requirements.toml``), a run's results and the
built-in mutants. ``python -m reconnection_conformance.reports.mutation_matrix`` writes it after a reference + mutants
run; ``make report`` writes the reference-only version (no mutant column filled by results).
"""

from __future__ import annotations

from collections import defaultdict

from reconnection_conformance.adapters.mutant import Mutant
from reconnection_conformance.features import requirements
from reconnection_conformance.reports.results import Result


def to_markdown(results: list[Result], mutants: list[Mutant]) -> str:
    registry = requirements.load()
    scenarios: dict[str, dict[str, str]] = defaultdict(dict)  # rid -> scenario -> title
    reference: dict[str, list[str]] = defaultdict(list)  # rid -> reference verdicts
    proving: dict[str, set[str]] = defaultdict(set)  # rid -> mutants its scenarios rejected
    by_name = {m.adapter.manifest.name: m for m in mutants}
    for r in results:
        for rid in r.requirements:
            scenarios[rid][r.scenario] = r.title.split(": ", 1)[-1] or r.scenario
            if r.adapter.endswith("-reference"):
                reference[rid].append(r.verdict)
            elif r.verdict == "non-conformant" and r.adapter in by_name:
                proving[rid].add(by_name[r.adapter].name)
    lines = [
        "# Traceability matrix", "",
        "Requirement (registry id, spec file and section, paraphrase) -> the scenarios citing it ->",
        "the mutants those scenarios rejected -> the reference's last verdicts.", "",
        "| requirement | kind | spec | statement | scenarios | mutants rejected | reference |",
        "|---|---|---|---|---|---|---|",
    ]
    for rid, req in registry.requirements.items():
        titles = sorted(set(scenarios[rid].values()))
        verdicts = [v for v in reference[rid] if v != "not applicable"] or reference[rid]  # one reading's NA
        last = "not run" if not verdicts else ("conformant" if all(v == "conformant" for v in verdicts) else ", ".join(sorted(set(verdicts))))
        lines.append(
            f"| `{rid}` | {req.kind} | {req.spec_file}, {req.section_title} | {req.statement} | "
            + ("<br>".join(titles) or "**none**") + " | "
            + (", ".join(sorted(proving[rid])) or "**none**") + f" | {last} |"
        )
    return "\n".join(lines) + "\n"
