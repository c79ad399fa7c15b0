"""A child run of the suite with every output on (results JSON, JUnit, Allure), and what a
client could have reached from it: a TCP listener and files of the test's.

The targets reach the clients through the environment the host inherits
(``tests.hostile_adapters.ENV_LISTENER`` and ``ENV_TARGETS``).
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import tempfile
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT, SuiteRun, run_suite
from tests.hostile_adapters import ENV_LISTENER, ENV_TARGETS


@dataclass
class Outputs:
    """One child run and everything it published."""

    run: SuiteRun
    junit: ElementTree.Element
    allure: list[dict[str, Any]]
    canary_intact: bool  # a world-writable file of the test's, which no client may change
    wrote_reports: bool  # a client created a file under reports/
    listener_reached: bool

    def rows(self, adapter: str) -> list[dict[str, Any]]:
        return [r for r in self.run.results if r["adapter"] == adapter]


@contextlib.contextmanager
def listening() -> Iterator[socket.socket]:
    """A TCP listener on the machine's loopback that no client may reach."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as server:
        server.bind(("127.0.0.1", 0))
        server.listen(8)
        server.setblocking(False)
        yield server


def _reached(server: socket.socket) -> bool:
    """Whether any connection arrived (the kernel queues it even if nobody accepted it)."""
    try:
        connection, _ = server.accept()
    except BlockingIOError:
        return False
    connection.close()
    return True


def run_published(tmp_path: Path, server: socket.socket, *args: str) -> Outputs:
    """Run the suite with every output on, the test's listener and canary in the clients' reach."""
    descriptor, name = tempfile.mkstemp(prefix="hostile-canary-", suffix=".txt")  # in a world-writable /tmp
    os.close(descriptor)
    canary, never_written = Path(name), ROOT / "reports" / f"hostile-{tmp_path.name}.json"
    canary.write_text("the test's own file", encoding="utf-8")
    canary.chmod(0o666)  # writable by anyone: only a read-only filesystem keeps the host out
    results, junit, allure = tmp_path / "results.json", tmp_path / "junit.xml", tmp_path / "allure"
    host, port = server.getsockname()
    with pytest.MonkeyPatch.context() as env:
        env.setenv(ENV_LISTENER, f"{host}:{port}")
        env.setenv(ENV_TARGETS, ":".join(map(str, (canary, results, never_written))))
        run = run_suite(tmp_path, f"--junitxml={junit}", f"--alluredir={allure}", *args)
    wrote_reports, canary_intact = never_written.exists(), canary.read_text(encoding="utf-8") == "the test's own file"
    never_written.unlink(missing_ok=True)
    canary.unlink()
    assert results.exists() and junit.exists(), run.output[-3000:]
    return Outputs(
        run=run,
        junit=ElementTree.parse(junit).getroot(),
        allure=[json.loads(p.read_text()) for p in allure.glob("*-result.json")],
        canary_intact=canary_intact,
        wrote_reports=wrote_reports,
        listener_reached=_reached(server),
    )
