"""Every option of the suite and of Allure means the same as ``--opt V`` and as ``--opt=V``.

pytest guesses its rootdir from the command line before plugins load; a separated value that
is an existing folder or file (a second CI run's results folder, an absolute expectations
path) used to become the rootdir, and every scenario then failed as an "adapter error".
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from tests.conftest import ROOT

RULE = "rc-interval"


def _options(tmp_path: Path, alluredir: Path) -> list[tuple[str, str]]:
    alluredir.mkdir(parents=True, exist_ok=True)  # as in any second CI run
    (alluredir / "stale-result.json").write_text("{}")
    expectations = tmp_path / "exp.toml"
    expectations.write_text('adapter = "rongcloud-reference"\n')
    return [
        ("--adapter", "reference"),
        ("--wall-timeout", "5"),
        ("--profile", "rongcloud.retry_after_failed_first_connect=true"),
        ("--expectations", str(expectations)),
        ("--results-json", str(tmp_path / "results.json")),
        ("--alluredir", str(alluredir)),
        ("--allure-link-pattern", "issue:https://tracker.example/{}"),
    ]


def _run(args: list[str]) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("CONFORMANCE_ADAPTER", "PYTHONPATH")}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:randomly", "-m", RULE, "--clean-alluredir", *args],
        cwd=ROOT, capture_output=True, text=True, env=env, timeout=300,
    )


@pytest.mark.parametrize("form", ["separated", "joined"])
@pytest.mark.parametrize("where", ["outside the repository", "reports/ of the repository"])
def test_every_option_works_in_both_forms(tmp_path: Path, form: str, where: str) -> None:
    if where == "outside the repository":
        alluredir = tmp_path / "allure"
    else:
        alluredir = ROOT / "reports" / f"allure-{uuid.uuid4().hex[:8]}"
    try:
        options = _options(tmp_path, alluredir)
        args = [part for name, value in options for part in ((name, value) if form == "separated" else (f"{name}={value}",))]
        if where != "outside the repository":
            args[args.index(str(alluredir)) if form == "separated" else args.index(f"--alluredir={alluredir}")] = (
                str(alluredir.relative_to(ROOT)) if form == "separated" else f"--alluredir={alluredir.relative_to(ROOT)}"
            )
        run = _run(args)
        output = run.stdout + run.stderr
        assert f"rootdir: {ROOT}" in output, output[-3000:]
        assert "configfile: pyproject.toml" in output
        results = json.loads((tmp_path / "results.json").read_text())
        assert [r["verdict"] for r in results] == ["conformant"], output[-3000:]
        assert "gate: PASS" in output and run.returncode == 0, output[-3000:]
        written = [p.name for p in alluredir.iterdir()]
        assert "stale-result.json" not in written  # --clean-alluredir reached Allure
        assert any(name.endswith("-result.json") for name in written)
        assert "environment.properties" in written
    finally:
        if where != "outside the repository":
            shutil.rmtree(alluredir, ignore_errors=True)
