"""The independent clients (tests/independent/), written from the vendor pages and docs/ only,
run over their vendor profile (the scenarios and the CI budget of generated fault schedules) in
a child pytest, as an SDK's CI would run them.

Every verdict must be conformant or not applicable, except the suite's known false verdicts:
scenarios where the suite rejects what the page permits (docs/findings/independent-clients.md).
Each is listed below with its finding, and checked both ways: a listed scenario that stops
failing (the suite was fixed) fails its strict xfail, so the list only holds what is still
true; an unlisted non-conformant verdict, or a listed one failing for another reason, fails.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import SuiteRun, run_suite

#: label -> (adapter, marker expression). "generated" is the CI budget of generated schedules
#: (derandomized); scenarios of vendors the adapter does not cover are deselected.
RUNS: dict[str, tuple[str, str]] = {
    "rongcloud": ("tests.independent.rongcloud_client:adapter", "rongcloud or generated"),
    "zim": ("tests.independent.zim_client:adapter", "zim or generated"),
    # The ZIM client with the four rejected choices turned off: all conformant, which shows
    # those choices alone cause the false verdicts below.
    "zim-conservative": ("tests.independent.zim_client:conservative", "zim or generated"),
}

#: What identifies each finding's verdict message (the requirement and the observation).
SIGNATURES: dict[str, tuple[str, ...]] = {
    "ZIM-1": ("[zim-room-t0]", "state 1 with event 1 with the connection CONNECTED"),
    "ZIM-2": ("[zim-token-will-expire]", "onTokenWillExpire(second=30); the token expires at t=600s"),
    "ZIM-3": ("DISCONNECTED(TOKEN_EXPIRED): DISCONNECTED with TOKEN_EXPIRED with no such event",),
    "ZIM-4": ("[zim-room-t0]", "the connection recovered with no T0 callback for the room"),
}

_ZIM1 = "ZIM-1: the T0 room callback reported before the connection's RECONNECTING is rejected; the page's T0 row orders neither"
_ZIM2 = "ZIM-2: onTokenWillExpire 30 s before expiry while reconnecting is rejected; the page ties it to the token, not the connection"
_ZIM3 = "ZIM-3: DISCONNECTED(TOKEN_EXPIRED) at the expiry instant on the client's own clock is rejected (no service push seen first)"

#: scenario key (the node id's test name with its parameters) -> the finding(s) it shows.
KNOWN_FALSE_VERDICTS: dict[str, str] = {
    # ZIM-1: every scenario where a room is in use when the network goes.
    "test_at_t0_both_callbacks_report_the_interruption[zim-independent]": _ZIM1,
    "test_at_t1_the_connection_is_back_before_the_room_is_restored[zim-independent]": _ZIM1,
    "test_at_t1_the_rooms_callback_is_the_one_the_profile_reads_in_the_tables_t1_row[zim-independent]": _ZIM1,
    'test_after_a_outage_outage_the_room_notification_follows_the_services_answer[zim-independent-20 seconds-Carol stays in room "party" on device C]': _ZIM1,
    'test_after_a_outage_outage_the_room_notification_follows_the_services_answer[zim-independent-3 minutes-Carol stays in room "party" on device C]': _ZIM1,
    'test_after_a_outage_outage_the_room_notification_follows_the_services_answer[zim-independent-3 minutes-nobody else is in room "party"]': _ZIM1,
    'test_after_a_outage_outage_with_company_the_room_ends_outcome[zim-independent-restored-20 seconds-Carol stays in room "party" on device C-2-0]': _ZIM1,
    'test_after_a_outage_outage_with_company_the_room_ends_outcome[zim-independent-dropped for heartbeat timeout-3 minutes-Carol stays in room "party" on device C-0-9]': _ZIM1,
    'test_after_a_outage_outage_with_company_the_room_ends_outcome[zim-independent-gone-3 minutes-nobody else is in room "party"-0-3]': _ZIM1,
    "test_after_the_room_was_restored_the_user_stays_a_member_and_leaves_it_as_usual[zim-independent]": _ZIM1,
    'test_api_rejoins_the_room_after_event_9[zim-independent-joinRoom-joins room "party"]': _ZIM1,
    'test_api_rejoins_the_room_after_event_9[zim-independent-enterRoom-enters room "party"]': _ZIM1,
    'test_api_recreates_the_room_after_event_3[zim-independent-createRoom-creates room "party"]': _ZIM1,
    'test_api_recreates_the_room_after_event_3[zim-independent-enterRoom-enters room "party"]': _ZIM1,
    # ZIM-2 (ZIM-3's offline case is behind it: DISCONNECTED(TOKEN_EXPIRED) at t=600 while
    # reconnecting, rejected as zim-keeps-reconnecting).
    "test_a_reconnection_refused_because_refusal_ends_with_disconnected_and_event[zim-independent-the token expired-12 minutes pass-event TOKEN_EXPIRED]": _ZIM2,
    "test_after_reconnection_ended_on_a_special_event_sending_a_message_fails_with_6000121[zim-independent]": _ZIM2,
    # ZIM-3, connected: the client's DISCONNECTED and the service's push at the same instant.
    "test_a_token_valid_for_validity_is_announced_as_about_to_expire[zim-independent-2 minutes]": _ZIM3,
    "test_a_token_valid_for_validity_is_announced_as_about_to_expire[zim-independent-20 seconds]": _ZIM3,
    "test_an_expired_token_disconnects_the_sdk_with_token_expired[zim-independent]": _ZIM3,
    "test_after_the_token_expired_api_fails_with_6000121[zim-independent-sendMessage-sends a message to Bob]": _ZIM3,
    "test_after_the_token_expired_api_fails_with_6000121[zim-independent-renewToken-renews its token]": _ZIM3,
    'test_after_the_token_expired_api_fails_with_6000121[zim-independent-createRoom-creates room "party"]': _ZIM3,
    'test_after_the_token_expired_api_fails_with_6000121[zim-independent-joinRoom-joins room "party"]': _ZIM3,
    'test_after_the_token_expired_api_fails_with_6000121[zim-independent-enterRoom-enters room "party"]': _ZIM3,
    'test_after_the_token_expired_api_fails_with_6000121[zim-independent-leaveRoom-leaves room "party"]': _ZIM3,
    # The generated schedules stop at their first violation, which is whichever finding the
    # derandomized draw reaches first (today ZIM-3: a 2-minute token, 3 minutes pass).
    "test_zim_clients_live_through_generated_fault_schedules[zim-independent]": (
        "ZIM-3 (or ZIM-1, ZIM-2, ZIM-4, whichever the schedule reaches first): " + _ZIM3[7:]
    ),
}

GOOD = {"conformant", "not applicable"}


class KnownFalseVerdict(Exception):
    """The listed scenario still gets the false verdict its finding describes."""


def _key(result: dict[str, Any]) -> str:
    return str(result["nodeid"]).rsplit("::", 1)[-1]


def _findings(entry: str) -> list[str]:
    return re.findall(r"ZIM-\d+|RC-\d+", entry)


def _shows(entry: str, message: str) -> bool:
    """True if the message is the false verdict of one of the entry's findings."""
    return any(all(part in message for part in SIGNATURES[f]) for f in _findings(entry))


_cache: dict[str, SuiteRun] = {}


def _run(label: str, tmp_path_factory: pytest.TempPathFactory) -> SuiteRun:
    if label not in _cache:
        adapter, marks = RUNS[label]
        _cache[label] = run_suite(tmp_path_factory.mktemp(label), "-m", marks, "--adapter", adapter)
    run = _cache[label]
    assert run.results, f"{label}: the child run judged nothing:\n{run.output[-3000:]}"
    return run


@pytest.mark.parametrize("label", list(RUNS))
def test_every_verdict_is_conformant_or_a_known_false_verdict(label: str, tmp_path_factory: pytest.TempPathFactory) -> None:
    run = _run(label, tmp_path_factory)
    unexpected = []
    for result in run.results:
        key = _key(result)
        if result["verdict"] in GOOD:
            continue
        if key in KNOWN_FALSE_VERDICTS and result["verdict"] == "non-conformant":
            if _shows(KNOWN_FALSE_VERDICTS[key], result["message"]):
                continue
        unexpected.append(f"{key}: {result['verdict']}: {result['message']}")
    assert not unexpected, (
        f"{label}: verdicts that are neither conformant, not applicable nor a known false verdict "
        "(decide: the client breaks the page -> fix it; the suite rejects what the page permits -> "
        "a finding in docs/findings/independent-clients.md and KNOWN_FALSE_VERDICTS):\n"
        + "\n".join(unexpected)
    )
    generated = [r for r in run.results if "generated" in r["nodeid"]]
    assert generated, f"{label}: the generated fault schedules did not run"


@pytest.mark.parametrize(
    "key",
    [
        pytest.param(key, marks=pytest.mark.xfail(strict=True, raises=KnownFalseVerdict, reason=finding))
        for key, finding in KNOWN_FALSE_VERDICTS.items()
    ],
)
def test_known_false_verdict_is_still_there(key: str, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Expected to fail (xfail, stating the finding) for as long as the suite gives the false
    verdict; passes, and so breaks the strict xfail, once the suite is fixed."""
    run = _run("zim" if "zim-independent" in key else "rongcloud", tmp_path_factory)
    results = {_key(r): r for r in run.results}
    assert key in results, f"{key}: listed but not run (renamed?); keep KNOWN_FALSE_VERDICTS current"
    result = results[key]
    if result["verdict"] == "non-conformant" and _shows(KNOWN_FALSE_VERDICTS[key], result["message"]):
        raise KnownFalseVerdict(f"{KNOWN_FALSE_VERDICTS[key]}\n{result['message']}")
    assert result["verdict"] in GOOD, f"{key}: {result['verdict']}, not the listed finding: {result['message']}"
    # conformant: the suite no longer rejects it; remove the entry (this pass fails strict xfail)


def test_the_findings_page_names_every_listed_finding() -> None:
    page = (Path(__file__).resolve().parents[1] / "docs" / "findings" / "independent-clients.md").read_text(encoding="utf-8")
    for entry in KNOWN_FALSE_VERDICTS.values():
        for finding in _findings(entry):
            assert f"### {finding}" in page, f"{finding} is listed here but not in docs/findings/independent-clients.md"
    for finding in SIGNATURES:
        assert f"### {finding}" in page
