"""Every documented rule can fail: the reference passes everything, every mutant is rejected
by a scenario of the rule it breaks with an expected-vs-observed message, every scenario row
rejects some mutant, and every requirement has a scenario and a mutant (reports/mutation_matrix.py).
The JavaScript reference and mutants (Node client host) are part of the same matrix."""

from __future__ import annotations

from pathlib import Path

import pytest

from reconnection_conformance.adapters.loading import BUILTIN_VENDORS
from reconnection_conformance.adapters.mutant import Mutant
from reconnection_conformance.features import requirements
from reconnection_conformance.reports.mutation_matrix import JS_REFERENCES, MatrixOutcome, analyse, builtin_mutants, main
from reconnection_conformance.reports.results import Result

MUTANTS: list[Mutant] = builtin_mutants()


@pytest.fixture(scope="module")
def results(matrix_results: list[Result]) -> list[Result]:
    return matrix_results  # one run per session (tests/conftest.py), shared with test_node_host


@pytest.fixture(scope="module")
def outcome(results: list[Result]) -> MatrixOutcome:
    return analyse(results, MUTANTS)


def test_the_reference_passes_every_scenario(results: list[Result], outcome: MatrixOutcome) -> None:
    assert {r.adapter for r in results} >= {f"{v}-reference" for v in BUILTIN_VENDORS} | JS_REFERENCES
    assert [(r.scenario, r.message) for r in outcome.reference_failures] == []


@pytest.mark.parametrize("mutant", MUTANTS, ids=lambda m: m.adapter.manifest.name)
def test_each_mutant_is_rejected_by_its_rule(outcome: MatrixOutcome, mutant: Mutant) -> None:
    rejected = outcome.rejected_by_rule[mutant.name]
    assert rejected, f"{mutant.name} ({mutant.what}) survived every scenario of {mutant.breaks}"
    for result in rejected:
        assert "expected:" in result.message and "observed:" in result.message


def test_every_scenario_rejects_at_least_one_mutant(outcome: MatrixOutcome) -> None:
    """A scenario no mutant can fail is a defect: it would pass any client."""
    assert outcome.unkilled_scenarios == []


def test_every_requirement_has_a_scenario_and_a_mutant(results: list[Result]) -> None:
    registry = requirements.load()
    covered = {rid for r in results if r.adapter.endswith("-reference") for rid in r.requirements}
    broken = {m.breaks for m in MUTANTS}
    for rid, requirement in registry.requirements.items():
        if requirement.vendor not in BUILTIN_VENDORS:
            continue
        assert rid in covered, f"requirement {rid} has no scenario"
        assert rid in broken, f"requirement {rid} has no mutant"


def test_every_scenario_cites_a_requirement(results: list[Result]) -> None:
    assert [r.scenario for r in results if not r.requirements] == []


def test_the_command_reports_and_writes_the_traceability_matrix(results: list[Result], tmp_path: Path, tmp_path_factory: pytest.TempPathFactory, capsys: pytest.CaptureFixture[str]) -> None:
    source = next(Path(tmp_path_factory.getbasetemp()).glob("matrix*/results.json"))
    assert main(["--results", str(source), "--out", str(tmp_path)]) == 0
    printed = capsys.readouterr().out
    assert f"mutation matrix: {len(MUTANTS)}/{len(MUTANTS)} mutants rejected by their rule, 0 survived" in printed
    table = (tmp_path / "traceability.md").read_text()
    assert "**none**" not in table  # every requirement has scenarios and proving mutants
    assert "| `rc-interval` |" in table and "retry-every-3s" in table


def test_the_smoke_mutant_gets_a_readable_verdict(results: list[Result]) -> None:
    interval = [r for r in results if r.adapter == "rongcloud-mutant-retry-every-3s" and "retries_every_5_seconds" in r.scenario]
    assert interval and interval[0].verdict == "non-conformant"
    assert "expected: reconnection attempts 5s apart" in interval[0].message
    assert "gaps [3.0, 3.0" in interval[0].message


def test_the_javascript_mutants_mirror_the_python_rongcloud_mutants(outcome: MatrixOutcome) -> None:
    """A JS twin per RongCloud defect, breaking the same rule, each rejected by its own rule in
    the Node host."""
    python = {m.name: m.breaks for m in MUTANTS if m.adapter.manifest.vendor == "rongcloud" and not m.name.startswith("js-")}
    javascript = {m.name.removeprefix("js-"): m.breaks for m in MUTANTS if m.name.startswith("js-")}
    assert javascript == python
    assert all(outcome.rejected_by_rule[f"js-{name}"] for name in javascript)
