"""Generated fault schedules as conformance scenarios (features/generated/schedules.feature, one
per vendor profile; the machines are in features/generated.py).

Parametrized by adapter like the other scenarios (the vendor tag). Deselected from a plain run;
``pytest -m generated`` runs CI's fixed, derandomized budget, ``--generated-examples=N`` runs N
random examples per vendor (the seed is printed; ``--generated-seed=S`` replays them). A failure
is shrunk by Hypothesis and reported as a ready-to-paste Gherkin scenario, printed and attached
to the Allure result.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import allure
import pytest
from hypothesis import HealthCheck, Phase, seed, settings
from hypothesis.errors import Flaky, FlakyStrategyDefinition
from hypothesis.stateful import get_state_machine_test
from pytest_bdd import scenarios, then

from reconnection_conformance.features.generated import Failure, machine_for, reduce
from reconnection_conformance.fixtures.client_host import AdapterRef
from reconnection_conformance.fixtures.plugin import HOSTS_KEY
from reconnection_conformance.fixtures.verdicts import AdapterError, NonConformance
from reconnection_conformance.reports.timeline import Verdict as TimelineVerdict, render


def timeline_verdict(error: BaseException) -> TimelineVerdict:
    if isinstance(error, NonConformance):
        return TimelineVerdict(str(error), error.at, error.expected_at)
    return TimelineVerdict(f"{type(error).__name__}: {error}")

#: CI's budget: examples per vendor and steps per example (derandomized: the same runs every time).
CI_EXAMPLES = {"rongcloud": 100, "zim": 100, "express": 60}
STEPS = 12


def run_generated(adapter: AdapterRef, profile: Any, config: pytest.Config) -> tuple[int, str]:
    """Run the vendor's machine; returns (examples run, how to replay) or raises the shrunk failure."""
    vendor = str(adapter.manifest.vendor)
    wanted = config.getoption("generated_examples")
    derandomize = wanted is None
    chosen = config.getoption("generated_seed")
    run_seed = None if derandomize else (chosen if chosen is not None else random.SystemRandom().randrange(2**32))
    machine = machine_for(adapter, profile, config.getoption("wall_timeout"), config.stash[HOSTS_KEY])
    budget = settings(
        max_examples=CI_EXAMPLES[vendor] if derandomize else int(wanted),
        stateful_step_count=STEPS,
        deadline=None,
        derandomize=derandomize,
        database=None,
        suppress_health_check=list(HealthCheck),
        phases=[Phase.generate, Phase.shrink] if derandomize else [Phase.generate, Phase.target, Phase.shrink],  # no explain: it traces every line
        report_multiple_bugs=False,
        print_blob=False,
    )
    test = get_state_machine_test(machine, settings=budget)
    if run_seed is not None:
        test = seed(run_seed)(test)
    replay = "pytest -m generated (CI budget, derandomized)" if derandomize else (
        f"pytest -m generated --generated-examples={wanted} --generated-seed={run_seed}")
    print(f"generated {vendor} runs for {adapter.manifest.name}; replay: {replay}")
    try:
        test()
    except (Flaky, FlakyStrategyDefinition) as error:
        # A schedule that does not replay identically (the client, or the wall-clock guard under
        # load, is not deterministic): report the last failure seen, unshrunk, or say so.
        if machine.last_failure is not None:
            raise shrunk(machine.last_failure, run_seed, adapter, replayed=False) from None
        raise AdapterError(
            "the same generated schedule gave different outcomes when replayed:"
            f" {str(error).splitlines()[0]}"
        ) from None
    except BaseException as error:
        failure = machine.last_failure
        if failure is None or failure.error is not error:
            raise
        raise shrunk(reduce(machine, failure), run_seed, adapter) from None
    return machine.runs, replay


def shrunk(failure: Failure, run_seed: int | None, adapter: AdapterRef, replayed: bool = True) -> BaseException:
    """The minimal failing run, as the verdict it got with its Gherkin scenario attached."""
    title = f"Generated: {failure.requirement() or type(failure.error).__name__}" + (
        f" (seed {run_seed})" if run_seed is not None else " (CI budget)")
    if not replayed:
        title += " (did not replay identically: not shrunk further)"
    gherkin = failure.feature(title)
    print(f"minimal failing scenario ({failure.steps} steps), paste into features/{failure.vendor}/:\n{gherkin}")
    allure.attach(gherkin, name="minimal failing scenario (Gherkin)", attachment_type=allure.attachment_type.TEXT)
    allure.attach(render(failure.entries, failure.end, f"minimal failing run: {title}", timeline_verdict(failure.error)),
                  name="timeline of the minimal failing run", attachment_type=allure.attachment_type.SVG)
    error = failure.error
    if isinstance(error, NonConformance):
        observed = f"{error.observed}\n    minimal failing scenario ({failure.steps} steps):\n{failure.scenario(title)}"
        return NonConformance(error.requirement, error.expected, observed, error.at, error.expected_at)
    error.add_note(f"minimal failing scenario ({failure.steps} steps):\n{failure.scenario(title)}")
    return error


scenarios(str(Path(__file__).parent / "generated"))


@then("every generated fault schedule passes the state model")
def generated(adapter: AdapterRef, profile: Any, request: pytest.FixtureRequest) -> None:
    runs, replay = run_generated(adapter, profile, request.config)
    request.node.user_properties.append(("generated_examples", runs))
    print(f"{runs} generated runs passed ({replay})")
