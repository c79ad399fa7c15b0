"""A verdict names the real cause: a precondition that fails is the precondition's requirement,
not the scenario's; a wrong return type is the adapter's error; a client that leaves something
empty never makes a step crash."""

from __future__ import annotations

from tests.conftest import SuiteRun


def _by_id(run: SuiteRun) -> dict[str, dict[str, str]]:
    return {r["scenario"]: r for r in run.results}


def test_a_connect_returning_none_is_an_adapter_error_naming_the_type(suite) -> None:  # type: ignore[no-untyped-def]
    run = suite("--adapter", "tests.sample_adapters:rongcloud_returns_none", "-m", "rc-connect-result")
    assert run.results, run.output[-2000:]
    for result in run.results:
        assert result["verdict"] == "adapter error", result
        assert "connect returned None, expected ConnectResult" in result["message"]


def test_a_refusal_without_any_request_never_crashes_a_step(suite) -> None:  # type: ignore[no-untyped-def]
    run = suite("--adapter", "tests.sample_adapters:rongcloud_refuses_offline", "-m", "rc-connect-result or rc-exit-on-error")
    assert run.results, run.output[-2000:]
    assert not [r for r in run.results if r["verdict"] in ("adapter error", "suite error")], run.output[-3000:]
    assert "index out of range" not in run.output
    refused = [r for r in run.results if "refused_connect" in r["scenario"] and "31004" in r["scenario"]]
    assert refused and all(r["verdict"] == "conformant" for r in refused), [(r["scenario"], r["message"]) for r in run.results]


def test_a_failed_precondition_names_its_own_requirement(suite) -> None:  # type: ignore[no-untyped-def]
    run = suite("--adapter", "tests.sample_adapters:rongcloud_refuses_offline", "-m", "rc-interval")
    [result] = run.results
    assert result["verdict"] == "non-conformant"
    assert result["message"].startswith("[rc-connect-result] expected: device A to connect (code 0)"), result["message"]
    assert "the scenario's own rule (rc-interval) was not judged" in result["message"]
    assert result["requirement"] == "rc-connect-result"


def test_a_precondition_without_a_documented_requirement_blames_no_rule(suite, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from reconnection_conformance.reports.results import parse

    run = suite("--adapter", "tests.sample_adapters:zim_login_refused", "-m", "zim-auto-reconnect")
    [result] = run.results
    assert result["message"].startswith("[precondition] expected: device A to log in as"), result["message"]
    assert "zim-auto-reconnect" not in result["message"].split(";")[0]
    assert parse(run.results)[0].requirements == ()  # the summary and matrix do not fail zim-auto-reconnect


def test_an_order_failure_shows_the_order_observed(suite) -> None:  # type: ignore[no-untyped-def]
    run = suite("--adapter", "tests.sample_adapters:zim_room_before_connection", "-m", "zim-room-t2-restored")
    [result] = run.results
    assert result["verdict"] == "non-conformant"
    message = result["message"]
    assert "T2 room not found in that order; observed order since the network went down:" in message, message
    order = message.split("observed order since the network went down:", 1)[1]
    assert "room CONNECTED/SUCCESS (t=31.5s) → connection CONNECTED/SUCCESS (t=31.5s)" in order, order  # T2 room first
