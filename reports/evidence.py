"""Attaches a scenario's recorded timeline to its Allure result (a no-op without --alluredir)."""

from __future__ import annotations

import allure

from fixtures.runtime import ScenarioRuntime


def attach_timeline(runtime: ScenarioRuntime) -> None:
    allure.attach(
        runtime.recorder.to_json(),
        name="recorded events (virtual time, tokens redacted)",
        attachment_type=allure.attachment_type.JSON,
    )
