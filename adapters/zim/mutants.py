"""Deliberately non-conformant ZIM clients, one defect each (see adapters/mutant.py)."""

from __future__ import annotations

from reconnection_conformance.adapters.mutant import Mutant, mutate
from reconnection_conformance.adapters.zim.contract import (
    CallResult,
    ConnectionEvent,
    ConnectionState,
    ErrorCode,
    RoomEvent,
    RoomState,
)
from reconnection_conformance.adapters.zim.reference import ReferenceClient, adapter as reference


class WaitsForTheApp(ReferenceClient):
    def reconnects_after_network_loss(self) -> bool:
        return False


class ReportsConnectingOnLoss(ReferenceClient):
    def interrupted(self) -> tuple[ConnectionState, ConnectionEvent]:
        return ConnectionState.CONNECTING, ConnectionEvent.LOGIN_INTERRUPTED


class ReconnectingTwice(ReferenceClient):
    def interrupted(self) -> tuple[ConnectionState, ConnectionEvent]:
        self._emit_connection(ConnectionState.RECONNECTING, ConnectionEvent.LOGIN_INTERRUPTED)
        return ConnectionState.RECONNECTING, ConnectionEvent.LOGIN_INTERRUPTED


class NoHeartbeatTimeout(ReferenceClient):
    def ping_timeout(self, announced: float) -> float | None:
        return None


class GivesUpAfter10(ReferenceClient):
    def keeps_retrying(self, attempts_made: int) -> bool:
        return attempts_made < 10


class UncappedBackoff(ReferenceClient):
    def retry_delay(self, attempts_made: int) -> float:
        return 2.0 ** (attempts_made - 1) if attempts_made else 0.0


class RecoveredAsActiveLogin(ReferenceClient):
    def recovered(self) -> tuple[ConnectionState, ConnectionEvent]:
        return ConnectionState.CONNECTED, ConnectionEvent.ACTIVE_LOGIN


class RetriesAfterRefusal(ReferenceClient):
    """Reads a refused reconnection (token expired) as one more network failure."""

    async def _login_request(self, reconnect: bool) -> dict:
        answer = await super()._login_request(reconnect)
        if reconnect and answer.get("code"):
            raise TimeoutError("treated as a network failure")
        return answer


class WrongErrorWhenLoggedOut(ReferenceClient):
    async def _request(self, path: str, body: dict) -> dict:
        if not self.logged_in():
            return {"code": int(ErrorCode.LOGIN_FAILED)}
        return await super()._request(path, body)


class ReconnectsAfterKick(ReferenceClient):
    def ends_session(self, event: ConnectionEvent) -> bool:
        return event != ConnectionEvent.KICKED_OUT and super().ends_session(event)

    def retry_delay(self, attempts_made: int) -> float:
        return 5.0  # so that two such devices alternate instead of livelocking at one instant


class KickReportedAsInterrupted(ReferenceClient):
    def _end(self, event: ConnectionEvent) -> None:
        super()._end(ConnectionEvent.LOGIN_INTERRUPTED if event == ConnectionEvent.KICKED_OUT else event)


class SharedDeviceId(ReferenceClient):
    """Identifies every device of a user alike, so the service takes a second device for the first."""

    def device_id(self) -> str:
        return f"device-of-{self._user}"

    def retry_delay(self, attempts_made: int) -> float:
        return 5.0


class NoTokenWillExpire(ReferenceClient):
    def _schedule_will_expire(self, remaining: float) -> None:
        pass


class TokenWillExpireAt10s(ReferenceClient):
    def will_expire_lead(self) -> float:
        return 10.0


class RenewsLocally(ReferenceClient):
    async def renew_token(self, token: str) -> CallResult:
        if not self.logged_in():
            return CallResult(ErrorCode.NOT_LOGGED_IN)
        self._token = token
        return CallResult(ErrorCode.SUCCESS)


class ExpiryReportedAsInterrupted(ReferenceClient):
    def _end(self, event: ConnectionEvent) -> None:
        super()._end(ConnectionEvent.LOGIN_INTERRUPTED if event == ConnectionEvent.TOKEN_EXPIRED else event)


class NoRoomCallbackAtT0(ReferenceClient):
    def _emit_room(self, room_id: str, state: RoomState, event: RoomEvent) -> None:
        if self._state != "reconnecting":
            super()._emit_room(room_id, state, event)


class SkipsT1(ReferenceClient):
    def _emit_room(self, room_id: str, state: RoomState, event: RoomEvent) -> None:
        t1 = self._state == "connected" and (state, event) == self.room_interrupted()
        if not t1:
            super()._emit_room(room_id, state, event)


class RoomBeforeConnectionAtT1(ReferenceClient):
    """Reports the rooms' T1 callback before the connection's."""

    def _announce_t1(self, rooms: list[str]) -> None:
        for room_id in rooms:
            self._emit_room(room_id, *self.room_interrupted())
        self._emit_connection(*self.recovered())


class RestoresWithoutAsking(ReferenceClient):
    async def room_outcome(self, room_id: str) -> tuple[RoomState, RoomEvent]:
        return RoomState.CONNECTED, RoomEvent.SUCCESS


class TimeoutWhereRoomIsGone(ReferenceClient):
    async def room_outcome(self, room_id: str) -> tuple[RoomState, RoomEvent]:
        state, event = await super().room_outcome(room_id)
        return (state, RoomEvent.CONNECT_TIMEOUT) if event == RoomEvent.ROOM_NOT_EXIST else (state, event)


class GoneWhereDroppedByTimeout(ReferenceClient):
    async def room_outcome(self, room_id: str) -> tuple[RoomState, RoomEvent]:
        state, event = await super().room_outcome(room_id)
        return (state, RoomEvent.ROOM_NOT_EXIST) if event == RoomEvent.CONNECT_TIMEOUT else (state, event)


class RestoredAsActiveEnter(ReferenceClient):
    async def room_outcome(self, room_id: str) -> tuple[RoomState, RoomEvent]:
        state, event = await super().room_outcome(room_id)
        return (state, RoomEvent.ACTIVE_ENTER) if state == RoomState.CONNECTED else (state, event)


class _RemembersRoomAfter(ReferenceClient):
    """Keeps a room it was dropped from (with one T2 event) and answers room calls from that."""

    forgets_not: RoomEvent

    async def _recovered(self, answer: dict) -> None:
        rooms = set(self._rooms)
        await super()._recovered(answer)
        self._stale = {r for r in rooms if r not in self._rooms and self._last_t2.get(r) == self.forgets_not}

    def _emit_room(self, room_id: str, state: RoomState, event: RoomEvent) -> None:
        self.__dict__.setdefault("_last_t2", {})[room_id] = event
        super()._emit_room(room_id, state, event)

    async def _room_call(self, path: str, room_id: str, event: RoomEvent) -> CallResult:
        if room_id in getattr(self, "_stale", set()):
            return CallResult(ErrorCode.SUCCESS)  # "already in it"
        return await super()._room_call(path, room_id, event)


class RetriesAfterRevokedToken(ReferenceClient):
    """Ends reconnection on an expired token only; any other refusal is retried."""

    def refusal_ends_reconnection(self, code: int) -> bool:
        return code == ErrorCode.TOKEN_EXPIRED


class RevokedTokenAsInterrupted(ReferenceClient):
    """Reports a refused reconnection (token revoked) as DISCONNECTED with LOGIN_INTERRUPTED."""

    def refusal_event(self, code: int) -> ConnectionEvent:
        if code == ErrorCode.TOKEN_INVALID:
            return ConnectionEvent.LOGIN_INTERRUPTED
        return super().refusal_event(code)


class RoomCallsAfterExpiryAsTokenExpired(ReferenceClient):
    """After the token expired, answers room calls with 6000106 (token expired), not 6000121."""

    expired = False

    def _end(self, event: ConnectionEvent) -> None:
        self.expired = self.expired or event == ConnectionEvent.TOKEN_EXPIRED
        super()._end(event)

    async def _room_call(self, path: str, room_id: str, event: RoomEvent) -> CallResult:
        if self.expired:
            return CallResult(ErrorCode.TOKEN_EXPIRED)
        return await super()._room_call(path, room_id, event)

    async def leave_room(self, room_id: str) -> CallResult:
        if self.expired:
            return CallResult(ErrorCode.TOKEN_EXPIRED)
        return await super().leave_room(room_id)


class ForgetsRestoredRoom(ReferenceClient):
    """Reports the room restored at T2, then stops keeping its membership alive."""

    async def _recovered(self, answer: dict) -> None:
        await super()._recovered(answer)
        self._rooms.clear()


class RoomsBeforeConnection(ReferenceClient):
    """Restores the rooms (T2) before it reports the connection back (T1)."""

    async def _recovered(self, answer: dict) -> None:
        self._session = answer
        self._state = "connected"
        rooms = sorted(self._rooms)
        self._start_session_tasks(answer)
        for room_id in rooms:
            state, event = await self.room_outcome(room_id)
            if state == RoomState.DISCONNECTED:
                self._rooms.discard(room_id)
            self._emit_room(room_id, state, event)
        self._emit_connection(*self.recovered())


class RepeatsRoomStateAtT1(ReferenceClient):
    """Reports the rooms' state 1 again at T1, whatever the profile reads."""

    def repeats_room_state_at_t1(self) -> bool:
        return True


class RejoinsWithoutAsking(_RemembersRoomAfter):
    forgets_not = RoomEvent.CONNECT_TIMEOUT


class RecreatesWithoutAsking(_RemembersRoomAfter):
    forgets_not = RoomEvent.ROOM_NOT_EXIST


MUTANTS: tuple[Mutant, ...] = (
    mutate(reference, "waits-for-the-app", "zim-auto-reconnect", "never reconnects by itself", WaitsForTheApp),
    mutate(reference, "connecting-on-loss", "zim-reconnecting-state", "reports CONNECTING instead of RECONNECTING", ReportsConnectingOnLoss),
    mutate(reference, "reconnecting-twice", "zim-no-duplicate-state", "reports RECONNECTING twice for one loss", ReconnectingTwice),
    mutate(reference, "no-heartbeat-timeout", "zim-reconnecting-state", "waits for ping answers forever", NoHeartbeatTimeout),
    mutate(reference, "gives-up-after-10", "zim-keeps-reconnecting", "stops after 10 attempts", GivesUpAfter10),
    mutate(reference, "uncapped-backoff", "zim-keeps-reconnecting", "doubles the delay without a cap", UncappedBackoff),
    mutate(reference, "recovered-as-active-login", "zim-recovered", "reports CONNECTED with ACTIVE_LOGIN on recovery", RecoveredAsActiveLogin),
    mutate(reference, "retries-after-refusal", "zim-special-event", "keeps retrying a refused login", RetriesAfterRefusal),
    mutate(reference, "retries-after-revoked-token", "zim-special-event", "retries a reconnection refused for a revoked token", RetriesAfterRevokedToken),
    mutate(reference, "revoked-as-interrupted", "zim-special-event", "reports a refused reconnection with LOGIN_INTERRUPTED", RevokedTokenAsInterrupted),
    mutate(reference, "room-calls-after-expiry-6000106", "zim-not-logged-in", "answers room calls after token expiry with 6000106", RoomCallsAfterExpiryAsTokenExpired),
    mutate(reference, "wrong-error-when-logged-out", "zim-not-logged-in", "fails calls with 6000101 instead of 6000121", WrongErrorWhenLoggedOut),
    mutate(reference, "reconnects-after-kick", "zim-no-reconnect-after-kick", "treats a kick as a network loss", ReconnectsAfterKick),
    mutate(reference, "kick-as-interrupted", "zim-kicked-out", "reports a kick as LOGIN_INTERRUPTED", KickReportedAsInterrupted),
    mutate(reference, "shared-device-id", "zim-multi-device", "gives every device of a user the same id", SharedDeviceId),
    mutate(reference, "no-token-will-expire", "zim-token-will-expire", "never calls onTokenWillExpire", NoTokenWillExpire),
    mutate(reference, "token-will-expire-at-10s", "zim-token-will-expire", "calls onTokenWillExpire 10 s before expiry", TokenWillExpireAt10s),
    mutate(reference, "renews-locally", "zim-renew-token", "renewToken never reaches the service", RenewsLocally),
    mutate(reference, "expiry-as-interrupted", "zim-token-expired", "reports expiry as LOGIN_INTERRUPTED", ExpiryReportedAsInterrupted),
    mutate(reference, "no-room-callback-at-t0", "zim-room-t0", "says nothing about the room while offline", NoRoomCallbackAtT0),
    mutate(reference, "skips-t1", "zim-t1-room-callback", "goes from T0 straight to T2", SkipsT1),
    mutate(reference, "room-before-connection", "zim-t1-room-callback", "reports the room's T1 before the connection's", RoomBeforeConnectionAtT1),
    mutate(reference, "repeats-room-state-at-t1", "zim-t1-room-callback", "reports room state 1 again at T1 (the other reading)", RepeatsRoomStateAtT1),
    mutate(reference, "rooms-before-connection", "zim-room-t1", "restores the rooms before it reports the connection back", RoomsBeforeConnection),
    mutate(reference, "forgets-restored-room", "zim-room-usable", "stops keeping a restored room's membership alive", ForgetsRestoredRoom),
    mutate(reference, "restores-without-asking", "zim-room-query", "restores the room without asking the service", RestoresWithoutAsking),
    mutate(reference, "timeout-where-room-is-gone", "zim-room-t2-not-exist", "reports event 9 when the room is gone", TimeoutWhereRoomIsGone),
    mutate(reference, "gone-where-dropped", "zim-room-t2-heartbeat-timeout", "reports event 3 when the user was dropped", GoneWhereDroppedByTimeout),
    mutate(reference, "restored-as-active-enter", "zim-room-t2-restored", "reports a restored room with event 6", RestoredAsActiveEnter),
    mutate(reference, "rejoins-without-asking", "zim-room-rejoin", "answers joinRoom from a stale room list", RejoinsWithoutAsking),
    mutate(reference, "recreates-without-asking", "zim-room-recreate", "answers createRoom from a stale room list", RecreatesWithoutAsking),
)
