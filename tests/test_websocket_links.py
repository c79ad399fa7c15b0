"""WebSocket links of the virtual network (fixtures/sockets.py): the device's link decides whether
an opening is accepted, refused or hangs, whether frames arrive, and when a socket drops; all of
it on virtual time and on the timeline."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from reconnection_conformance.fixtures.network import LinkState
from reconnection_conformance.fixtures.recorder import Kind
from reconnection_conformance.fixtures.runtime import ScenarioRuntime
from reconnection_conformance.fixtures.sockets import Socket
from reconnection_conformance.reports.timeline import render


@dataclass
class Client:
    """The client's end, as a host link would be: what it was told, with the virtual instant."""

    runtime: ScenarioRuntime
    seen: list[tuple[float, str, Any]] = field(default_factory=list)

    def opened(self) -> None:
        self.seen.append((self.runtime.now, "opened", None))

    def message(self, data: bytes | str) -> None:
        self.seen.append((self.runtime.now, "message", data))

    def closed(self, code: int, reason: str) -> None:
        self.seen.append((self.runtime.now, "closed", code))


class EchoService:
    """Accepts sockets at /ws, answers every frame with the same frame, records what it heard."""

    vendor = "echo"

    def __init__(self) -> None:
        self.heard: list[Any] = []
        self.sockets: list[Socket] = []

    async def handle(self, device: str, path: str, body: dict[str, Any]) -> dict[str, Any]:
        return {}

    def entry_name(self, path: str) -> str:
        return "/connect" if path == "/ws" else path

    def accept_socket(self, socket: Socket) -> Any:
        if socket.path != "/ws":
            return None
        self.sockets.append(socket)
        service = self

        class Handler:
            def on_message(self, data: bytes | str) -> None:
                service.heard.append(data)
                socket.send(data, what="echo")

            def on_close(self, code: int, reason: str) -> None:
                service.heard.append(("closed", code))

        socket.answer(code=0)
        return Handler()


@pytest.fixture
def echo(runtime: ScenarioRuntime) -> EchoService:
    service = EchoService()
    runtime.network.attach(service)  # type: ignore[arg-type]
    runtime.network.base_url("echo", "A")
    return service


def _open(runtime: ScenarioRuntime, path: str = "/ws") -> tuple[Client, Socket]:
    client = Client(runtime)
    socket = runtime.network.open_socket(f"wss://a.echo.invalid{path}?token=secret-1", client)
    assert socket is not None
    runtime.loop.settle()
    return client, socket


def test_an_opening_on_an_up_link_is_accepted_and_frames_go_both_ways(runtime: ScenarioRuntime, echo: EchoService) -> None:
    client, socket = _open(runtime)
    socket.client_send(b"\xc0")
    socket.client_send("hi")
    assert client.seen == [(0.0, "opened", None), (0.0, "message", b"\xc0"), (0.0, "message", "hi")]
    [attempt] = runtime.recorder.select(Kind.REQUEST, "A", ["/connect"])  # named by the service
    assert attempt.detail["transport"] == "websocket" and attempt.detail["answer"] == {"code": 0}
    frames = runtime.recorder.select(Kind.SOCKET, "A", ["frame"])
    assert [(f.detail["direction"], f.detail.get("binary") or f.detail.get("text")) for f in frames] == [
        ("to service", "c0"), ("to client", "c0"), ("to service", "hi"), ("to client", "hi")]


def test_latency_delays_the_opening_and_the_clients_frames(runtime: ScenarioRuntime, echo: EchoService) -> None:
    runtime.network.set_link("A", LinkState.UP, latency=0.25)
    client, socket = _open(runtime)
    assert client.seen == []
    runtime.advance(0.25)
    socket.client_send("hi")
    runtime.advance(0.25)
    assert client.seen == [(0.25, "opened", None), (0.5, "message", "hi")]


def test_a_down_link_refuses_the_opening_and_drops_an_open_socket(runtime: ScenarioRuntime, echo: EchoService) -> None:
    client, _ = _open(runtime)
    runtime.advance(1)
    runtime.network.set_link("A", LinkState.DOWN)
    assert client.seen[-1] == (1.0, "closed", 1006) and echo.heard == [("closed", 1006)]
    refused, _ = _open(runtime)
    assert refused.seen == [(1.0, "closed", 1006)]
    attempts = runtime.recorder.select(Kind.REQUEST, "A", ["/connect"])
    assert attempts[-1].detail["outcome"] == "connection refused, network down"


def test_an_unresponsive_link_hangs_the_opening_and_loses_frames_until_it_changes(runtime: ScenarioRuntime, echo: EchoService) -> None:
    client, socket = _open(runtime)
    runtime.network.set_link("A", LinkState.UNRESPONSIVE)
    socket.client_send("lost")
    hanging, _ = _open(runtime)
    runtime.advance(30)
    assert echo.heard == [] and hanging.seen == [] and client.seen == [(0.0, "opened", None)]
    runtime.network.set_link("A", LinkState.UP)  # what hung through the outage is reset
    assert hanging.seen == [(30.0, "closed", 1006)] and client.seen[-1] == (30.0, "closed", 1006)
    lost = [f for f in runtime.recorder.select(Kind.SOCKET, "A", ["frame"]) if not f.detail["delivered"]]
    assert [f.detail["text"] for f in lost] == ["lost"]


def test_a_switch_resets_every_socket_and_a_flaky_link_refuses_every_nth_opening(runtime: ScenarioRuntime, echo: EchoService) -> None:
    client, _ = _open(runtime)
    runtime.network.switch("A")
    assert client.seen[-1] == (0.0, "closed", 1006)
    runtime.network.set_link("A", LinkState.UP, fail_every=2)
    outcomes = [_open(runtime)[0].seen[0][1] for _ in range(4)]
    assert outcomes == ["closed", "opened", "closed", "opened"]


def test_closes_from_either_end(runtime: ScenarioRuntime, echo: EchoService) -> None:
    client, socket = _open(runtime)
    socket.client_close(1000, "bye")
    assert client.seen[-1] == (0.0, "closed", 1000) and echo.heard == [("closed", 1000)]
    client, _ = _open(runtime)
    echo.sockets[-1].close(4001, "kicked")
    assert client.seen[-1] == (0.0, "closed", 4001)
    closes = runtime.recorder.select(Kind.SOCKET, "A", ["closed"])
    assert [(c.detail["code"], c.detail["by"]) for c in closes] == [(1000, "client"), (4001, "service")]


def test_a_socket_to_anything_else_is_a_sandbox_violation(runtime: ScenarioRuntime, echo: EchoService) -> None:
    client = Client(runtime)
    assert runtime.network.open_socket("wss://example.com/ws", client) is None
    assert client.seen == [(0.0, "closed", 1006)]
    assert "wss://example.com/ws" in runtime.sandbox.violations[0]


def test_an_endpoint_the_service_does_not_serve_is_refused(runtime: ScenarioRuntime, echo: EchoService) -> None:
    client, _ = _open(runtime, "/elsewhere")
    assert client.seen == [(0.0, "closed", 1006)]


def test_tokens_in_the_socket_url_are_redacted_and_the_timeline_draws_sockets(runtime: ScenarioRuntime, echo: EchoService) -> None:
    runtime.recorder.add_secret("secret-1")
    _open(runtime)
    runtime.advance(10)
    runtime.network.set_link("A", LinkState.DOWN)
    assert "secret-1" not in runtime.recorder.to_json()
    svg = render(runtime.recorder.entries, runtime.now, "sockets")
    assert svg.count('class="socket-bar"') == 1 and "socket 1" in svg
