"""The state-model oracle (fixtures/oracles): it rejects clients whose only defect is a transition
no Then step looks at, and its rules fail on hand-made timelines."""

from __future__ import annotations

from pathlib import Path

import pytest

from reconnection_conformance.fixtures.oracles import OracleViolation, check_timeline
from reconnection_conformance.fixtures.recorder import Entry, Kind
from tests.conftest import SuiteRun, run_suite
from tests.oracle_clients import ORACLE_ONLY

ADAPTERS = [f"--adapter=tests.oracle_clients:{name}" for name in ORACLE_ONLY]
VENDORS = "rongcloud or zim or express"


@pytest.fixture(scope="module")
def with_oracle(tmp_path_factory: pytest.TempPathFactory) -> SuiteRun:
    return run_suite(tmp_path_factory.mktemp("oracle"), "-m", VENDORS, *ADAPTERS)


@pytest.fixture(scope="module")
def then_steps_only(tmp_path_factory: pytest.TempPathFactory) -> SuiteRun:
    return run_suite(tmp_path_factory.mktemp("no-oracle"), "-m", VENDORS, "--no-oracle", *ADAPTERS)


def test_no_then_step_rejects_the_oracle_only_clients(then_steps_only: SuiteRun) -> None:
    failed = [(r["adapter"], r["scenario"], r["message"][:200]) for r in then_steps_only.results if r["verdict"] != "conformant" and r["verdict"] != "not applicable"]
    assert then_steps_only.results and failed == []


@pytest.mark.parametrize("name", sorted(ORACLE_ONLY))
def test_the_oracle_rejects_each_of_them(with_oracle: SuiteRun, name: str) -> None:
    adapter = f"{ORACLE_ONLY[name]}-oracle-only-{name.replace('_', '-')}"
    mine = [r for r in with_oracle.results if r["adapter"] == adapter]
    rejected = [r for r in mine if r["verdict"] == "non-conformant"]
    assert mine and rejected, f"{adapter}: the oracle rejected none of {len(mine)} scenarios"
    for result in rejected:
        message = result["message"]
        assert "state-model oracle" in message and "spec 00" in message  # the passage
        assert "device " in message and "transition " in message and "(at t=" in message
    assert {r["verdict"] for r in mine} <= {"conformant", "non-conformant", "not applicable"}


def test_a_violation_names_requirement_transition_instant_device_and_passage(with_oracle: SuiteRun) -> None:
    blip = next(r for r in with_oracle.results if r["adapter"].endswith("blip-after-reconnect") and r["verdict"] == "non-conformant")
    assert blip["message"].startswith("[rc-auto-reconnect] expected: CONNECTED only once the service accepted")
    assert 'spec 000_d2c2ed7618df35d7.txt, "Automatic Reconnection Mechanism"' in blip["message"]
    assert "device A, transition SUSPENDED -> CONNECTED(0)" in blip["message"]


# --- single rules on hand-made timelines ------------------------------------------------------


def _status(at: float, status: str, code: int = 0, device: str = "A") -> Entry:
    return Entry(at, Kind.CALLBACK, device, "onConnectionStatus", {"status": status, "code": code})


def _request(at: float, path: str, code: int | None = 0, device: str = "A", **body: object) -> Entry:
    detail: dict[str, object] = dict(body)
    if code is None:
        detail["outcome"] = "connection refused, network down"
    else:
        detail.update(outcome="answered", answer={"code": code, "heartbeatInterval": 10.0, "heartbeatTimeout": 5.0})
    return Entry(at, Kind.REQUEST, device, path, detail)


CONNECTED = [Entry(0, Kind.CALL, "A", "connect", {}), _status(0, "CONNECTING"), _request(0, "/connect"), _status(0, "CONNECTED")]


def test_rongcloud_reference_shaped_timeline_passes() -> None:
    down = [Entry(10, Kind.NETWORK, "A", "down", {}), _status(10, "SUSPEND", 30011)]
    attempts = [_request(10 + 5 * i, "/connect", None) for i in range(4)] + [_request(30, "/connect"), _status(30, "CONNECTED")]
    check_timeline("rongcloud", CONNECTED + down + attempts, 40.0)


@pytest.mark.parametrize(
    ("tail", "end", "requirement", "words"),
    [
        ([_status(5, "SUSPEND", 30011), _request(5, "/connect", None), _request(8, "/connect", None)], 9.0, "rc-interval", "3s after the previous"),
        ([_status(5, "SUSPEND", 30011), _request(5, "/connect", None)], 30.0, "rc-until-success", "no attempt at all"),
        ([_status(5, "SUSPEND", 30011), _status(6, "CONNECTED")], 7.0, "rc-auto-reconnect", "no accepted attempt"),
        ([_request(5, "/ping", 31010), _status(5, "SUSPEND", 31010)], 6.0, "rc-exit-on-error", "SUSPEND(31010)"),
        ([Entry(5, Kind.CALL, "A", "disconnect", {}), _status(5, "DISCONNECT"), _request(9, "/connect")], 10.0, "rc-manual-disconnect", "after the app called disconnect()"),
        ([_status(5, "DISCONNECT", 30011)], 6.0, "rc-until-success", "DISCONNECT(30011) with neither"),
        ([Entry(5, Kind.NETWORK, "A", "unresponsive", {})], 25.0, "rc-heartbeat", "SUSPEND by t=20s"),
    ],
)
def test_rongcloud_rules_fail(tail: list[Entry], end: float, requirement: str, words: str) -> None:
    with pytest.raises(OracleViolation) as caught:
        check_timeline("rongcloud", CONNECTED + tail, end)
    assert caught.value.requirement == requirement and words in str(caught.value)


def _zim(at: float, state: str, event: str) -> Entry:
    return Entry(at, Kind.CALLBACK, "A", "onConnectionStateChanged", {"state": state, "event": event})


ZIM_IN = [Entry(0, Kind.CALL, "A", "login", {}), _request(0, "/login"), _zim(0, "CONNECTED", "SUCCESS")]


@pytest.mark.parametrize(
    ("tail", "end", "requirement"),
    [
        ([_zim(5, "RECONNECTING", "LOGIN_INTERRUPTED"), _request(5, "/login", None)], 70.0, "zim-keeps-reconnecting"),
        ([_zim(5, "RECONNECTING", "LOGIN_INTERRUPTED"), _request(6, "/login"), _zim(6, "CONNECTED", "ACTIVE_LOGIN")], 7.0, "zim-recovered"),
        ([_zim(5, "DISCONNECTED", "LOGIN_INTERRUPTED")], 6.0, "zim-special-event"),
        ([Entry(5, Kind.CALLBACK, "A", "onTokenWillExpire", {"second": 30})], 6.0, "zim-token-will-expire"),
    ],
)
def test_zim_rules_fail(tail: list[Entry], end: float, requirement: str) -> None:
    with pytest.raises(OracleViolation) as caught:
        check_timeline("zim", ZIM_IN + tail, end)
    assert caught.value.requirement == requirement
