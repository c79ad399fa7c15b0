"""Helpers for the suite's own tests: running the conformance suite in a child pytest."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from reconnection_conformance.adapters.rongcloud.reference import adapter as rongcloud_reference
from reconnection_conformance.fixtures.runtime import ScenarioRuntime

ROOT = Path(__file__).resolve().parents[1]


@dataclass
class SuiteRun:
    returncode: int
    output: str
    results: list[dict[str, Any]]


def run_suite(tmp_path: Path, *args: str) -> SuiteRun:
    """Run the conformance features in a fresh interpreter, as a user's CI would."""
    results = tmp_path / "results.json"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("CONFORMANCE_ADAPTER", None)
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:randomly", f"--results-json={results}", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    parsed = json.loads(results.read_text()) if results.exists() else []
    return SuiteRun(proc.returncode, proc.stdout + proc.stderr, parsed)


@pytest.fixture
def runtime() -> Iterator[ScenarioRuntime]:
    """A bare scenario world (RongCloud reference adapter), for tests of the bench itself."""
    world = ScenarioRuntime(rongcloud_reference, wall_timeout=5)
    world.start()
    yield world
    world.close()


@pytest.fixture
def suite(tmp_path: Path):  # type: ignore[no-untyped-def]
    return lambda *args: run_suite(tmp_path, *args)


@pytest.fixture(scope="session")
def matrix_results(tmp_path_factory: pytest.TempPathFactory) -> list[Any]:
    """One run of every reference and mutant, Python and JavaScript (reports/mutation_matrix.py),
    shared by the tests that judge it (test_mutation_matrix, test_node_host)."""
    from reconnection_conformance.reports.mutation_matrix import run_suite as run_matrix
    from reconnection_conformance.reports.results import load

    return load(run_matrix(tmp_path_factory.mktemp("matrix"), workers=2))
