"""The reference ZEGO Express engine: plain asyncio + httpx, speaking docs/wire-protocol.md.

The executable reading of spec 003 that every scenario is checked against. Each policy point a
real engine can get wrong is a small method, so that a mutant overrides exactly one.
"""

from __future__ import annotations

import asyncio
from typing import Any

import httpx

from reconnection_conformance.adapters.contract import Adapter, ClientContext, Manifest, Vendor
from reconnection_conformance.adapters.http import http_client
from reconnection_conformance.adapters.tasks import ClientTasks
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
    RoomUserUpdate,
    UpdateType,
)

DEFAULT_RETRY_WINDOW = 20 * 60.0  # spec 003, "Reconnection Time Setting" (native SDKs)
NODES = 3  # publish/play nodes the engine may try, numbered 0..NODES-1
RETRY_CAP = 8.0


class ReferenceEngine:
    default_retry_window = DEFAULT_RETRY_WINDOW

    def __init__(self, ctx: ClientContext) -> None:
        self._ctx = ctx
        self._http = http_client(ctx)
        self._config: dict[str, str] = {}
        self._room = ""
        self._user = ""
        self._token = ""
        self._notify = False
        self._session: dict[str, Any] | None = None
        self._state = "idle"  # idle | logged_in | reconnecting | ended
        self._room_window = self._av_window = DEFAULT_RETRY_WINDOW
        self._publishing: dict[str, PublisherState] = {}
        self._playing: dict[str, PlayerState] = {}
        self._tasks = ClientTasks(ctx.loop, ctx.device)
        self._media: dict[str, asyncio.Task[None]] = {}  # stream id -> its retry task
        self._node_failures: dict[str, set[int]] = {}  # stream id -> nodes that answered a failure this attempt
        self._room_streams: set[str] = set()  # the other users' streams reported in the room
        self._room_ready = asyncio.Event()  # media rides on the room connection

    # --- the API -----------------------------------------------------------------------------

    async def set_engine_config(self, advanced: dict[str, str]) -> None:
        self._config.update(advanced)

    async def login_room(self, room_id: str, user_id: str, token: str, is_user_status_notify: bool) -> CallResult:
        self._room, self._user, self._token = room_id, user_id, token
        self._notify = self.user_status_notify(is_user_status_notify)
        self._room_window, self._av_window = self.retry_windows()
        return await self._login()

    async def switch_room(self, from_room_id: str, to_room_id: str) -> CallResult:
        left = await self.logout_room(from_room_id)
        if left.code:
            return left
        self._room = to_room_id
        return await self._login()

    async def logout_room(self, room_id: str) -> CallResult:
        if room_id == self._room and self._state == "reconnecting":
            return self.logout_while_reconnecting(room_id)
        session = self._session if room_id == self._room else None
        try:
            answer = await self._post("/room/logout", {"sessionId": session["sessionId"] if session else "", "roomId": room_id})
        except httpx.TransportError:
            answer = {"code": int(ErrorCode.LOGOUT_FAILED)}
        if answer["code"]:
            self._emit(RoomStateChanged(room_id, Reason.LOGOUT_FAILED, answer["code"]))
            return CallResult(answer["code"])
        self._stop_everything("ended")
        self._emit(RoomStateChanged(room_id, Reason.LOGOUT, 0))
        self.leave_streams()
        return CallResult(ErrorCode.SUCCESS)

    async def start_publishing_stream(self, stream_id: str) -> CallResult:
        self._set_publisher(stream_id, PublisherState.PUBLISH_REQUESTING, 0)
        self._start_media(stream_id, self._publish_until(stream_id, self._now() + self.media_window("publish")))
        return CallResult(ErrorCode.SUCCESS)

    async def stop_publishing_stream(self, stream_id: str) -> CallResult:
        self._stop_media(stream_id)
        self._publishing.pop(stream_id, None)
        if self._session is not None:
            try:
                await self._post("/stream/stop", {"sessionId": self._session["sessionId"], "streamId": stream_id})
            except httpx.TransportError:
                pass
        self._emit(PublisherStateUpdate(stream_id, PublisherState.NO_PUBLISH, 0))
        return CallResult(ErrorCode.SUCCESS)

    async def start_playing_stream(self, stream_id: str) -> CallResult:
        self._set_player(stream_id, PlayerState.PLAY_REQUESTING, 0)
        self._start_media(stream_id, self._play_until(stream_id, self._now() + self.media_window("play")))
        return CallResult(ErrorCode.SUCCESS)

    async def stop_playing_stream(self, stream_id: str) -> CallResult:
        self._stop_media(stream_id)
        self._playing.pop(stream_id, None)
        self._emit(PlayerStateUpdate(stream_id, PlayerState.NO_PLAY, 0))
        return CallResult(ErrorCode.SUCCESS)

    # --- policy points (one per documented rule) ---------------------------------------------

    def retry_windows(self) -> tuple[float, float]:
        """Read at loginRoom: settings made after it do not apply ("set it before logging in")."""
        room = float(self._config.get("room_retry_time", self.default_retry_window))
        av = float(self._config.get("av_retry_time", self.default_retry_window))
        return room, av

    def reading(self, name: str, default: str) -> str:
        """A profile reading the run judges by (ctx.options["readings"]); the reference follows it."""
        return str(self._ctx.options.get("readings", {}).get(name, default))

    def media_window(self, kind: str) -> float:
        """av_retry_time (or the default) is the window for publishing and playing alike."""
        return self._av_window

    def rereads_retry_time_at_interruption(self) -> bool:
        """Profile express.late_retry_setting: does a setting made after loginRoom apply from
        the next interruption?"""
        return self.reading("late_retry_setting", "ignored") == "next-interruption"

    def connection_lost(self, failures_in_a_row: int) -> bool:
        """A long-poll that fails (refused, or reset by a network type switch) is a lost
        connection: the SDK reconnects at once."""
        return True

    def is_final_play_error(self, code: int) -> bool:
        """A steady-state error no retry can fix: the token is no longer accepted."""
        return code == ErrorCode.LOGIN_TOKEN_INVALID

    def user_status_notify(self, requested: bool) -> bool:
        return requested

    def heartbeat_interval(self, announced: float) -> float:
        return announced

    def retry_delay(self, attempts_made: int) -> float:
        return min(2.0 ** (attempts_made - 1), RETRY_CAP) if attempts_made else 0.0

    def resumes_session(self) -> bool:
        """Rejoin with the old session, so a return within the notification delay is silent."""
        return True

    def reconnected_reason(self) -> Reason:
        return Reason.RECONNECTED

    def resumes_media(self) -> bool:
        """After an interruption, keep retrying publishing and playing in the background."""
        return True

    def failure_code(self, code: int) -> int:
        """The error code reported with NO_PUBLISH / NO_PLAY."""
        return code

    def nodes(self) -> range:
        """The nodes one round of publish or play attempts goes through."""
        return range(NODES)

    def is_final_publish_error(self, code: int) -> bool:
        """A steady-state error no retry can fix: the stream ID is another user's, or the token
        is no longer accepted."""
        return code in (ErrorCode.STREAM_ID_IN_USE, ErrorCode.LOGIN_TOKEN_INVALID)

    def logout_while_reconnecting(self, room_id: str) -> CallResult:
        """Leaving the room ends its reconnection at once; the service drops the session anyway.
        Reported as LOGOUT, or LOGOUT_FAILED (profile express.logout_while_reconnecting)."""
        self._stop_everything("ended")
        if self.reading("logout_while_reconnecting", "logout") == "logout-failed":
            self._emit(RoomStateChanged(room_id, Reason.LOGOUT_FAILED, ErrorCode.LOGOUT_FAILED))
            self.leave_streams()
            return CallResult(ErrorCode.LOGOUT_FAILED)
        self._emit(RoomStateChanged(room_id, Reason.LOGOUT, 0))
        self.leave_streams()
        return CallResult(ErrorCode.SUCCESS)

    def leave_streams(self) -> None:
        """Leaving a room (logoutRoom, switchRoom, a kick-out) stops the streams published and
        played in it, as ZEGO's logoutRoom reference says and the service does (profile
        express.leaving_stops_streams): NO_PUBLISH / NO_PLAY with code 0, and nothing restarts
        them but the app."""
        for stream_id in list(self._publishing):
            if self._publishing.pop(stream_id) != PublisherState.NO_PUBLISH:
                self._emit(PublisherStateUpdate(stream_id, PublisherState.NO_PUBLISH, 0))
        for stream_id in list(self._playing):
            if self._playing.pop(stream_id) != PlayerState.NO_PLAY:
                self._emit(PlayerStateUpdate(stream_id, PlayerState.NO_PLAY, 0))
        self._room_streams.clear()

    def kicked(self, code: int) -> None:
        """The same user logged in elsewhere: KICK_OUT, and no reconnection."""
        self._stop_everything("ended")
        self._emit(RoomStateChanged(self._room, Reason.KICK_OUT, code))
        self.leave_streams()

    def missed_updates(self, answer: dict[str, Any]) -> None:
        """A reconnection that needed a new session: the engine was away and missed the pushes. The
        login answer lists the room's streams as they are now: the ones it no longer lists were
        deleted meanwhile (spec 003, "Handling Host Network Disconnection": every room user but the
        host hears "stream deleted"), the ones it lists anew were added."""
        now = set(answer.get("streams") or ())
        gone, added = sorted(self._room_streams - now), sorted(now - self._room_streams)
        self._room_streams = now
        if gone:
            self._emit(RoomStreamUpdate(self._room, UpdateType.DELETE, tuple(gone)))
        if added:
            self._emit(RoomStreamUpdate(self._room, UpdateType.ADD, tuple(added)))

    def ends_when_every_node_failed(self) -> bool:
        """Spec 003: "If all stream publishing [playing] nodes have been attempted and still fail", the
        SDK reports NO_PUBLISH [NO_PLAY], at no stated instant. The reference keeps retrying the nodes
        until the window ends; an engine may also stop as soon as every node failed."""
        return False

    def _publisher_gone(self, stream_id: str) -> None:
        """The played stream stalled (its publisher is away): retry in the background."""
        self._set_player(stream_id, PlayerState.PLAY_REQUESTING, ErrorCode.PLAY_INTERRUPTED)
        if self.resumes_media():
            self._start_media(stream_id, self._play_until(stream_id, self._now() + self.media_window("play")))

    def relays(self, event: dict[str, Any]) -> bool:
        """Which of the service's pushes become callbacks."""
        return True

    # --- mechanics: room ---------------------------------------------------------------------

    def _now(self) -> float:
        return self._ctx.loop.time()

    def _emit(self, event: Any) -> None:
        self._ctx.emit(event)

    async def _post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        response = await self._http.post(path, json=body)
        return dict(response.json())

    def _spawn(self, coro: Any, name: str) -> asyncio.Task[None]:
        return self._tasks.spawn(coro, name)

    def _cancel_session_tasks(self) -> None:
        self._tasks.cancel(keep=set(self._media.values()))

    def _stop_everything(self, state: str) -> None:
        self._state = state
        self._session = None
        self._tasks.cancel()
        self._media.clear()

    def _login_body(self, resume: str | None) -> dict[str, Any]:
        return {
            "roomId": self._room,
            "userId": self._user,
            "token": self._token,
            "userStatusNotify": self._notify,
            "resume": resume,
        }

    async def _login(self) -> CallResult:
        self._emit(RoomStateChanged(self._room, Reason.LOGINING, 0))
        try:
            answer = await asyncio.wait_for(self._post("/room/login", self._login_body(None)), 10.0)
        except (httpx.TransportError, TimeoutError):
            answer = {"code": int(ErrorCode.RETRY_TIMEOUT)}
        if answer["code"]:
            self._state = "ended"
            self._emit(RoomStateChanged(self._room, Reason.LOGIN_FAILED, answer["code"]))
            return CallResult(answer["code"])
        self._online(answer)
        self._emit(RoomStateChanged(self._room, Reason.LOGINED, 0))
        if answer["users"]:
            self._emit(RoomUserUpdate(self._room, UpdateType.ADD, tuple(answer["users"])))
        self._room_streams = set(answer["streams"])
        if answer["streams"]:
            self._emit(RoomStreamUpdate(self._room, UpdateType.ADD, tuple(answer["streams"])))
        return CallResult(ErrorCode.SUCCESS)

    def _online(self, answer: dict[str, Any]) -> None:
        self._session = answer
        self._state = "logged_in"
        self._room_ready.set()
        self._spawn(self._heartbeat(answer), "heartbeat")
        self._spawn(self._listen(answer), "events")

    def _lost(self) -> None:
        if self._state != "logged_in":
            return
        if self.rereads_retry_time_at_interruption():
            self._room_window, self._av_window = self.retry_windows()
        self._cancel_session_tasks()
        self._state = "reconnecting"
        self._room_ready.clear()
        lost_at = self._now()
        self._emit(RoomStateChanged(self._room, Reason.RECONNECTING, ErrorCode.ROOM_RECONNECTING))
        # A stream given up (NO_PUBLISH / NO_PLAY) stays so until the app starts it again.
        for stream_id in [s for s, state in self._publishing.items() if state != PublisherState.NO_PUBLISH]:
            self._stop_media(stream_id)
            self._set_publisher(stream_id, PublisherState.PUBLISH_REQUESTING, ErrorCode.PUBLISH_INTERRUPTED)
            if self.resumes_media():
                self._start_media(stream_id, self._publish_until(stream_id, lost_at + self.media_window("publish")))
        for stream_id in [s for s, state in self._playing.items() if state != PlayerState.NO_PLAY]:
            self._stop_media(stream_id)
            self._set_player(stream_id, PlayerState.PLAY_REQUESTING, ErrorCode.PLAY_INTERRUPTED)
            if self.resumes_media():
                self._start_media(stream_id, self._play_until(stream_id, lost_at + self.media_window("play")))
        self._spawn(self._reconnect(lost_at + self._room_window), "reconnect")

    async def _reconnect(self, deadline: float) -> None:
        old = self._session_id_before_loss
        attempts = 0
        while self._state == "reconnecting":
            await asyncio.sleep(max(0.0, min(self.retry_delay(attempts), deadline - self._now())))
            if self._now() >= deadline:
                return self._give_up()
            attempts += 1
            resume = old if self.resumes_session() else None
            try:
                answer = await asyncio.wait_for(self._post("/room/login", self._login_body(resume)), 5.0)
            except (httpx.TransportError, TimeoutError):
                continue
            if answer["code"] == ErrorCode.LOGIN_TOKEN_INVALID:
                self._stop_everything("ended")
                self._emit(RoomStateChanged(self._room, Reason.LOGIN_FAILED, answer["code"]))
                return None
            if answer["code"] == 0:
                self._online(answer)
                self._emit(RoomStateChanged(self._room, self.reconnected_reason(), 0))
                if not answer.get("resumed"):
                    self.missed_updates(answer)
                return None
        return None

    @property
    def _session_id_before_loss(self) -> str | None:
        return str(self._session["sessionId"]) if self._session else None

    def _give_up(self) -> None:
        """The room window is over: RECONNECT_FAILED, and no further attempt of any kind."""
        streams = list(self._publishing), list(self._playing)
        self._stop_everything("ended")
        self._emit(RoomStateChanged(self._room, Reason.RECONNECT_FAILED, ErrorCode.RETRY_TIMEOUT))
        for stream_id in streams[0]:
            if self._publishing.get(stream_id) != PublisherState.NO_PUBLISH:
                self._set_publisher(stream_id, PublisherState.NO_PUBLISH, self.failure_code(ErrorCode.PUBLISH_RETRY_TIMEOUT))
        for stream_id in streams[1]:
            if self._playing.get(stream_id) != PlayerState.NO_PLAY:
                self._set_player(stream_id, PlayerState.NO_PLAY, self.failure_code(ErrorCode.PLAY_FAILED))

    async def _heartbeat(self, session: dict[str, Any]) -> None:
        interval = self.heartbeat_interval(float(session["heartbeatInterval"]))
        timeout = float(session["heartbeatTimeout"])
        while True:
            await asyncio.sleep(interval)
            body = {"sessionId": session["sessionId"], "playing": [s for s, st in self._playing.items() if st == PlayerState.PLAYING]}
            try:
                answer = await asyncio.wait_for(self._post("/room/heartbeat", body), timeout)
            except (httpx.TransportError, TimeoutError):
                return self._lost()
            if answer["code"]:
                return self._ended_by_service(answer)
            for stream_id in answer.get("stalled", []):
                if self._playing.get(stream_id) == PlayerState.PLAYING:
                    self._publisher_gone(stream_id)

    async def _listen(self, session: dict[str, Any]) -> None:
        failures = 0
        while True:
            try:
                response = await self._http.get("/room/events", params={"sessionId": session["sessionId"]})
                answer = response.json()
            except httpx.TransportError:
                failures += 1
                if self.connection_lost(failures):
                    return self._lost()
                continue
            failures = 0
            if answer.get("code"):
                return self._ended_by_service(answer)
            for event in answer.get("events", []):
                if event["type"] == "kicked":
                    return self.kicked(event["code"])
                if not self.relays(event):
                    continue
                kind = UpdateType[event["updateType"]]
                if event["type"] == "users":
                    self._emit(RoomUserUpdate(self._room, kind, tuple(event["users"])))
                elif event["type"] == "streams":
                    (self._room_streams.update if kind == UpdateType.ADD else self._room_streams.difference_update)(event["streams"])
                    self._emit(RoomStreamUpdate(self._room, kind, tuple(event["streams"])))

    def _ended_by_service(self, answer: dict[str, Any]) -> None:
        if answer.get("code") == ErrorCode.KICKED_SAME_USER:
            self.kicked(answer["code"])
        else:
            self._lost()  # the service forgot the session (heartbeat timeout): log in again

    # --- mechanics: publishing and playing ---------------------------------------------------

    def _set_publisher(self, stream_id: str, state: PublisherState, code: int) -> None:
        self._publishing[stream_id] = state
        self._emit(PublisherStateUpdate(stream_id, state, int(code)))

    def _set_player(self, stream_id: str, state: PlayerState, code: int) -> None:
        self._playing[stream_id] = state
        self._emit(PlayerStateUpdate(stream_id, state, int(code)))

    def _start_media(self, stream_id: str, coro: Any) -> None:
        self._stop_media(stream_id)
        self._media[stream_id] = self._spawn(coro, f"media:{stream_id}")

    def _stop_media(self, stream_id: str) -> None:
        task = self._media.pop(stream_id, None)
        if task is not None and task is not asyncio.current_task():
            task.cancel()

    async def _media_request(self, path: str, stream_id: str, node: int, deadline: float) -> int:
        """One publish or play request through one node, once the room is connected."""
        interrupted = ErrorCode.PUBLISH_INTERRUPTED if path == "/stream/publish" else ErrorCode.PLAY_INTERRUPTED
        try:
            await asyncio.wait_for(self._room_ready.wait(), max(0.0, deadline - self._now()))
        except TimeoutError:
            return int(interrupted)
        if self._session is None:
            return int(interrupted)
        try:
            answer = await self._post(path, {"sessionId": self._session["sessionId"], "streamId": stream_id, "node": node})
        except httpx.TransportError:
            return int(interrupted)
        if answer["code"]:
            self._node_failures.setdefault(stream_id, set()).add(node)
        return int(answer["code"])

    def _every_node_failed(self, stream_id: str) -> bool:
        """Every node of the service answered this attempt with a failure."""
        return self.ends_when_every_node_failed() and set(range(NODES)) <= self._node_failures.get(stream_id, set())

    async def _publish_until(self, stream_id: str, deadline: float) -> None:
        rounds = 0
        code = int(ErrorCode.PUBLISH_INTERRUPTED)
        self._node_failures[stream_id] = set()
        while self._now() < deadline:
            for node in self.nodes():
                code = await self._media_request("/stream/publish", stream_id, node, deadline)
                if code == 0:
                    self._set_publisher(stream_id, PublisherState.PUBLISHING, 0)
                    return None
                if self.is_final_publish_error(code):
                    self._set_publisher(stream_id, PublisherState.NO_PUBLISH, self.failure_code(code))
                    return None
            if self._every_node_failed(stream_id):
                self._set_publisher(stream_id, PublisherState.NO_PUBLISH, self.failure_code(code))
                return None
            rounds += 1
            await asyncio.sleep(max(0.0, min(self.retry_delay(rounds), deadline - self._now())))
        self._set_publisher(stream_id, PublisherState.NO_PUBLISH, self.failure_code(ErrorCode.PUBLISH_RETRY_TIMEOUT))
        return None

    async def _play_until(self, stream_id: str, deadline: float) -> None:
        rounds = 0
        code = int(ErrorCode.PLAY_INTERRUPTED)
        self._node_failures[stream_id] = set()
        while self._now() < deadline:
            for node in self.nodes():
                code = await self._media_request("/stream/play", stream_id, node, deadline)
                if code == 0:
                    self._set_player(stream_id, PlayerState.PLAYING, 0)
                    return None
                if self.is_final_play_error(code):
                    self._set_player(stream_id, PlayerState.NO_PLAY, self.failure_code(code))
                    return None
                if code != ErrorCode.PLAY_FAILED:
                    break  # the stream itself is missing or silent: another node will not help
            if self._every_node_failed(stream_id):
                self._set_player(stream_id, PlayerState.NO_PLAY, self.failure_code(code))
                return None
            rounds += 1
            await asyncio.sleep(max(0.0, min(self.retry_delay(rounds), deadline - self._now())))
        self._set_player(stream_id, PlayerState.NO_PLAY, self.failure_code(code))
        return None


MANIFEST = Manifest(
    vendor=Vendor.EXPRESS,
    name="express-reference",
    version="1.0.0",
    sdk_version="3.0.0",  # ZEGO Express 3, as spec 003 reads
    platforms=frozenset({"native"}),
    capabilities=frozenset({"streams"}),
)

adapter = Adapter(manifest=MANIFEST, client=ReferenceEngine)
