"""Sentences every vendor profile shares: time passing, links changing, verdict wording."""

from __future__ import annotations

import typing
from functools import cache
from typing import Any

import pytest
from pytest_bdd import given, parsers, when

from reconnection_conformance.adapters.contract import Vendor
from reconnection_conformance.adapters.loading import required_methods
from reconnection_conformance.features import requirements
from reconnection_conformance.fixtures.client_host import AdapterRef
from reconnection_conformance.fixtures.network import LinkState
from reconnection_conformance.fixtures.profiles import readings
from reconnection_conformance.fixtures.runtime import ScenarioRuntime
from reconnection_conformance.fixtures.verdicts import AdapterError, NonConformance

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

    def precondition(self, requirement: str | None, expected: str, observed: str) -> NonConformance:
        """A Given that could not be set up. The failure belongs to the requirement the
        precondition rests on (``None``: no documented one), never to the scenario's own rule,
        which was not judged."""
        known = requirements.load().requirements
        if requirement is not None and requirement not in known:
            raise LookupError(f"precondition cites {requirement!r}, which is not in features/requirements.toml")
        return NonConformance(
            requirement or "precondition",
            expected,
            f"{observed}; so the scenario's own rule ({self.requirement}) was not judged",
            self.runtime.now,
        )


@cache
def _returns(vendor: Vendor, api: str) -> Any:
    hints = typing.get_type_hints(required_methods(vendor)[api])
    expected = hints.get("return", Any)
    return type(None) if expected is None else expected


def call_client(runtime: ScenarioRuntime, device: str, api: str, *args: Any) -> Any:
    """Call the client and check its answer has the type its contract declares: a wrong type
    is the adapter's error ("connect returned None, expected ConnectResult"), not a verdict."""
    result = runtime.call(device, api, *args)
    expected = _returns(runtime.vendor, api)
    if isinstance(expected, type) and not isinstance(result, expected):
        raise AdapterError(f"{api} returned {result!r:.80}, expected {expected.__name__}")
    return result


class Devices:
    """Adds a scenario's devices. The device under test is the one its @under-test-<device> tag
    names, else the first device added; with --peers=reference every other device runs the
    vendor's reference client. Every client gets the profile's readings as options."""

    def __init__(self, under_test: str | None, runtime: ScenarioRuntime, profile: Any, peers: dict[Vendor, AdapterRef] | None) -> None:
        self.under_test = under_test
        self.runtime = runtime
        self.profile = profile
        self.peers = peers

    def adapter_for(self, device: str) -> AdapterRef | None:
        """None: the adapter under test; otherwise the reference a peer device runs."""
        if self.under_test is None:
            self.under_test = device
        if self.peers is None or device == self.under_test:
            return None
        return self.peers[self.runtime.vendor]

    def add(self, device: str, platform: str) -> Any:
        adapter = self.adapter_for(device)
        return self.runtime.add_client(device, platform, adapter=adapter, readings=readings(self.profile))


@pytest.fixture
def devices(request: pytest.FixtureRequest, runtime: ScenarioRuntime, profile: Any, peers: dict[Vendor, AdapterRef] | None) -> Devices:
    named = [m.name.removeprefix("under-test-") for m in request.node.iter_markers() if m.name.startswith("under-test-")]
    return Devices(named[0] if named else None, runtime, profile, peers)


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
