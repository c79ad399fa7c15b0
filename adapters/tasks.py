"""The background tasks of one reference client (heartbeat, long-poll, retries), as a set that
can be cancelled together: what a client must stop when it disconnects or is kicked."""

from __future__ import annotations

import asyncio
from collections.abc import Collection, Coroutine
from typing import Any


class ClientTasks:
    def __init__(self, loop: asyncio.AbstractEventLoop, owner: str) -> None:
        self._loop = loop
        self._owner = owner  # task names start with it, so leftovers name their client
        self._tasks: set[asyncio.Task[Any]] = set()

    def spawn(self, coro: Coroutine[Any, Any, Any], name: str) -> asyncio.Task[Any]:
        task = self._loop.create_task(coro, name=f"{self._owner}:{name}")
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    def cancel(self, keep: Collection[asyncio.Task[Any]] = ()) -> None:
        """Cancel every task but the caller's own (it is finishing) and those in ``keep``."""
        current = asyncio.current_task()
        for task in list(self._tasks):
            if task is not current and task not in keep:
                task.cancel()
