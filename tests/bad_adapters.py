"""Broken adapters, each wrong in one way, for the suite's own tests."""

from __future__ import annotations

import asyncio
import socket
import time
from dataclasses import replace
from typing import Any

from reconnection_conformance.adapters.contract import Adapter, ClientContext
from reconnection_conformance.adapters.rongcloud.contract import ConnectResult, Status
from reconnection_conformance.adapters.rongcloud.reference import MANIFEST, ReferenceClient


def _adapter(name: str, client: Any) -> Adapter:
    return Adapter(manifest=replace(MANIFEST, name=f"rongcloud-bad-{name}"), client=client)


class _NoDisconnect:
    def __init__(self, ctx: ClientContext) -> None:
        pass

    async def connect(self, token: str, reconnect_kick_enable: bool | None = None) -> ConnectResult:
        return ConnectResult(0)


class _SyncConnect(ReferenceClient):
    def connect(self, token: str, reconnect_kick_enable: bool | None = None) -> ConnectResult:  # type: ignore[override]
        return ConnectResult(0)


class _SleepsForReal(ReferenceClient):
    async def connect(self, token: str, reconnect_kick_enable: bool | None = None) -> ConnectResult:
        time.sleep(30)
        return ConnectResult(0)


class _OpensASocket(ReferenceClient):
    async def connect(self, token: str, reconnect_kick_enable: bool | None = None) -> ConnectResult:
        socket.create_connection(("198.51.100.7", 443), timeout=30)
        return ConnectResult(0)


class _BusyWaits(ReferenceClient):
    async def connect(self, token: str, reconnect_kick_enable: bool | None = None) -> ConnectResult:
        while True:  # spins without awaiting: only the wall-clock guard can stop it
            pass


class _Raises(ReferenceClient):
    async def connect(self, token: str, reconnect_kick_enable: bool | None = None) -> ConnectResult:
        raise RuntimeError("adapter bug: session table not initialised")


class _Floods(ReferenceClient):
    async def connect(self, token: str, reconnect_kick_enable: bool | None = None) -> ConnectResult:
        result = await super().connect(token, reconnect_kick_enable)
        for n in range(300_000):  # three times what one scenario may record
            self._emit(Status.CONNECTED)
            if n % 1000 == 0:
                await asyncio.sleep(0)
        return result


class _RetriesWithoutDelay(ReferenceClient):
    def retry_delay(self, attempts_made: int) -> float:
        return 0.0


class _TaskIgnoresCancellation(ReferenceClient):
    async def connect(self, token: str, reconnect_kick_enable: bool | None = None) -> ConnectResult:
        self._ctx.loop.create_task(self._immortal(), name="immortal")
        return await super().connect(token, reconnect_kick_enable)

    async def _immortal(self) -> None:
        while True:
            try:
                await asyncio.sleep(1)
            except asyncio.CancelledError:
                continue  # wrong: swallows the cancellation and goes on


# `--adapter tests.bad_adapters:<name>` accepts a ready Adapter as well as a factory.
missing_disconnect = _adapter("missing-disconnect", _NoDisconnect)
sync_connect = _adapter("sync-connect", _SyncConnect)
sleeps_for_real = _adapter("sleeps", _SleepsForReal)
opens_a_socket = _adapter("socket", _OpensASocket)
busy_waits = _adapter("busy", _BusyWaits)
raises = _adapter("raises", _Raises)
floods = _adapter("floods", _Floods)
retries_without_delay = _adapter("zero-delay", _RetriesWithoutDelay)
task_ignores_cancellation = _adapter("immortal-task", _TaskIgnoresCancellation)


def not_an_adapter() -> object:
    return object()


def factory_raises() -> Adapter:
    raise RuntimeError("cannot find the SDK binary")


class _KickWar(ReferenceClient):
    """Kicked by its twin, it reconnects at once and kicks the twin back: a livelock."""

    def ends_mechanism(self, code: int) -> bool:
        return False

    def retry_delay(self, attempts_made: int) -> float:
        return 0.0


kick_war = _adapter("kick-war", _KickWar)
