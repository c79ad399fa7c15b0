"""An independent ZEGOCLOUD ZIM client, written from spec 001 (002 and 004: the same page in
Chinese) and the suite's public docs only (docs/wire-protocol.md "ZEGOCLOUD ZIM",
adapters/zim/contract.py, FACTS.md "ZEGOCLOUD ZIM"). It speaks the suite's HTTP protocol
(/login, /ping, /events, /logout, /token/renew, /message, /room/*).

Where the page obliges something, the client does it. Where the page leaves room, it makes a
choice a reasonable SDK could make, preferring one that differs from the obvious; each such
choice is marked ``PAGE LEAVES ROOM`` with the sentence of the page (001) that permits it.
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

#: PAGE LEAVES ROOM: no code is documented for a call that cannot reach the service while the
#: SDK is reconnecting (the page reserves 6000121 for DISCONNECTED: "calling other interfaces
#: will report errors with error code 6000121"). This client answers such a call with ZIM's
#: generic network-error code, which is in neither FACTS nor the contract.
NETWORK_ERROR = 6000002

#: PAGE LEAVES ROOM: "Starting from version 2.9.0, the SDK will continuously reconnect
#: internally at an appropriate frequency." The frequency is open: this client backs off,
#: waiting 2, 4, 8, 16, 32 s between attempts, then a fixed cap (45 s, or 3/4 of the profile's
#: zim.max_reconnect_gap if that is smaller), each counted from the previous attempt's start.
BACKOFF = (2.0, 4.0, 8.0, 16.0, 32.0)
BACKOFF_CAP = 45.0

#: How long one /login (first or reconnection) may take before it is given up.
LOGIN_TIMEOUT = 5.0

#: PAGE LEAVES ROOM: the page says nothing of a first login on a bad network (its Scenario 1
#: is about a user already logged in). This client keeps trying a first login that fails for
#: network reasons, every 3 s, for up to 15 s, then reports DISCONNECTED with LOGIN_TIMEOUT.
FIRST_LOGIN_WINDOW = 15.0
FIRST_LOGIN_RETRY = 3.0

#: The long-poll is held up to 25 s by the service (wire protocol); our own bound on it.
EVENTS_TIMEOUT = 30.0


class _Net(Exception):
    """The request did not get an answer (refused, reset or timed out)."""


def _refusal_event(code: int) -> ConnectionEvent:
    # PAGE LEAVES ROOM: "If the SDK cannot reconnect due to special events, it will callback
    # DISCONNECTED state and corresponding event through onConnectionStateChanged." The page
    # names no event per refusal. This client reports TOKEN_EXPIRED for an expired token
    # (6000106) and LOGIN_TIMEOUT (the login could not be completed) for any other refusal
    # (6000103 token invalid or revoked, 6000101 login failed).
    if code == ErrorCode.TOKEN_EXPIRED:
        return ConnectionEvent.TOKEN_EXPIRED
    return ConnectionEvent.LOGIN_TIMEOUT


class IndependentZimClient:
    #: The four choices below are the ones the suite's oracle rejects (findings ZIM-1 to ZIM-4
    #: in docs/findings/independent-clients.md). Each is permitted by the page; the
    #: ``ConservativeZimClient`` below turns them off, to show they alone cause those verdicts.
    #: T0: the rooms' callbacks before the connection's RECONNECTING (finding ZIM-1).
    t0_rooms_first = True
    #: onTokenWillExpire on the client's own timer, also while reconnecting (finding ZIM-2).
    token_will_expire_offline = True
    #: DISCONNECTED(TOKEN_EXPIRED) on the client's own timer at the expiry instant, without
    #: waiting for the service to say so (finding ZIM-3).
    local_token_expiry = True
    #: No room callback for the app's own leaveRoom (finding ZIM-4).
    leave_room_silent = True

    def __init__(self, ctx: ClientContext) -> None:
        self._ctx = ctx
        self._loop = ctx.loop
        self._http = http_client(ctx)
        self._tasks = ClientTasks(ctx.loop, f"zim-independent-{ctx.device}")
        self._timers = ClientTasks(ctx.loop, f"zim-independent-{ctx.device}-token")
        readings: dict[str, Any] = dict(ctx.options.get("readings") or {})
        self._lead = float(readings.get("token_will_expire_lead", 30.0))
        self._cap = min(BACKOFF_CAP, 0.75 * float(readings.get("max_reconnect_gap", 60.0)))
        self._t1_callback = bool(readings.get("t1_room_callback", True))
        self._device_id = f"independent-{ctx.device}"
        # out (never logged in, logged out, or DISCONNECTED), logging_in, connected, reconnecting
        self._state = "out"
        self._gen = 0
        self._last: tuple[ConnectionState, ConnectionEvent] | None = None
        self._user: str | None = None
        self._token = ""
        self._pending_token: str | None = None  # renewed while reconnecting: used at the next login
        self._session: str | None = None
        self._expires_at: float | None = None
        #: rooms this user is in, in the order they were entered: room id -> "connected" or
        #: "restoring" (T0 to T2)
        self._rooms: dict[str, str] = {}

    # ------------------------------------------------------------------ callbacks

    def _conn(self, state: ConnectionState, event: ConnectionEvent) -> None:
        # Requirement zim-no-duplicate-state (a reading): never the same state and event twice.
        if self._last == (state, event):
            return
        self._last = (state, event)
        self._ctx.emit(ConnectionStateChanged(state, event))

    def _room(self, room_id: str, state: RoomState, event: RoomEvent) -> None:
        self._ctx.emit(RoomStateChanged(room_id, state, event))

    # ------------------------------------------------------------------ HTTP

    async def _post(self, path: str, body: dict[str, Any], timeout: float = LOGIN_TIMEOUT) -> dict[str, Any]:
        try:
            response = await asyncio.wait_for(self._http.post(path, json=body), timeout)
            return dict(response.json())
        except (httpx.TransportError, TimeoutError, ValueError) as exc:
            raise _Net(path) from exc

    async def _session_call(self, path: str, body: dict[str, Any]) -> CallResult:
        """A call that needs a session: 6000121 when logged out or DISCONNECTED."""
        if self._state in ("out", "logging_in"):
            return CallResult(ErrorCode.NOT_LOGGED_IN)
        if self._state == "reconnecting" or self._session is None:
            return CallResult(NETWORK_ERROR)  # no session to send it on until reconnected
        gen = self._gen
        try:
            answer = await self._post(path, {"sessionId": self._session, **body})
        except _Net:
            return CallResult(NETWORK_ERROR)
        code = int(answer.get("code", 0))
        if code == ErrorCode.NOT_LOGGED_IN and gen == self._gen:
            self._session_ended(gen, str(answer.get("event", "")))
        return CallResult(code)

    # ------------------------------------------------------------------ login and logout

    async def login(self, user_id: str, token: str) -> CallResult:
        if self._state != "out":
            return CallResult(ErrorCode.ALREADY_LOGGED_IN)
        self._gen += 1
        gen = self._gen
        self._state = "logging_in"
        self._user, self._token, self._pending_token = user_id, token, None
        self._conn(ConnectionState.CONNECTING, ConnectionEvent.ACTIVE_LOGIN)
        deadline = self._loop.time() + FIRST_LOGIN_WINDOW
        while True:
            started = self._loop.time()
            try:
                answer = await self._post(
                    "/login", {"userId": user_id, "token": token, "deviceId": self._device_id, "reconnect": False}
                )
                break
            except _Net:
                if gen != self._gen:
                    return CallResult(ErrorCode.LOGIN_FAILED)
                if started + FIRST_LOGIN_RETRY >= deadline:
                    self._state = "out"
                    self._conn(ConnectionState.DISCONNECTED, ConnectionEvent.LOGIN_TIMEOUT)
                    return CallResult(ErrorCode.LOGIN_FAILED)
                await asyncio.sleep(max(0.0, started + FIRST_LOGIN_RETRY - self._loop.time()))
        if gen != self._gen:  # logged out while logging in
            return CallResult(ErrorCode.LOGIN_FAILED)
        code = int(answer.get("code", 0))
        if code != 0:
            self._state = "out"
            self._conn(ConnectionState.DISCONNECTED, _refusal_event(code))
            return CallResult(code)
        self._online(gen, answer)
        return CallResult(ErrorCode.SUCCESS)

    async def logout(self) -> CallResult:
        if self._state == "out":
            # 001, Scenario 1: after DISCONNECTED "calling other interfaces will report errors
            # with error code 6000121, indicating 'not logged in'".
            return CallResult(ErrorCode.NOT_LOGGED_IN)
        was, session = self._state, self._session
        self._end()
        # PAGE LEAVES ROOM: the page documents no callback for the app's own logout. This
        # client reports DISCONNECTED with SUCCESS (the logout the app asked for), and no room
        # callback: the rooms end with the login the app ended.
        self._conn(ConnectionState.DISCONNECTED, ConnectionEvent.SUCCESS)
        if was == "connected" and session is not None:
            try:
                await self._post("/logout", {"sessionId": session}, timeout=2.0)
            except _Net:
                pass  # the service drops a session that stops pinging
        return CallResult(ErrorCode.SUCCESS)

    async def aclose(self) -> None:
        self._gen += 1
        self._tasks.cancel()
        self._timers.cancel()
        await self._http.aclose()

    # ------------------------------------------------------------------ token

    async def renew_token(self, token: str) -> CallResult:
        if self._state in ("out", "logging_in"):
            return CallResult(ErrorCode.NOT_LOGGED_IN)
        if self._state == "reconnecting":
            # PAGE LEAVES ROOM: "After the user obtains a new Token, pass the new Token to the
            # SDK through the renewToken interface to ensure normal Token usage." The page
            # does not say what renewToken does while the SDK is reconnecting. This client
            # keeps the token, answers success, and logs in with it at the next attempt.
            self._pending_token = token
            return CallResult(ErrorCode.SUCCESS)
        gen = self._gen
        try:
            answer = await self._post("/token/renew", {"sessionId": self._session, "token": token})
        except _Net:
            if gen == self._gen and self._state == "reconnecting":
                self._pending_token = token  # the network went meanwhile: as above
                return CallResult(ErrorCode.SUCCESS)
            return CallResult(NETWORK_ERROR)
        code = int(answer.get("code", 0))
        if gen != self._gen:
            return CallResult(code)
        if code == 0:
            self._token = token
            self._schedule_token(answer.get("tokenExpiresIn"))
        elif code == ErrorCode.NOT_LOGGED_IN:
            self._session_ended(gen, str(answer.get("event", "")))
        return CallResult(code)

    def _schedule_token(self, expires_in: Any) -> None:
        self._timers.cancel()
        if not self._token or expires_in is None:
            self._expires_at = None
            return  # no token authentication
        self._expires_at = self._loop.time() + float(expires_in)
        self._timers.spawn(self._token_timers(self._expires_at), "token")

    async def _token_timers(self, expires_at: float) -> None:
        # 001, Scenario 3: "when the Token is about to expire, it will callback through
        # onTokenWillExprie"; FACTS: 30 s before (the profile's zim.token_will_expire_lead),
        # at once if less remains.
        # PAGE LEAVES ROOM: nothing ties the callback to the connection. This timer runs
        # whatever the network does: a client that is reconnecting is told too.
        await asyncio.sleep(max(0.0, expires_at - self._lead - self._loop.time()))
        remaining = max(0, round(expires_at - self._loop.time()))
        if self._state == "connected" or (self._state == "reconnecting" and self.token_will_expire_offline):
            self._ctx.emit(TokenWillExpire(remaining))
        if not self.local_token_expiry:
            return  # the service's TOKEN_EXPIRED push (or a refused reconnection) decides
        await asyncio.sleep(max(0.0, expires_at - self._loop.time()))
        # 001, Scenario 3: "If the new Token is not passed in time, the SDK will disconnect
        # from the server when the Token expires and callback DISCONNECTED state".
        # PAGE LEAVES ROOM: the client's own clock decides; offline too (a reconnecting client
        # whose token expired cannot log in again), unless a token renewed while reconnecting
        # waits for the next attempt.
        if self._state in ("connected", "reconnecting") and self._pending_token is None:
            self._disconnected(self._gen, ConnectionEvent.TOKEN_EXPIRED)

    # ------------------------------------------------------------------ session

    def _online(self, gen: int, answer: dict[str, Any]) -> None:
        self._state = "connected"
        self._session = str(answer["sessionId"])
        interval = float(answer.get("heartbeatInterval", 10))
        timeout = float(answer.get("heartbeatTimeout", 5))
        self._conn(ConnectionState.CONNECTED, ConnectionEvent.SUCCESS)
        self._schedule_token(answer.get("tokenExpiresIn"))
        self._tasks.spawn(self._heartbeat(gen, self._session, interval, timeout), "heartbeat")
        self._tasks.spawn(self._events(gen, self._session), "events")

    def _end(self) -> None:
        """Stop everything: the SDK is logged out (no callback here)."""
        self._gen += 1
        self._state = "out"
        self._session = None
        self._pending_token = None
        self._rooms.clear()
        self._tasks.cancel()
        self._timers.cancel()

    def _disconnected(self, gen: int, event: ConnectionEvent) -> None:
        """A special event: DISCONNECTED, the SDK stops and does not reconnect."""
        if gen != self._gen or self._state == "out":
            return
        rooms = list(self._rooms)
        self._end()
        # 001, Scenario 1: "If the SDK cannot reconnect due to special events, it will callback
        # DISCONNECTED state and corresponding event"; Scenario 2: "onConnectionStateChanged
        # will callback DISCONNECTED state and KICKED_OUT event"; Scenario 3: "callback
        # DISCONNECTED state through onConnectionStateChanged".
        self._conn(ConnectionState.DISCONNECTED, event)
        # PAGE LEAVES ROOM: the page says nothing of rooms when the login ends (Scenarios 1-3
        # speak of onConnectionStateChanged only). This client also tells each room it is
        # gone: KICKED_OUT_BY_OTHER_DEVICE after a kick, NETWORK_DISCONNECTED otherwise.
        room_event = (
            RoomEvent.KICKED_OUT_BY_OTHER_DEVICE if event == ConnectionEvent.KICKED_OUT else RoomEvent.NETWORK_DISCONNECTED
        )
        for room_id in rooms:
            self._room(room_id, RoomState.DISCONNECTED, room_event)

    def _session_ended(self, gen: int, event: str) -> None:
        """The service says the session ended (6000121 with the event it ended with)."""
        if event == ConnectionEvent.KICKED_OUT.name:
            self._disconnected(gen, ConnectionEvent.KICKED_OUT)
        elif event == ConnectionEvent.TOKEN_EXPIRED.name:
            self._disconnected(gen, ConnectionEvent.TOKEN_EXPIRED)
        else:  # LOGIN_INTERRUPTED: timed out; reconnect
            self._lost(gen)

    async def _heartbeat(self, gen: int, session: str, interval: float, timeout: float) -> None:
        while gen == self._gen:
            await asyncio.sleep(interval)
            if not await self._ping(gen, session, timeout):
                return

    async def _ping(self, gen: int, session: str, timeout: float) -> bool:
        """One heartbeat; False when the session is lost or ended."""
        rooms = [room for room, state in self._rooms.items() if state == "connected"]
        try:
            answer = await self._post("/ping", {"sessionId": session, "rooms": rooms}, timeout=timeout)
        except _Net:
            self._lost(gen)
            return False
        code = int(answer.get("code", 0))
        if code == ErrorCode.NOT_LOGGED_IN:
            self._session_ended(gen, str(answer.get("event", "")))
            return False
        return True

    async def _events(self, gen: int, session: str) -> None:
        while gen == self._gen:
            before = self._loop.time()
            try:
                response = await asyncio.wait_for(
                    self._http.get("/events", params={"sessionId": session}), EVENTS_TIMEOUT
                )
                body = dict(response.json())
            except TimeoutError:
                continue  # an unresponsive link: the heartbeat decides
            except (httpx.TransportError, ValueError):
                # PAGE LEAVES ROOM: "If the user's machine experiences weak network or network
                # disconnection, the SDK will internally trigger reconnection." How the SDK
                # notices is open. A failed long-poll alone does not make this client
                # reconnect: it probes with a heartbeat at once and reconnects only if that
                # fails too (a network switch that only reset the poll costs nothing).
                if not await self._ping(gen, session, 5.0):
                    return
                await asyncio.sleep(0.5)
                continue
            for event in body.get("events") or []:
                if event.get("type") == "disconnected":
                    self._session_ended(gen, str(event.get("event", "")))
                    return
            if int(body.get("code", 0)) == ErrorCode.NOT_LOGGED_IN:
                self._session_ended(gen, str(body.get("event", "")))
                return
            if self._loop.time() - before < 0.05:
                await asyncio.sleep(1.0)  # never spin on a long-poll answered at once

    # ------------------------------------------------------------------ reconnection

    def _lost(self, gen: int) -> None:
        if gen != self._gen or self._state != "connected":
            return
        self._gen += 1
        self._tasks.cancel()
        self._state = "reconnecting"
        self._session = None
        # 001, Scenario 4, T0: connection state 3, room state 1 with event 1.
        # PAGE LEAVES ROOM (order): the T0 row of the table gives both callbacks in one row,
        # with no order between them. This client reports the rooms first, then the
        # connection's RECONNECTING (Scenario 1: "it will callback RECONNECTING state and
        # LOGIN_INTERRUPTED event through onConnectionStateChanged").
        if not self.t0_rooms_first:
            self._conn(ConnectionState.RECONNECTING, ConnectionEvent.LOGIN_INTERRUPTED)
        for room_id in self._rooms:
            self._rooms[room_id] = "restoring"
            self._room(room_id, RoomState.CONNECTING, RoomEvent.NETWORK_INTERRUPTED)
        self._conn(ConnectionState.RECONNECTING, ConnectionEvent.LOGIN_INTERRUPTED)
        self._tasks.spawn(self._reconnect(self._gen), "reconnect")

    async def _reconnect(self, gen: int) -> None:
        # 001, Scenario 1, Note: "Starting from version 2.9.0, the SDK will continuously
        # reconnect internally at an appropriate frequency."
        waits = iter(BACKOFF)
        while gen == self._gen:
            started = self._loop.time()
            token = self._pending_token if self._pending_token is not None else self._token
            try:
                answer = await self._post(
                    "/login", {"userId": self._user, "token": token, "deviceId": self._device_id, "reconnect": True}
                )
            except _Net:
                if gen != self._gen:
                    return
                wait = min(next(waits, self._cap), self._cap)
                await asyncio.sleep(max(0.0, started + wait - self._loop.time()))
                continue
            if gen != self._gen:
                return
            code = int(answer.get("code", 0))
            if code != 0:
                self._disconnected(gen, _refusal_event(code))
                return
            self._token, self._pending_token = token, None
            # T1: "state == 2 (Network Recovered)"; Scenario 1: "If the SDK can reconnect, it
            # will callback CONNECTED state and SUCCESS event".
            self._online(gen, answer)
            await self._restore_rooms(gen)
            return

    async def _restore_rooms(self, gen: int) -> None:
        restoring = [room for room, state in self._rooms.items() if state == "restoring"]
        if self._t1_callback:
            # T1: "state == 1 (Starting to Actually Attempt Room Connection), event == 1" after
            # the connection's state 2 (the reading zim.t1_room_callback=true).
            for room_id in restoring:
                self._room(room_id, RoomState.CONNECTING, RoomEvent.NETWORK_INTERRUPTED)
        # Note: "When the network recovers, the SDK will ask the ZIM backend whether the user
        # is still in the room. The SDK will make corresponding event notifications based on
        # the results returned by the ZIM backend."
        # PAGE LEAVES ROOM (order): rooms are independent of each other; this client asks
        # about them in the reverse of the order they were entered.
        for room_id in reversed(restoring):
            if gen != self._gen or self._rooms.get(room_id) != "restoring":
                continue
            try:
                answer = await self._post("/room/query", {"sessionId": self._session, "roomId": room_id})
            except _Net:
                return  # the network went again: the next reconnection asks again
            if gen != self._gen:
                return
            if int(answer.get("code", 0)) != 0:
                if int(answer.get("code", 0)) == ErrorCode.NOT_LOGGED_IN:
                    self._session_ended(gen, str(answer.get("event", "")))
                    return
                continue
            if answer.get("inRoom"):
                # T2: "state == 2 (Room Connected), event == 0 (Room Network Recovered)"
                self._rooms[room_id] = "connected"
                self._room(room_id, RoomState.CONNECTED, RoomEvent.SUCCESS)
            elif not answer.get("roomExists", True):
                # T2: "state == 0 (Room Disconnected), event == 3 (Room Does Not Exist)"
                del self._rooms[room_id]
                self._room(room_id, RoomState.DISCONNECTED, RoomEvent.ROOM_NOT_EXIST)
            else:
                # T2: "state == 0 (Room Disconnected), event == 9 (Disconnected from Room Due to
                # Heartbeat Timeout)"
                del self._rooms[room_id]
                self._room(room_id, RoomState.DISCONNECTED, RoomEvent.CONNECT_TIMEOUT)

    # ------------------------------------------------------------------ messages and rooms

    async def send_message(self, to_user_id: str, text: str) -> CallResult:
        return await self._session_call("/message", {"to": to_user_id, "text": text})

    async def _room_call(self, path: str, room_id: str, active: RoomEvent, failed: RoomEvent) -> CallResult:
        if self._state in ("out", "logging_in"):
            return CallResult(ErrorCode.NOT_LOGGED_IN)
        if self._state == "reconnecting" or self._session is None:
            return CallResult(NETWORK_ERROR)
        # PAGE LEAVES ROOM: the page documents room callbacks only for the network cases of
        # Scenario 4. This client also reports the app's own room calls with the enum's
        # ACTIVE_CREATE / ACTIVE_ENTER (state 1), then state 2 with SUCCESS, or state 0 with
        # CREATE_FAILED / ENTER_FAILED.
        fresh = room_id not in self._rooms
        if fresh:
            self._room(room_id, RoomState.CONNECTING, active)
        result = await self._session_call(path, {"roomId": room_id})
        if self._state == "out":
            return result  # the login ended meanwhile; its callbacks said so
        if result.code == 0 and fresh:
            self._rooms[room_id] = "connected"
            self._room(room_id, RoomState.CONNECTED, RoomEvent.SUCCESS)
        elif fresh:
            self._room(room_id, RoomState.DISCONNECTED, failed)
        return result

    async def create_room(self, room_id: str) -> CallResult:
        return await self._room_call("/room/create", room_id, RoomEvent.ACTIVE_CREATE, RoomEvent.CREATE_FAILED)

    async def join_room(self, room_id: str) -> CallResult:
        return await self._room_call("/room/join", room_id, RoomEvent.ACTIVE_ENTER, RoomEvent.ENTER_FAILED)

    async def enter_room(self, room_id: str) -> CallResult:
        return await self._room_call("/room/enter", room_id, RoomEvent.ACTIVE_ENTER, RoomEvent.ENTER_FAILED)

    async def leave_room(self, room_id: str) -> CallResult:
        result = await self._session_call("/room/leave", {"roomId": room_id})
        if result.code == 0 and self._rooms.pop(room_id, None) is not None:
            # PAGE LEAVES ROOM: no room callback for the app's own leaveRoom (the page
            # documents none; the enum has no "active leave" event).
            if not self.leave_room_silent:
                self._room(room_id, RoomState.DISCONNECTED, RoomEvent.SUCCESS)
        return result


class ConservativeZimClient(IndependentZimClient):
    """The same client with the choices the oracle rejects turned off (a diagnostic, not the
    independent client): the connection's RECONNECTING before the rooms at T0, no
    onTokenWillExpire while reconnecting, the expiry left to the service, and leaveRoom
    reported as room state 0 with event 0."""

    t0_rooms_first = False
    token_will_expire_offline = False
    local_token_expiry = False
    leave_room_silent = False


class SilentLeaveZimClient(ConservativeZimClient):
    """The conservative client with leaveRoom silent again, as the independent client has it:
    reproduces finding ZIM-4 alone (docs/findings/independent-clients.md)."""

    leave_room_silent = True


def _manifest(name: str) -> Manifest:
    return Manifest(
        vendor=Vendor.ZIM,
        name=name,
        version="0.1.0",
        sdk_version="2.18.0",
        platforms=frozenset({"native"}),
        capabilities=frozenset({"token-authentication", "rooms", "multi-device-login"}),
    )


adapter = Adapter(manifest=_manifest("zim-independent"), client=IndependentZimClient)
conservative = Adapter(manifest=_manifest("zim-independent-conservative"), client=ConservativeZimClient)
silent_leave = Adapter(manifest=_manifest("zim-independent-silent-leave"), client=SilentLeaveZimClient)
