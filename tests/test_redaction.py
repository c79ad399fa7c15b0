"""No token a simulated service issued appears in any output of a run: Allure results and
attachments, JUnit, results JSON, summary, matrix, the terminal (tracebacks included), a log
file. The client under test leaks its tokens to a log line, stdout and an exception."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from reconnection_conformance.reports import matrix, summary
from tests.conftest import ROOT

RUN = "zim-token-will-expire or zim-renew-token or zim-not-logged-in or zim-auto-reconnect or rc-auto-reconnect or ex-user-status-notify"


def test_no_issued_token_reaches_any_output(tmp_path: Path) -> None:
    out = tmp_path / "out"
    spy = tmp_path / "issued-tokens.txt"  # outside `out`: the only place tokens may be
    env = {**os.environ, "TOKEN_SPY_FILE": str(spy)}
    env.pop("CONFORMANCE_ADAPTER", None)
    proc = subprocess.run(
        [
            sys.executable, "-m", "pytest", "-p", "no:randomly", "-p", "tests.token_spy", "-rA", "--tb=long", "-l",
            "--adapter", "tests.sample_adapters:zim_leaky", "--adapter", "reference", "-m", RUN,
            "--alluredir", str(out / "allure-results"), "--junitxml", str(out / "junit.xml"),
            "--results-json", str(out / "results.json"), "--log-file", str(out / "run.log"), "--log-level", "INFO",
        ],
        cwd=ROOT, capture_output=True, text=True, env=env, timeout=600,
    )
    (out / "terminal.txt").write_text(proc.stdout + proc.stderr)
    assert proc.returncode == 1 and "INTERNALERROR" not in proc.stdout + proc.stderr, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert summary.main([str(out / "results.json"), "--out", str(out / "summary")]) == 0
    assert matrix.main([str(out / "results.json"), "--out", str(out / "matrix")]) == 0

    tokens = [t for t in spy.read_text().splitlines() if t]
    assert len(tokens) >= 6, proc.stdout[-2000:]
    terminal = (out / "terminal.txt").read_text()
    assert "adapter error" in terminal and "renewal refused for token <redacted" in terminal  # the leak happened
    files = [p for p in out.rglob("*") if p.is_file()]
    assert any(p.name.endswith("-result.json") for p in files) and (out / "run.log").stat().st_size > 0
    leaks = [(p.relative_to(out), t) for p in files for t in tokens if t in p.read_text(encoding="utf-8", errors="replace")]
    assert leaks == []


def test_allure_steps_show_only_the_sentences_own_parameters(tmp_path: Path) -> None:
    out = tmp_path / "allure"
    env = {k: v for k, v in os.environ.items() if k != "CONFORMANCE_ADAPTER"}
    subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:randomly", "-m", "zim-auto-reconnect or rc-auto-reconnect",
         f"--alluredir={out}"],
        cwd=ROOT, capture_output=True, text=True, env=env, timeout=600, check=False,
    )
    steps = []
    for result in out.glob("*-result.json"):
        pending = list(json.loads(result.read_text())["steps"])
        while pending:
            step = pending.pop()
            pending.extend(step.get("steps", []))
            steps.append(step)
    parameters = {(p["name"], p["value"]) for s in steps for p in s.get("parameters", [])}
    assert steps and parameters
    names = {name for name, _ in parameters}
    assert not names & {"zim", "rc", "express", "runtime", "judge", "profile", "adapter", "request"}, names
    assert not [v for _, v in parameters if "World(" in v or " at 0x" in v]
    assert ("device", "'A'") in parameters or ("device", "A") in parameters, sorted(parameters)[:10]


def test_an_expected_failures_xfail_message_is_redacted(monkeypatch: pytest.MonkeyPatch) -> None:
    """With --expectations a listed failure's message reaches JUnit and the terminal as the
    report's ``wasxfail``, which no other field carries: it is redacted like the rest."""
    from reconnection_conformance.fixtures import recorder
    from reconnection_conformance.reports.redaction import redact_report

    monkeypatch.setattr(recorder, "ISSUED", {"tok-secret-123"})
    monkeypatch.setattr("reconnection_conformance.reports.redaction.ISSUED", recorder.ISSUED)
    report = pytest.TestReport("x::y", ("x", 0, "y"), {}, "skipped", "failed", "call")
    report.wasxfail = "expected non-conformant, listed in e.toml: known; this run: connect('tok-secret-123') kept retrying"
    redact_report(report)
    assert "tok-secret-123" not in report.wasxfail and "<redacted 14 chars>" in report.wasxfail
