"""The mutation matrix: every built-in mutant against every scenario, and who rejected whom.

    python -m reconnection_conformance.reports.mutation_matrix                    # runs the suite (-n 2), then reports
    python -m reconnection_conformance.reports.mutation_matrix --results FILE     # reports on an existing run

The suite runs twice: with the default profile, then the requirements of kind "reading" again
with every alternate reading (fixtures/profiles.py, ALTERNATE_READINGS), so both readings of
each ambiguous passage are proven by scenarios and mutants. A scenario that is not applicable
under one reading counts by its verdict under the other. The JavaScript reference and mutants
(adapters/rongcloud/*.mjs, in the Node client host) run with the Python ones.

Prints, per mutant, the rule it breaks and the scenarios of that rule that rejected it (with
the first verdict's message), and writes ``reports/mutants/traceability.md``. Exits 1 if any
mutant survives its rule, if a scenario rejects no mutant at all (it would pass any client), or
if the reference fails anything; 0 otherwise.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import subprocess
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from reconnection_conformance.adapters.contract import Adapter
from reconnection_conformance.adapters.loading import BUILTIN_VENDORS
from reconnection_conformance.adapters.mutant import Mutant
from reconnection_conformance.features import requirements
from reconnection_conformance.fixtures.profiles import ALTERNATE_READINGS
from reconnection_conformance.reports import traceability
from reconnection_conformance.reports.results import NOT_APPLICABLE, PASS, Result, load

ROOT = Path(__file__).resolve().parents[1]


#: The JavaScript reference and mutants, run by the Node client host (adapters/host/node_host.mjs).
JS_REFERENCE = "node:adapters/rongcloud/reference.mjs"
JS_MUTANTS = "node:adapters/rongcloud/mutants.mjs"
JS_REFERENCES = frozenset({"rongcloud-js-reference"})


def builtin_mutants() -> list[Mutant]:
    python = [m for v in BUILTIN_VENDORS for m in importlib.import_module(f"reconnection_conformance.adapters.{v}.mutants").MUTANTS]
    return python + javascript_mutants()


def javascript_mutants() -> list[Mutant]:
    """The JS mutants as the Node host's probe describes them (Python never imports them)."""
    from reconnection_conformance.fixtures.client_host import probe
    from reconnection_conformance.fixtures.isolation import Isolation

    absolute = f"node:{ROOT / JS_MUTANTS.removeprefix('node:')}"
    return [
        Mutant(ref.mutant["name"], ref.mutant["breaks"], ref.mutant["what"], Adapter(manifest=ref.manifest, client=None))  # type: ignore[arg-type]
        for ref in probe([absolute], Isolation.NONE)
        if ref.mutant
    ]


@dataclass(frozen=True)
class MatrixOutcome:
    reference_failures: list[Result]
    rejected_by_rule: dict[str, list[Result]]  # mutant name -> its rule's rejecting scenarios
    survivors: list[Mutant]
    unkilled_scenarios: list[str]  # scenario rows no mutant fails

    @property
    def ok(self) -> bool:
        return not (self.reference_failures or self.survivors or self.unkilled_scenarios)


def decided(results: list[Result]) -> list[Result]:
    """Drop a "not applicable" result where the same adapter has a verdict for the same scenario
    from the other pass (a scenario of one reading is not applicable under the other)."""
    judged = {(r.adapter, r.scenario) for r in results if r.verdict != NOT_APPLICABLE}
    return [r for r in results if r.verdict != NOT_APPLICABLE or (r.adapter, r.scenario) not in judged]


def analyse(results: list[Result], mutants: list[Mutant] | None = None) -> MatrixOutcome:
    mutants = builtin_mutants() if mutants is None else mutants
    results = decided(results)
    references = {f"{v}-reference" for v in BUILTIN_VENDORS} | JS_REFERENCES
    reference_failures = [r for r in results if r.adapter in references and r.verdict != PASS]
    by_adapter: dict[str, list[Result]] = defaultdict(list)
    rejecting: dict[str, set[str]] = defaultdict(set)
    for result in results:
        by_adapter[result.adapter].append(result)
        rejecting[result.scenario]
        if result.adapter not in references and result.verdict == "non-conformant":
            rejecting[result.scenario].add(result.adapter)
    rejected = {
        m.name: [r for r in by_adapter[m.adapter.manifest.name] if r.verdict == "non-conformant" and m.breaks in r.requirements]
        for m in mutants
    }
    survivors = [m for m in mutants if not rejected[m.name]]
    unkilled = sorted(s for s, who in rejecting.items() if not who)
    return MatrixOutcome(reference_failures, rejected, survivors, unkilled)


def run_suite(out: Path, workers: int = 2) -> Path:
    results = out / "results.json"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("CONFORMANCE_ADAPTER", None)
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:randomly", "--adapter", "reference",
               "--adapter", "mutants", "--adapter", JS_REFERENCE, "--adapter", JS_MUTANTS, f"--results-json={results}"]
    if workers > 1:
        command += ["-n", str(workers)]
    subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=3000)
    if not results.exists():
        raise SystemExit(f"error: the suite run wrote no {results}; run the command above by hand to see why")
    alternate = out / "results-alternate-readings.json"
    readings = sorted(rid for rid, r in requirements.load().requirements.items() if r.kind == "reading")
    command = [part for part in command if not part.startswith("--results-json")]
    command += ["-m", " or ".join(readings), f"--results-json={alternate}"]
    command += [f"--profile={reading}" for reading in ALTERNATE_READINGS]
    subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=3000)
    if not alternate.exists():
        raise SystemExit(f"error: the alternate-readings run wrote no {alternate}; run it by hand to see why")
    merged = json.loads(results.read_text(encoding="utf-8")) + json.loads(alternate.read_text(encoding="utf-8"))
    results.write_text(json.dumps(merged, indent=1), encoding="utf-8")
    return results


def render(outcome: MatrixOutcome, mutants: list[Mutant]) -> str:
    lines = [f"{'mutant':45} {'breaks':32} verdict"]
    for m in mutants:
        hits = outcome.rejected_by_rule[m.name]
        verdict = f"rejected by {len(hits)} scenario(s)" if hits else "SURVIVED"
        lines.append(f"{m.adapter.manifest.name:45} {m.breaks:32} {verdict}")
        if hits:
            lines.append(f"    e.g. {hits[0].scenario}: {hits[0].message.splitlines()[0][:150]}")
    for r in outcome.reference_failures:
        lines.append(f"REFERENCE FAILS {r.adapter} {r.scenario}: {r.verdict} {r.message.splitlines()[0] if r.message else ''}")
    for scenario in outcome.unkilled_scenarios:
        lines.append(f"NO MUTANT FAILS {scenario}: it would pass any client")
    lines.append(
        f"mutation matrix: {len(mutants) - len(outcome.survivors)}/{len(mutants)} mutants rejected by their rule,"
        f" {len(outcome.survivors)} survived, {len(outcome.unkilled_scenarios)} scenarios reject none,"
        f" {len(outcome.reference_failures)} reference failures"
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m reconnection_conformance.reports.mutation_matrix", description=__doc__.split("\n\n")[0])
    parser.add_argument("--results", type=Path, help="an existing results JSON of reference + mutants")
    parser.add_argument("--out", type=Path, default=ROOT / "reports" / "mutants")
    parser.add_argument("-n", "--workers", type=int, default=2)
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    path = args.results or run_suite(args.out, args.workers)
    results = load(path)
    mutants = builtin_mutants()
    outcome = analyse(results, mutants)
    print(render(outcome, mutants))
    (args.out / "traceability.md").write_text(traceability.to_markdown(results, mutants), encoding="utf-8")
    print(f"traceability: {args.out / 'traceability.md'}")
    return 0 if outcome.ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
