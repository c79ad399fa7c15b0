"""Virtual time inside a client host reaches the client's own threads: a thread's
``time.sleep`` waits for virtual time, its sync httpx request goes through the judge, and work
it posts to the loop runs at the instant it was posted, never jumped over."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from reconnection_conformance.fixtures import isolation
from reconnection_conformance.fixtures.client_host import HostPool, probe
from reconnection_conformance.fixtures.recorder import Kind
from reconnection_conformance.fixtures.runtime import ScenarioRuntime


@pytest.fixture
def hosted() -> Iterator[ScenarioRuntime]:
    level = isolation.strongest()
    pool = HostPool(level)
    [ref] = probe(["tests.threaded_adapters:threaded"], level)
    runtime = ScenarioRuntime(ref, wall_timeout=10, hosts=pool)
    runtime.start()
    try:
        yield runtime
    finally:
        runtime.close()
        pool.close()


def test_a_thread_sleeps_in_virtual_time_and_its_work_is_not_jumped_over(hosted: ScenarioRuntime) -> None:
    token = hosted.service.issue_token("Zhangsan")
    hosted.add_client("A", "electron")
    hosted.call("A", "connect", token)
    hosted.advance(60)
    navi = hosted.recorder.select(Kind.REQUEST, "A", ["/navi"])
    statuses = hosted.recorder.select(Kind.CALLBACK, "A", ["onConnectionStatus"])
    assert [e.at for e in navi] == [5.0], hosted.recorder.excerpt()
    assert [(e.at, e.detail["status"]) for e in statuses] == [(5.0, "CONNECTED")], hosted.recorder.excerpt()
