"""A wrong adapter is refused before any scenario runs, in one line that says what to fix."""

from __future__ import annotations

import pytest

from reconnection_conformance.adapters.loading import load_adapter
from reconnection_conformance.fixtures.verdicts import AdapterLoadError


@pytest.mark.parametrize(
    ("spec", "says"),
    [
        ("no.such.module:factory", "module 'no' not found"),
        ("reconnection_conformance.adapters.rongcloud.reference", "not of the form package.module:factory"),
        ("reconnection_conformance.adapters.rongcloud.reference:nothing_here", "has no attribute 'nothing_here'"),
        ("tests.bad_adapters:missing_disconnect", "missing method disconnect()"),
        ("tests.bad_adapters:sync_connect", "connect() must be `async def`"),
        ("tests.bad_adapters:not_an_adapter", "not reconnection_conformance.adapters.contract.Adapter"),
        ("tests.bad_adapters:factory_raises", "calling factory_raises() raised RuntimeError"),
    ],
)
def test_bad_adapter_specs_name_the_problem(spec: str, says: str) -> None:
    with pytest.raises(AdapterLoadError) as error:
        load_adapter(spec)
    assert says in str(error.value)


def test_the_command_line_stops_with_one_clear_line(suite) -> None:  # type: ignore[no-untyped-def]
    run = suite("--adapter", "no.such.module:factory")
    assert run.returncode != 0
    errors = [line for line in run.output.splitlines() if line.startswith("ERROR")]
    assert errors == [
        "ERROR: conformance: adapter 'no.such.module:factory': module 'no' not found; check the"
        " spelling and that the package is importable (installed, or on PYTHONPATH)"
    ]


def test_an_adapter_missing_a_method_stops_the_run(suite) -> None:  # type: ignore[no-untyped-def]
    run = suite("--adapter", "tests.bad_adapters:missing_disconnect")
    assert run.returncode != 0
    assert "missing method disconnect()" in run.output
    assert run.results == []
