"""The virtual network: per-device faults on virtual time, and nothing outside the sandbox."""

from __future__ import annotations

import httpx
import pytest

from reconnection_conformance.fixtures.network import LinkState, NetworkFailure
from reconnection_conformance.fixtures.recorder import Kind
from reconnection_conformance.fixtures.runtime import ScenarioRuntime
from reconnection_conformance.fixtures.verdicts import SandboxViolation



def _navi(runtime: ScenarioRuntime, device: str) -> dict[str, object]:
    base = runtime.network.base_url("rongcloud", device)
    token = runtime.service.issue_token("u")

    async def request() -> dict[str, object]:
        async with httpx.AsyncClient(base_url=base) as http:
            return dict((await http.post("/navi", json={"token": token})).json())

    assert runtime.loop is not None
    return runtime.loop.run_call(request, virtual_timeout=600)


def test_latency_costs_virtual_time_only(runtime: ScenarioRuntime) -> None:
    runtime.network.set_link("A", LinkState.UP, latency=42.5)
    assert _navi(runtime, "A")["code"] == 0
    assert runtime.now == 42.5
    [request] = runtime.recorder.select(Kind.REQUEST, "A", ["/navi"])
    assert request.at == 0.0 and request.detail["outcome"] == "answered"


def test_faults_apply_to_one_device_only(runtime: ScenarioRuntime) -> None:
    runtime.network.set_link("A", LinkState.DOWN)
    with pytest.raises(NetworkFailure, match="connection refused"):
        _navi(runtime, "A")
    assert _navi(runtime, "B")["code"] == 0


def test_a_flaky_link_fails_every_nth_request(runtime: ScenarioRuntime) -> None:
    runtime.network.set_link("A", LinkState.UP, fail_every=3)
    outcomes = []
    for _ in range(6):
        try:
            outcomes.append(_navi(runtime, "A")["code"])
        except NetworkFailure:
            outcomes.append("dropped")
    assert outcomes == [0, 0, "dropped", 0, 0, "dropped"]


def test_tokens_are_redacted_in_the_recording(runtime: ScenarioRuntime) -> None:
    _navi(runtime, "A")
    assert "rc-token" not in runtime.recorder.to_json()


def test_an_unmocked_url_is_a_sandbox_violation(runtime: ScenarioRuntime) -> None:
    async def leaks() -> None:
        async with httpx.AsyncClient() as http:
            try:
                await http.get("https://api.example.com/v1/connect")
            except httpx.TransportError:
                pass  # a client that swallows the failure is still caught

    assert runtime.loop is not None
    loop = runtime.loop
    with pytest.raises(SandboxViolation, match="not a vendor endpoint"):
        runtime.run_service("a client request", lambda: loop.run_until_complete(leaks()))


def test_issued_tokens_are_redacted_wherever_they_appear() -> None:
    from reconnection_conformance.fixtures.recorder import Kind, Recorder

    recorder = Recorder(lambda: 0.0)
    recorder.add_secret("zim-token-Alice-1")
    entry = recorder.add(Kind.CALL, "A", "login", arg0="Alice", arg1="zim-token-Alice-1")
    assert entry.detail["arg0"] == "Alice"
    assert "zim-token" not in recorder.to_json()


def test_a_network_switch_resets_requests_in_flight_and_keeps_the_link_up(runtime: ScenarioRuntime) -> None:
    """Wi-Fi to cellular: a held long-poll is reset, the link stays up, the next request works."""
    base = runtime.network.base_url("rongcloud", "A")
    token = runtime.service.issue_token("u")
    assert runtime.loop is not None
    loop = runtime.loop

    async def poll() -> str:
        async with httpx.AsyncClient(base_url=base) as http:
            connected = (await http.post("/connect", json={"token": token, "deviceId": "A", "platform": "web"})).json()
            try:
                await http.get("/events", params={"sessionId": connected["sessionId"]})
            except NetworkFailure as error:
                return str(error)
            return "answered"

    task = loop.create_task(poll())
    runtime.advance(3.0)
    runtime.run_service("the network of device A switches", lambda: runtime.network.switch("A"))
    assert task.done() and "connection reset" in task.result()
    assert runtime.network.link("A").state is LinkState.UP
    [change] = runtime.recorder.select(Kind.NETWORK, "A")
    assert change.name == "up" and change.detail["switch"] is True
    assert _navi(runtime, "A")["code"] == 0
