"""Every documented rule can fail: the reference passes everything, every mutant is rejected
by a scenario of the rule it breaks, with an expected-vs-observed message."""

from __future__ import annotations

import importlib
from collections import defaultdict
from typing import Any

import pytest

from adapters.loading import BUILTIN_VENDORS
from adapters.mutant import Mutant
from features import requirements
from tests.conftest import SuiteRun, run_suite

MUTANTS: list[Mutant] = [
    m for v in BUILTIN_VENDORS for m in importlib.import_module(f"adapters.{v}.mutants").MUTANTS
]


@pytest.fixture(scope="module")
def matrix(tmp_path_factory: pytest.TempPathFactory) -> SuiteRun:
    return run_suite(tmp_path_factory.mktemp("matrix"), "-n", "2", "--adapter", "reference", "--adapter", "mutants")


def _by_adapter(run: SuiteRun) -> dict[str, list[dict[str, Any]]]:
    grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for result in run.results:
        grouped[result["adapter"]].append(result)
    return grouped


def test_the_reference_passes_every_scenario(matrix: SuiteRun) -> None:
    for vendor in BUILTIN_VENDORS:
        results = _by_adapter(matrix)[f"{vendor}-reference"]
        assert results, matrix.output[-2000:]
        failing = [(r["nodeid"], r["message"]) for r in results if r["verdict"] != "conformant"]
        assert failing == []


@pytest.mark.parametrize("mutant", MUTANTS, ids=lambda m: m.adapter.manifest.name)
def test_each_mutant_is_rejected_by_its_rule(matrix: SuiteRun, mutant: Mutant) -> None:
    results = _by_adapter(matrix)[mutant.adapter.manifest.name]
    rejected_by_rule = [
        r for r in results if r["verdict"] == "non-conformant" and mutant.breaks in r["tags"]
    ]
    assert rejected_by_rule, f"{mutant.name} ({mutant.what}) survived every scenario of {mutant.breaks}"
    for result in rejected_by_rule:
        assert "expected:" in result["message"] and "observed:" in result["message"]


def test_every_scenario_rejects_at_least_one_mutant(matrix: SuiteRun) -> None:
    """A scenario no mutant can fail is a defect: it would pass any client."""
    rejected: dict[str, set[str]] = defaultdict(set)
    for result in matrix.results:
        test, param = result["nodeid"].rstrip("]").split("[", 1)
        example = test + param[len(result["adapter"]):]  # the same scenario row for every adapter
        rejected[example]
        if result["verdict"] == "non-conformant":
            rejected[example].add(result["adapter"])
    assert [example for example, mutants in rejected.items() if not mutants] == []


def test_every_requirement_has_a_scenario_and_a_mutant(matrix: SuiteRun) -> None:
    registry = requirements.load()
    reference = [r for v in BUILTIN_VENDORS for r in _by_adapter(matrix)[f"{v}-reference"]]
    covered = {tag for r in reference for tag in r["tags"]}
    broken = {m.breaks for m in MUTANTS}
    for rid, requirement in registry.requirements.items():
        if requirement.vendor not in BUILTIN_VENDORS:
            continue
        assert rid in covered, f"requirement {rid} has no scenario"
        assert rid in broken, f"requirement {rid} has no mutant"


def test_every_scenario_cites_a_requirement(matrix: SuiteRun) -> None:
    known = set(requirements.load().requirements)
    uncited = [r["nodeid"] for r in matrix.results if not known & set(r["tags"])]
    assert uncited == []


def test_the_smoke_mutant_gets_a_readable_verdict(matrix: SuiteRun) -> None:
    results = _by_adapter(matrix)["rongcloud-mutant-retry-every-3s"]
    interval = [r for r in results if "retries_every_5_seconds" in r["nodeid"]]
    assert interval and interval[0]["verdict"] == "non-conformant"
    message = interval[0]["message"]
    assert "expected: reconnection attempts 5s apart" in message
    assert "gaps [3.0, 3.0" in message
