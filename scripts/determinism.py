"""Runs the whole suite N times, in random order and in parallel, and fails on any difference.

    python -m scripts.determinism            # 5 runs (CI)
    python -m scripts.determinism --runs 20  # on demand

Each run covers the reference and every mutant (the JavaScript ones in the Node host too), so that non-conformant verdicts (with their
messages) are compared too. Odd runs shuffle the order in one process (pytest-randomly, a new
seed each time); even runs shuffle and spread over two workers (pytest-randomly + xdist -n 2).
A scenario whose verdict or message differs between any two runs is printed, and the script
exits 1. Messages are compared as they are: they carry virtual times, which must not vary.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from reconnection_conformance.reports.mutation_matrix import JS_MUTANTS, JS_REFERENCE

ROOT = Path(__file__).resolve().parents[1]


def one_run(out: Path, index: int) -> tuple[str, dict[str, tuple[str, str]]]:
    results = out / f"run-{index}.json"
    seed = 1000 + index * 7919
    mode = f"random order (seed {seed})" + (", -n 2" if index % 2 == 0 else ", one process")
    command = [sys.executable, "-m", "pytest", "-q", "-p", "randomly", "-p", "no:cacheprovider",
               f"--randomly-seed={seed}", "--adapter", "reference", "--adapter", "mutants",
               "--adapter", JS_REFERENCE, "--adapter", JS_MUTANTS, f"--results-json={results}"]
    if index % 2 == 0:
        command += ["-n", "2"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("CONFORMANCE_ADAPTER", None)
    subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=1800)
    if not results.exists():
        raise SystemExit(f"run {index} ({mode}) wrote no results; run `{' '.join(command)}` to see why")
    verdicts = {r["nodeid"]: (r["verdict"], r["message"]) for r in json.loads(results.read_text())}
    return mode, verdicts


def compare(runs: list[tuple[str, dict[str, tuple[str, str]]]]) -> list[str]:
    base_mode, base = runs[0]
    problems = []
    for mode, verdicts in runs[1:]:
        if verdicts.keys() != base.keys():
            missing = sorted(base.keys() ^ verdicts.keys())
            problems.append(f"{mode}: a different set of scenarios ran ({len(missing)} differ, e.g. {missing[:2]})")
        for nodeid in sorted(base.keys() & verdicts.keys()):
            if verdicts[nodeid] != base[nodeid]:
                problems.append(f"{nodeid}: {base_mode} gave {base[nodeid][0]!r}, {mode} gave {verdicts[nodeid][0]!r}"
                                + (" (messages differ)" if base[nodeid][0] == verdicts[nodeid][0] else ""))
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.determinism", description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as name:
        runs = []
        for index in range(1, args.runs + 1):
            mode, verdicts = one_run(Path(name), index)
            print(f"run {index}: {mode}: {len(verdicts)} scenario verdicts", flush=True)
            runs.append((mode, verdicts))
    problems = compare(runs)
    for problem in problems[:50]:
        print(f"DIFFERS  {problem}")
    print(f"determinism: {args.runs} runs, {len(runs[0][1])} scenarios each, {len(problems)} differences")
    differing = len({p.split(":", 1)[0] for p in problems})
    print(f"determinism: {len(runs[0][1]) - differing} passed, {differing} failed")  # scenarios
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
