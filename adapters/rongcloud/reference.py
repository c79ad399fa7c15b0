"""The reference RongCloud client: plain asyncio + httpx, speaking docs/wire-protocol.md.

It is the executable reading of spec 000 that every scenario is checked against. The policy
points a real client can get wrong are small methods, so each mutant overrides exactly one.
"""

from __future__ import annotations

import asyncio
from typing import Any

import httpx

from reconnection_conformance.adapters.contract import Adapter, ClientContext, Manifest, Vendor
from reconnection_conformance.adapters.http import http_client
from reconnection_conformance.adapters.tasks import ClientTasks
from reconnection_conformance.adapters.rongcloud.contract import (
    NETWORK_CODES,
    ConnectionEvent,
    ConnectResult,
    ErrorCode,
    Platform,
    Status,
)


class ReferenceClient:
    reconnect_interval = 5.0  # spec 000, "Reconnection Interval"

    def __init__(self, ctx: ClientContext) -> None:
        self._ctx = ctx
        self._http = http_client(ctx)
        self._token = ""
        self._kick_enable: bool | None = None
        self._settings: dict[str, Any] | None = None
        self._session: dict[str, Any] | None = None
        self._state = "idle"  # idle | connected | reconnecting | stopped
        self._tasks = ClientTasks(ctx.loop, ctx.device)

    # --- the API -----------------------------------------------------------------------------

    async def connect(self, token: str, reconnect_kick_enable: bool | None = None) -> ConnectResult:
        self._token, self._kick_enable = token, reconnect_kick_enable
        self._state = "connecting"
        self._emit(Status.CONNECTING)
        started = self._now()
        code, answer = await self._attempt(reconnect=False)
        if code == ErrorCode.SUCCESS:
            self._online(answer)
            return self.connect_result(answer)
        if not self.ends_mechanism(code) and self.retries_after_failed_first_connect():
            self._begin_reconnecting(code, first_attempt_at=started, first_failed_at=self._now())
        else:
            self._stop(code)
        return self.failed_connect_result(code)

    async def disconnect(self) -> None:
        session, self._session = self._session, None
        self._stop(ErrorCode.SUCCESS)
        if session is not None:
            try:
                await self._post("/disconnect", {"sessionId": session["sessionId"]})
            except httpx.TransportError:
                pass  # the service drops the session at its heartbeat deadline anyway

    # --- policy points (one per documented rule) ---------------------------------------------

    def connect_result(self, answer: dict[str, Any]) -> ConnectResult:
        return ConnectResult(code=ErrorCode.SUCCESS, user_id=answer["userId"])

    def failed_connect_result(self, code: int) -> ConnectResult:
        return ConnectResult(code=int(code))

    def retry_delay(self, attempts_made: int) -> float:
        return self.reconnect_interval

    def keeps_retrying(self, attempts_made: int) -> bool:
        return True  # "keep trying to reconnect until the connection is successful"

    def reconnects_after_network_loss(self) -> bool:
        return True

    def retries_after_failed_first_connect(self) -> bool:
        return True  # the kick-strategy story; see features/rongcloud for the interpretation

    def ping_timeout(self, announced: float) -> float | None:
        return announced

    def reading(self, name: str, default: str) -> str:
        """A profile reading the run judges by (ctx.options["readings"]); the reference follows it."""
        return str(self._ctx.options.get("readings", {}).get(name, default))

    def next_attempt_at(self, started: float, failed: float, attempts_made: int) -> float:
        """"An interval of 5 seconds": from the previous attempt's start, or from its failure
        (profile rongcloud.interval_from; the vendor's Web SDK measures from the failure)."""
        base = failed if self.reading("interval_from", "start") == "failure" else started
        return base + self.retry_delay(attempts_made)

    def marks_reconnection(self, reconnecting: bool) -> bool:
        """Only the SDK's own reconnection asks the service not to kick (the kick strategy
        applies "when it successfully reconnects"); the app's connect is a new login."""
        return reconnecting

    def ends_mechanism(self, code: int) -> bool:
        """A connection error callback ends reconnection; network failures do not."""
        return code not in NETWORK_CODES

    def kick_online_device(self) -> bool:
        """On reconnection, kick the same-type device that is online (the default strategy)?"""
        editable = bool(self._settings and self._settings.get("reconnectKickStrategyEditable"))
        honoured = self._ctx.platform == Platform.ELECTRON and editable
        return not (honoured and self._kick_enable is True)

    # --- mechanics ---------------------------------------------------------------------------

    def _now(self) -> float:
        return asyncio.get_running_loop().time()

    def _emit(self, status: Status, code: int = 0) -> None:
        self._ctx.emit(ConnectionEvent(status=status, code=int(code)))

    async def _post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        response = await self._http.post(path, json=body)
        return dict(response.json())

    async def _attempt(self, reconnect: bool) -> tuple[int, dict[str, Any]]:
        """One connection attempt: navigation (until it has the app settings), then connect."""
        try:
            if self._settings is None:
                navi = await self._post("/navi", {"token": self._token})
                if navi["code"]:
                    return navi["code"], navi
                self._settings = navi["settings"]
            answer = await self._post(
                "/connect",
                {
                    "token": self._token,
                    "deviceId": self._ctx.device,
                    "platform": self._ctx.platform,
                    "reconnect": self.marks_reconnection(reconnect),
                    "kickOnline": self.kick_online_device(),
                },
            )
        except httpx.TransportError:
            return ErrorCode.RC_NET_UNAVAILABLE, {}
        return answer["code"], answer

    def _spawn(self, coro: Any, name: str) -> None:
        self._tasks.spawn(coro, name)

    def _cancel_tasks(self) -> None:
        self._tasks.cancel()

    def _online(self, answer: dict[str, Any]) -> None:
        self._session = answer
        self._state = "connected"
        self._emit(Status.CONNECTED)
        self._spawn(self._heartbeat(answer), "heartbeat")
        self._spawn(self._listen(answer), "events")

    def _stop(self, code: int) -> None:
        self._state = "stopped"
        self._cancel_tasks()
        self._emit(Status.DISCONNECT, code)

    def _lost(self, code: int) -> None:
        """The connection is gone for a network reason (or a service-side timeout)."""
        if self._state != "connected":
            return
        if not self.reconnects_after_network_loss():
            self._state = "stopped"
            self._cancel_tasks()
            self._emit(Status.SUSPEND, code)
            return
        self._cancel_tasks()
        self._begin_reconnecting(code, first_attempt_at=None)

    def _begin_reconnecting(
        self, code: int, first_attempt_at: float | None, first_failed_at: float | None = None
    ) -> None:
        self._state = "reconnecting"
        self._emit(Status.SUSPEND, code)
        self._spawn(self._reconnect(first_attempt_at, first_failed_at), "reconnect")

    async def _wait_for_next(self, started: float, failed: float, attempts_made: int) -> None:
        await asyncio.sleep(max(0.0, self.next_attempt_at(started, failed, attempts_made) - self._now()))

    async def _reconnect(self, first_attempt_at: float | None, first_failed_at: float | None = None) -> None:
        attempts = 0
        if first_attempt_at is not None:
            attempts = 1
            failed = first_attempt_at if first_failed_at is None else first_failed_at
            await self._wait_for_next(first_attempt_at, failed, attempts)
        while self._state == "reconnecting":
            if not self.keeps_retrying(attempts):
                self._state = "stopped"
                return
            started = self._now()
            try:
                code, answer = await asyncio.wait_for(
                    self._attempt(reconnect=True), self.reconnect_interval
                )
            except TimeoutError:
                code, answer = ErrorCode.RC_CONN_ACK_TIMEOUT, {}
            attempts += 1
            if self._state != "reconnecting":
                return
            if code == ErrorCode.SUCCESS:
                self._online(answer)
                return
            if self.ends_mechanism(code):
                self._stop(code)
                return
            await self._wait_for_next(started, self._now(), attempts)

    async def _heartbeat(self, session: dict[str, Any]) -> None:
        timeout = self.ping_timeout(float(session["heartbeatTimeout"]))
        while True:
            await asyncio.sleep(float(session["heartbeatInterval"]))
            try:
                answer = await asyncio.wait_for(
                    self._post("/ping", {"sessionId": session["sessionId"]}), timeout
                )
            except (httpx.TransportError, TimeoutError):
                return self._lost(ErrorCode.RC_NET_CHANNEL_INVALID)
            if answer["code"] == ErrorCode.SUCCESS:
                continue
            if self.ends_mechanism(answer["code"]):
                return self._stop(answer["code"])
            return self._lost(answer["code"])

    async def _listen(self, session: dict[str, Any]) -> None:
        while True:
            try:
                response = await self._http.get("/events", params={"sessionId": session["sessionId"]})
                answer = response.json()
            except httpx.TransportError:
                return self._lost(ErrorCode.RC_NET_CHANNEL_INVALID)
            for event in answer.get("events", []):
                if event.get("type") == "kicked" and self.ends_mechanism(event["code"]):
                    return self._stop(event["code"])
                if event.get("type") == "kicked":
                    return self._lost(event["code"])
            if answer.get("code"):
                return self._lost(answer["code"])


MANIFEST = Manifest(
    vendor=Vendor.RONGCLOUD,
    name="rongcloud-reference",
    version="1.0.0",
    sdk_version="5.0.0",  # RongIMLib 5, as spec 000 reads
    platforms=frozenset({Platform.ELECTRON, Platform.WEB}),
)

adapter = Adapter(manifest=MANIFEST, client=ReferenceClient)
