"""Every scenario gets a fresh runtime for the adapter it is parametrized with."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import Any

import pytest

from reconnection_conformance.features import requirements
from reconnection_conformance.fixtures import oracles
from reconnection_conformance.fixtures.client_host import AdapterRef
from reconnection_conformance.fixtures.plugin import ERROR_KEY, HOSTS_KEY, PROFILES_KEY
from reconnection_conformance.fixtures.runtime import ScenarioRuntime
from reconnection_conformance.reports.evidence import attach_timeline

RUNTIME_KEY = pytest.StashKey[ScenarioRuntime]()


def skip_unless_capable(adapter: AdapterRef, item: pytest.Item) -> None:
    """A scenario tagged @needs-<capability> does not apply to an adapter lacking it."""
    declared = requirements.load().capabilities
    for marker in item.iter_markers():
        capability = marker.name.removeprefix("needs-")
        if marker.name.startswith("needs-") and capability not in adapter.manifest.capabilities:
            pytest.skip(
                f"not applicable: the adapter's manifest does not declare the capability"
                f" {capability!r} ({declared.get(capability, '?')})"
            )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "generated: generated fault schedules judged by the state-model oracle")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Generated runs only when asked for (-m generated, or --generated-examples): a plain run is
    the scenarios alone."""
    asked = config.getoption("generated_examples") is not None or "generated" in (config.option.markexpr or "")
    if asked:
        return
    drop = [item for item in items if item.get_closest_marker("generated")]
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = [item for item in items if not item.get_closest_marker("generated")]


@pytest.fixture(autouse=True)
def runtime(adapter: AdapterRef, request: pytest.FixtureRequest) -> Iterator[ScenarioRuntime | None]:
    skip_unless_capable(adapter, request.node)
    if request.node.get_closest_marker("generated"):
        yield None  # every generated run makes its own runtime (features/generated.py)
        return
    hosts = request.config.stash[HOSTS_KEY]
    world = ScenarioRuntime(adapter, request.config.getoption("wall_timeout"), hosts=hosts)
    world.start()
    request.node.stash[RUNTIME_KEY] = world
    try:
        yield world
    finally:
        still_open = world.recorder.open_requests()
        try:
            world.close(decided=ERROR_KEY in request.node.stash)  # may report a client whose tasks refuse to end
        finally:
            world.recorder.mark_open_at_end(still_open)  # not "abandoned": the teardown cancelled them
            request.node.user_properties.append(("virtual_seconds", round(world.now, 6)))
            if request.config.getoption("allure_report_dir", None):
                title = f"{request.node.name}: virtual timeline"
                attach_timeline(world, title, request.node.stash.get(ERROR_KEY, None))


def pytest_bdd_after_scenario(request: pytest.FixtureRequest, feature: Any, scenario: Any) -> None:
    """After the last step, the vendor's state model judges the whole timeline (fixtures/oracles).

    pytest-bdd calls this in a ``finally``: when a step has already failed or skipped, that
    verdict stands and the oracle does not run. A violation fails the scenario in its call phase,
    non-conformant under the requirement of the passage it cites.
    """
    if sys.exc_info()[0] is not None or RUNTIME_KEY not in request.node.stash or request.config.getoption("no_oracle"):
        return
    world = request.node.stash[RUNTIME_KEY]
    oracles.check(world, request.config.stash[PROFILES_KEY][world.vendor])
