"""Generated fault schedules (features/generated.py): the reference passes CI's budget, and a seeded
defect shrinks to a short scenario that really pastes into a feature file and fails there."""

from __future__ import annotations

import os
import subprocess
import sys
import resource
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, settings
from hypothesis.stateful import get_state_machine_test

from reconnection_conformance.features.generated import machine_for, reduce
from reconnection_conformance.fixtures.profiles import RongCloudProfile
from reconnection_conformance.fixtures.verdicts import NonConformance
from tests.conftest import ROOT, SuiteRun, run_suite
from tests.sample_adapters import retry_every_3s

#: CI's budget for all three vendors must fit in this many seconds of a 2-core machine (CPU time).
CI_BUDGET_SECONDS = 60.0
# fixtures.plugin comes from the installed pytest11 entry point
PLUGINS = ["-p", "reconnection_conformance.steps.common", "-p", "reconnection_conformance.steps.rongcloud", "-p", "reconnection_conformance.steps.zim",
           "-p", "reconnection_conformance.steps.express", "-p", "reconnection_conformance.features.conftest"]


@pytest.fixture(scope="module")
def ci_budget(tmp_path_factory: pytest.TempPathFactory) -> tuple[SuiteRun, float]:
    """The budget's run and the CPU seconds it used: wall time on a shared machine measures the
    neighbours, CPU time what the budget costs (a 2-core machine gives it 60 s in 30 s of wall)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    run = run_suite(tmp_path_factory.mktemp("generated"), "-m", "generated", "-s")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return run, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def test_the_reference_passes_the_ci_budget_in_time(ci_budget: tuple[SuiteRun, float]) -> None:
    run, cpu = ci_budget
    assert run.returncode == 0, run.output[-3000:]
    assert sorted(r["adapter"] for r in run.results) == ["express-reference", "rongcloud-reference", "zim-reference"]
    assert {r["verdict"] for r in run.results} == {"conformant"}
    assert "generated runs passed" in run.output
    assert cpu < CI_BUDGET_SECONDS, f"CI's generated budget took {cpu:.1f} s of CPU"


def test_a_seeded_defect_shrinks_to_at_most_six_steps_that_paste_into_a_feature(tmp_path: Path) -> None:
    machine = machine_for(retry_every_3s, RongCloudProfile())
    budget = settings(max_examples=60, stateful_step_count=12, deadline=None, derandomize=True, database=None,
                      suppress_health_check=list(HealthCheck), report_multiple_bugs=False, print_blob=False,
                      phases=[Phase.generate, Phase.shrink])
    with pytest.raises(NonConformance):
        get_state_machine_test(machine, settings=budget)()
    assert machine.last_failure is not None
    failure = reduce(machine, machine.last_failure)
    assert failure.requirement() == "rc-interval"
    assert failure.steps <= 6, failure.scenario("too long")
    assert any("network of device A" in step for step in failure.whens)

    feature = tmp_path / "generated.feature"
    feature.write_text(failure.feature("Generated: the interval"), encoding="utf-8")
    module = tmp_path / "test_replay.py"
    module.write_text(f"from pytest_bdd import scenarios\n\nscenarios(r'{feature}')\n", encoding="utf-8")

    def replay(adapter: str) -> str:
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        env.pop("CONFORMANCE_ADAPTER", None)
        proc = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:randomly", "-p", "no:cacheprovider", *PLUGINS,
             f"--rootdir={tmp_path}", "-c", str(ROOT / "pyproject.toml"), str(module), f"--adapter={adapter}"],
            cwd=tmp_path, capture_output=True, text=True, env=env, timeout=300,
        )
        return proc.stdout + proc.stderr

    mutant = replay("tests.sample_adapters:retry_every_3s")
    assert "1 non-conformant" in mutant and "[rc-interval]" in mutant and "state-model oracle" in mutant, mutant[-2000:]
    reference = replay("reference")
    assert "1 conformant" in reference, reference[-2000:]


def test_generated_runs_catch_a_defect_that_only_a_second_outage_shows(suite) -> None:  # type: ignore[no-untyped-def]
    """Every hand-written RongCloud scenario passes this client, oracle included; CI's generated
    budget finds a life with two outages that does not."""
    adapter = "--adapter=tests.oracle_clients:slower_from_the_second_outage"
    scenarios = suite("-m", "rongcloud", adapter)
    judged = [r for r in scenarios.results if "rc-default-kick-story" not in r["tags"]]  # not applicable by default
    assert judged and {r["verdict"] for r in judged} == {"conformant"}
    generated = suite("-m", "generated and rongcloud", adapter)
    [result] = generated.results
    assert result["verdict"] == "non-conformant" and result["message"].startswith("[rc-interval]"), result["message"]
    assert "minimal failing scenario" in result["message"] and "When the network of device A" in result["message"]
