"""The simulated RongCloud service's second front (fixtures/rongcloud_sdk_front.py): RongCloud's
own connection protocol, frame by frame, on the same core as the suite's HTTP protocol, so a
device on either front meets the same rules and the devices of both kick each other."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest

from reconnection_conformance.adapters.rongcloud.contract import ErrorCode
from reconnection_conformance.fixtures.network import LinkState, NetworkFailure, Reply
from reconnection_conformance.fixtures.recorder import Kind
from reconnection_conformance.fixtures.rongcloud_frames import ConnAckStatus, DisconnectStatus, pong, server_disconnect
from reconnection_conformance.fixtures.rongcloud_service import RongCloudService
from reconnection_conformance.fixtures.runtime import ScenarioRuntime


@dataclass
class Sdk:
    """The client's end of a socket (a fixtures.sockets.ClientEnd), as the Web SDK's would see it."""

    frames: list[bytes] = field(default_factory=list)
    closed_with: int | None = None

    def opened(self) -> None:
        pass

    def message(self, data: bytes | str) -> None:
        assert isinstance(data, bytes)
        self.frames.append(data)

    def closed(self, code: int, reason: str) -> None:
        self.closed_with = code


@pytest.fixture
def service(runtime: ScenarioRuntime) -> RongCloudService:
    for device in ("A", "B"):
        runtime.network.base_url("rongcloud", device)
    return runtime.service  # type: ignore[no-any-return]


def _socket(runtime: ScenarioRuntime, device: str, token: str, **query: str) -> tuple[Sdk, Any]:
    sdk = Sdk()
    url = f"wss://{device.lower()}.rongcloud.invalid/websocket?" + urlencode({"appId": "k", "token": token, "protocolVer": "3", **query})
    socket = runtime.network.open_socket(url, sdk)
    runtime.loop.settle()  # type: ignore[union-attr]
    return sdk, socket


def _navi(runtime: ScenarioRuntime, token: str) -> Any:
    body = f"token={token}&v=5.38.0&platfrom=browser".encode()
    return runtime.loop.run_call(  # type: ignore[union-attr]
        lambda: runtime.network.route_raw("POST", "https://a.rongcloud.invalid/v2/navi.json?cloud=0", body), virtual_timeout=60
    )


def test_navigation_names_the_devices_own_host_or_refuses_an_unknown_token(runtime: ScenarioRuntime, service: RongCloudService) -> None:
    token = service.issue_token("Zhangsan")
    assert _navi(runtime, token)["server"] == "a.rongcloud.invalid"
    refused = _navi(runtime, "not-a-token")
    assert isinstance(refused, Reply) and refused.status == 401
    answers = [e.detail["answer"]["code"] for e in runtime.recorder.select(Kind.REQUEST, "A", ["/navi"])]
    assert answers == [200, int(ErrorCode.RC_CONN_TOKEN_INCORRECT)]  # the refusal recorded with what it means


def test_an_accepted_socket_gets_the_connect_acknowledgement_and_pongs(runtime: ScenarioRuntime, service: RongCloudService) -> None:
    sdk, socket = _socket(runtime, "A", service.issue_token("Zhangsan"))
    [ack] = sdk.frames
    assert ack[:3] == bytes([0x20, 0x00, ConnAckStatus.ACCEPTED]) and b"Zhangsan" in ack
    socket.client_send(b"\xc0")
    assert sdk.frames[-1] == pong()
    [attempt] = runtime.recorder.select(Kind.REQUEST, "A", ["/connect"])
    assert attempt.detail["answer"]["code"] == 0 and attempt.detail["token"].startswith("<redacted")
    assert len(runtime.recorder.select(Kind.REQUEST, "A", ["/ping"])) == 1
    [session] = service.online("Zhangsan")
    runtime.advance(29)
    socket.client_send(b"\xc0")  # a heartbeat keeps the session past the service's deadline
    runtime.advance(29)
    assert service.online("Zhangsan") == [session]


@pytest.mark.parametrize(
    ("world", "status"),
    [("expired", ConnAckStatus.TOKEN_EXPIRED), ("blocked", ConnAckStatus.USER_BLOCKED), ("unknown", ConnAckStatus.TOKEN_INCORRECT)],
)
def test_a_refused_login_is_a_refusal_in_the_acknowledgement(runtime: ScenarioRuntime, service: RongCloudService, world: str, status: ConnAckStatus) -> None:
    token = service.issue_token("Zhangsan")
    if world == "expired":
        service.expired_tokens.add(token)
    elif world == "blocked":
        service.blocked_users.add("Zhangsan")
    else:
        token = "not-a-token"
    sdk, _ = _socket(runtime, "A", token)
    assert sdk.frames == [bytes([0x20, 0x00, status])] and service.online() == []
    [attempt] = runtime.recorder.select(Kind.REQUEST, "A", ["/connect"])
    assert attempt.detail["answer"]["code"] == status.sdk_code


def test_a_login_on_the_suites_front_kicks_the_device_on_rongclouds_front(runtime: ScenarioRuntime, service: RongCloudService) -> None:
    token = service.issue_token("Zhangsan")
    sdk, _ = _socket(runtime, "A", token)

    async def login_b() -> Any:
        async with httpx.AsyncClient(base_url="https://b.rongcloud.invalid") as http:
            return (await http.post("/connect", json={"token": token, "platform": "web"})).json()

    assert runtime.loop.run_call(login_b, virtual_timeout=60)["code"] == 0  # type: ignore[union-attr]
    assert sdk.frames[-1] == server_disconnect(DisconnectStatus.KICKED) and sdk.closed_with == 1000
    [kick] = runtime.recorder.select(Kind.PUSH, "A", ["kicked"])
    assert kick.detail == {"code": int(ErrorCode.RC_DISCONN_KICK), "via": "websocket", "delivered": True}


def test_a_reconnecting_client_that_asks_not_to_kick_is_refused_with_31023(runtime: ScenarioRuntime, service: RongCloudService) -> None:
    token = service.issue_token("Zhangsan")
    online, _ = _socket(runtime, "B", token)
    refused, _ = _socket(runtime, "A", token, reconnect="1", kickOnline="0")
    assert refused.frames == [bytes([0x20, 0x00, ConnAckStatus.SAME_CLIENT_ONLINE])]
    assert online.closed_with is None and len(service.online("Zhangsan")) == 1


def test_a_socket_the_client_closes_or_loses_ends_its_session(runtime: ScenarioRuntime, service: RongCloudService) -> None:
    token = service.issue_token("Zhangsan")
    _, socket = _socket(runtime, "A", token)
    socket.client_close(1005, "")
    assert service.online() == []
    _socket(runtime, "A", token)
    runtime.network.set_link("A", LinkState.DOWN)
    assert service.online() == []


def test_a_public_host_is_served_for_the_device_the_host_names_and_refused_otherwise(runtime: ScenarioRuntime, service: RongCloudService) -> None:
    url = "https://dualstack-cloudcontrol.rong-edge.com/v1/config"
    served = runtime.loop.run_call(lambda: runtime.network.route_raw("POST", url, b"{}", "A"), virtual_timeout=60)  # type: ignore[union-attr]
    assert served == {} and runtime.recorder.select(Kind.REQUEST, "A", ["/config"])
    with pytest.raises(NetworkFailure, match="did not say which device"):
        runtime.loop.run_call(lambda: runtime.network.route_raw("POST", url, b"{}"), virtual_timeout=60)  # type: ignore[union-attr]
    assert "dualstack-cloudcontrol.rong-edge.com" in runtime.sandbox.violations[0]
