"""The ZIM client contract, after ZIM's login/room APIs and its three callbacks.

Enum names and values, callbacks and error codes: the ZIM SDK type definitions, as summarised
in the spec's FACTS (ZEGOCLOUD ZIM section). API calls resolve to a :class:`CallResult`; an
SDK error is a non-zero ``code``, never an exception (an exception is an adapter error).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import ClassVar, Protocol


class ConnectionState(enum.IntEnum):
    DISCONNECTED = 0
    CONNECTING = 1
    CONNECTED = 2
    RECONNECTING = 3


class ConnectionEvent(enum.IntEnum):
    SUCCESS = 0
    ACTIVE_LOGIN = 1
    LOGIN_TIMEOUT = 2
    LOGIN_INTERRUPTED = 3
    KICKED_OUT = 4
    TOKEN_EXPIRED = 5
    UNREGISTERED = 6


class RoomState(enum.IntEnum):
    DISCONNECTED = 0
    CONNECTING = 1
    CONNECTED = 2


class RoomEvent(enum.IntEnum):
    SUCCESS = 0
    NETWORK_INTERRUPTED = 1
    NETWORK_DISCONNECTED = 2
    ROOM_NOT_EXIST = 3
    ACTIVE_CREATE = 4
    CREATE_FAILED = 5
    ACTIVE_ENTER = 6
    ENTER_FAILED = 7
    KICKED_OUT = 8
    CONNECT_TIMEOUT = 9  # the FAQ's "disconnected from the room due to heartbeat timeout"
    KICKED_OUT_BY_OTHER_DEVICE = 10
    ACTIVE_SWITCH = 11
    SWITCH_FAILED = 12


class ErrorCode(enum.IntEnum):
    SUCCESS = 0
    LOGIN_FAILED = 6000101  # token invalid or AppID wrong
    TOKEN_INVALID = 6000103
    TOKEN_EXPIRED = 6000106
    ALREADY_LOGGED_IN = 6000111
    NOT_LOGGED_IN = 6000121
    ROOM_NOT_EXIST = 6000322
    ROOM_ALREADY_EXISTS = 6000323


@dataclass(frozen=True)
class ConnectionStateChanged:
    callback: ClassVar[str] = "onConnectionStateChanged"
    state: ConnectionState
    event: ConnectionEvent


@dataclass(frozen=True)
class RoomStateChanged:
    callback: ClassVar[str] = "onRoomStateChanged"
    room_id: str
    state: RoomState
    event: RoomEvent


@dataclass(frozen=True)
class TokenWillExpire:
    callback: ClassVar[str] = "onTokenWillExpire"
    second: int  # seconds of validity left


@dataclass(frozen=True)
class CallResult:
    """What an API call resolves to: ZIM's error code (0 on success)."""

    code: int


class Client(Protocol):
    async def login(self, user_id: str, token: str) -> CallResult:
        """Log in; ``token`` is empty when the AppID does not use token authentication."""

    async def logout(self) -> CallResult: ...

    async def renew_token(self, token: str) -> CallResult: ...

    async def send_message(self, to_user_id: str, text: str) -> CallResult: ...

    async def create_room(self, room_id: str) -> CallResult:
        """Create a room and enter it; fails with 6000323 if it exists."""

    async def join_room(self, room_id: str) -> CallResult:
        """Join an existing room; fails with 6000322 if it does not exist."""

    async def enter_room(self, room_id: str) -> CallResult:
        """Join the room, creating it if it does not exist."""

    async def leave_room(self, room_id: str) -> CallResult: ...
