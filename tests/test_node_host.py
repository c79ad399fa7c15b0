"""The Node client host (adapters/host/node_host.mjs) judges JavaScript clients for real: the JS
reference is conformant, every JS mutant is rejected by its rule, and whatever a JS client does
(throw, exit, leave a rejection unhandled, spin, never settle, reach for the network or a process)
ends its own scenario with one verdict while the other adapters of the run are untouched."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from reconnection_conformance.adapters.rongcloud.contract import ConnectResult
from reconnection_conformance.fixtures.client_host import probe
from reconnection_conformance.fixtures.isolation import Isolation
from reconnection_conformance.fixtures.runtime import ForeignValue, _contract_value
from reconnection_conformance.fixtures.verdicts import AdapterLoadError
from reconnection_conformance.reports.mutation_matrix import JS_MUTANTS, JS_REFERENCE, analyse, javascript_mutants
from tests.conftest import SuiteRun, run_suite

BAD = "node:tests/node_bad_adapters.mjs"
TWO_SCENARIOS = ("-k", "successful_connect or retries_every_5")


def test_the_probe_describes_node_and_python_adapters_in_the_order_given() -> None:
    refs = probe([JS_REFERENCE, "reconnection_conformance.adapters.rongcloud.reference:adapter", JS_MUTANTS], Isolation.NONE)
    assert [(r.manifest.name, r.language) for r in refs[:2]] == [("rongcloud-js-reference", "javascript"), ("rongcloud-reference", "python")]
    mutants = refs[2:]
    assert len(mutants) == 22 and all(r.language == "javascript" and r.select == r.manifest.name for r in mutants)
    assert mutants[0].mutant == {"name": "js-retry-every-3s", "breaks": "rc-interval", "what": "retries every 3 s instead of 5 s"}


@pytest.mark.parametrize(
    ("spec", "says"),
    [
        ("node:adapters/rongcloud/nowhere.mjs", "nowhere.mjs not found"),
        ("node:adapters/rongcloud/contract.py", "importing adapters/rongcloud/contract.py failed"),
        ("node:package.json", "failed"),
    ],
)
def test_a_javascript_adapter_that_cannot_load_stops_the_run_with_one_line(spec: str, says: str) -> None:
    with pytest.raises(AdapterLoadError, match=says):
        probe([spec], Isolation.NONE)


@pytest.mark.parametrize(
    ("change", "says"),
    [
        ('vendor: "rongclod"', "manifest vendor 'rongclod' is not a vendor profile; did you mean 'rongcloud'?"),
        ('platforms: []', "platforms is empty"),
        ('capabilities: ["room"]', "capability 'room' is unknown"),
    ],
)
def test_a_javascript_manifest_is_held_to_the_same_rules(tmp_path: Path, change: str, says: str) -> None:
    source = (Path(__file__).resolve().parents[1] / "tests" / "node_protocol_adapter.mjs").read_text()
    key = change.split(":")[0]
    adapter = tmp_path / "adapter.mjs"
    adapter.write_text(re.sub(rf"  {key}: [^\n]*,\n", f"  {change},\n", source, count=1))
    with pytest.raises(AdapterLoadError, match=re.escape(says)):
        probe([f"node:{adapter}"], Isolation.NONE)


def test_a_plain_object_from_javascript_becomes_the_contract_record() -> None:
    assert _contract_value("rongcloud", {"code": 0, "user_id": "Zhangsan"}, "connect") == ConnectResult(code=0, user_id="Zhangsan")
    assert _contract_value("rongcloud", {"code": 31004}, "connect") == ConnectResult(code=31004)
    assert isinstance(_contract_value("rongcloud", {"code": 0, "userId": "Zhangsan"}, "connect"), ForeignValue)
    assert _contract_value("rongcloud", None, "disconnect") is None


def test_the_javascript_reference_is_conformant_in_every_rongcloud_scenario(tmp_path: Path) -> None:
    run = run_suite(tmp_path, "-m", "rongcloud", "--adapter", JS_REFERENCE, f"--alluredir={tmp_path / 'allure'}")
    assert run.returncode == 0, run.output[-3000:]
    assert len(run.results) >= 27  # every RongCloud scenario row
    story = [r for r in run.results if "rc-default-kick-story" in r["tags"]]  # the other reading: not applicable by default
    assert {r["verdict"] for r in story} == {"not applicable"} and len(story) == 2
    assert {r["verdict"] for r in run.results if r not in story} == {"conformant"}
    environment = (tmp_path / "allure" / "environment.properties").read_text()
    assert "adapter.rongcloud-js-reference" in environment and "javascript" in environment


def test_each_javascript_mutant_is_rejected_by_a_scenario_of_its_rule(matrix_results: list[Any]) -> None:
    mutants = javascript_mutants()
    outcome = analyse(matrix_results, mutants)
    assert len(mutants) == 22
    assert [m.name for m in outcome.survivors] == []
    for mutant in mutants:
        for result in outcome.rejected_by_rule[mutant.name]:
            assert "expected:" in result.message and "observed:" in result.message


@pytest.fixture(scope="module")
def contained(tmp_path_factory: pytest.TempPathFactory) -> SuiteRun:
    """Every misbehaving JS client, the JS reference and the Python reference in one run."""
    return run_suite(
        tmp_path_factory.mktemp("node-bad"),
        "--adapter", BAD, "--adapter", JS_REFERENCE, "--adapter", "reconnection_conformance.adapters.rongcloud.reference:adapter",
        "--wall-timeout", "2", *TWO_SCENARIOS,
    )


@pytest.mark.parametrize(
    ("bad", "verdict", "says"),
    [
        ("throws", "adapter error", "A.connect() raised Error: adapter bug: session table not initialised at "),
        ("exits", "adapter error", "the client host ended (exit code 7) while A.connect(); its last output: the client called process.exit(7) at "),
        ("rejects-unhandled", "adapter error", "a background task of the client crashed: RangeError: nobody awaits this promise (in an unhandled promise rejection"),
        ("spins", "adapter hung", "A.connect() did not finish within the wall-clock budget"),
        ("never-settles", "adapter hung", "the call did not return within 120 virtual seconds"),
        ("retries-without-delay", "adapter hung", "times at one virtual instant without letting virtual time advance"),
        ("requires-net", "sandbox violation", "the client loaded the module 'net' (require \"net\") at "),
        ("requires-http", "sandbox violation", "the client loaded the module 'http' (require \"node:http\") at "),
        ("imports-child-process", "sandbox violation", "the client loaded the module 'child_process' (import \"node:child_process\")"),
        ("websocket-elsewhere", "sandbox violation", "the client requested WEBSOCKET wss://push.example.com/socket at "),
        ("websocket-handler-throws", "adapter error", "TypeError: frame handler bug (in WebSocket onmessage"),
    ],
)
def test_a_misbehaving_javascript_client_gets_one_verdict_per_scenario(contained: SuiteRun, bad: str, verdict: str, says: str) -> None:
    mine = [r for r in contained.results if r["adapter"] == f"node-bad-{bad}"]
    assert len(mine) == 2, contained.output[-3000:]  # both scenarios ran: the first did not stop the run
    for result in mine:
        assert result["verdict"] == verdict, result
        assert says in result["message"], result["message"]
    if verdict == "sandbox violation":
        assert "tests/node_bad_adapters.mjs:" in mine[0]["message"] or "import" in mine[0]["message"]


def test_the_references_in_the_same_run_are_untouched(contained: SuiteRun) -> None:
    good = [(r["adapter"], r["verdict"]) for r in contained.results if r["adapter"] in ("rongcloud-js-reference", "rongcloud-reference")]
    assert sorted(good) == [("rongcloud-js-reference", "conformant")] * 2 + [("rongcloud-reference", "conformant")] * 2
    assert len(contained.results) == 2 * (11 + 2)  # one verdict per scenario and adapter, nothing more


def test_the_smallest_adapter_of_the_javascript_guide_is_green_on_its_rule(tmp_path: Path) -> None:
    """docs/writing-an-adapter-in-javascript.md stays true: its inline adapter, as printed."""
    guide = (Path(__file__).resolve().parents[1] / "docs" / "writing-an-adapter-in-javascript.md").read_text()
    adapter = tmp_path / "my-adapter.mjs"
    adapter.write_text(re.search(r"```js\n(.*?)```", guide, re.S).group(1))  # type: ignore[union-attr]
    # pytest's tmp_path is private (0700): the run gives the host the namespaces as root (tests/test_private_dirs.py)
    run = run_suite(tmp_path, "-m", "rc-connect-result", "--adapter", f"node:{adapter}")
    assert run.returncode == 0, run.output[-3000:]
    assert [r["verdict"] for r in run.results] == ["conformant"] * 4


# --- the protocol, message by message (docs/host-protocol.md), against the Node host directly ------

T0 = 1_767_225_600_000_000  # 2026-01-01T00:00:00Z in microseconds: where every scenario starts
MS = 1000


class Turns:
    """The judge's side of the pipes, by hand: send a batch ending with `run`, take the host's
    messages until `idle`."""

    def __init__(self) -> None:
        from reconnection_conformance.fixtures.client_host import HostProcess, _real_now

        [ref] = probe(["node:tests/node_protocol_adapter.mjs"], Isolation.NONE)
        self._now = _real_now
        self.host = HostProcess(ref, Isolation.NONE)
        self.t = T0
        self.calls = 0

    def turn(self, *batch: dict[str, Any], at: int | None = None, until: str = "idle") -> list[dict[str, Any]]:
        self.t = self.t if at is None else at
        last = {"op": "end"} if until == "ended" else {"op": "run"}
        self.host.send([{**m, "t": self.t} for m in [*batch, last]])
        said = []
        while True:
            message = self.host.receive(self._now() + 10, "a protocol test")
            said.append(message)
            if message["op"] == until:
                return said

    def call(self, method: str, *args: Any) -> dict[str, Any]:
        self.calls += 1
        return {"op": "call", "id": self.calls, "device": "A", "method": method, "args": list(args), "kwargs": {}}

    def begin(self) -> None:
        self.t = T0
        self.host.send([{"op": "begin", "t": T0, "max_events": 1000}])
        assert self.host.receive(self._now() + 10, "begin")["op"] == "idle"
        assert [m["op"] for m in self.turn({"op": "create", "device": "A", "platform": "web", "base_url": "https://a.rongcloud.invalid", "options": {}})] == ["created", "idle"]


@pytest.fixture
def turns() -> Any:
    t = Turns()
    t.begin()
    yield t
    t.host.shutdown()


def _result(said: list[dict[str, Any]]) -> Any:
    [result] = [m for m in said if m["op"] == "result"]
    return result["value"]


def test_the_hello_names_the_language_and_the_runtime(turns: Turns) -> None:
    hello = turns.host.hello
    assert hello["version"] == 1 and hello["language"] == "javascript" and hello["runtime"].startswith("node 20.")
    assert hello["adapter"]["manifest"]["name"] == "node-protocol-probe" and hello["adapter"]["language"] == "javascript"


def test_every_clock_reads_the_judges_instant_and_timers_fire_only_when_it_says(turns: Turns) -> None:
    clocks = _result(turns.turn(turns.call("clocks")))
    assert clocks["date"] == clocks["newDate"] == clocks["keptNow"] == T0 // MS
    said = turns.turn(turns.call("later", 1500))
    assert said[-1] == {"op": "idle", "next": T0 + 1500 * MS}  # the timer kept from import time is fake
    assert [m["op"] for m in turns.turn(at=T0 + 1000 * MS)] == ["idle"]  # not yet due: nothing runs
    assert _result(turns.turn(at=T0 + 1500 * MS)) == T0 // MS + 1500
    later = _result(turns.turn(turns.call("clocks"), at=T0 + 1600 * MS))
    assert later["date"] == T0 // MS + 1600 and later["perf"] - clocks["perf"] == 1600 and later["hr"] - clocks["hr"] == 1_600_000


def test_intervals_fire_at_their_instants_and_report_events(turns: Turns) -> None:
    turns.turn(turns.call("tick", 1000))
    events = []
    for second in (1, 2, 3):
        said = turns.turn(at=T0 + second * 1000 * MS)
        events += [(m["detail"]["n"], m["detail"]["at"]) for m in said if m["op"] == "event" and m["callback"] == "onTick"]
    assert events == [(n, T0 // MS + n * 1000) for n in (1, 2, 3)]
    assert turns.turn(at=T0 + 3001 * MS)[-1] == {"op": "idle", "next": None}  # cleared: nothing left


def test_xmlhttprequest_goes_through_the_judge_with_its_answer_its_error_and_its_timeout(turns: Turns) -> None:
    import base64
    import json

    said = turns.turn(turns.call("xhr", "/navi"))
    [request] = [m for m in said if m["op"] == "request"]
    assert (request["method"], request["url"]) == ("POST", "https://a.rongcloud.invalid/navi")
    assert ["content-type", "application/json"] in request["headers"]
    assert json.loads(base64.b64decode(request["body"])) == {"hello": "judge"}
    assert said[-1] == {"op": "idle", "next": T0 + 2000 * MS}  # the request's timeout, a fake timer
    body = base64.b64encode(b'{"code": 0}').decode()
    answer = {"op": "response", "rid": request["rid"], "status": 200, "headers": [["content-type", "application/json"]], "body": body}
    assert _result(turns.turn(answer)) == {"event": "load", "status": 200, "body": {"code": 0}, "type": "application/json"}

    [request] = [m for m in turns.turn(turns.call("xhr", "/navi")) if m["op"] == "request"]
    assert _result(turns.turn({"op": "response", "rid": request["rid"], "error": "connection refused"})) == {"event": "error", "status": 0}

    [request] = [m for m in turns.turn(turns.call("xhr", "/navi")) if m["op"] == "request"]
    said = turns.turn(at=T0 + 2000 * MS)
    assert {"op": "abandon", "rid": request["rid"]} in said  # the service stops serving it
    assert _result(said) == {"event": "timeout", "at": T0 // MS + 2000}


def test_an_aborted_fetch_is_abandoned_on_the_virtual_clock(turns: Turns) -> None:
    [request] = [m for m in turns.turn(turns.call("fetchAborted", "/events")) if m["op"] == "request"]
    said = turns.turn(at=T0 + 1000 * MS)  # AbortSignal.timeout(1000) runs on the fake clock
    assert {"op": "abandon", "rid": request["rid"]} in said
    assert _result(said) == {"name": "TimeoutError", "at": T0 // MS + 1000}


def test_browser_globals_exist_and_each_scenario_starts_fresh_with_the_same_random_draws(turns: Turns) -> None:
    assert _result(turns.turn(turns.call("globals"))) == {
        "window": True, "href": "https://app.conformance.invalid/", "onLine": True, "stored": "v", "online": 1, "hidden": False,
    }
    first = _result(turns.turn(turns.call("clocks")))["random"]
    finish = {"op": "call", "id": 99, "device": "", "method": "$finish", "args": [], "kwargs": {}}
    assert _result(turns.turn(finish)) == {"refused": [], "errors": []}
    assert turns.turn(until="ended")[-1] == {"op": "ended", "threads": []}
    turns.begin()
    assert _result(turns.turn(turns.call("storageIsFresh"))) is None
    assert _result(turns.turn(turns.call("clocks")))["random"] == first


def test_each_device_has_a_storage_of_its_own(turns: Turns) -> None:
    """Two devices are two browsers: what one SDK caches (its navigation) never reaches the other."""
    turns.turn({"op": "create", "device": "B", "platform": "web", "base_url": "https://b.rongcloud.invalid", "options": {}})
    assert _result(turns.turn(turns.call("globals")))["stored"] == "v"
    assert _result(turns.turn({**turns.call("storageIsFresh"), "device": "B"})) is None
    assert _result(turns.turn(turns.call("storageIsFresh"))) == "v"


def test_a_websocket_opens_carries_frames_both_ways_and_closes_through_the_judge(turns: Turns) -> None:
    import base64

    said = turns.turn(turns.call("socket", "/websocket?x=1"))
    [opening] = [m for m in said if m["op"] == "ws_open"]
    assert opening["url"] == "wss://a.rongcloud.invalid/websocket?x=1" and _result(said) == 0  # CONNECTING
    sid = opening["sid"]
    said = turns.turn({"op": "ws_opened", "sid": sid}, at=T0 + 5 * MS)
    events = [m["detail"] for m in said if m["op"] == "event"]
    assert events == [{"what": "open", "state": 1, "at": T0 // MS + 5}]
    sent = [m for m in said if m["op"] == "ws_send"]
    assert [m.get("text") or base64.b64decode(m["body"]) for m in sent] == ["hello", b"\xc0\x01"]
    said = turns.turn({"op": "ws_message", "sid": sid, "body": base64.b64encode(b"\xd0\x00").decode()}, {"op": "ws_message", "sid": sid, "text": "bye"})
    events = [m["detail"] for m in said if m["op"] == "event"]
    assert [(e["what"], e.get("hex") or e.get("text")) for e in events] == [("message", "d000"), ("message", "bye")]
    assert {"op": "ws_close", "sid": sid, "code": 1000, "reason": "asked to"} in said
    said = turns.turn({"op": "ws_closed", "sid": sid, "code": 1000, "reason": "asked to"})
    assert [m["detail"] for m in said if m["op"] == "event"] == [{"what": "close", "state": 3, "at": T0 // MS + 5, "code": 1000, "reason": "asked to", "clean": True}]


def test_a_refused_websocket_fires_error_then_close_1006(turns: Turns) -> None:
    [opening] = [m for m in turns.turn(turns.call("socket", "/websocket")) if m["op"] == "ws_open"]
    said = turns.turn({"op": "ws_closed", "sid": opening["sid"], "code": 1006, "reason": "connection refused, network down"})
    assert [(m["detail"]["what"], m["detail"].get("code")) for m in said if m["op"] == "event"] == [("error", None), ("close", 1006)]


def test_every_request_names_the_device_whose_client_made_it_even_from_a_timer(turns: Turns) -> None:
    """Two clients in one host (a singleton SDK loaded once per device): the judge must know whose
    request reaches a vendor's public host, also when it leaves from a timer the call set."""
    assert [m["op"] for m in turns.turn({"op": "create", "device": "B", "platform": "web", "base_url": "https://b.rongcloud.invalid", "options": {}})] == ["created", "idle"]
    url = "https://dualstack-cloudcontrol.rong-edge.com/v1/config"
    call_b = {**turns.call("laterRequest", url, 1000), "device": "B"}
    turns.turn(turns.call("laterRequest", url, 500), call_b)
    said = turns.turn(at=T0 + 500 * MS) + turns.turn(at=T0 + 1000 * MS)
    assert [(m["url"], m.get("device")) for m in said if m["op"] == "request"] == [(url, "A"), (url, "B")]


def test_a_devices_browser_hears_offline_and_online_when_its_network_goes_down_and_back(turns: Turns) -> None:
    """Only the device whose link changed hears it, once per change, as a macrotask."""
    turns.turn({"op": "create", "device": "B", "platform": "web", "base_url": "https://b.rongcloud.invalid", "options": {}})
    assert _result(turns.turn(turns.call("watchLink"))) is True
    assert _result(turns.turn({**turns.call("watchLink"), "device": "B"})) is True
    said = turns.turn({"op": "link", "device": "A", "online": False}, {"op": "link", "device": "A", "online": False}, at=T0 + 5 * MS)
    assert [(m["device"], m["detail"]["type"], m["detail"]["onLine"]) for m in said if m["op"] == "event"] == [("A", "offline", False)]
    said = turns.turn({"op": "link", "device": "A", "online": True}, at=T0 + 9 * MS)
    assert [(m["device"], m["detail"]["type"], m["detail"]["onLine"], m["detail"]["at"]) for m in said if m["op"] == "event"] == [("A", "online", True, T0 // MS + 9)]
