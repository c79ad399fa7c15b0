"""What an adapter is: a manifest, and a way to make one client per device.

An adapter wraps one client implementation for one vendor profile. The suite creates as many
clients as a scenario needs (device A and B of one user, user A and B in a room), each with its
own :class:`ClientContext`. The client speaks HTTP (httpx) to ``ctx.base_url``, runs its
asyncio work on the scenario loop (or registers a clock hook), and reports every SDK callback
with ``ctx.emit(event)``, where ``event`` is one of the vendor profile's typed event records.
"""

from __future__ import annotations

import asyncio
import enum
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar, Protocol


class Vendor(enum.StrEnum):
    RONGCLOUD = "rongcloud"
    ZIM = "zim"
    EXPRESS = "express"


class ClockHook(Protocol):
    """For clients that run their own scheduler or thread instead of the scenario loop.

    The loop asks for the next deadline whenever it would otherwise jump the clock, and calls
    ``advance_to`` once the clock has reached it.
    """

    def next_deadline(self) -> float | None:
        """Epoch seconds of the client's next timer, or None if it has none."""

    def advance_to(self, now: float) -> None:
        """Run everything the client has due at or before ``now``, then return."""


class Event(Protocol):
    """A typed callback record; ``callback`` is the vendor's callback name."""

    callback: ClassVar[str]


@dataclass(frozen=True)
class Manifest:
    """What the adapter declares about itself; it decides which scenarios apply."""

    vendor: Vendor
    name: str
    version: str
    sdk_version: str
    platforms: frozenset[str]  # e.g. {"electron", "web"} or {"native"}
    capabilities: frozenset[str] = frozenset()


@dataclass(frozen=True)
class ClientContext:
    device: str  # the scenario's name for the device or user ("A", "B")
    base_url: str  # where this device reaches the vendor service
    platform: str  # which of the manifest's platforms this device runs as
    emit: Callable[[Event], None]
    loop: asyncio.AbstractEventLoop
    register_clock_hook: Callable[[ClockHook], None]
    options: dict[str, Any] = field(default_factory=dict)
    #: Optional fast path: an httpx transport straight to the judge's virtual network. A client
    #: that passes it to httpx skips respx's interception; one that does not is intercepted by
    #: respx and judged exactly the same.
    transport: Any = None
    #: A line for the scenario's client log (attached to the report); never a verdict.
    log: Callable[[str], None] = print


@dataclass(frozen=True)
class Adapter:
    """Returned by the factory that ``--adapter package.module:factory`` names."""

    manifest: Manifest
    client: Callable[[ClientContext], Any]  # usually the client class itself

    def __repr__(self) -> str:  # test ids and reports show the adapter by its name
        return f"Adapter({self.manifest.name})"
