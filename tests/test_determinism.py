"""The determinism script's comparison (the full script runs in CI: make determinism)."""

from __future__ import annotations

from scripts.determinism import compare


def test_identical_runs_agree() -> None:
    run = {"a": ("conformant", ""), "b": ("non-conformant", "expected: x at t=5")}
    assert compare([("one", run), ("two", dict(run))]) == []


def test_a_changed_verdict_or_message_is_reported() -> None:
    base = {"a": ("conformant", ""), "b": ("non-conformant", "at t=5")}
    flaky = {"a": ("adapter hung", "wall"), "b": ("non-conformant", "at t=6")}
    problems = compare([("serial", base), ("parallel", flaky)])
    assert any("a: serial gave 'conformant', parallel gave 'adapter hung'" in p for p in problems)
    assert any("b:" in p and "(messages differ)" in p for p in problems)


def test_a_missing_scenario_is_reported() -> None:
    problems = compare([("one", {"a": ("conformant", "")}), ("two", {})])
    assert problems and "different set of scenarios" in problems[0]
