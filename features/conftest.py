"""Every scenario gets a fresh runtime for the adapter it is parametrized with."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from features import requirements
from fixtures.client_host import AdapterRef
from fixtures.plugin import ERROR_KEY, HOSTS_KEY
from fixtures.runtime import ScenarioRuntime
from reports.evidence import attach_timeline

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


@pytest.fixture(autouse=True)
def runtime(adapter: AdapterRef, request: pytest.FixtureRequest) -> Iterator[ScenarioRuntime]:
    skip_unless_capable(adapter, request.node)
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
