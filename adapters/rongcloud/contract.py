"""The RongCloud IM client contract, after RongIMLib's ``connect``/``disconnect`` and events.

Names and codes: RongIMLib (``@rongcloud/imlib-next``), as summarised in the spec's FACTS.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import ClassVar, Protocol


class ErrorCode(enum.IntEnum):
    SUCCESS = 0
    RC_NET_CHANNEL_INVALID = 30011  # socket disconnected; the SDK reconnects by itself
    RC_NET_UNAVAILABLE = 30019  # network down
    RC_CONN_ACK_TIMEOUT = 31000
    RC_CONN_TOKEN_INCORRECT = 31004
    RC_CONN_USER_BLOCKED = 31009
    RC_DISCONN_KICK = 31010  # kicked by another client
    RC_CONN_TOKEN_EXPIRE = 31020
    RC_CONN_OTHER_DEVICE_LOGIN = 31023  # same-type client online and reconnection forbidden


#: Codes that mean "the network failed": the SDK keeps reconnecting after them. Any other
#: non-zero code is a connection error, which ends the reconnection mechanism.
NETWORK_CODES = frozenset(
    {ErrorCode.RC_NET_CHANNEL_INVALID, ErrorCode.RC_NET_UNAVAILABLE, ErrorCode.RC_CONN_ACK_TIMEOUT}
)


class Platform(enum.StrEnum):
    ELECTRON = "electron"
    WEB = "web"


class Status(enum.StrEnum):
    CONNECTING = "CONNECTING"
    CONNECTED = "CONNECTED"
    SUSPEND = "SUSPEND"  # connection lost; the SDK is reconnecting by itself
    DISCONNECT = "DISCONNECT"  # the SDK has stopped; the app must act


@dataclass(frozen=True)
class ConnectionEvent:
    """RongIMLib's connection-status listener (CONNECTING, CONNECTED, SUSPEND, DISCONNECT)."""

    callback: ClassVar[str] = "onConnectionStatus"
    status: Status
    code: int = 0


@dataclass(frozen=True)
class ConnectResult:
    """What ``connect`` resolves to: ``{code, data: {userId}}``."""

    code: int
    user_id: str | None = None


class Client(Protocol):
    async def connect(self, token: str, reconnect_kick_enable: bool | None = None) -> ConnectResult:
        """Connect with ``token``; ``reconnect_kick_enable`` is RongIMLib's second argument."""

    async def disconnect(self) -> None:
        """End the session and the reconnection mechanism."""
