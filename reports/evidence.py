"""Attaches a scenario's evidence to its Allure result: the timeline picture and the raw record.

A no-op without ``--alluredir``. The picture comes first because it is what a reader looks at
first; the JSON is there for tools and for the detail a picture leaves out.
"""

from __future__ import annotations

import allure

from reconnection_conformance.fixtures.runtime import ScenarioRuntime
from reconnection_conformance.fixtures.verdicts import NonConformance
from reconnection_conformance.reports.timeline import Verdict, render


def attach_timeline(runtime: ScenarioRuntime, title: str, error: BaseException | None) -> None:
    verdict = None
    if isinstance(error, NonConformance):
        verdict = Verdict(str(error), error.at, error.expected_at)
    elif error is not None:
        verdict = Verdict(f"{type(error).__name__}: {error}")
    allure.attach(
        render(runtime.recorder.entries, runtime.now, title, verdict),
        name="timeline",
        attachment_type=allure.attachment_type.SVG,
    )
    allure.attach(
        runtime.recorder.to_json(),
        name="recorded events (virtual time, tokens redacted)",
        attachment_type=allure.attachment_type.JSON,
    )
