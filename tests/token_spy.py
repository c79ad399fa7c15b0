"""A pytest plugin for the redaction test only: after the run, writes every token the
simulated services issued to the file named by $TOKEN_SPY_FILE (outside the run's outputs)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from reconnection_conformance.fixtures.recorder import ISSUED


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config: pytest.Config) -> None:
    path = os.environ.get("TOKEN_SPY_FILE")
    if path:
        with Path(path).open("a", encoding="utf-8") as out:
            out.writelines(f"{token}\n" for token in sorted(ISSUED))
