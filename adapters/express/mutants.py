"""Deliberately non-conformant ZEGO Express engines, one defect each (see adapters/mutant.py)."""

from __future__ import annotations

import asyncio
from typing import Any

from reconnection_conformance.adapters.express.contract import (
    CallResult,
    ErrorCode,
    PlayerState,
    PlayerStateUpdate,
    PublisherState,
    PublisherStateUpdate,
    RoomStateChanged,
    RoomStateChangedReason as Reason,
    RoomStreamUpdate,
    UpdateType,
)
from reconnection_conformance.adapters.express.reference import ReferenceEngine, adapter as reference
from reconnection_conformance.adapters.mutant import Mutant, mutate


class _Filtered(ReferenceEngine):
    """Rewrites or drops callbacks on their way out: ``rewrite`` returns the event or None."""

    def rewrite(self, event: Any) -> Any:
        return event

    def _emit(self, event: Any) -> None:
        if (changed := self.rewrite(event)) is not None:
            super()._emit(changed)


def _room(event: Any, reason: Reason) -> bool:
    return isinstance(event, RoomStateChanged) and event.reason == reason


class NoLogining(_Filtered):
    def rewrite(self, event: Any) -> Any:
        return None if _room(event, Reason.LOGINING) else event


class LoginFailureAsLogout(_Filtered):
    def rewrite(self, event: Any) -> Any:
        return RoomStateChanged(event.room_id, Reason.LOGOUT, 0) if _room(event, Reason.LOGIN_FAILED) else event


class _Switching(_Filtered):
    """Knows whether a switchRoom is in progress, so a mutant can rewrite only its callbacks."""

    switching = False

    async def switch_room(self, from_room_id: str, to_room_id: str) -> Any:
        self.switching = True
        try:
            return await super().switch_room(from_room_id, to_room_id)
        finally:
            self.switching = False


class SwitchWithoutLogout(_Switching):
    def rewrite(self, event: Any) -> Any:
        return None if self.switching and _room(event, Reason.LOGOUT) else event


class SilentLogout(_Filtered):
    def rewrite(self, event: Any) -> Any:
        return None if _room(event, Reason.LOGOUT) else event


class LogoutRefusalIgnored(_Filtered):
    def rewrite(self, event: Any) -> Any:
        return RoomStateChanged(event.room_id, Reason.LOGOUT, 0) if _room(event, Reason.LOGOUT_FAILED) else event


class RetriesAfterLogout(ReferenceEngine):
    def logout_while_reconnecting(self, room_id: str) -> CallResult:
        self._emit(RoomStateChanged(room_id, Reason.LOGOUT, 0))  # says so, stops nothing
        return CallResult(ErrorCode.SUCCESS)


class KickAsNetworkLoss(ReferenceEngine):
    def kicked(self, code: int) -> None:
        self._lost()

    def retry_delay(self, attempts_made: int) -> float:
        return 5.0  # two such devices alternate instead of livelocking at one instant


class ReconnectsAfterKickOut(ReferenceEngine):
    """Reports KICK_OUT, then logs in again by itself as if the network had failed."""

    def kicked(self, code: int) -> None:
        super().kicked(code)
        self._state = "reconnecting"
        self._spawn(self._reconnect(self._now() + self._room_window), "reconnect-after-kick")

    def retry_delay(self, attempts_made: int) -> float:
        return 5.0  # two such devices alternate instead of livelocking at one instant


class RoomCodes0(_Filtered):
    """Reports RECONNECTING and RECONNECT_FAILED with error code 0."""

    def rewrite(self, event: Any) -> Any:
        if _room(event, Reason.RECONNECTING) or _room(event, Reason.RECONNECT_FAILED):
            return RoomStateChanged(event.room_id, event.reason, 0)
        return event


class NeverRetriesTheRoom(ReferenceEngine):
    """Reports RECONNECTING, then waits out the window without a single attempt."""

    def retry_delay(self, attempts_made: int) -> float:
        return 365 * 24 * 3600.0


class LoginingOnLoss(_Filtered):
    def rewrite(self, event: Any) -> Any:
        return RoomStateChanged(event.room_id, Reason.LOGINING, 0) if _room(event, Reason.RECONNECTING) else event


class ReconnectedAsLogined(ReferenceEngine):
    def reconnected_reason(self) -> Reason:
        return Reason.LOGINED


class GivesUpAt10Minutes(ReferenceEngine):
    def retry_windows(self) -> tuple[float, float]:
        room, av = super().retry_windows()
        return min(room, 600.0), min(av, 600.0)


class RetriesAfterReconnectFailed(ReferenceEngine):
    def _give_up(self) -> None:
        self._emit(RoomStateChanged(self._room, Reason.RECONNECT_FAILED, ErrorCode.RETRY_TIMEOUT))
        self._spawn(self._reconnect(self._now() + 24 * 3600.0), "reconnect-again")


class AlwaysNotifies(ReferenceEngine):
    def user_status_notify(self, requested: bool) -> bool:
        return True


class NeverNotifies(ReferenceEngine):
    def user_status_notify(self, requested: bool) -> bool:
        return False


class ReentersTheRoom(ReferenceEngine):
    """Reconnects by leaving the room and logging in afresh, so the others see it go and come."""

    def resumes_session(self) -> bool:
        return False

    async def _post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        if path == "/room/login" and self._state == "reconnecting" and self._session is not None:
            await super()._post("/room/logout", {"sessionId": self._session["sessionId"], "roomId": self._room})
        return await super()._post(path, body)


class HeartbeatEvery30s(ReferenceEngine):
    def heartbeat_interval(self, announced: float) -> float:
        return 30.0


class LateLogined(_Filtered):
    def rewrite(self, event: Any) -> Any:
        if _room(event, Reason.LOGINED):
            self._ctx.loop.call_later(1.0, ReferenceEngine._emit, self, event)
            return None
        return event


class NeverResumesMedia(ReferenceEngine):
    def resumes_media(self) -> bool:
        return False


class NoPublishRequesting(_Filtered):
    def rewrite(self, event: Any) -> Any:
        interrupted = isinstance(event, PublisherStateUpdate) and event.state == PublisherState.PUBLISH_REQUESTING and event.error_code
        return None if interrupted else event


class PublishFailureWithCode0(ReferenceEngine):
    def failure_code(self, code: int) -> int:
        return 0


class GivesUpAfterOneNode(ReferenceEngine):
    """Takes an unreachable publish node for a steady-state error: NO_PUBLISH after the first."""

    def is_final_publish_error(self, code: int) -> bool:
        return code == ErrorCode.PUBLISH_INTERRUPTED or super().is_final_publish_error(code)


class FirstNodeOnly(ReferenceEngine):
    def nodes(self) -> range:
        return range(1)


class RetriesTakenStreamId(ReferenceEngine):
    def is_final_publish_error(self, code: int) -> bool:
        return False


class NoPlayRequesting(_Filtered):
    def rewrite(self, event: Any) -> Any:
        interrupted = isinstance(event, PlayerStateUpdate) and event.state == PlayerState.PLAY_REQUESTING and event.error_code
        return None if interrupted else event


class PlayerGivesUpSilently(_Filtered):
    def rewrite(self, event: Any) -> Any:
        return None if isinstance(event, PlayerStateUpdate) and event.state == PlayerState.NO_PLAY else event


class IgnoresRoomRetryTime(ReferenceEngine):
    def retry_windows(self) -> tuple[float, float]:
        return self.default_retry_window, super().retry_windows()[1]


class IgnoresAvRetryTime(ReferenceEngine):
    def retry_windows(self) -> tuple[float, float]:
        return super().retry_windows()[0], self.default_retry_window


class HonoursRetryTimeAfterLogin(ReferenceEngine):
    """Reads the settings when the connection drops, not at loginRoom."""

    def _lost(self) -> None:
        self._room_window, self._av_window = self.retry_windows()
        super()._lost()


class AssumesStreamSurvived(ReferenceEngine):
    """After a reconnection, reports PUBLISHING without publishing again."""

    interrupted = False

    def _lost(self) -> None:
        self.interrupted = True
        super()._lost()

    async def _media_request(self, path: str, stream_id: str, node: int, deadline: float) -> int:
        if path == "/stream/publish" and self.interrupted:
            await self._room_ready.wait()
            return 0
        return await super()._media_request(path, stream_id, node, deadline)


class RestartsStreamOnReconnect(ReferenceEngine):
    """Stops and publishes the stream anew after any reconnection."""

    interrupted = False

    def _lost(self) -> None:
        self.interrupted = True
        super()._lost()

    async def _media_request(self, path: str, stream_id: str, node: int, deadline: float) -> int:
        if path == "/stream/publish" and self.interrupted and self._session is not None:
            self.interrupted = False
            await self._room_ready.wait()
            await self._post("/stream/stop", {"sessionId": self._session["sessionId"], "streamId": stream_id})
        return await super()._media_request(path, stream_id, node, deadline)


class RepublishesOnlyIntoResumedSession(ReferenceEngine):
    """Gives its streams up when the service had dropped the session during the outage."""

    def _online(self, answer: dict[str, Any]) -> None:
        was_reconnecting = self._state == "reconnecting"
        super()._online(answer)
        if was_reconnecting and not answer.get("resumed"):
            for stream_id in list(self._publishing):
                self._stop_media(stream_id)
                self._set_publisher(stream_id, PublisherState.NO_PUBLISH, ErrorCode.PUBLISH_RETRY_TIMEOUT)


class PlayerStopsWhenPublisherGone(ReferenceEngine):
    def _publisher_gone(self, stream_id: str) -> None:
        self._set_player(stream_id, PlayerState.NO_PLAY, ErrorCode.PLAY_INTERRUPTED)


class KeepsStreamsWhenLeaving(ReferenceEngine):
    """Keeps the streams of a room it leaves, and restarts them at the next interruption."""

    def leave_streams(self) -> None:
        pass


class ForgetsMissedDeletes(ReferenceEngine):
    """Back in the room with a new session, never reports the streams deleted while it was away."""

    def missed_updates(self, answer: dict[str, Any]) -> None:
        pass


class DropsStreamDelete(ReferenceEngine):
    def relays(self, event: dict[str, Any]) -> bool:
        return not (event["type"] == "streams" and event["updateType"] == "DELETE")


class DebouncesStreamUpdates(_Filtered):
    """Holds a stream DELETE for 2 s and swallows it (and the ADD) if the stream comes back."""

    held: dict[str, asyncio.TimerHandle]

    def rewrite(self, event: Any) -> Any:
        if not isinstance(event, RoomStreamUpdate) or len(event.streams) != 1:
            return event
        held = self.__dict__.setdefault("held", {})
        stream = event.streams[0]
        if event.update_type == UpdateType.DELETE:
            held[stream] = self._ctx.loop.call_later(2.0, ReferenceEngine._emit, self, event)
            return None
        if stream in held:
            held.pop(stream).cancel()
            return None
        return event


class PlayerWindow10Minutes(ReferenceEngine):
    """Gives playing a 10-minute default window, publishing the documented one."""

    def media_window(self, kind: str) -> float:
        window = super().media_window(kind)
        return min(window, 600.0) if kind == "play" else window


class AvRetryTimePublishOnly(ReferenceEngine):
    """Applies av_retry_time to publishing only; playing keeps the default window."""

    def media_window(self, kind: str) -> float:
        return self.default_retry_window if kind == "play" else super().media_window(kind)


class ResumesMediaAfterWindow(ReferenceEngine):
    """Once the room is back, starts publishing and playing again even where the window had ended."""

    def _online(self, answer: dict[str, Any]) -> None:
        was_reconnecting = self._state == "reconnecting"
        super()._online(answer)
        if not was_reconnecting:
            return
        for stream_id, state in list(self._publishing.items()):
            if state == PublisherState.NO_PUBLISH:
                self._start_media(stream_id, self._publish_until(stream_id, self._now() + 600.0))
        for stream_id, pstate in list(self._playing.items()):
            if pstate == PlayerState.NO_PLAY:
                self._start_media(stream_id, self._play_until(stream_id, self._now() + 600.0))


class _Interrupted(ReferenceEngine):
    interrupted = False

    def _lost(self) -> None:
        self.interrupted = True
        super()._lost()


class InterruptedPublishFailsWith0(_Interrupted):
    """Reports NO_PUBLISH with error 0 when the retries after an interruption run out."""

    def failure_code(self, code: int) -> int:
        return 0 if self.interrupted and code == ErrorCode.PUBLISH_RETRY_TIMEOUT else code


class InterruptedPlayFailsWith0(_Interrupted):
    """Reports NO_PLAY with error 0 when the retries after an interruption run out."""

    def failure_code(self, code: int) -> int:
        return 0 if self.interrupted and code in (ErrorCode.PLAY_INTERRUPTED, ErrorCode.PLAY_FAILED) else code



class SwitchSwallowsLogoutFailure(_Switching):
    def rewrite(self, event: Any) -> Any:
        return None if self.switching and _room(event, Reason.LOGOUT_FAILED) else event


class SwitchSwallowsLoginFailure(_Switching):
    def rewrite(self, event: Any) -> Any:
        return None if self.switching and _room(event, Reason.LOGIN_FAILED) else event


class RetriesPublishTokenError(ReferenceEngine):
    def is_final_publish_error(self, code: int) -> bool:
        return code == ErrorCode.STREAM_ID_IN_USE


class RetriesPlayTokenError(ReferenceEngine):
    def is_final_play_error(self, code: int) -> bool:
        return False


class IgnoresConnectionReset(ReferenceEngine):
    """Takes a reset long-poll for a glitch and polls again; only a second failure is a loss."""

    def connection_lost(self, failures_in_a_row: int) -> bool:
        return failures_in_a_row >= 2


class IgnoresLateRetrySetting(ReferenceEngine):
    """Never applies a retry time set after loginRoom, whatever the profile reads."""

    def rereads_retry_time_at_interruption(self) -> bool:
        return False


class LogoutFailedWhileReconnecting(ReferenceEngine):
    def reading(self, name: str, default: str) -> str:
        return "logout-failed" if name == "logout_while_reconnecting" else super().reading(name, default)


class LogoutWhileReconnecting(ReferenceEngine):
    def reading(self, name: str, default: str) -> str:
        return "logout" if name == "logout_while_reconnecting" else super().reading(name, default)


MUTANTS: tuple[Mutant, ...] = (
    mutate(reference, "no-logining", "ex-login-states", "skips LOGINING", NoLogining),
    mutate(reference, "login-failure-as-logout", "ex-login-states", "reports a failed login as LOGOUT", LoginFailureAsLogout),
    mutate(reference, "switch-without-logout", "ex-switch-room", "switchRoom does not report LOGOUT", SwitchWithoutLogout),
    mutate(reference, "silent-logout", "ex-logout-states", "logoutRoom reports nothing", SilentLogout),
    mutate(reference, "logout-refusal-ignored", "ex-logout-states", "reports LOGOUT when the logout failed", LogoutRefusalIgnored),
    mutate(reference, "retries-after-logout", "ex-logout-during-reconnection", "keeps reconnecting after logoutRoom", RetriesAfterLogout),
    mutate(reference, "kick-as-network-loss", "ex-kick-out", "reconnects after a kick", KickAsNetworkLoss),
    mutate(reference, "reconnects-after-kick-out", "ex-kick-out", "reports KICK_OUT, then logs in again by itself", ReconnectsAfterKickOut),
    mutate(reference, "room-codes-0", "ex-reconnect-states", "reports RECONNECTING and RECONNECT_FAILED with error code 0", RoomCodes0),
    mutate(reference, "never-retries-the-room", "ex-reconnect-states", "waits out the room window without an attempt", NeverRetriesTheRoom),
    mutate(reference, "logining-on-loss", "ex-reconnect-states", "reports LOGINING instead of RECONNECTING", LoginingOnLoss),
    mutate(reference, "reconnected-as-logined", "ex-reconnect-states", "reports LOGINED instead of RECONNECTED", ReconnectedAsLogined),
    mutate(reference, "gives-up-at-10-min", "ex-retry-default", "stops reconnecting after 10 minutes", GivesUpAt10Minutes),
    mutate(reference, "retries-after-reconnect-failed", "ex-case3-failed", "keeps retrying after RECONNECT_FAILED", RetriesAfterReconnectFailed),
    mutate(reference, "always-notifies", "ex-user-status-notify", "logs in with isUserStatusNotify true whatever the app says", AlwaysNotifies),
    mutate(reference, "never-notifies", "ex-user-status-notify", "logs in with isUserStatusNotify false whatever the app says", NeverNotifies),
    mutate(reference, "reenters-the-room", "ex-case1-silent", "reconnects by logging out and in again", ReentersTheRoom),
    mutate(reference, "heartbeat-every-30s", "ex-case2-delete-add", "heartbeats every 30 s, so others hear of a loss 60 s after it", HeartbeatEvery30s),
    mutate(reference, "late-logined", "ex-join-timing", "reports LOGINED a second late", LateLogined),
    mutate(reference, "never-resumes-media", "ex-publish-retry", "never publishes or plays again after an interruption", NeverResumesMedia),
    mutate(reference, "no-publish-requesting", "ex-publish-retry", "stays silent while publishing is interrupted", NoPublishRequesting),
    mutate(reference, "publish-failure-with-code-0", "ex-publish-failed", "reports NO_PUBLISH/NO_PLAY with error 0", PublishFailureWithCode0),
    mutate(reference, "first-node-only", "ex-publish-failed", "only ever tries the first node", FirstNodeOnly),
    mutate(reference, "gives-up-after-one-node", "ex-publish-failed", "reports NO_PUBLISH once the first node failed", GivesUpAfterOneNode),
    mutate(reference, "retries-taken-stream-id", "ex-publish-duplicate", "retries a stream ID another user publishes", RetriesTakenStreamId),
    mutate(reference, "no-play-requesting", "ex-play-retry", "stays silent while playing is interrupted", NoPlayRequesting),
    mutate(reference, "player-gives-up-silently", "ex-play-failed", "never reports NO_PLAY", PlayerGivesUpSilently),
    mutate(reference, "ignores-room-retry-time", "ex-retry-config", "ignores room_retry_time", IgnoresRoomRetryTime),
    mutate(reference, "ignores-av-retry-time", "ex-retry-config", "ignores av_retry_time", IgnoresAvRetryTime),
    mutate(reference, "retry-time-after-login", "ex-late-retry-setting", "applies settings made after loginRoom to the next interruption (the other reading)", HonoursRetryTimeAfterLogin),
    mutate(reference, "ignores-late-retry-setting", "ex-late-retry-setting", "never applies settings made after loginRoom (the other reading)", IgnoresLateRetrySetting),
    mutate(reference, "logout-failed-while-reconnecting", "ex-logout-during-reconnection", "reports LOGOUT_FAILED for a logout during reconnection (the other reading)", LogoutFailedWhileReconnecting),
    mutate(reference, "logout-while-reconnecting", "ex-logout-during-reconnection", "reports LOGOUT for a logout during reconnection (the other reading)", LogoutWhileReconnecting),
    mutate(reference, "player-window-10-min", "ex-retry-default", "gives playing a 10-minute default window", PlayerWindow10Minutes),
    mutate(reference, "av-retry-time-publish-only", "ex-retry-config", "applies av_retry_time to publishing only", AvRetryTimePublishOnly),
    mutate(reference, "resumes-media-after-window", "ex-window-final", "publishes and plays again after their window ended", ResumesMediaAfterWindow),
    mutate(reference, "interrupted-publish-fails-with-0", "ex-publish-failed", "reports NO_PUBLISH with 0 after an interruption", InterruptedPublishFailsWith0),
    mutate(reference, "interrupted-play-fails-with-0", "ex-play-failed", "reports NO_PLAY with 0 after an interruption", InterruptedPlayFailsWith0),
    mutate(reference, "switch-swallows-logout-failure", "ex-switch-room-failed", "switchRoom does not report LOGOUT_FAILED", SwitchSwallowsLogoutFailure),
    mutate(reference, "switch-swallows-login-failure", "ex-switch-room-failed", "switchRoom does not report LOGIN_FAILED", SwitchSwallowsLoginFailure),
    mutate(reference, "retries-publish-token-error", "ex-publish-steady-error", "retries a publish refused for its token", RetriesPublishTokenError),
    mutate(reference, "retries-play-token-error", "ex-play-steady-error", "retries a play refused for its token", RetriesPlayTokenError),
    mutate(reference, "ignores-connection-reset", "ex-network-switch", "polls again after a reset instead of reconnecting", IgnoresConnectionReset),
    mutate(reference, "assumes-stream-survived", "ex-host-stream-delete", "reports PUBLISHING after a long outage without publishing", AssumesStreamSurvived),
    mutate(reference, "restarts-stream-on-reconnect", "ex-host-stream-delete", "stops and republishes after any reconnection", RestartsStreamOnReconnect),
    mutate(reference, "republishes-only-if-resumed", "ex-host-resume", "gives up its streams when the service dropped its session", RepublishesOnlyIntoResumedSession),
    mutate(reference, "player-stops-when-host-gone", "ex-audience-retry", "stops playing at once when the host goes away", PlayerStopsWhenPublisherGone),
    mutate(reference, "keeps-streams-when-leaving", "ex-leave-stops-streams", "keeps the streams of a room it leaves (the other reading)", KeepsStreamsWhenLeaving),
    mutate(reference, "forgets-missed-deletes", "ex-missed-stream-delete", "never reports the streams deleted while it was away", ForgetsMissedDeletes),
    mutate(reference, "drops-stream-delete", "ex-crash-delete", "never reports a stream deleted", DropsStreamDelete),
    mutate(reference, "debounces-stream-updates", "ex-crash-restart", "swallows a DELETE followed by an ADD", DebouncesStreamUpdates),
)
