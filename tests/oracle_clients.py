"""Clients whose only defect is a transition no Then step looks at: the state-model oracle is what
rejects them (tests/test_oracle.py). Each subclasses a reference client and changes one thing."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from reconnection_conformance.adapters.contract import Adapter
from reconnection_conformance.adapters.express.contract import (
    CallResult,
    ErrorCode,
    PlayerState,
    PublisherState,
    RoomStateChanged,
    RoomStateChangedReason as Reason,
    RoomUserUpdate,
    UpdateType,
)
from reconnection_conformance.adapters.express.reference import ReferenceEngine, adapter as express_reference
from reconnection_conformance.adapters.rongcloud.contract import Status
from reconnection_conformance.adapters.rongcloud.reference import ReferenceClient as RongCloudReference, adapter as rongcloud_reference
from reconnection_conformance.adapters.zim.contract import RoomEvent, RoomState, TokenWillExpire
from reconnection_conformance.adapters.zim.reference import ReferenceClient as ZimReference, adapter as zim_reference


def _adapter(reference: Adapter, name: str, client: Any) -> Adapter:
    return Adapter(manifest=replace(reference.manifest, name=f"{reference.manifest.vendor}-oracle-only-{name}"), client=client)


class BlipAfterReconnect(RongCloudReference):
    """One second after reconnecting, reports SUSPEND and CONNECTED again with no attempt between."""

    def _online(self, answer: dict[str, Any]) -> None:
        reconnected = self._state == "reconnecting"
        super()._online(answer)
        if reconnected:
            self._ctx.loop.call_later(1.0, self._blip)

    def _blip(self) -> None:
        if self._state == "connected":
            self._emit(Status.SUSPEND, 30011)
            self._emit(Status.CONNECTED)


class OptimisticConnected(RongCloudReference):
    """Reports CONNECTED as soon as a reconnection starts its first attempt, before the service has
    accepted anything, and stays silent when the connection really comes back."""

    told = False

    def _begin_reconnecting(self, code: int, first_attempt_at: float | None, first_failed_at: float | None = None) -> None:
        self.told = False
        super()._begin_reconnecting(code, first_attempt_at, first_failed_at)

    async def _attempt(self, reconnect: bool) -> tuple[int, dict[str, Any]]:
        if reconnect and self._state == "reconnecting" and not self.told:
            self.told = True
            self._emit(Status.CONNECTED)
        return await super()._attempt(reconnect)

    def _online(self, answer: dict[str, Any]) -> None:
        if self._state == "reconnecting" and self.told:  # CONNECTED was said already
            self._session = answer
            self._state = "connected"
            self._spawn(self._heartbeat(answer), "heartbeat")
            self._spawn(self._listen(answer), "events")
            return
        super()._online(answer)


class TokenWillExpireTwice(ZimReference):
    """Calls onTokenWillExpire again five seconds after the first time."""

    def _schedule_will_expire(self, remaining: float) -> None:
        super()._schedule_will_expire(remaining)
        lead = self.will_expire_lead()
        self._ctx.loop.call_later(max(0.0, remaining - lead) + 5.0, lambda: self._ctx.emit(TokenWillExpire(second=int(lead) - 5)))


class RoomBlipAfterRestore(ZimReference):
    """After T2 restored a room, reports it interrupted and restored again, with no network event."""

    async def room_outcome(self, room_id: str) -> tuple[RoomState, RoomEvent]:
        state, event = await super().room_outcome(room_id)
        if state == RoomState.CONNECTED:
            def blip() -> None:
                self._emit_room(room_id, RoomState.CONNECTING, RoomEvent.NETWORK_INTERRUPTED)
                self._emit_room(room_id, RoomState.CONNECTED, RoomEvent.SUCCESS)
            self._ctx.loop.call_later(2.0, blip)
        return state, event


class HeartbeatSlowsAfterReconnect(ReferenceEngine):
    """After a reconnection, an engine that publishes nothing heartbeats every 30 s instead of the
    announced 10 s (the session survives the service's 90 s hold, so no step notices)."""

    reconnected = False

    def reconnected_reason(self) -> Any:
        self.reconnected = True
        return super().reconnected_reason()

    def heartbeat_interval(self, announced: float) -> float:
        return 30.0 if self.reconnected and not self._publishing else announced


class RoomCodes0WhilePublishingOnly(ReferenceEngine):
    """Reports RECONNECTING and RECONNECT_FAILED with error code 0 while it publishes and plays
    nothing: no scenario checks the room's codes of a device that only publishes."""

    def _emit(self, event: Any) -> None:
        if (isinstance(event, RoomStateChanged) and event.reason in (Reason.RECONNECTING, Reason.RECONNECT_FAILED)
                and self._publishing and not self._playing):
            event = RoomStateChanged(event.room_id, event.reason, 0)
        super()._emit(event)


blip_after_reconnect = _adapter(rongcloud_reference, "blip-after-reconnect", BlipAfterReconnect)
optimistic_connected = _adapter(rongcloud_reference, "optimistic-connected", OptimisticConnected)
token_will_expire_twice = _adapter(zim_reference, "token-will-expire-twice", TokenWillExpireTwice)
room_blip_after_restore = _adapter(zim_reference, "room-blip-after-restore", RoomBlipAfterRestore)
heartbeat_slows_after_reconnect = _adapter(express_reference, "heartbeat-slows-after-reconnect", HeartbeatSlowsAfterReconnect)
room_codes_0_while_publishing_only = _adapter(express_reference, "room-codes-0-while-publishing-only", RoomCodes0WhilePublishingOnly)

ORACLE_ONLY = {
    "blip_after_reconnect": "rongcloud",
    "optimistic_connected": "rongcloud",
    "token_will_expire_twice": "zim",
    "room_blip_after_restore": "zim",
    "heartbeat_slows_after_reconnect": "express",
    "room_codes_0_while_publishing_only": "express",
}


class SlowerFromTheSecondOutage(RongCloudReference):
    """Retries every 5 s during its first reconnection and every 6 s in any later one: only a life
    with two outages shows it, and no hand-written scenario has two."""

    episodes = 0

    def _begin_reconnecting(self, code: int, first_attempt_at: float | None, first_failed_at: float | None = None) -> None:
        self.episodes += 1
        super()._begin_reconnecting(code, first_attempt_at, first_failed_at)

    def retry_delay(self, attempts_made: int) -> float:
        return 6.0 if self.episodes > 1 else 5.0


slower_from_the_second_outage = _adapter(rongcloud_reference, "slower-from-the-second-outage", SlowerFromTheSecondOutage)


# --- Express engines that do what spec 003 permits and the reference does not (issue 24) --------


class StopsStreamsSilentlyOnLeaving(ReferenceEngine):
    """Leaving a room stops its streams without a word: no NO_PUBLISH / NO_PLAY (the page names no
    callback for it)."""

    def leave_streams(self) -> None:
        self._publishing.clear()
        self._playing.clear()
        self._room_streams.clear()


class EndsOnceEveryNodeFailed(ReferenceEngine):
    """Reports NO_PUBLISH / NO_PLAY as soon as every node has been attempted and failed, long before
    the window ends: "If all stream publishing nodes have been attempted and still fail"."""

    def ends_when_every_node_failed(self) -> bool:
        return True


class ReportsMissedUsersToo(ReferenceEngine):
    """Back with a new session, reports from the login answer the users gone meanwhile as well as
    the streams: the answer lists the room as it is."""

    users: set[str]

    def _emit(self, event: Any) -> None:
        known = self.__dict__.setdefault("users", set())
        if isinstance(event, RoomUserUpdate):
            (known.update if event.update_type == UpdateType.ADD else known.difference_update)(event.users)
        super()._emit(event)

    def missed_updates(self, answer: dict[str, Any]) -> None:
        super().missed_updates(answer)
        gone = sorted(self.__dict__.setdefault("users", set()) - set(answer.get("users") or ()))
        if gone:
            self._emit(RoomUserUpdate(self._room, UpdateType.DELETE, tuple(gone)))


class IgnoresRepeatedStart(ReferenceEngine):
    """A start of a stream it is already publishing or playing changes nothing: the attempt (and its
    window) that runs goes on."""

    def _running(self, stream_id: str) -> bool:
        task = self._media.get(stream_id)
        return task is not None and not task.done()

    async def start_publishing_stream(self, stream_id: str) -> CallResult:
        if self._running(stream_id) or self._publishing.get(stream_id) == PublisherState.PUBLISHING:
            return CallResult(ErrorCode.SUCCESS)
        return await super().start_publishing_stream(stream_id)

    async def start_playing_stream(self, stream_id: str) -> CallResult:
        if self._running(stream_id) or self._playing.get(stream_id) == PlayerState.PLAYING:
            return CallResult(ErrorCode.SUCCESS)
        return await super().start_playing_stream(stream_id)


class PageOnlyEngine(StopsStreamsSilentlyOnLeaving, EndsOnceEveryNodeFailed, ReportsMissedUsersToo, IgnoresRepeatedStart):
    """All four at once: an engine written from page 003 alone, where the page leaves the choice."""


stops_streams_silently_on_leaving = _adapter(express_reference, "stops-streams-silently-on-leaving", StopsStreamsSilentlyOnLeaving)
ends_once_every_node_failed = _adapter(express_reference, "ends-once-every-node-failed", EndsOnceEveryNodeFailed)
reports_missed_users_too = _adapter(express_reference, "reports-missed-users-too", ReportsMissedUsersToo)
ignores_repeated_start = _adapter(express_reference, "ignores-repeated-start", IgnoresRepeatedStart)
page_only_engine = _adapter(express_reference, "page-only-engine", PageOnlyEngine)

#: Issue 24's four readings the page does not make, each as a client the suite must pass.
PERMITTED = {
    "stops_streams_silently_on_leaving": stops_streams_silently_on_leaving,
    "ends_once_every_node_failed": ends_once_every_node_failed,
    "reports_missed_users_too": reports_missed_users_too,
    "ignores_repeated_start": ignores_repeated_start,
}
