"""The judge/host message protocol: framing and value encoding (docs/host-protocol.md).

Both ends speak length-prefixed JSON frames over a pair of pipes: four bytes, big-endian, the
length of a UTF-8 JSON object, then the object. Every object has an ``op``. The conversation
is half-duplex: the judge sends a batch ending with ``run`` (or ``end``), the host answers with
a batch ending with ``idle`` (or ``ended``). Nothing in this module trusts the other end: a
malformed frame is a :class:`ProtocolError`, which the judge treats as an adapter error.
"""

from __future__ import annotations

import dataclasses
import enum
import json
import os
import struct
from typing import Any

#: Bumped on any incompatible change; the judge refuses a host that says another version.
VERSION = 1

#: No frame may be larger than this; a host that sends more is broken, not a bigger message.
MAX_FRAME = 8 * 1024 * 1024

#: Strings in events and results are cut here, with a visible marker.
MAX_STRING = 16 * 1024

_HEADER = struct.Struct(">I")


class ProtocolError(Exception):
    """The other end broke the framing or sent something the protocol does not have."""


class PeerGone(ProtocolError):
    """The other end closed its pipe (it exited, crashed or was killed)."""


def encode(message: dict[str, Any]) -> bytes:
    payload = json.dumps(message, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    if len(payload) > MAX_FRAME:
        raise ProtocolError(f"a {message.get('op')!r} message of {len(payload)} bytes exceeds {MAX_FRAME}")
    return _HEADER.pack(len(payload)) + payload


def write_frame(fd: int, message: dict[str, Any]) -> None:
    data = memoryview(encode(message))
    while data:
        written = os.write(fd, data)
        data = data[written:]


class FrameReader:
    """Reassembles frames from a file descriptor; ``feed`` is for non-blocking readers."""

    def __init__(self) -> None:
        self._buffer = bytearray()

    def feed(self, chunk: bytes) -> None:
        self._buffer += chunk

    def next_frame(self) -> dict[str, Any] | None:
        if len(self._buffer) < _HEADER.size:
            return None
        (length,) = _HEADER.unpack_from(self._buffer)
        if length > MAX_FRAME:
            raise ProtocolError(f"frame of {length} bytes announced (limit {MAX_FRAME})")
        end = _HEADER.size + length
        if len(self._buffer) < end:
            return None
        payload = bytes(self._buffer[_HEADER.size : end])
        del self._buffer[:end]
        try:
            message = json.loads(payload)
        except ValueError as error:
            raise ProtocolError(f"a frame is not JSON ({error}): {payload[:80]!r}") from None
        if not isinstance(message, dict) or not isinstance(message.get("op"), str):
            raise ProtocolError(f"a frame is not a message object with an 'op': {payload[:80]!r}")
        return message

    def read_blocking(self, fd: int) -> dict[str, Any]:
        while (message := self.next_frame()) is None:
            chunk = os.read(fd, 65536)
            if not chunk:
                raise PeerGone("the other end closed the pipe")
            self.feed(chunk)
        return message


# --- values crossing the boundary ---------------------------------------------------------------


def plain(value: Any, depth: int = 0, enum_names: bool = True) -> Any:
    """A JSON-safe copy of a value a client produced, without ever calling its ``repr``.

    Enums travel by name (as the recorder shows them), strings are capped, containers are
    copied to a bounded depth, anything else becomes ``<TypeName>``: a client's object whose
    ``__repr__`` never returns cannot stall the host here.
    """
    if isinstance(value, enum.Enum):
        if enum_names or not isinstance(value.value, int | str):
            return value.name
        return value.value
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, str):
        if len(value) > MAX_STRING:
            return value[:MAX_STRING] + f"... <truncated: {len(value)} chars>"
        return value
    if isinstance(value, bytes):
        return f"<{len(value)} bytes>"
    if depth > 8:
        return "<nested too deep>"
    if isinstance(value, dict):
        return {
            str(k) if isinstance(k, str | int) else f"<{type(k).__name__}>": plain(v, depth + 1, enum_names)
            for k, v in list(value.items())[:1000]
        }
    if isinstance(value, list | tuple | set | frozenset):
        return [plain(v, depth + 1, enum_names) for v in list(value)[:1000]]
    return f"<{type(value).__name__}>"


def encode_result(value: Any) -> Any:
    """What an API call returned: a dataclass travels with its type name and fields, enums by
    value (a result's ``code`` is compared as a number)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = {f.name: plain(getattr(value, f.name, None), enum_names=False) for f in dataclasses.fields(value)}
        return {"$dataclass": type(value).__name__, "module": type(value).__module__, "fields": fields}
    return plain(value, enum_names=False)
