"""ZEGO Express sentences: users and their engines, rooms, streams, and what other users heard.

In this profile a user is a device: "user A" is the engine on device A, logged in as user ID
"A" (a second device of the same user is named explicitly, "from another device A2").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pytest
from pytest_bdd import given, parsers, then, when

from reconnection_conformance.adapters.express.contract import CallResult, ErrorCode, PlayerState, PublisherState
from reconnection_conformance.fixtures import express_service as service_rules
from reconnection_conformance.fixtures.express_service import ExpressService
from reconnection_conformance.fixtures.network import LinkState
from reconnection_conformance.fixtures.profiles import ExpressProfile
from reconnection_conformance.fixtures.recorder import Entry, Kind
from reconnection_conformance.fixtures.runtime import ScenarioRuntime
from reconnection_conformance.steps.common import SCHEDULE_TOLERANCE, UNITS, Devices, Judge, call_client

#: How late after the documented instant a notification or a give-up may come.
PROMPTLY = 1.0


@dataclass
class ExpressWorld:
    runtime: ScenarioRuntime
    judge: Judge
    profile: ExpressProfile
    devices: Devices
    tokens: dict[str, str] = field(default_factory=dict)  # user -> token
    result: CallResult | None = None

    @property
    def service(self) -> ExpressService:
        return self.runtime.service

    # --- reading the timeline ----------------------------------------------------------------

    def callbacks(self, device: str, name: str, since: int = 0) -> list[tuple[int, Entry]]:
        return [
            (i, e)
            for i, e in enumerate(self.runtime.recorder.entries)
            if i >= since and e.kind is Kind.CALLBACK and e.actor == device and e.name == name
        ]

    def went_down(self, device: str) -> tuple[int, Entry]:
        found = [
            (i, e) for i, e in enumerate(self.runtime.recorder.entries)
            if e.kind is Kind.NETWORK and e.actor == device and e.name == "down"
        ]
        assert found, f"the network of user {device} never went down in this scenario"
        return found[-1]

    def requests(self, device: str, path: str | None = None, after: float = float("-inf")) -> list[Entry]:
        names = None if path is None else [path]
        return [e for e in self.runtime.recorder.select(Kind.REQUEST, device, names) if e.at > after]

    def excerpt(self, entries: list[tuple[int, Entry]]) -> str:
        return self.runtime.recorder.excerpt([e for _, e in entries][-10:])

    # --- driving -----------------------------------------------------------------------------

    def token(self, user: str) -> str:
        if user not in self.tokens:
            self.tokens[user] = self.service.issue_token(user)
        return self.tokens[user]

    def call(self, device: str, api: str, *args: object) -> CallResult | None:
        result: CallResult | None = call_client(self.runtime, device, api, *args)
        self.result = result
        return result

    def login(self, device: str, room: str, notify: bool = True, user: str | None = None, token: str | None = None) -> CallResult | None:
        user = user or device
        return self.call(device, "login_room", room, user, token or self.token(user), notify)


@pytest.fixture
def express(runtime: ScenarioRuntime, judge: Judge, profile: ExpressProfile, devices: Devices) -> ExpressWorld:
    runtime.service.user_timeout = profile.user_notify_delay
    return ExpressWorld(runtime, judge, profile, devices)


def _expected(text: str) -> list[tuple[str, int | None]]:
    """ "LOGINING, LOGIN_FAILED 1002033" -> [("LOGINING", None), ("LOGIN_FAILED", 1002033)]"""
    items = []
    for part in text.split(","):
        name, _, code = part.strip().partition(" ")
        items.append((name, int(code) if code else None))
    return items


def _code(value: object) -> int:
    """An error code as recorded: an int, or the name of an ErrorCode member."""
    return int(ErrorCode[value]) if isinstance(value, str) and value in ErrorCode.__members__ else int(value)  # type: ignore[call-overload]


def _matches(entries: list[Entry], expected: list[tuple[str, int | None]], field_name: str) -> bool:
    if len(entries) != len(expected):
        return False
    return all(
        e.detail[field_name] == name and (code is None or _code(e.detail["error_code"]) == code)
        for e, (name, code) in zip(entries, expected)
    )


def _window(express: ExpressWorld, text: str) -> float:
    if text == "the default reconnection window":
        return express.profile.reconnect_window
    if late := re.fullmatch(r"the window a setting of (\d+) seconds made after loginRoom gets", text):
        ignored = express.profile.late_retry_setting == "ignored"
        return express.profile.reconnect_window if ignored else float(late[1])
    amount, unit = text.split()
    return float(amount) * UNITS[unit]


# --- Given -------------------------------------------------------------------------------------


@given(parsers.re(r"user (?P<user>\w+) runs the Express engine"))
def runs_engine(express: ExpressWorld, user: str) -> None:
    express.devices.add(user, sorted(express.runtime.adapter.manifest.platforms)[0])


@given(parsers.re(r"user (?P<user>\w+) has not logged in to any room"))
def not_logged_in(express: ExpressWorld, user: str) -> None:
    assert not express.callbacks(user, "onRoomStateChanged")


@given(parsers.re(r'user (?P<user>\w+) has logged in to room "(?P<room>[^"]+)"(?: with user status notification (?P<flag>on|off))?'))
def has_logged_in(express: ExpressWorld, user: str, room: str, flag: str | None) -> None:
    result = express.login(user, room, flag != "off")
    if result is None or result.code != ErrorCode.SUCCESS:
        raise express.judge.precondition("ex-login-states", f'user {user} to log in to room "{room}" (code 0)', f"loginRoom resolved with {result}")


@given(parsers.re(r'user (?P<user>\w+) sets (?P<key>room_retry_time|av_retry_time) to (?P<seconds>\d+) seconds (?P<when>before|after) logging in to room "(?P<room>[^"]+)"'))
def sets_retry_time(express: ExpressWorld, user: str, key: str, seconds: str, when: str, room: str) -> None:
    if when == "before":
        express.call(user, "set_engine_config", {key: seconds})
        has_logged_in(express, user, room, None)
    else:
        has_logged_in(express, user, room, None)
        express.call(user, "set_engine_config", {key: seconds})


_STARTED = {"publishing": ("start_publishing_stream", "onPublisherStateUpdate", PublisherState.PUBLISHING.name),
            "playing": ("start_playing_stream", "onPlayerStateUpdate", PlayerState.PLAYING.name)}


@given(parsers.re(r'user (?P<user>\w+) is (?P<what>publishing|playing) stream "(?P<stream>[^"]+)"'))
def is_streaming(express: ExpressWorld, user: str, what: str, stream: str) -> None:
    api, callback, state = _STARTED[what]
    express.call(user, api, stream)
    express.runtime.advance(1.0)
    states = express.callbacks(user, callback)
    if not states or states[-1][1].detail["state"] != state:
        raise express.judge.precondition(None, f'user {user} to be {what} "{stream}" ({state})', f"{callback}: {express.excerpt(states)}")


@given("the profile reads leaving a room as stopping its streams")
def leaving_stops_streams(profile: ExpressProfile) -> None:
    if not profile.leaving_stops_streams:
        pytest.skip(
            "not applicable: profile parameter express.leaving_stops_streams=false"
            " (spec 003 does not say what becomes of the streams of a room the engine leaves)"
        )


@given(parsers.re(r"every (?P<kind>publish|play) node of the service fails"))
def nodes_fail(express: ExpressWorld, kind: str) -> None:
    nodes = set(range(service_rules.NODES))
    if kind == "publish":
        express.service.failing_publish_nodes = nodes
    else:
        express.service.failing_play_nodes = nodes


_REVOKE = parsers.re(r"the service revokes user (?P<user>\w+)'s token")


@given(_REVOKE)
@when(_REVOKE)
def service_revokes(express: ExpressWorld, user: str) -> None:
    express.service.revoke_token(express.token(user))


# --- When --------------------------------------------------------------------------------------


@when(parsers.re(r"the network of user (?P<user>\w+) switches to another network type"))
def network_switch(express: ExpressWorld, user: str) -> None:
    """Wi-Fi to cellular, say: every connection in flight is reset and the network works at once."""

    def switch() -> None:
        express.runtime.network.set_link(user, LinkState.DOWN)
        express.runtime.network.set_link(user, LinkState.UP)

    express.runtime.run_service(f"the network of user {user} switches type", switch)



@when(parsers.re(r'user (?P<user>\w+) logs in to room "(?P<room>[^"]+)"(?P<rest>.*)'))
def logs_in(express: ExpressWorld, user: str, room: str, rest: str) -> None:
    rest = rest.strip()
    if rest == "with a wrong token":
        express.login(user, room, token="not-a-token")
    elif match := re.fullmatch(r"with user status notification (on|off)", rest):
        express.login(user, room, match[1] == "on")
    elif match := re.fullmatch(r"from another device (\w+)", rest):
        runs_engine(express, match[1])
        express.login(match[1], room, user=user)
    elif not rest:
        express.login(user, room)
    else:
        raise LookupError(f"no login sentence ends with {rest!r}")


@when(parsers.re(r'user (?P<user>\w+) switches from room "(?P<a>[^"]+)" to room "(?P<b>[^"]+)"'))
def switches(express: ExpressWorld, user: str, a: str, b: str) -> None:
    express.call(user, "switch_room", a, b)


@when(parsers.re(r'user (?P<user>\w+) logs out of room "(?P<room>[^"]+)"'))
def logs_out(express: ExpressWorld, user: str, room: str) -> None:
    express.call(user, "logout_room", room)


@when(parsers.re(r'user (?P<user>\w+) starts (?P<what>publishing|playing) stream "(?P<stream>[^"]+)"'))
def starts(express: ExpressWorld, user: str, what: str, stream: str) -> None:
    express.call(user, "start_publishing_stream" if what == "publishing" else "start_playing_stream", stream)


@when(parsers.re(r"(?P<span>half the user notification delay|the user notification delay|the default reconnection window)(?: and (?P<amount>\d+) more (?P<unit>seconds?|minutes?))? pass(?:es)?"))
def profile_time_passes(express: ExpressWorld, span: str, amount: str | None, unit: str | None) -> None:
    base = {
        "half the user notification delay": express.profile.user_notify_delay / 2,
        "the user notification delay": express.profile.user_notify_delay,
        "the default reconnection window": express.profile.reconnect_window,
    }[span]
    express.runtime.advance(base + (float(amount) * UNITS[unit] if amount and unit else 0.0))


@when(parsers.re(r"the host application of user (?P<user>\w+) crashes"))
def host_crashes(express: ExpressWorld, user: str) -> None:
    express.runtime.run_service(f"user {user}'s application crashes", lambda: express.runtime.network.set_link(user, LinkState.DOWN))


@when(parsers.re(r'user (?P<user>\w+) restarts on device (?P<device>\w+) and publishes stream "(?P<stream>[^"]+)" again'))
def host_restarts(express: ExpressWorld, user: str, device: str, stream: str) -> None:
    runs_engine(express, device)
    express.login(device, express_room_of(express, user), user=user)
    express.call(device, "start_publishing_stream", stream)


def express_room_of(express: ExpressWorld, user: str) -> str:
    calls = express.runtime.recorder.select(Kind.CALL, user, ["login_room"])
    return str(calls[-1].detail["arg0"])


# --- Then: room states -------------------------------------------------------------------------


@then(parsers.re(r'user (?P<user>\w+)\'s room states for room "(?P<room>[^"]+)" ended with (?P<reasons>.+)'))
def room_states_ended(express: ExpressWorld, user: str, room: str, reasons: str) -> None:
    expected = _expected(reasons)
    states = [(i, e) for i, e in express.callbacks(user, "onRoomStateChanged") if e.detail["room_id"] == room]
    tail = [e for _, e in states[-len(expected):]]
    if not _matches(tail, expected, "reason"):
        raise express.judge.fail(
            f'onRoomStateChanged for room "{room}" ending with {reasons}',
            f"room states: {express.excerpt(states)}",
        )


@then(parsers.re(r"user (?P<user>\w+) made no request after reporting (?P<what>KICK_OUT|RECONNECT_FAILED|LOGOUT)"))
def silent_after_reason(express: ExpressWorld, user: str, what: str) -> None:
    found = [e for _, e in express.callbacks(user, "onRoomStateChanged") if e.detail["reason"] == what]
    if not found:
        raise express.judge.fail(f"user {user} to report {what}", f"room states: {express.excerpt(express.callbacks(user, 'onRoomStateChanged'))}")
    _no_requests_after(express, user, found[0].at, f"it reported {what}")


def _no_requests_after(express: ExpressWorld, user: str, since: float, because: str, path: str | None = None) -> None:
    later = express.requests(user, path, after=since + SCHEDULE_TOLERANCE / 2)
    if later:
        raise express.judge.fail(
            f"no {'request' if path is None else path + ' request'} from user {user} after t={since:g}s ({because})",
            f"{len(later)} requests, first: {express.runtime.recorder.excerpt(later, limit=3)}",
            at=later[0].at,
        )


@then(parsers.re(r"user (?P<user>\w+) reported (?P<failure>RECONNECT_FAILED|NO_PUBLISH for stream \"[^\"]+\"|NO_PLAY for stream \"[^\"]+\") (?P<window>.+) after its network went down"))
def gave_up_after(express: ExpressWorld, user: str, failure: str, window: str) -> None:
    seconds = _window(express, window)
    _, down = express.went_down(user)
    due = down.at + seconds
    if failure == "RECONNECT_FAILED":
        found = [e for _, e in express.callbacks(user, "onRoomStateChanged") if e.detail["reason"] == "RECONNECT_FAILED"]
        seen = express.excerpt(express.callbacks(user, "onRoomStateChanged"))
    else:
        stream = failure.split('"')[1]
        callback, state = ("onPublisherStateUpdate", "NO_PUBLISH") if failure.startswith("NO_PUBLISH") else ("onPlayerStateUpdate", "NO_PLAY")
        found = [
            e for _, e in express.callbacks(user, callback)
            if e.detail["stream_id"] == stream and e.detail["state"] == state and e.at > down.at
        ]
        seen = express.excerpt(express.callbacks(user, callback))
    if not found or abs(found[0].at - due) > PROMPTLY:
        raise express.judge.fail(
            f"{failure.split(' for')[0]} at t={due:g}s: {window} ({seconds:g}s) after the network went down at t={down.at:g}s",
            seen,
            at=found[0].at if found else None,
            expected_at=due,
        )


# --- Then: what other users heard --------------------------------------------------------------


def _updates(express: ExpressWorld, user: str, about: str, callback: str, key: str, since: int = 0) -> list[tuple[int, Entry]]:
    return [(i, e) for i, e in express.callbacks(user, callback, since) if about in e.detail[key]]


@then(parsers.re(r"user (?P<user>\w+) received (?P<updates>onRoomUserUpdate ADD then DELETE|no onRoomUserUpdate) about user (?P<about>\w+)$"))
def user_updates(express: ExpressWorld, user: str, updates: str, about: str) -> None:
    seen = _updates(express, user, about, "onRoomUserUpdate", "users")
    kinds = [e.detail["update_type"] for _, e in seen]
    wanted = ["ADD", "DELETE"] if updates.startswith("onRoomUserUpdate") else []
    if kinds != wanted:
        raise express.judge.fail(f"user {user} to receive {updates} about user {about}", f"updates: {express.excerpt(seen)}")


@then(parsers.re(r"user (?P<user>\w+) received no onRoomUserUpdate about user (?P<about>\w+) since user (?P<down>\w+)'s network went down"))
def no_user_update(express: ExpressWorld, user: str, about: str, down: str) -> None:
    index, change = express.went_down(down)
    seen = _updates(express, user, about, "onRoomUserUpdate", "users", since=index)
    if seen:
        raise express.judge.fail(
            f"no onRoomUserUpdate about user {about} for user {user}: {about} was back within the notification delay",
            express.excerpt(seen),
            at=seen[0][1].at,
        )


@then(parsers.re(r"user (?P<user>\w+) received (?P<callback>onRoomUserUpdate|onRoomStreamUpdate) DELETE for (?P<what>user|stream) \"?(?P<about>[\w-]+)\"? the user notification delay after user (?P<down>\w+)'s network went down"))
def delete_after_delay(express: ExpressWorld, user: str, callback: str, what: str, about: str, down: str) -> None:
    index, change = express.went_down(down)
    delay = express.profile.user_notify_delay
    earliest = change.at + delay - service_rules.HEARTBEAT_INTERVAL
    latest = change.at + delay + PROMPTLY
    key = "users" if what == "user" else "streams"
    deletes = [e for _, e in _updates(express, user, about, callback, key, since=index) if e.detail["update_type"] == "DELETE"]
    if not deletes or not earliest - SCHEDULE_TOLERANCE <= deletes[0].at <= latest:
        raise express.judge.fail(
            f"{callback} DELETE for {what} {about} between t={earliest:g}s and t={latest:g}s (the network went down at"
            f" t={change.at:g}s; delay {delay:g}s, profile express.user_notify_delay, less up to one heartbeat interval)",
            f"{callback}s: {express.excerpt(_updates(express, user, about, callback, key))}",
            at=deletes[0].at if deletes else None,
            expected_at=change.at + delay,
        )
    _relayed(express, user, deletes[0], key, about)


def _relayed(express: ExpressWorld, user: str, update: Entry, key: str, about: str) -> None:
    """The client relays: its update follows the service's push to it, within PROMPTLY; it
    never reports an update the service did not push (docs/wire-protocol.md)."""
    kind = "users" if key == "users" else "streams"
    pushes = [
        p for p in express.runtime.recorder.select(Kind.PUSH, user, [kind])
        if p.detail.get("updateType") == update.detail["update_type"] and about in p.detail.get(kind, ())
        and p.at <= update.at + SCHEDULE_TOLERANCE
    ]
    if not pushes or update.at - pushes[-1].at > PROMPTLY:
        raise express.judge.fail(
            f"user {user}'s {update.name} {update.detail['update_type']} for {about} to relay the service's push, within {PROMPTLY:g}s of it",
            f"{update.describe()}; the service's pushes to {user}: {express.runtime.recorder.excerpt(express.runtime.recorder.select(Kind.PUSH, user, [kind]))}",
            at=update.at,
        )


@then(parsers.re(r"user (?P<user>\w+) received onRoomUserUpdate ADD for user (?P<about>\w+) after user (?P<other>\w+) reported (?P<reason>LOGINED|RECONNECTED)"))
def add_after(express: ExpressWorld, user: str, about: str, other: str, reason: str) -> None:
    reported = [(i, e) for i, e in express.callbacks(other, "onRoomStateChanged") if e.detail["reason"] == reason]
    if not reported:
        raise express.judge.fail(f"user {other} to report {reason}", express.excerpt(express.callbacks(other, "onRoomStateChanged")))
    index, entry = reported[-1]
    adds = [(i, e) for i, e in _updates(express, user, about, "onRoomUserUpdate", "users") if e.detail["update_type"] == "ADD"]
    after = [e for i, e in adds if i > index]
    before = [e for i, e in adds if e.at >= entry.at - 1.0 and i < index]
    if not after or before:
        raise express.judge.fail(
            f"onRoomUserUpdate ADD for user {about} after user {other} reported {reason} at t={entry.at:g}s",
            f"ADD updates: {express.runtime.recorder.excerpt([e for _, e in adds])}",
        )


@then(parsers.re(r'user (?P<user>\w+) received onRoomStreamUpdate ADD for stream "(?P<stream>[^"]+)" after the DELETE'))
def stream_add_after_delete(express: ExpressWorld, user: str, stream: str) -> None:
    seen = _updates(express, user, stream, "onRoomStreamUpdate", "streams")
    kinds = [e.detail["update_type"] for _, e in seen]
    if "DELETE" not in kinds or "ADD" not in kinds[kinds.index("DELETE"):]:
        raise express.judge.fail(f'onRoomStreamUpdate DELETE then ADD for stream "{stream}"', express.excerpt(seen))


@then(parsers.re(r"user (?P<user>\w+) received no onRoomStreamUpdate since user (?P<down>\w+)'s network went down"))
def no_stream_update(express: ExpressWorld, user: str, down: str) -> None:
    index, _ = express.went_down(down)
    seen = express.callbacks(user, "onRoomStreamUpdate", since=index)
    if seen:
        raise express.judge.fail(
            f"no onRoomStreamUpdate for user {user}: the host was back within the notification delay",
            express.excerpt(seen),
            at=seen[0][1].at,
        )


@then(parsers.re(r'user (?P<user>\w+) received onRoomStreamUpdate DELETE for stream "(?P<stream>[^"]+)", then ADD, since user (?P<down>\w+)\'s network went down'))
def delete_then_add(express: ExpressWorld, user: str, stream: str, down: str) -> None:
    index, _ = express.went_down(down)
    seen = _updates(express, user, stream, "onRoomStreamUpdate", "streams", since=index)
    kinds = [e.detail["update_type"] for _, e in seen]
    if kinds != ["DELETE", "ADD"]:
        raise express.judge.fail(f'onRoomStreamUpdate DELETE, then ADD, for stream "{stream}"', f"updates: {express.excerpt(seen) if seen else 'none'}")


# --- Then: publishing and playing --------------------------------------------------------------

_MEDIA = {"publisher": ("onPublisherStateUpdate", "/stream/publish", "NO_PUBLISH"), "player": ("onPlayerStateUpdate", "/stream/play", "NO_PLAY")}


@then(parsers.re(r'user (?P<user>\w+)\'s (?P<kind>publisher|player) states for stream "(?P<stream>[^"]+)" since (?:its|user (?P<down>\w+)\'s) network went down were (?P<states>.+)'))
def media_states_since(express: ExpressWorld, user: str, kind: str, stream: str, down: str | None, states: str) -> None:
    callback = _MEDIA[kind][0]
    index, change = express.went_down(down or user)
    seen = [(i, e) for i, e in express.callbacks(user, callback, since=index) if e.detail["stream_id"] == stream]
    if not _matches([e for _, e in seen], _expected(states), "state"):
        raise express.judge.fail(
            f'{callback} for "{stream}" since t={change.at:g}s: {states}',
            f"{express.excerpt(seen) if seen else 'nothing'}",
        )


@then(parsers.re(r'user (?P<user>\w+)\'s (?P<kind>publisher|player) state for stream "(?P<stream>[^"]+)" ended (?P<state>NO_PUBLISH|NO_PLAY) with a non-zero error code'))
def media_failed(express: ExpressWorld, user: str, kind: str, stream: str, state: str) -> None:
    callback = _MEDIA[kind][0]
    seen = [(i, e) for i, e in express.callbacks(user, callback) if e.detail["stream_id"] == stream]
    last = seen[-1][1] if seen else None
    if last is None or last.detail["state"] != state or not _code(last.detail["error_code"]):
        raise express.judge.fail(f'{callback} for "{stream}" to end {state} with an error code other than 0', express.excerpt(seen) if seen else "nothing")


@then(parsers.re(r"user (?P<user>\w+) tried every (?P<kind>publish|play) node"))
def tried_every_node(express: ExpressWorld, user: str, kind: str) -> None:
    path = "/stream/publish" if kind == "publish" else "/stream/play"
    nodes = {int(e.detail.get("node", -1)) for e in express.requests(user, path)}
    if not set(range(service_rules.NODES)) <= nodes:
        raise express.judge.fail(f"{kind} attempts through every node 0-{service_rules.NODES - 1}", f"nodes tried: {sorted(nodes)}")


@then(parsers.re(r"user (?P<user>\w+) made no (?P<kind>publish|play) request after reporting (?P<state>NO_PUBLISH|NO_PLAY)"))
def silent_after_media_failure(express: ExpressWorld, user: str, kind: str, state: str) -> None:
    callback = _MEDIA["publisher" if kind == "publish" else "player"][0]
    failed = [e for _, e in express.callbacks(user, callback) if e.detail["state"] == state]
    if not failed:
        raise express.judge.fail(f"user {user} to report {state} before going silent", express.excerpt(express.callbacks(user, callback)))
    _no_requests_after(express, user, failed[-1].at, f"it reported {state}", _MEDIA["publisher" if kind == "publish" else "player"][1])


@then(parsers.re(r"user (?P<user>\w+) made exactly one (?P<kind>publish|play) request"))
def single_media_request(express: ExpressWorld, user: str, kind: str) -> None:
    path = _MEDIA["publisher" if kind == "publish" else "player"][1]
    made = express.requests(user, path)
    if len(made) != 1:
        raise express.judge.fail(
            f"one {path} request from user {user}: a steady-state error is not retried",
            f"{len(made)} requests: {express.runtime.recorder.excerpt(made, limit=4)}",
            at=made[1].at if len(made) > 1 else None,
        )


@then(parsers.re(r'user (?P<user>\w+)\'s room states for room "(?P<room>[^"]+)" ended with RECONNECTING 1002051 and the logout outcome the profile reads'))
def logout_outcome(express: ExpressWorld, user: str, room: str) -> None:
    reading = express.profile.logout_while_reconnecting
    reasons = "RECONNECTING 1002051, LOGOUT" if reading == "logout" else "RECONNECTING 1002051, LOGOUT_FAILED"
    states = [(i, e) for i, e in express.callbacks(user, "onRoomStateChanged") if e.detail["room_id"] == room]
    tail = [e for _, e in states[-2:]]
    if not _matches(tail, _expected(reasons), "reason") or (reading != "logout" and not _code(tail[-1].detail["error_code"])):
        raise express.judge.fail(
            f'onRoomStateChanged for room "{room}" ending with {reasons}'
            f"{' with a non-zero error code' if reading != 'logout' else ''} (profile express.logout_while_reconnecting={reading})",
            f"room states: {express.excerpt(states)}",
        )


@then(parsers.re(r'user (?P<user>\w+) made no request after logging out of room "(?P<room>[^"]+)"'))
def silent_after_logout_call(express: ExpressWorld, user: str, room: str) -> None:
    call = [e for e in express.runtime.recorder.select(Kind.CALL, user, ["logout_room"]) if e.detail.get("arg0") == room][-1]
    _no_requests_after(express, user, call.at, f"the app called logoutRoom for {room}")


_LEFT = {"logging out of": "logout_room", "switching from": "switch_room"}


@then(parsers.re(r'user (?P<user>\w+) neither published nor played after (?:(?P<how>logging out of|switching from) room "(?P<room>[^"]+)"|(?P<kicked>reporting KICK_OUT))'))
def no_streams_after_leaving(express: ExpressWorld, user: str, how: str | None, room: str | None, kicked: str | None) -> None:
    """Leaving a room stopped its streams: no publish or play request, and no publisher or player
    state but NO_PUBLISH / NO_PLAY, from the moment it left (profile express.leaving_stops_streams)."""
    if kicked:
        found = [e for _, e in express.callbacks(user, "onRoomStateChanged") if e.detail["reason"] == "KICK_OUT"]
    else:
        found = [e for e in express.runtime.recorder.select(Kind.CALL, user, [_LEFT[str(how)]]) if e.detail.get("arg0") == room]
    if not found:
        raise express.judge.fail(f"user {user} to leave the room ({kicked or how})", "no such call or callback")
    since = found[-1].at
    _no_requests_after(express, user, since, "it left the room, which stops its streams", "/stream/publish")
    _no_requests_after(express, user, since, "it left the room, which stops its streams", "/stream/play")
    states = [e for name in ("onPublisherStateUpdate", "onPlayerStateUpdate") for _, e in express.callbacks(user, name)
              if e.at > since + SCHEDULE_TOLERANCE / 2 and e.detail["state"] not in ("NO_PUBLISH", "NO_PLAY")]
    if states:
        raise express.judge.fail(
            f"no publisher or player state but NO_PUBLISH / NO_PLAY from user {user} after t={since:g}s: leaving the room"
            " stopped its streams (profile express.leaving_stops_streams=true)",
            express.runtime.recorder.excerpt(states, limit=4),
            at=states[0].at,
        )


@then(parsers.re(r'user (?P<user>\w+) received onRoomStreamUpdate DELETE for stream "(?P<stream>[^"]+)" once its network came back'))
def delete_once_back(express: ExpressWorld, user: str, stream: str) -> None:
    back = [(i, e) for i, e in enumerate(express.runtime.recorder.entries)
            if e.kind is Kind.NETWORK and e.actor == user and e.name == "up"]
    if not back:
        raise express.judge.fail(f"the network of user {user} to come back", "it never did")
    index, up = back[-1]
    seen = _updates(express, user, stream, "onRoomStreamUpdate", "streams", since=index)
    if not any(e.detail["update_type"] == "DELETE" for _, e in seen):
        raise express.judge.fail(
            f'onRoomStreamUpdate DELETE for stream "{stream}" after t={up.at:g}s: it was deleted while user {user} was'
            " away, and the login answer of its new session no longer lists it",
            f"updates since: {express.excerpt(seen) if seen else 'none'}",
        )


@then(parsers.re(r"user (?P<user>\w+) made play requests while user (?P<host>\w+) was away"))
def played_in_background(express: ExpressWorld, user: str, host: str) -> None:
    _, down = express.went_down(host)
    back = [e for e in express.runtime.recorder.select(Kind.NETWORK, host, ["up"]) if e.at > down.at]
    until = back[0].at if back else express.runtime.now
    tries = [e for e in express.requests(user, "/stream/play", after=down.at) if e.at <= until]
    if len(tries) < 2:
        raise express.judge.fail(
            f"user {user}'s player to retry in the background between t={down.at:g}s and t={until:g}s",
            f"{len(tries)} play requests in that span",
        )
