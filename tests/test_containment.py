"""A broken adapter gets its own verdict with a clear cause, and the run goes on."""

from __future__ import annotations

import pytest

SCENARIOS = "-k", "successful_connect or retries_every_5"


@pytest.mark.parametrize(
    ("bad_adapter", "verdict", "says"),
    [
        ("sleeps_for_real", "sandbox violation", "called time.sleep(30)"),
        ("opens_a_socket", "sandbox violation", "resolved a host name (socket.getaddrinfo(198.51.100.7, 443"),
        ("busy_waits", "adapter hung", "did not finish within the wall-clock budget; the client blocks on real time (a real wait, a long computation or a busy loop) at "),
        ("raises", "adapter error", "RuntimeError: adapter bug: session table not initialised"),
        ("floods", "adapter flooded", "more than 100000 recorded events"),
        ("retries_without_delay", "adapter hung", "without letting virtual time advance"),
        ("task_ignores_cancellation", "adapter hung", "ignored cancellation at the end of the scenario"),
    ],
)
def test_broken_adapters_are_contained(suite, bad_adapter: str, verdict: str, says: str) -> None:  # type: ignore[no-untyped-def]
    timeout = "30" if bad_adapter in ("floods", "retries_without_delay") else "2"  # a flood takes a few seconds to record
    run = suite("--adapter", f"tests.bad_adapters:{bad_adapter}", "--adapter", "reference", "--wall-timeout", timeout, *SCENARIOS)
    bad = [r for r in run.results if "bad-" in r["nodeid"]]
    good = [r for r in run.results if "rongcloud-reference" in r["nodeid"]]
    assert len(bad) == 2, run.output[-3000:]  # both scenarios ran: the first did not stop the run
    for result in bad:
        if bad_adapter == "retries_without_delay" and "retries_every_5" not in result["nodeid"]:
            assert result["verdict"] == "conformant"  # nothing to retry in the connect scenario
            continue
        assert result["verdict"] == verdict, result
        assert says in result["message"], result["message"]
    assert [r["verdict"] for r in good] == ["conformant", "conformant"]


def test_a_livelock_between_two_devices_names_both_and_what_they_exchanged(suite) -> None:  # type: ignore[no-untyped-def]
    """Two clients that kick each other back at once never let virtual time advance: the
    verdict says which devices and which requests, not only that the loop was busy."""
    run = suite("--adapter", "tests.bad_adapters:kick_war", "-k", "logging_in_on_desktop_b_kicks_desktop_a", "--wall-timeout", "60")
    [result] = run.results
    assert result["verdict"] == "adapter hung", result
    assert "without letting virtual time advance" in result["message"], result["message"]
    assert "devices A and B kept exchanging" in result["message"] and "request /connect" in result["message"], result["message"]
