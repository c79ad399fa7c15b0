"""The virtual clock: one instant for every clock, and long sleeps that cost nothing."""

from __future__ import annotations

import asyncio
import datetime as dt
import time

import pytest

from reconnection_conformance.fixtures.clock import BusyLoop, VirtualDeadlock
from reconnection_conformance.fixtures.runtime import ScenarioRuntime



def test_all_clocks_read_the_same_microsecond(runtime: ScenarioRuntime) -> None:
    runtime.advance(1234.567891)
    assert runtime.loop is not None
    readings = {
        "time.time": time.time(),
        "time.monotonic": time.monotonic(),
        "datetime.now": dt.datetime.now(dt.timezone.utc).timestamp(),
        "loop.time": runtime.loop.time(),
    }
    micros = {name: round(value * 1_000_000) for name, value in readings.items()}
    assert len(set(micros.values())) == 1, micros
    assert runtime.now == pytest.approx(1234.567891, abs=1e-6)


def test_a_twenty_minute_sleep_takes_a_handful_of_loop_iterations(runtime: ScenarioRuntime) -> None:
    assert runtime.loop is not None
    loop = runtime.loop
    iterations = 0
    original = loop._run_once

    def counting() -> None:
        nonlocal iterations
        iterations += 1
        original()

    loop._run_once = counting  # type: ignore[method-assign]
    woke_at: list[float] = []

    async def client() -> None:
        await asyncio.sleep(1200)
        woke_at.append(time.monotonic())

    start = time.monotonic()
    loop.run_call(client, virtual_timeout=3600)
    assert woke_at == [start + 1200]
    assert iterations < 10  # no polling: the loop jumps straight to the timer


def test_passing_time_runs_every_due_timer_in_order(runtime: ScenarioRuntime) -> None:
    assert runtime.loop is not None
    fired: list[tuple[str, float]] = []
    for name, delay in [("c", 90.0), ("a", 0.5), ("b", 30.000001), ("late", 90.5)]:
        runtime.loop.call_later(delay, lambda n=name: fired.append((n, runtime.now)))
    runtime.advance(90)
    assert fired == [("a", 0.5), ("b", 30.000001), ("c", 90.0)]


def test_a_step_waiting_on_nothing_is_reported_as_a_deadlock(runtime: ScenarioRuntime) -> None:
    assert runtime.loop is not None

    async def waits_forever() -> None:
        await asyncio.get_running_loop().create_future()

    with pytest.raises(VirtualDeadlock, match="no timer is scheduled"):
        runtime.loop.run_until_complete(waits_forever())


def test_a_zero_delay_retry_loop_is_reported_as_a_busy_loop(runtime: ScenarioRuntime) -> None:
    assert runtime.loop is not None

    async def spins() -> None:
        while True:
            await asyncio.sleep(0)

    runtime.loop.create_task(spins())
    with pytest.raises(BusyLoop, match="without letting virtual time advance"):
        runtime.loop.advance(5)


def test_external_schedulers_advance_through_the_clock_hook(runtime: ScenarioRuntime) -> None:
    assert runtime.loop is not None

    class ThreadedClient:
        """Keeps its own timer list instead of using our loop."""

        def __init__(self) -> None:
            self.due = [time.time() + 7.0, time.time() + 400.0]
            self.ran: list[float] = []

        def next_deadline(self) -> float | None:
            return self.due[0] if self.due else None

        def advance_to(self, now: float) -> None:
            while self.due and self.due[0] <= now + 1e-6:
                self.due.pop(0)
                self.ran.append(runtime.now)

    client = ThreadedClient()
    runtime.loop.hooks.append(client)
    runtime.advance(600)
    assert client.ran == [7.0, 400.0]
