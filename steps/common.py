"""Sentences every vendor profile shares: time passing, links changing, verdict wording."""

from __future__ import annotations

import pytest
from pytest_bdd import given, parsers, when

from features import requirements
from fixtures.network import LinkState
from fixtures.runtime import ScenarioRuntime
from fixtures.verdicts import NonConformance

#: Schedules are checked to this many virtual seconds; the clock itself is exact to 1 µs.
SCHEDULE_TOLERANCE = 0.001

UNITS = {"second": 1.0, "seconds": 1.0, "minute": 60.0, "minutes": 60.0}


class Judge:
    """Builds the expected-vs-observed failure, naming the scenario's requirement."""

    def __init__(self, request: pytest.FixtureRequest, runtime: ScenarioRuntime) -> None:
        known = requirements.load().requirements
        ids = [m.name for m in request.node.iter_markers() if m.name in known]
        self.requirement = ", ".join(sorted(set(ids))) or "unlabelled"
        self.runtime = runtime

    def fail(
        self, expected: str, observed: str, at: float | None = None, expected_at: float | None = None
    ) -> NonConformance:
        at = self.runtime.now if at is None else at
        return NonConformance(self.requirement, expected, observed, at, expected_at)


@pytest.fixture
def judge(request: pytest.FixtureRequest, runtime: ScenarioRuntime) -> Judge:
    return Judge(request, runtime)


_TIME_SENTENCE = parsers.re(r"(?P<amount>\d+(?:\.\d+)?) (?P<unit>seconds?|minutes?) pass(?:es)?")


@given(_TIME_SENTENCE)
@when(_TIME_SENTENCE)
def time_passes(runtime: ScenarioRuntime, amount: str, unit: str) -> None:
    runtime.advance(float(amount) * UNITS[unit])


_LINK_CHANGES = {
    "goes down": LinkState.DOWN,
    "is down": LinkState.DOWN,
    "comes back": LinkState.UP,
    "becomes unresponsive": LinkState.UNRESPONSIVE,
}
_LINK_SENTENCE = parsers.re(
    r"the network of (?:device|user) (?P<device>\w+) (?P<change>goes down|is down|comes back|becomes unresponsive)"
)


@given(_LINK_SENTENCE)
@when(_LINK_SENTENCE)
def link_changes(runtime: ScenarioRuntime, device: str, change: str) -> None:
    state = _LINK_CHANGES[change]
    steady = 0 if state is LinkState.UP else None  # a link that comes back is no longer flaky
    runtime.run_service(
        f"the network of device {device} {change}",
        lambda: runtime.network.set_link(device, state, fail_every=steady),
    )


_SWITCH_SENTENCE = parsers.re(r"the network of (?:device|user) (?P<device>\w+) switches")


@given(_SWITCH_SENTENCE)
@when(_SWITCH_SENTENCE)
def network_switches(runtime: ScenarioRuntime, device: str) -> None:
    """Wi-Fi to cellular: connections in flight are reset, the link stays up."""
    runtime.run_service(f"the network of device {device} switches", lambda: runtime.network.switch(device))


_FLAKY_SENTENCE = parsers.re(r"the network of (?:device|user) (?P<device>\w+) becomes flaky, dropping every (?P<n>\d+)(?:st|nd|rd|th) request")


@given(_FLAKY_SENTENCE)
@when(_FLAKY_SENTENCE)
def network_flaky(runtime: ScenarioRuntime, device: str, n: str) -> None:
    runtime.run_service(
        f"the network of device {device} becomes flaky",
        lambda: runtime.network.set_link(device, LinkState.UP, fail_every=int(n)),
    )
