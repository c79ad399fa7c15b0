"""Issue 24: the Express oracle obliges what page 003 says and no more. Four readings the page does
not make are gone or declared (a client doing what the page permits is conformant), the page's
own outcomes are scenarios, and two gaps of the model are closed, each able to fail."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from reconnection_conformance.adapters.contract import Adapter
from reconnection_conformance.adapters.express.mutants import MUTANTS
from reconnection_conformance.adapters.express.reference import adapter as express_reference
from reconnection_conformance.features import requirements
from reconnection_conformance.features.generated import machine_for, replay
from reconnection_conformance.fixtures.oracles import OracleViolation, check_timeline
from reconnection_conformance.fixtures.oracles import express as express_model
from reconnection_conformance.fixtures.oracles.base import Rule
from reconnection_conformance.fixtures.profiles import ExpressProfile
from reconnection_conformance.fixtures.recorder import Entry, Kind
from tests.conftest import SuiteRun, run_suite
from tests.oracle_clients import PERMITTED, page_only_engine

KEEPS_STREAMS = next(m.adapter for m in MUTANTS if m.name == "keeps-streams-when-leaving")


def test_every_rule_of_the_express_model_has_its_requirements_kind() -> None:
    """A message says "declared reading" only for what the registry declares a reading."""
    registry = requirements.load().requirements
    rules = [r for r in vars(express_model).values() if isinstance(r, Rule)]
    assert rules and [(r.requirement, r.kind) for r in rules if registry[r.requirement].kind != r.kind] == []


# --- hand-made timelines: one rule each ----------------------------------------------------------


def _call(at: float, api: str, *args: object, device: str = "A") -> Entry:
    return Entry(at, Kind.CALL, device, api, {f"arg{i}": a for i, a in enumerate(args)})


def _cb(at: float, name: str, device: str = "A", **detail: object) -> Entry:
    return Entry(at, Kind.CALLBACK, device, name, detail)


def _room(at: float, reason: str, code: int = 0) -> Entry:
    return _cb(at, "onRoomStateChanged", room_id="live", reason=reason, error_code=code)


def _req(at: float, path: str, answer: dict[str, Any] | None, device: str = "A", **body: object) -> Entry:
    detail: dict[str, object] = {"userStatusNotify": True, **body} if path == "/room/login" else dict(body)
    if answer is None:
        detail["outcome"] = "connection refused, network down"
    else:
        detail.update(outcome="answered", answer=answer)
    return Entry(at, Kind.REQUEST, device, path, detail)


def _welcome(**fields: object) -> dict[str, Any]:
    return {"code": 0, "sessionId": "s1", "resumed": False, "heartbeatInterval": 10.0, "heartbeatTimeout": 5.0,
            "users": [], "streams": [], **fields}


def _logged_in(at: float = 0.0, streams: tuple[str, ...] = ()) -> list[Entry]:
    entries = [_call(at, "login_room", "live", "A", "t", True), _room(at, "LOGINING"),
               _req(at, "/room/login", _welcome(streams=list(streams))), _room(at, "LOGINED")]
    if streams:
        entries.append(_cb(at, "onRoomStreamUpdate", room_id="live", update_type="ADD", streams=list(streams)))
    return entries


def _heartbeats(start: float, end: float) -> Iterator[Entry]:
    t = start + 10.0
    while t <= end:
        yield _req(t, "/room/heartbeat", {"code": 0, "stalled": []})
        t += 10.0


def _publisher(at: float, state: str, code: int = 0, stream: str = "a-cam") -> Entry:
    return _cb(at, "onPublisherStateUpdate", stream_id=stream, state=state, error_code=code)


def _player(at: float, state: str, code: int = 0, stream: str = "b-cam") -> Entry:
    return _cb(at, "onPlayerStateUpdate", stream_id=stream, state=state, error_code=code)


def _judge(entries: list[Entry], end: float, **profile: Any) -> None:
    check_timeline("express", sorted(entries, key=lambda e: e.at), end, ExpressProfile(**profile))


def _rejects(entries: list[Entry], end: float, requirement: str, **profile: Any) -> str:
    with pytest.raises(OracleViolation) as caught:
        _judge(entries, end, **profile)
    assert caught.value.requirement == requirement, str(caught.value)
    return str(caught.value)


PUBLISHING = [_call(1, "start_publishing_stream", "a-cam"), _publisher(1, "PUBLISH_REQUESTING"),
              _req(1, "/stream/publish", {"code": 0}, streamId="a-cam", node=0), _publisher(1, "PUBLISHING")]
LOGGED_OUT = [_call(5, "logout_room", "live"), _req(5, "/room/logout", {"code": 0}, sessionId="s1", roomId="live"),
              _room(5, "LOGOUT")]


@pytest.mark.parametrize("stopped", [[_publisher(5, "NO_PUBLISH")], []], ids=["NO_PUBLISH(0)", "dropped silently"])
def test_leaving_a_room_may_stop_its_streams(stopped: list[Entry]) -> None:
    """Issue 24.1: today's model called NO_PUBLISH(0) after LOGOUT a failed retry, and obliged the
    dropped stream to come back at the next outage once logged in again."""
    again = _logged_in(20) + list(_heartbeats(20, 30)) + [Entry(31, Kind.NETWORK, "A", "down", {}),
                                                          _room(31, "RECONNECTING", 1002051)]
    _judge(_logged_in() + PUBLISHING + LOGGED_OUT + stopped + again, 40)


def test_a_stream_of_a_room_left_that_is_published_again_breaks_the_declared_reading() -> None:
    again = _logged_in(20) + [_req(21, "/stream/publish", {"code": 0}, streamId="a-cam", node=0)]
    message = _rejects(_logged_in() + PUBLISHING + LOGGED_OUT + again, 22, "ex-leave-stops-streams")
    assert "express.leaving_stops_streams=true" in message and "(the suite's declared reading)" in message
    assert 'spec 003_efc6dd0b5f788651.txt, "Room Reconnection: Room State Callback"' in message
    _judge(_logged_in() + PUBLISHING + LOGGED_OUT + again, 22, leaving_stops_streams=False)  # the other reading


def _every_node(answered: tuple[int, ...], code: int = 1003020) -> list[Entry]:
    return [_call(1, "start_publishing_stream", "a-cam"), _publisher(1, "PUBLISH_REQUESTING")] + [
        _req(1 + n, "/stream/publish", {"code": code}, streamId="a-cam", node=n) for n in answered
    ] + [_publisher(4, "NO_PUBLISH", code)]


def test_publishing_may_end_as_soon_as_every_node_failed() -> None:
    """Issue 24.2: "If all stream publishing nodes have been attempted and still fail": no window
    applies (today: "the window is 1200s ... (the suite's declared reading)")."""
    _judge(_logged_in() + _every_node((0, 1, 2)), 5)


def test_publishing_may_not_end_early_while_a_node_was_not_tried() -> None:
    message = _rejects(_logged_in() + _every_node((0, 1)), 5, "ex-retry-default")
    assert "unless every publish node has been attempted and failed (nodes that failed: [0, 1])" in message
    assert "declared reading" not in message  # the registry's kind: spec


def test_a_delete_learnt_from_a_new_sessions_login_answer_is_relayed_not_invented() -> None:
    """Issue 24.3, and the page's obligation: a stream the new session's login answer no longer
    lists was deleted while the engine was away."""
    away = [Entry(10, Kind.NETWORK, "A", "down", {}), _room(10, "RECONNECTING", 1002051),
            _req(10, "/room/login", None), Entry(200, Kind.NETWORK, "A", "up", {}),
            _req(200, "/room/login", _welcome(sessionId="s2")), _room(200, "RECONNECTED")]
    delete = _cb(200, "onRoomStreamUpdate", room_id="live", update_type="DELETE", streams=["b-cam"])
    before = _logged_in(streams=("b-cam",)) + list(_heartbeats(0, 10))
    _judge(before + away + [delete], 205)
    message = _rejects(before + away, 205, "ex-missed-stream-delete")
    assert "no longer lists it" in message
    resumed = [e if e.name != "/room/login" or e.at != 200 else _req(200, "/room/login", _welcome(resumed=True)) for e in away]
    _judge(before + resumed, 205)  # the old session went on: its pushes are still to come


def test_a_repeated_start_may_leave_the_running_window_as_it_is_or_restart_it() -> None:
    """Issue 24.4: started again at t=100, the play may end at the first window's end (t=1200) or at
    the second's (t=1300), not before the first's nor after the second's."""
    start = _logged_in() + [_call(0, "start_playing_stream", "b-cam"), _player(0, "PLAY_REQUESTING"),
                            _call(100, "start_playing_stream", "b-cam")]
    beats = list(_heartbeats(0, 1400))
    _judge(start + beats + [_player(1200, "NO_PLAY", 1004001)], 1400)  # today: "not before t=1300s"
    _judge(start + beats + [_player(100, "PLAY_REQUESTING"), _player(1300, "NO_PLAY", 1004001)], 1400)
    _rejects(start + beats + [_player(1100, "NO_PLAY", 1004001)], 1400, "ex-retry-default")
    _rejects(start + beats + [_player(100, "PLAY_REQUESTING")], 1400, "ex-retry-default")


RECONNECTING = _logged_in() + list(_heartbeats(0, 10)) + [Entry(11, Kind.NETWORK, "A", "down", {})]


@pytest.mark.parametrize(
    ("tail", "words"),
    [
        ([_room(11, "RECONNECTING", 0)], "RECONNECTING with error code 1002051"),
        ([_room(11, "RECONNECTING", 1002051), _req(11, "/room/login", None), _room(1211, "RECONNECT_FAILED", 0)],
         "RECONNECT_FAILED with error code 1002053"),
        ([_room(11, "RECONNECTING", 1002051), _room(1211, "RECONNECT_FAILED", 1002053)], "no /room/login request since RECONNECTING"),
    ],
    ids=["RECONNECTING(0)", "RECONNECT_FAILED(0)", "no attempt"],
)
def test_the_room_codes_and_the_retries_are_the_oracles_too(tail: list[Entry], words: str) -> None:
    """The second gap: the model judged neither the codes nor that any reconnection was attempted."""
    assert words in _rejects(RECONNECTING + tail, 1212, "ex-reconnect-states")


# --- the permitted clients, on fixed schedules the generated machine writes --------------------

SCHEDULES: dict[str, list[tuple[str, dict[str, Any]]]] = {
    # log out and in again with a stream published and played, then two outages
    "stops_streams_silently_on_leaving": [
        ("background", {"notify": True, "retry": "", "publishing": True, "playing": True}),
        ("logs_out", {}), ("logs_in_again", {}),
        *[step for _ in range(2) for step in (
            ("link", {"user": "A", "change": "goes down"}), ("time_passes", {"span": "30 seconds"}),
            ("link", {"user": "A", "change": "comes back"}), ("time_passes", {"span": "30 seconds"}))]],
    # both users away; B comes back with a new session to a room without A and its stream
    "reports_missed_users_too": [
        ("background", {"notify": True, "retry": "", "publishing": True, "playing": True}),
        ("link", {"user": "A", "change": "goes down"}), ("time_passes", {"span": "10 seconds"}),
        ("link", {"user": "B", "change": "goes down"}), ("time_passes", {"span": "3 minutes"}),
        ("link", {"user": "B", "change": "comes back"}), ("time_passes", {"span": "30 seconds"})],
    # publishing again during an outage, with av_retry_time 120 s
    "ignores_repeated_start": [
        ("background", {"notify": True, "retry": "av_retry_time", "publishing": True, "playing": False}),
        ("link", {"user": "A", "change": "goes down"}), ("time_passes", {"span": "30 seconds"}),
        ("starts", {"what": "user A starts publishing"}), ("time_passes", {"span": "3 minutes"})],
}


def _replayed(adapter: Adapter, schedule: str, **profile: Any) -> str | None:
    failure = replay(machine_for(adapter, ExpressProfile(**profile)), SCHEDULES[schedule])
    return None if failure is None else f"{failure.error}\n{failure.scenario('replayed')}"


@pytest.mark.parametrize("name", sorted(SCHEDULES))
def test_each_permitted_client_is_conformant_where_it_differs_from_the_reference(name: str) -> None:
    assert _replayed(PERMITTED[name], name) is None
    assert _replayed(page_only_engine, name) is None


def test_the_other_reading_of_leaving_a_room_is_selectable() -> None:
    """A client that keeps its streams across leaving: rejected under the default reading, as a
    reading; conformant under express.leaving_stops_streams=false."""
    rejected = _replayed(KEEPS_STREAMS, "stops_streams_silently_on_leaving")
    assert rejected is not None and rejected.startswith("[ex-leave-stops-streams]"), rejected
    assert "(the suite's declared reading)" in rejected and "express.leaving_stops_streams=true" in rejected
    assert _replayed(KEEPS_STREAMS, "stops_streams_silently_on_leaving", leaving_stops_streams=False) is None


# --- the permitted clients and the gaps' mutants, through the feature files ---------------------

ADAPTERS = [f"--adapter=tests.oracle_clients:{name}" for name in [*PERMITTED, "page_only_engine"]]


@pytest.fixture(scope="module")
def permitted(tmp_path_factory: pytest.TempPathFactory) -> SuiteRun:
    return run_suite(tmp_path_factory.mktemp("permitted"), "-m", "express", *ADAPTERS)


def test_every_permitted_client_passes_every_express_scenario(permitted: SuiteRun) -> None:
    """"No publish node answers" and "No play node answers" rejected ends_once_every_node_failed."""
    assert {r["adapter"] for r in permitted.results} == {f"express-oracle-only-{n.replace('_', '-')}" for n in [*PERMITTED, "page_only_engine"]}
    failed = [(r["adapter"], r["scenario"], r["message"][:300]) for r in permitted.results if r["verdict"] != "conformant"]
    assert failed == []


def test_the_page_only_engine_passes_the_generated_schedules(tmp_path_factory: pytest.TempPathFactory) -> None:
    run = run_suite(tmp_path_factory.mktemp("page-only-generated"), "-m", "generated and express",
                    "--adapter=tests.oracle_clients:page_only_engine")
    assert [r["verdict"] for r in run.results] == ["conformant"], run.output[-3000:]


@pytest.fixture(scope="module")
def gaps(tmp_path_factory: pytest.TempPathFactory) -> dict[str, SuiteRun]:
    mutants = ["--adapter", "mutants", "-m", "ex-kick-out or ex-reconnect-states or ex-leave-stops-streams"]
    return {"oracle": run_suite(tmp_path_factory.mktemp("gaps"), *mutants),
            "then steps": run_suite(tmp_path_factory.mktemp("gaps-no-oracle"), *mutants, "--no-oracle")}


def _verdict(run: SuiteRun, mutant: str, scenario: str) -> dict[str, Any]:
    return next(r for r in run.results if r["adapter"] == f"express-mutant-{mutant}" and scenario in r["scenario"])


@pytest.mark.parametrize("judged_by", ["oracle", "then steps"])
def test_the_kick_out_scenario_lets_time_pass_so_a_request_after_it_can_fail(gaps: dict[str, SuiteRun], judged_by: str) -> None:
    result = _verdict(gaps[judged_by], "reconnects-after-kick-out", "kicks_this_end_out")
    assert result["verdict"] == "non-conformant" and result["message"].startswith("[ex-kick-out]"), result["message"]


def test_the_oracle_alone_sees_a_room_that_gives_up_without_retrying(gaps: dict[str, SuiteRun]) -> None:
    """RECONNECTING 1002051, then RECONNECT_FAILED 1002053 at the window's end, as the Then step
    wants: only the model knows that no attempt came between."""
    scenario = "a_network_that_never_comes_back_gives_reconnect_failed"
    assert _verdict(gaps["then steps"], "never-retries-the-room", scenario)["verdict"] == "conformant"
    rejected = _verdict(gaps["oracle"], "never-retries-the-room", scenario)
    assert rejected["verdict"] == "non-conformant" and "state-model oracle" in rejected["message"]
    assert "no /room/login request since RECONNECTING" in rejected["message"]


def test_leaving_a_room_is_reported_as_a_reading_and_the_other_one_drops_its_scenarios(gaps: dict[str, SuiteRun], tmp_path_factory: pytest.TempPathFactory) -> None:
    rejected = _verdict(gaps["oracle"], "keeps-streams-when-leaving", "after_logoutroom")
    assert rejected["verdict"] == "non-conformant" and rejected["kinds"] == {"ex-leave-stops-streams": "reading"}
    other = run_suite(tmp_path_factory.mktemp("leaving-not-judged"), "-m", "ex-leave-stops-streams", "--adapter", "mutants",
                      "--profile", "express.leaving_stops_streams=false")
    assert other.results and {r["verdict"] for r in other.results} == {"not applicable"}
    assert "express.leaving_stops_streams=false" in other.results[0]["message"]


def test_the_reference_does_not_restart_at_an_interruption_a_stream_whose_window_ended() -> None:
    """Found by the generated schedules on the page-only engine: B's play of the stream A stopped by
    logging out ran out its window, and B's next outage restarted it."""
    calls = [("background", {"notify": False, "retry": "", "publishing": True, "playing": True}),
             ("logs_out", {}), ("time_passes", {"span": "25 minutes"}), ("link", {"user": "B", "change": "goes down"}),
             ("time_passes", {"span": "30 seconds"})]
    failure = replay(machine_for(express_reference, ExpressProfile()), calls)
    assert failure is None, str(failure.error)
