"""The judge -> host -> judge round trip: the median wall time of one turn of the protocol
while a client makes back-to-back HTTP requests (docs/host-protocol.md).

    .venv/bin/python -m bench.round_trip [--requests N]

Each request costs two turns: the judge wakes the client (which sends its request and goes
idle), then delivers the answer (the client takes it and goes idle until its next timer). Both
are timed from the judge's write to the host's ``idle``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import time
from typing import Any

from reconnection_conformance.adapters.contract import Adapter, ClientContext
from reconnection_conformance.adapters.http import http_client
from reconnection_conformance.adapters.rongcloud.contract import ConnectResult
from reconnection_conformance.adapters.rongcloud.reference import MANIFEST
from reconnection_conformance.fixtures import isolation
from reconnection_conformance.fixtures.client_host import HostLink, HostPool, probe
from reconnection_conformance.fixtures.runtime import ScenarioRuntime


class BackToBack:
    """Navigation requests, one per virtual millisecond, as many as the token says."""

    def __init__(self, ctx: ClientContext) -> None:
        self._http = http_client(ctx)

    async def connect(self, token: str, reconnect_kick_enable: bool | None = None) -> ConnectResult:
        for _ in range(int(token.rsplit("-", 1)[-1])):
            await self._http.post("/navi", json={"token": token})
            await asyncio.sleep(0.001)
        return ConnectResult(0)

    async def disconnect(self) -> None:
        pass


adapter = Adapter(manifest=MANIFEST.__class__(**{**vars(MANIFEST), "name": "bench-back-to-back"}), client=BackToBack)


def measure(requests: int) -> dict[str, Any]:
    level = isolation.strongest()
    pool = HostPool(level)
    ref = probe(["bench.round_trip:adapter"], level)[0]
    turns: dict[str, list[float]] = {"response": [], "run": []}
    timed_exchange = HostLink._exchange

    def exchange(self: HostLink, batch: list[dict[str, Any]], until: str) -> dict[str, Any]:
        start = time.clock_gettime(time.CLOCK_MONOTONIC)
        try:
            return timed_exchange(self, batch, until)
        finally:
            kind = "response" if any(m.get("op") == "response" for m in batch) else "run"
            turns[kind].append(time.clock_gettime(time.CLOCK_MONOTONIC) - start)

    HostLink._exchange = exchange  # type: ignore[method-assign]
    runtime = ScenarioRuntime(ref, wall_timeout=120, hosts=pool)
    runtime.start()
    try:
        runtime.add_client("A", "electron")
        turns["response"].clear(), turns["run"].clear()
        runtime.call("A", "connect", f"bench-{requests}")
    finally:
        HostLink._exchange = timed_exchange  # type: ignore[method-assign]
        runtime.close()
        pool.close()
    def us(values: list[float], q: int) -> float:
        return round((statistics.median(values) if q == 50 else statistics.quantiles(values, n=10)[-1]) * 1e6, 1)

    return {
        "requests": requests,
        "isolation": str(level),
        # judge sends the answer -> host's client takes it, waits for its next timer -> idle
        "http_round_trip_median_us": us(turns["response"], 50),
        "http_round_trip_p90_us": us(turns["response"], 90),
        # judge wakes the host at its timer -> the client sends its next request -> idle
        "wake_and_request_median_us": us(turns["run"], 50),
    }


def pipe_floor(turns: int = 4000) -> float:
    """The machine's floor for a turn: median microseconds of a bare JSON ping-pong between two
    Python processes over pipes, with no suite code at all."""
    to_child, from_parent = os.pipe()
    from_child, to_parent = os.pipe()
    if (pid := os.fork()) == 0:
        for _ in range(turns):
            json.loads(os.read(to_child, 65536))
            os.write(to_parent, json.dumps({"op": "idle", "next": None}).encode())
        os._exit(0)
    times = []
    for _ in range(turns):
        start = time.clock_gettime(time.CLOCK_MONOTONIC)  # real time even under a freeze
        os.write(from_parent, json.dumps({"op": "run", "t": 1}).encode())
        os.read(from_child, 65536)
        times.append(time.clock_gettime(time.CLOCK_MONOTONIC) - start)
    os.waitpid(pid, 0)
    return round(statistics.median(times) * 1e6, 1)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=2000)
    print({**measure(parser.parse_args().requests), "pipe_floor_median_us": pipe_floor()})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
