"""Every scenario gets a fresh runtime for the adapter it is parametrized with."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from adapters.contract import Adapter
from fixtures.runtime import ScenarioRuntime
from reports.evidence import attach_timeline

RUNTIME_KEY = pytest.StashKey[ScenarioRuntime]()


@pytest.fixture(autouse=True)
def runtime(adapter: Adapter, request: pytest.FixtureRequest) -> Iterator[ScenarioRuntime]:
    world = ScenarioRuntime(adapter, request.config.getoption("wall_timeout"))
    world.start()
    request.node.stash[RUNTIME_KEY] = world
    try:
        yield world
    finally:
        world.close()
        if request.config.getoption("allure_report_dir", None):
            attach_timeline(world)
