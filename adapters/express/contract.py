"""The ZEGO Express engine contract: rooms, publishing and playing, and their callbacks.

Enum names and values, callbacks and error codes: the Express SDK type definitions, as
summarised in the spec's FACTS (ZEGO Express section). API calls resolve to a
:class:`CallResult`; an SDK error is a non-zero ``code``, never an exception.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import ClassVar, Protocol


class RoomStateChangedReason(enum.IntEnum):
    LOGINING = 0
    LOGINED = 1
    LOGIN_FAILED = 2
    RECONNECTING = 3
    RECONNECTED = 4
    RECONNECT_FAILED = 5
    KICK_OUT = 6
    LOGOUT = 7
    LOGOUT_FAILED = 8


class PublisherState(enum.IntEnum):
    NO_PUBLISH = 0
    PUBLISH_REQUESTING = 1
    PUBLISHING = 2


class PlayerState(enum.IntEnum):
    NO_PLAY = 0
    PLAY_REQUESTING = 1
    PLAYING = 2


class UpdateType(enum.IntEnum):
    ADD = 0
    DELETE = 1


class ErrorCode(enum.IntEnum):
    SUCCESS = 0
    LOGOUT_FAILED = 1002002
    LOGIN_TOKEN_INVALID = 1002033
    KICKED_SAME_USER = 1002050  # the same user logged in elsewhere
    ROOM_RECONNECTING = 1002051
    RETRY_TIMEOUT = 1002053  # room reconnection exceeded its time (also: login timed out)
    PUBLISH_INTERRUPTED = 1003020
    PUBLISH_RETRY_TIMEOUT = 1003021
    STREAM_ID_IN_USE = 1003028
    PLAY_FAILED = 1004001
    PLAY_STREAM_NOT_FOUND = 1004002
    PLAY_INTERRUPTED = 1004020


@dataclass(frozen=True)
class RoomStateChanged:
    callback: ClassVar[str] = "onRoomStateChanged"
    room_id: str
    reason: RoomStateChangedReason
    error_code: int = 0


@dataclass(frozen=True)
class RoomUserUpdate:
    callback: ClassVar[str] = "onRoomUserUpdate"
    room_id: str
    update_type: UpdateType
    users: tuple[str, ...]


@dataclass(frozen=True)
class RoomStreamUpdate:
    callback: ClassVar[str] = "onRoomStreamUpdate"
    room_id: str
    update_type: UpdateType
    streams: tuple[str, ...]


@dataclass(frozen=True)
class PublisherStateUpdate:
    callback: ClassVar[str] = "onPublisherStateUpdate"
    stream_id: str
    state: PublisherState
    error_code: int = 0


@dataclass(frozen=True)
class PlayerStateUpdate:
    callback: ClassVar[str] = "onPlayerStateUpdate"
    stream_id: str
    state: PlayerState
    error_code: int = 0


@dataclass(frozen=True)
class CallResult:
    code: int


class Client(Protocol):
    async def set_engine_config(self, advanced: dict[str, str]) -> None:
        """``{"room_retry_time": "120", "av_retry_time": "120"}``: seconds, as strings."""

    async def login_room(self, room_id: str, user_id: str, token: str, is_user_status_notify: bool) -> CallResult: ...

    async def switch_room(self, from_room_id: str, to_room_id: str) -> CallResult: ...

    async def logout_room(self, room_id: str) -> CallResult: ...

    async def start_publishing_stream(self, stream_id: str) -> CallResult: ...

    async def stop_publishing_stream(self, stream_id: str) -> CallResult: ...

    async def start_playing_stream(self, stream_id: str) -> CallResult: ...

    async def stop_playing_stream(self, stream_id: str) -> CallResult: ...
