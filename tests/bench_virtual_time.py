"""Benchmark (not a test): wall cost of virtual time. Run: .venv/bin/python -m tests.bench_virtual_time

Measures a client awaiting asyncio.sleep(1200) on the scenario loop, and the wall time of a
5-second and a 20-minute RongCloud outage with the reference client retrying every 5 s.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from collections.abc import Callable

from adapters.rongcloud.reference import adapter
from fixtures.network import LinkState
from fixtures.runtime import ScenarioRuntime

# freezegun swaps module attributes that are time functions; one inside a dict is left alone.
_REAL = {"perf_counter": time.perf_counter}


def _wall() -> float:
    return _REAL["perf_counter"]()


def _measure(body: Callable[[ScenarioRuntime], None], repeat: int = 20) -> float:
    samples = []
    for _ in range(repeat):
        world = ScenarioRuntime(adapter, wall_timeout=0)
        world.start()
        try:
            start = _wall()
            body(world)
            samples.append(_wall() - start)
        finally:
            world.close()
    return statistics.median(samples)


def sleep_20_minutes(world: ScenarioRuntime) -> None:
    assert world.loop is not None
    world.loop.run_call(lambda: asyncio.sleep(1200), virtual_timeout=3600)


def outage(seconds: float) -> Callable[[ScenarioRuntime], None]:
    def body(world: ScenarioRuntime) -> None:
        token = world.service.issue_token("u")
        world.add_client("A", "electron")
        world.call("A", "connect", token)
        world.run_service("down", lambda: world.network.set_link("A", LinkState.DOWN))
        world.advance(seconds)
        world.run_service("up", lambda: world.network.set_link("A", LinkState.UP))
        world.advance(5)

    return body


if __name__ == "__main__":
    print(f"asyncio.sleep(1200) on the scenario loop: {_measure(sleep_20_minutes) * 1000:.2f} ms wall (median of 20)")
    short, long = _measure(outage(5)), _measure(outage(1200), repeat=5)
    print(f"5-second outage scenario:  {short * 1000:.1f} ms wall")
    print(f"20-minute outage scenario: {long * 1000:.1f} ms wall (240 attempts; {long / short:.1f}x the 5-second one)")
