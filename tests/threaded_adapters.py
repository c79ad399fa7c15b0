"""Clients that do their work in threads of their own, for the host's virtual time."""

from __future__ import annotations

import asyncio
import threading
import time
from dataclasses import replace

import httpx

from reconnection_conformance.adapters.contract import Adapter, ClientContext
from reconnection_conformance.adapters.rongcloud.contract import ConnectionEvent, ConnectResult, Status
from reconnection_conformance.adapters.rongcloud.reference import MANIFEST


class _ThreadedClient:
    """connect() starts a worker thread: it sleeps five seconds, asks for navigation with a
    sync httpx client, then posts the status callback to the loop."""

    def __init__(self, ctx: ClientContext) -> None:
        self._ctx = ctx
        self._done = threading.Event()

    async def connect(self, token: str, reconnect_kick_enable: bool | None = None) -> ConnectResult:
        loop = asyncio.get_running_loop()

        def work() -> None:
            time.sleep(5)
            with httpx.Client(base_url=self._ctx.base_url) as http:
                code = http.post("/navi", json={"token": token}).json()["code"]
            status = Status.CONNECTED if code == 0 else Status.DISCONNECT
            loop.call_soon_threadsafe(self._ctx.emit, ConnectionEvent(status=status, code=code))
            self._done.set()

        threading.Thread(target=work, name="sdk-worker", daemon=True).start()
        return ConnectResult(0, "Zhangsan")

    async def disconnect(self) -> None:
        pass


threaded = Adapter(manifest=replace(MANIFEST, name="rongcloud-threaded"), client=_ThreadedClient)
