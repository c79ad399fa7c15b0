"""The reference ZIM client: plain asyncio + httpx, speaking docs/wire-protocol.md.

It is the executable reading of the ZIM FAQ (spec 001/002/004) that every scenario is checked
against. Each policy point a real client can get wrong is a small method, so that a mutant
overrides exactly one.
"""

from __future__ import annotations

import asyncio
from typing import Any

import httpx

from reconnection_conformance.adapters.contract import Adapter, ClientContext, Manifest, Vendor
from reconnection_conformance.adapters.http import http_client
from reconnection_conformance.adapters.tasks import ClientTasks
from reconnection_conformance.adapters.zim.contract import (
    CallResult,
    ConnectionEvent,
    ConnectionState,
    ConnectionStateChanged,
    ErrorCode,
    RoomEvent,
    RoomState,
    RoomStateChanged,
    TokenWillExpire,
)

TOKEN_WILL_EXPIRE_LEAD = 30.0  # onTokenWillExpire when this many seconds remain (FACTS)
NOT_LOGGED_IN = CallResult(ErrorCode.NOT_LOGGED_IN)


class ReferenceClient:
    def __init__(self, ctx: ClientContext) -> None:
        self._ctx = ctx
        self._http = http_client(ctx)
        self._user = ""
        self._token = ""
        self._session: dict[str, Any] | None = None
        self._state = "idle"  # idle | connected | reconnecting | disconnected
        self._rooms: set[str] = set()  # rooms this user is in, as far as the client knows
        self._tasks = ClientTasks(ctx.loop, ctx.device)
        self._will_expire: asyncio.TimerHandle | None = None

    # --- the API -----------------------------------------------------------------------------

    async def login(self, user_id: str, token: str) -> CallResult:
        if self._state in ("connected", "reconnecting"):
            return CallResult(ErrorCode.ALREADY_LOGGED_IN)
        self._user, self._token = user_id, token
        self._emit_connection(ConnectionState.CONNECTING, ConnectionEvent.ACTIVE_LOGIN)
        try:
            answer = await self._login_request(reconnect=False)
        except (httpx.TransportError, TimeoutError):
            self._end(ConnectionEvent.LOGIN_TIMEOUT)
            return CallResult(ErrorCode.LOGIN_FAILED)
        if answer["code"]:
            self._end(self.refusal_event(answer["code"]))
            return CallResult(answer["code"])
        self._online(answer)
        return CallResult(ErrorCode.SUCCESS)

    async def logout(self) -> CallResult:
        if self._state == "idle" or self._state == "disconnected":
            return NOT_LOGGED_IN
        session = self._session
        self._end(ConnectionEvent.ACTIVE_LOGIN)
        if session is not None:
            try:
                await self._post("/logout", {"sessionId": session["sessionId"]})
            except httpx.TransportError:
                pass  # the service drops the session at its deadline anyway
        return CallResult(ErrorCode.SUCCESS)

    async def renew_token(self, token: str) -> CallResult:
        answer = await self._request("/token/renew", {"token": token})
        if answer.get("code") == 0:
            self._token = token
            self._schedule_will_expire(float(answer["tokenExpiresIn"]))
        return CallResult(answer["code"])

    async def send_message(self, to_user_id: str, text: str) -> CallResult:
        answer = await self._request("/message", {"to": to_user_id, "text": text})
        return CallResult(answer["code"])

    async def create_room(self, room_id: str) -> CallResult:
        return await self._room_call("/room/create", room_id, RoomEvent.ACTIVE_CREATE)

    async def join_room(self, room_id: str) -> CallResult:
        return await self._room_call("/room/join", room_id, RoomEvent.ACTIVE_ENTER)

    async def enter_room(self, room_id: str) -> CallResult:
        return await self._room_call("/room/enter", room_id, RoomEvent.ACTIVE_ENTER)

    async def leave_room(self, room_id: str) -> CallResult:
        answer = await self._request("/room/leave", {"roomId": room_id})
        if answer["code"] == 0 and room_id in self._rooms:
            self._rooms.discard(room_id)
            self._emit_room(room_id, RoomState.DISCONNECTED, RoomEvent.SUCCESS)
        return CallResult(answer["code"])

    # --- policy points (one per documented rule) ---------------------------------------------

    def logged_in(self) -> bool:
        """API calls other than login fail with 6000121 unless the client is logged in."""
        return self._state in ("connected", "reconnecting")

    def interrupted(self) -> tuple[ConnectionState, ConnectionEvent]:
        return ConnectionState.RECONNECTING, ConnectionEvent.LOGIN_INTERRUPTED

    def recovered(self) -> tuple[ConnectionState, ConnectionEvent]:
        return ConnectionState.CONNECTED, ConnectionEvent.SUCCESS

    def reconnects_after_network_loss(self) -> bool:
        return True

    def retry_delay(self, attempts_made: int) -> float:
        """0.5 s, then 1, 2, 4 … capped at 32 s: 'an appropriate frequency', for as long as it
        takes. The first wait is not zero (the real SDK waits 0.5-2 s): a connection that breaks as
        soon as it is restored (a flaky network) must not make the client spin at one instant."""
        return min(2.0 ** (attempts_made - 1), 32.0) if attempts_made else 0.5

    def keeps_retrying(self, attempts_made: int) -> bool:
        return True

    def ping_timeout(self, announced: float) -> float | None:
        return announced

    def refusal_event(self, code: int) -> ConnectionEvent:
        """The special event behind a refused login."""
        if code == ErrorCode.TOKEN_EXPIRED:
            return ConnectionEvent.TOKEN_EXPIRED
        return ConnectionEvent.LOGIN_TIMEOUT if code == ErrorCode.LOGIN_FAILED else ConnectionEvent.UNREGISTERED

    def refusal_ends_reconnection(self, code: int) -> bool:
        """Any refusal of a reconnection (token expired, token revoked) is a special event that
        ends it; only network failures are retried."""
        return True

    def reading(self, name: str, default: object) -> object:
        """A profile reading the run judges by (ctx.options["readings"]); the reference follows it."""
        return self._ctx.options.get("readings", {}).get(name, default)

    def repeats_room_state_at_t1(self) -> bool:
        """Profile zim.t1_room_callback: report the rooms' state 1 / event 1 again at T1."""
        return bool(self.reading("t1_room_callback", True))

    def ends_session(self, event: ConnectionEvent) -> bool:
        """Kicked out or token expired: disconnect for good, no reconnection."""
        return event in (ConnectionEvent.KICKED_OUT, ConnectionEvent.TOKEN_EXPIRED)

    def will_expire_lead(self) -> float:
        return TOKEN_WILL_EXPIRE_LEAD

    def device_id(self) -> str:
        return self._ctx.device

    def room_interrupted(self) -> tuple[RoomState, RoomEvent]:
        """T0 and T1: the room is trying to connect after a network interruption."""
        return RoomState.CONNECTING, RoomEvent.NETWORK_INTERRUPTED

    async def room_outcome(self, room_id: str) -> tuple[RoomState, RoomEvent]:
        """T2: ask the service whether the user is still in the room; notify from its answer."""
        answer = await self._post("/room/query", {"sessionId": self._session_id(), "roomId": room_id})
        if answer.get("inRoom"):
            return RoomState.CONNECTED, RoomEvent.SUCCESS
        if answer.get("roomExists"):
            return RoomState.DISCONNECTED, RoomEvent.CONNECT_TIMEOUT
        return RoomState.DISCONNECTED, RoomEvent.ROOM_NOT_EXIST

    # --- mechanics ---------------------------------------------------------------------------

    def _now(self) -> float:
        return self._ctx.loop.time()

    def _emit_connection(self, state: ConnectionState, event: ConnectionEvent) -> None:
        self._ctx.emit(ConnectionStateChanged(state=state, event=event))

    def _emit_room(self, room_id: str, state: RoomState, event: RoomEvent) -> None:
        self._ctx.emit(RoomStateChanged(room_id=room_id, state=state, event=event))

    def _session_id(self) -> str:
        return str(self._session["sessionId"]) if self._session else ""

    async def _post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        response = await self._http.post(path, json=body)
        return dict(response.json())

    async def _request(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        """An API call that needs a login: refused locally with 6000121 without one."""
        if not self.logged_in():
            return {"code": int(ErrorCode.NOT_LOGGED_IN)}
        try:
            answer = await self._post(path, {"sessionId": self._session_id(), **body})
        except httpx.TransportError:
            return {"code": int(ErrorCode.NOT_LOGGED_IN)}
        event = answer.get("event")
        if event in ConnectionEvent.__members__ and self.ends_session(ConnectionEvent[event]) and self.logged_in():
            self._end(ConnectionEvent[event])  # told here that the session was kicked out or expired
        return answer

    async def _room_call(self, path: str, room_id: str, event: RoomEvent) -> CallResult:
        answer = await self._request(path, {"roomId": room_id})
        if answer["code"] == 0:
            self._rooms.add(room_id)
            self._emit_room(room_id, RoomState.CONNECTED, event)
        return CallResult(answer["code"])

    async def _login_request(self, reconnect: bool) -> dict[str, Any]:
        body = {"userId": self._user, "token": self._token, "deviceId": self.device_id(), "reconnect": reconnect}
        return await asyncio.wait_for(self._post("/login", body), 10.0)

    def _spawn(self, coro: Any, name: str) -> None:
        self._tasks.spawn(coro, name)

    def _cancel_tasks(self) -> None:
        self._tasks.cancel()
        if self._will_expire is not None:
            self._will_expire.cancel()

    def _schedule_will_expire(self, remaining: float) -> None:
        if self._will_expire is not None:
            self._will_expire.cancel()
        lead = self.will_expire_lead()
        second = int(min(lead, remaining))
        self._will_expire = self._ctx.loop.call_later(
            max(0.0, remaining - lead), lambda: self._ctx.emit(TokenWillExpire(second=second))
        )

    def _online(self, answer: dict[str, Any]) -> None:
        self._session = answer
        self._state = "connected"
        self._emit_connection(ConnectionState.CONNECTED, ConnectionEvent.SUCCESS)
        self._start_session_tasks(answer)

    def _start_session_tasks(self, answer: dict[str, Any]) -> None:
        if answer.get("tokenExpiresIn") is not None:
            self._schedule_will_expire(float(answer["tokenExpiresIn"]))
        self._spawn(self._heartbeat(answer), "heartbeat")
        self._spawn(self._listen(answer), "events")

    def _end(self, event: ConnectionEvent) -> None:
        """Disconnected for good: the app has to log in again."""
        self._state = "disconnected"
        self._session = None
        self._cancel_tasks()
        self._emit_connection(ConnectionState.DISCONNECTED, event)
        for room_id in sorted(self._rooms):
            self._emit_room(room_id, RoomState.DISCONNECTED, RoomEvent.NETWORK_DISCONNECTED)
        self._rooms.clear()

    def _lost(self) -> None:
        """T0: the network is gone; the SDK reconnects by itself."""
        if self._state != "connected":
            return
        self._cancel_tasks()
        self._state = "reconnecting"
        self._emit_connection(*self.interrupted())
        for room_id in sorted(self._rooms):
            self._emit_room(room_id, *self.room_interrupted())
        if self.reconnects_after_network_loss():
            self._spawn(self._reconnect(), "reconnect")

    async def _reconnect(self) -> None:
        attempts = 0
        while self._state == "reconnecting":
            if not self.keeps_retrying(attempts):
                return
            await asyncio.sleep(self.retry_delay(attempts))
            attempts += 1
            try:
                answer = await self._login_request(reconnect=True)
            except (httpx.TransportError, TimeoutError):
                continue
            if answer["code"] and self.refusal_ends_reconnection(answer["code"]):
                return self._end(self.refusal_event(answer["code"]))
            if answer["code"]:
                continue
            return await self._recovered(answer)

    async def _recovered(self, answer: dict[str, Any]) -> None:
        """T1, then T2 for every room the user was in."""
        self._session = answer
        self._state = "connected"
        rooms = sorted(self._rooms)
        self._announce_t1(rooms)
        self._start_session_tasks(answer)
        for room_id in rooms:
            try:
                state, event = await self.room_outcome(room_id)
            except httpx.TransportError:
                return self._lost()
            if state == RoomState.DISCONNECTED:
                self._rooms.discard(room_id)
            self._emit_room(room_id, state, event)

    def _announce_t1(self, rooms: list[str]) -> None:
        """The connection is back (state 2); the rooms now really start reconnecting."""
        self._emit_connection(*self.recovered())
        if not self.repeats_room_state_at_t1():
            return
        for room_id in rooms:
            self._emit_room(room_id, *self.room_interrupted())

    async def _heartbeat(self, session: dict[str, Any]) -> None:
        timeout = self.ping_timeout(float(session["heartbeatTimeout"]))
        while True:
            await asyncio.sleep(float(session["heartbeatInterval"]))
            body = {"sessionId": session["sessionId"], "rooms": sorted(self._rooms)}
            try:
                answer = await asyncio.wait_for(self._post("/ping", body), timeout)
            except (httpx.TransportError, TimeoutError):
                return self._lost()
            if answer["code"]:
                return self._session_ended(ConnectionEvent[answer.get("event", "LOGIN_INTERRUPTED")])

    async def _listen(self, session: dict[str, Any]) -> None:
        while True:
            try:
                response = await self._http.get("/events", params={"sessionId": session["sessionId"]})
                answer = response.json()
            except httpx.TransportError:
                return self._lost()
            for event in answer.get("events", []):
                if event.get("type") == "disconnected":
                    return self._session_ended(ConnectionEvent[event["event"]])
            if answer.get("code"):
                return self._session_ended(ConnectionEvent[answer.get("event", "LOGIN_INTERRUPTED")])

    def _session_ended(self, event: ConnectionEvent) -> None:
        if self._state != "connected":
            return  # the heartbeat and the long-poll can both learn it at one instant: report it once
        if self.ends_session(event):
            self._end(event)
        else:
            self._lost()


MANIFEST = Manifest(
    vendor=Vendor.ZIM,
    name="zim-reference",
    version="1.0.0",
    sdk_version="2.9.0",
    platforms=frozenset({"native"}),
    capabilities=frozenset({"multi-device-login", "token-authentication", "rooms"}),
)

adapter = Adapter(manifest=MANIFEST, client=ReferenceClient)
