"""ZIM sentences: users' devices, logins and rooms, and the periods T0/T1/T2 read off the
recorded timeline."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pytest
from pytest_bdd import given, parsers, then, when

from reconnection_conformance.adapters.manifest_rules import parse_version
from reconnection_conformance.adapters.zim.contract import CallResult, ConnectionEvent, ConnectionState, ErrorCode, RoomEvent, RoomState
from reconnection_conformance.fixtures import zim_service as service_rules
from reconnection_conformance.fixtures.profiles import ZimProfile
from reconnection_conformance.fixtures.recorder import Entry, Kind
from reconnection_conformance.fixtures.runtime import ScenarioRuntime
from reconnection_conformance.fixtures.zim_service import ZimService
from reconnection_conformance.steps.common import SCHEDULE_TOLERANCE, UNITS, Devices, Judge, call_client

#: A callback that must follow an event "at once" may come this many virtual seconds later.
PROMPTLY = 1.0
CONNECTION = "onConnectionStateChanged"
ROOM = "onRoomStateChanged"


@dataclass
class ZimWorld:
    runtime: ScenarioRuntime
    judge: Judge
    profile: ZimProfile
    devices: Devices
    tokens: dict[str, str] = field(default_factory=dict)  # user -> newest token
    expiry: dict[str, float] = field(default_factory=dict)  # user -> when that token expires
    owner: dict[str, str] = field(default_factory=dict)  # device -> user
    logged_in_at: dict[str, float] = field(default_factory=dict)
    result: CallResult | None = None

    @property
    def service(self) -> ZimService:
        return self.runtime.service

    # --- reading the timeline ----------------------------------------------------------------

    def entries(self) -> list[Entry]:
        return self.runtime.recorder.entries

    def callbacks(self, device: str, name: str, room: str | None = None, after: int = 0) -> list[tuple[int, Entry]]:
        """(position in the timeline, entry) of the device's callbacks of one kind."""
        return [
            (i, e)
            for i, e in enumerate(self.entries())
            if i >= after
            and e.kind is Kind.CALLBACK
            and e.actor == device
            and e.name == name
            and (room is None or e.detail.get("room_id") == room)
        ]

    def connection_states(self, device: str, after: int = 0) -> list[tuple[int, Entry]]:
        return self.callbacks(device, CONNECTION, after=after)

    def link_change(self, device: str, states: tuple[str, ...]) -> tuple[int, Entry]:
        found = [(i, e) for i, e in enumerate(self.entries()) if e.kind is Kind.NETWORK and e.actor == device and e.name in states]
        assert found, f"the scenario never changed the network of device {device}"
        return found[-1]

    def loss(self, device: str) -> tuple[int, Entry]:
        return self.link_change(device, ("down", "unresponsive"))

    def requests(self, device: str, names: tuple[str, ...] | None = None, after: float = float("-inf")) -> list[Entry]:
        found = self.runtime.recorder.select(Kind.REQUEST, device, names)
        return [e for e in found if e.at > after]

    def history(self, device: str, room: str | None = None) -> str:
        name = ROOM if room else CONNECTION
        return self.runtime.recorder.excerpt([e for _, e in self.callbacks(device, name, room)][-10:])

    # --- driving -----------------------------------------------------------------------------

    def issue(self, user: str, valid_for: float = service_rules.DEFAULT_TOKEN_LIFETIME) -> str:
        self.tokens[user] = self.service.issue_token(user, valid_for)
        self.expiry[user] = self.runtime.now + valid_for
        return self.tokens[user]

    def call(self, device: str, api: str, *args: object) -> CallResult:
        result: CallResult = call_client(self.runtime, device, api, *args)
        self.result = result
        return result

    def login(self, device: str, user: str) -> CallResult:
        if user not in self.tokens:
            self.issue(user)
        self.owner[device] = user
        self.logged_in_at[device] = self.runtime.now
        return self.call(device, "login", user, self.tokens[user])


@pytest.fixture
def zim(runtime: ScenarioRuntime, judge: Judge, profile: ZimProfile, devices: Devices) -> ZimWorld:
    return ZimWorld(runtime, judge, profile, devices)


def _pair(state: int, event: int, room: bool = False) -> str:
    s, e = (RoomState, RoomEvent) if room else (ConnectionState, ConnectionEvent)
    return f"state {state} ({s(state).name}) with event {event} ({e(event).name})"


def _is(entry: Entry, state: int, event: int, room: bool = False) -> bool:
    s, e = (RoomState, RoomEvent) if room else (ConnectionState, ConnectionEvent)
    return entry.detail["state"] == s(state).name and entry.detail["event"] == e(event).name


def _seconds(amount: str, unit: str) -> float:
    return float(amount) * UNITS[unit]


# --- Given -------------------------------------------------------------------------------------


@given(parsers.re(r"device (?P<device>\w+) of (?P<user>\w+) runs the ZIM SDK"))
def device_runs(zim: ZimWorld, device: str, user: str) -> None:
    zim.owner[device] = user
    zim.devices.add(device, sorted(zim.runtime.adapter.manifest.platforms)[0])


@given(parsers.re(r"(?P<user>\w+) holds a token valid for (?P<amount>\d+) (?P<unit>seconds?|minutes?|hours?)"))
def holds_token(zim: ZimWorld, user: str, amount: str, unit: str) -> None:
    zim.issue(user, float(amount) * {"hour": 3600.0, "hours": 3600.0}.get(unit, UNITS.get(unit, 1.0)))


@given(parsers.re(r"multi-device login is (?P<setting>on|off)"))
def multi_device(zim: ZimWorld, setting: str) -> None:
    zim.service.multi_device_login = setting == "on"


@given("the profile reads the same connection state twice in a row as a violation")
def duplicates_are_violations(zim: ZimWorld) -> None:
    if not zim.profile.duplicate_state_is_violation:
        pytest.skip(
            "not applicable: profile parameter zim.duplicate_state_is_violation=false"
            " (the page does not say that a callback is only for a change)"
        )


@given("the SDK version is at least 2.9.0")
def version_at_least(zim: ZimWorld) -> None:
    version = zim.runtime.adapter.manifest.sdk_version
    if parse_version(version) < parse_version("2.9.0"):  # "2.9" is 2.9.0, not older
        pytest.skip(f"not applicable: the adapter declares SDK version {version}; the rule holds from 2.9.0")


@given(parsers.re(r"device (?P<device>\w+) is logged in as (?P<user>\w+)"))
def is_logged_in(zim: ZimWorld, device: str, user: str) -> None:
    result = zim.login(device, user)
    if result.code != ErrorCode.SUCCESS:
        raise zim.judge.precondition(None, f"device {device} to log in as {user} (code 0)", f"login resolved with code {result.code}")


@given(parsers.re(r'device (?P<device>\w+) has entered room "(?P<room>[^"]+)"'))
def has_entered(zim: ZimWorld, device: str, room: str) -> None:
    result = zim.call(device, "enter_room", room)
    if result.code != ErrorCode.SUCCESS:
        raise zim.judge.precondition(None, f'device {device} to enter room "{room}" (code 0)', f"enterRoom resolved with code {result.code}")


@given(parsers.re(r'(?P<user>\w+) stays in room "(?P<room>[^"]+)" on device (?P<device>\w+)'))
def stays_in_room(zim: ZimWorld, user: str, room: str, device: str) -> None:
    device_runs(zim, device, user)
    is_logged_in(zim, device, user)
    has_entered(zim, device, room)


@given(parsers.re(r'nobody else is in room "(?P<room>[^"]+)"'))
def alone_in_room(zim: ZimWorld, room: str) -> None:
    members = zim.service.members(room)
    assert len(members) == 1, f"room {room} has members {sorted(members)}"


# --- When --------------------------------------------------------------------------------------


@when(parsers.re(r"device (?P<device>\w+) logs in as (?P<user>\w+)"))
def logs_in(zim: ZimWorld, device: str, user: str) -> None:
    zim.login(device, user)


_ACTIONS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"sends a message to (?P<arg>\w+)"), "send_message"),
    (re.compile(r'creates room "(?P<arg>[^"]+)"'), "create_room"),
    (re.compile(r'joins room "(?P<arg>[^"]+)"'), "join_room"),
    (re.compile(r'enters room "(?P<arg>[^"]+)"'), "enter_room"),
    (re.compile(r'leaves room "(?P<arg>[^"]+)"'), "leave_room"),
    (re.compile(r"renews its token"), "renew_token"),
    (re.compile(r"logs out"), "logout"),
]


@when(parsers.re(r"the app on device (?P<device>\w+) (?P<action>.+)"))
def app_calls(zim: ZimWorld, device: str, action: str) -> None:
    for pattern, api in _ACTIONS:
        if match := pattern.fullmatch(action):
            if api == "renew_token":
                zim.call(device, api, zim.issue(zim.owner[device], 3600.0))
            elif api == "logout":
                zim.call(device, api)
            elif api == "send_message":
                zim.call(device, api, match["arg"], "hello")
            else:
                zim.call(device, api, match["arg"])
            return
    raise LookupError(f"no ZIM API call reads {action!r}; known: {[p.pattern for p, _ in _ACTIONS]}")


@when(parsers.re(r"the service no longer accepts (?P<user>\w+)'s token"))
def service_revokes(zim: ZimWorld, user: str) -> None:
    zim.service.revoke_token(zim.tokens[user])


@when("the profile's longest reconnection gap passes")
def longest_gap_passes(zim: ZimWorld) -> None:
    zim.runtime.advance(zim.profile.max_reconnect_gap)


# --- Then: connection --------------------------------------------------------------------------


def _state_names(state: str, event: str) -> tuple[int, int]:
    return int(ConnectionState[state]), int(ConnectionEvent[event])


@then(parsers.re(r"device (?P<device>\w+) reported connection state (?P<state>[A-Z_]+) with event (?P<event>[A-Z_]+) within (?P<limit>\d+(?:\.\d+)?) seconds? of the network change"))
def reported_within(zim: ZimWorld, device: str, state: str, event: str, limit: str) -> None:
    s, e = _state_names(state, event)
    index, change = zim.loss(device)
    found = [entry for _, entry in zim.connection_states(device, after=index) if _is(entry, s, e)]
    if not found or found[0].at - change.at > float(limit) + SCHEDULE_TOLERANCE:
        raise zim.judge.fail(
            f"onConnectionStateChanged {_pair(s, e)} by t={change.at + float(limit):g}s"
            f" (the network {change.name} at t={change.at:g}s)",
            f"connection states since: {zim.history(device)}",
        )


@then(parsers.re(r"device (?P<device>\w+) reported connection state (?P<state>[A-Z_]+) with event (?P<event>[A-Z_]+) after the outage"))
def reported_after_outage(zim: ZimWorld, device: str, state: str, event: str) -> None:
    s, e = _state_names(state, event)
    index, _ = zim.loss(device)
    later = zim.connection_states(device, after=index)
    if not any(_is(entry, s, e) for _, entry in later):
        raise zim.judge.fail(f"onConnectionStateChanged {_pair(s, e)} once the network is back", f"connection states: {zim.history(device)}")


#: Events that name no cause: a working connection, the app's own login, still retrying.
NOT_SPECIAL = ("SUCCESS", "ACTIVE_LOGIN", "LOGIN_INTERRUPTED")


@then(parsers.re(r"device (?P<device>\w+) reported connection state DISCONNECTED with a special event"))
def disconnected_special(zim: ZimWorld, device: str) -> None:
    found = [e for _, e in zim.connection_states(device) if e.detail["state"] == "DISCONNECTED"]
    if not found or found[0].detail["event"] in NOT_SPECIAL:
        raise zim.judge.fail(
            f"device {device} to report DISCONNECTED with the special event that ended reconnection"
            f" (any event but {', '.join(NOT_SPECIAL)})",
            f"connection states: {zim.history(device)}",
        )


@then(parsers.re(r"device (?P<device>\w+) reported connection state (?P<state>[A-Z_]+) with event (?P<event>[A-Z_]+)$"))
def reported(zim: ZimWorld, device: str, state: str, event: str) -> None:
    s, e = _state_names(state, event)
    if not any(_is(entry, s, e) for _, entry in zim.connection_states(device)):
        raise zim.judge.fail(f"device {device} to report onConnectionStateChanged {_pair(s, e)}", f"connection states: {zim.history(device)}")


@then(parsers.re(r"device (?P<device>\w+) never reported the same connection state and event twice in a row"))
def no_duplicate_state(zim: ZimWorld, device: str) -> None:
    states = [e for _, e in zim.connection_states(device)]
    for before, after in zip(states, states[1:]):
        if before.detail == after.detail:
            raise zim.judge.fail(
                f"one onConnectionStateChanged per change on device {device}",
                f"reported twice in a row: {zim.runtime.recorder.excerpt([before, after])}",
                at=after.at,
            )


@then(parsers.re(r"device (?P<device>\w+) reported DISCONNECTED at the token's expiry"))
def disconnected_at_expiry(zim: ZimWorld, device: str) -> None:
    expiry = zim.expiry[zim.owner[device]]
    found = [e for _, e in zim.connection_states(device) if e.detail["state"] == "DISCONNECTED"]
    if not found or abs(found[0].at - expiry) > PROMPTLY:
        raise zim.judge.fail(
            f"onConnectionStateChanged DISCONNECTED when the token expired at t={expiry:g}s",
            f"connection states: {zim.history(device)}",
        )


@then(parsers.re(r"device (?P<device>\w+) holds a live session at the service"))
def live_session(zim: ZimWorld, device: str) -> None:
    if not zim.service.online(device=device):
        raise zim.judge.fail(
            f"device {device} to be logged in at the service again, with no login call from the app",
            f"no live session; login requests: {[f'{e.at:g}' for e in zim.requests(device, ('/login',))][-8:]};"
            f" connection states: {zim.history(device)}",
        )


@then(parsers.re(r"devices (?P<a>\w+) and (?P<b>\w+) both hold a live session at the service"))
def both_live(zim: ZimWorld, a: str, b: str) -> None:
    for device in (a, b):
        live_session(zim, device)


@then(parsers.re(r"device (?P<device>\w+) reported no connection state change since it logged in"))
def no_change_since_login(zim: ZimWorld, device: str) -> None:
    since = zim.logged_in_at[device]
    changes = [e for _, e in zim.connection_states(device) if e.at > since + SCHEDULE_TOLERANCE]
    if changes:
        raise zim.judge.fail(
            f"device {device} to stay CONNECTED from its login at t={since:g}s",
            f"connection states: {zim.runtime.recorder.excerpt(changes)}",
            at=changes[0].at,
        )


@then(parsers.re(r"device (?P<device>\w+) attempted to log in again in every reconnection gap of the outage"))
def attempts_cover_outage(zim: ZimWorld, device: str) -> None:
    _, change = zim.loss(device)
    attempts = sorted({e.at for e in zim.requests(device, ("/login",), after=change.at - SCHEDULE_TOLERANCE)})
    gap = zim.profile.max_reconnect_gap
    edges = [change.at] + attempts + [zim.runtime.now]
    holes = [(a, b) for a, b in zip(edges, edges[1:]) if b - a > gap + SCHEDULE_TOLERANCE]
    if holes:
        a, b = holes[0]
        shown = ", ".join(f"{t:g}" for t in attempts[:12])
        raise zim.judge.fail(
            f"a reconnection attempt at least every {gap:g}s (profile zim.max_reconnect_gap) from"
            f" t={change.at:g}s to t={zim.runtime.now:g}s",
            f"no attempt between t={a:g}s and t={b:g}s; attempts at [{shown}] ({len(attempts)} in all)",
            at=a,
        )


@then(parsers.re(r"device (?P<device>\w+) made no request after reporting DISCONNECTED"))
def silent_after_disconnected(zim: ZimWorld, device: str) -> None:
    found = [e for _, e in zim.connection_states(device) if e.detail["state"] == "DISCONNECTED"]
    if not found:
        raise zim.judge.fail(f"device {device} to report DISCONNECTED", f"connection states: {zim.history(device)}")
    later = zim.requests(device, after=found[0].at + SCHEDULE_TOLERANCE / 2)
    if later:
        raise zim.judge.fail(
            f"no request from device {device} after it reported DISCONNECTED at t={found[0].at:g}s",
            f"{len(later)} requests, first: {zim.runtime.recorder.excerpt(later, limit=4)}",
            at=later[0].at,
        )


@then(parsers.parse("the call failed with error {code:d}"))
def call_failed(zim: ZimWorld, code: int) -> None:
    assert zim.result is not None, "no API call was made"
    if zim.result.code != code:
        raise zim.judge.fail(f"the call to fail with error {code} ({ErrorCode(code).name})", f"it resolved with code {zim.result.code}")


@then("the call succeeded")
def call_succeeded(zim: ZimWorld) -> None:
    assert zim.result is not None, "no API call was made"
    if zim.result.code != ErrorCode.SUCCESS:
        raise zim.judge.fail("the call to succeed (code 0)", f"it resolved with code {zim.result.code}")


@then(parsers.re(r"device (?P<device>\w+) received onTokenWillExpire when the profile's lead time of validity remained"))
def token_will_expire(zim: ZimWorld, device: str) -> None:
    lead = zim.profile.token_will_expire_lead
    expiry = zim.expiry[zim.owner[device]]
    due = max(zim.logged_in_at[device], expiry - lead)
    seen = [e for _, e in zim.callbacks(device, "onTokenWillExpire")]
    expected = f"onTokenWillExpire at t={due:g}s with about {expiry - due:g} seconds left (token expires at t={expiry:g}s; lead {lead:g}s, profile zim.token_will_expire_lead)"
    if not seen:
        raise zim.judge.fail(expected, "no onTokenWillExpire at all")
    first = seen[0]
    if abs(first.at - due) > PROMPTLY or abs(float(first.detail["second"]) - (expiry - due)) > PROMPTLY:
        raise zim.judge.fail(expected, f"onTokenWillExpire(second={first.detail['second']}) at t={first.at:g}s", at=first.at, expected_at=due)


# --- Then: rooms (spec 001, scenario 4) --------------------------------------------------------


@dataclass(frozen=True)
class Periods:
    """Positions in the timeline of each period's callbacks (None: not reported)."""

    t0_connection: tuple[int, Entry] | None
    t0_room: tuple[int, Entry] | None
    t1_connection: tuple[int, Entry] | None
    t2_room: tuple[int, Entry] | None


def periods(zim: ZimWorld, device: str, room: str) -> Periods:
    loss, _ = zim.loss(device)
    conn = zim.connection_states(device, after=loss)
    rooms = zim.callbacks(device, ROOM, room, after=loss)
    t0c = next(((i, e) for i, e in conn if _is(e, 3, 3)), None)
    t1c = next(((i, e) for i, e in conn if e.detail["state"] == "CONNECTED"), None)
    end_t0 = t1c[0] if t1c else len(zim.entries())
    t0r = next(((i, e) for i, e in rooms if i < end_t0 and _is(e, 1, 1, room=True)), None)
    # T2 is the room's outcome after the connection is back, whether or not the room repeated
    # state 1 at T1 (that is the reading zim-t1-room-callback, checked on its own).
    t2r = next(((i, e) for i, e in rooms if t1c and i > t1c[0] and e.detail["state"] != RoomState.CONNECTING.name), None)
    return Periods(t0c, t0r, t1c, t2r)


@then(parsers.re(r'at T0 device (?P<device>\w+) reported connection state (?P<cs>\d) and room "(?P<room>[^"]+)" state (?P<rs>\d) with event (?P<room_event>\d)'))
def at_t0(zim: ZimWorld, device: str, cs: str, room: str, rs: str, room_event: str) -> None:
    p = periods(zim, device, room)
    if p.t0_connection is None or not _is(p.t0_connection[1], int(cs), 3):
        raise zim.judge.fail(f"at T0 (network down) onConnectionStateChanged {_pair(int(cs), 3)}", f"connection states: {zim.history(device)}")
    if p.t0_room is None or not _is(p.t0_room[1], int(rs), int(room_event), room=True):
        raise zim.judge.fail(
            f'at T0, before the connection recovers, onRoomStateChanged for "{room}" {_pair(int(rs), int(room_event), room=True)}',
            f"room states: {zim.history(device, room)}",
        )


@then(parsers.re(r'at T1 device (?P<device>\w+) reported connection state (?P<cs>\d) before room "(?P<room>[^"]+)" was restored'))
def at_t1(zim: ZimWorld, device: str, cs: str, room: str) -> None:
    loss, _ = zim.loss(device)
    conn = [(i, e) for i, e in zim.connection_states(device, after=loss) if e.detail["state"] == ConnectionState(int(cs)).name]
    outcomes = [(i, e) for i, e in zim.callbacks(device, ROOM, room, after=loss) if e.detail["state"] != RoomState.CONNECTING.name]
    if not conn or not outcomes or outcomes[0][0] < conn[0][0]:
        raise zim.judge.fail(
            f'at T1 onConnectionStateChanged state {cs} ({ConnectionState(int(cs)).name}), before the T2'
            f' onRoomStateChanged for "{room}" (state 2 or 0)',
            f"connection states: {zim.history(device)}; room states: {zim.history(device, room)}",
        )


@then(parsers.re(r'at T1 device (?P<device>\w+) reported for room "(?P<room>[^"]+)" what the profile reads in the T1 row'))
def at_t1_room(zim: ZimWorld, device: str, room: str) -> None:
    loss, _ = zim.loss(device)
    t1c = next(((i, e) for i, e in zim.connection_states(device, after=loss) if e.detail["state"] == "CONNECTED"), None)
    if t1c is None:
        raise zim.judge.fail("at T1 onConnectionStateChanged state 2 (CONNECTED)", f"connection states: {zim.history(device)}")
    after = zim.callbacks(device, ROOM, room, after=t1c[0])
    first = after[0][1] if after else None
    repeated = first is not None and _is(first, 1, 1, room=True)
    if zim.profile.t1_room_callback and not repeated:
        raise zim.judge.fail(
            f'at T1, after the connection recovered (t={t1c[1].at:g}s), onRoomStateChanged for "{room}"'
            f" {_pair(1, 1, room=True)} again (profile zim.t1_room_callback=true)",
            f"room states: {zim.history(device, room)}",
        )
    if not zim.profile.t1_room_callback and (first is None or repeated):
        raise zim.judge.fail(
            f'no new onRoomStateChanged for "{room}" at T1: the room stays in state 1 until its T2 outcome'
            " (profile zim.t1_room_callback=false)",
            f"room states: {zim.history(device, room)}",
            at=first.at if first else None,
        )


@then(parsers.re(r'at T2 device (?P<device>\w+) reported room "(?P<room>[^"]+)" state (?P<rs>\d) with event (?P<room_event>\d)'))
def at_t2(zim: ZimWorld, device: str, room: str, rs: str, room_event: str) -> None:
    p = periods(zim, device, room)
    if p.t2_room is None or not _is(p.t2_room[1], int(rs), int(room_event), room=True):
        shown = "nothing after T1" if p.t2_room is None else p.t2_room[1].describe()
        raise zim.judge.fail(
            f'at T2 onRoomStateChanged for "{room}" {_pair(int(rs), int(room_event), room=True)}',
            f"{shown}; room states: {zim.history(device, room)}",
        )


@then(parsers.re(r'device (?P<device>\w+) went through T0, T1 and T2 for room "(?P<room>[^"]+)" in that order'))
def in_order(zim: ZimWorld, device: str, room: str) -> None:
    p = periods(zim, device, room)
    steps = {"T0 connection": p.t0_connection, "T0 room": p.t0_room, "T1 connection": p.t1_connection, "T2 room": p.t2_room}
    missing = [name for name, found in steps.items() if found is None]
    if missing:
        raise zim.judge.fail(
            "the callbacks of T0, then T1, then T2, in that order",
            f"{', '.join(missing)} not found in that order; observed order since the network went down: {observed_order(zim, device, room)}",
        )


def observed_order(zim: ZimWorld, device: str, room: str, limit: int = 14) -> str:
    """The device's connection and room callbacks since the loss, in the order they came."""
    loss, _ = zim.loss(device)
    seen = [
        e for _, e in sorted(zim.connection_states(device, after=loss) + zim.callbacks(device, ROOM, room, after=loss), key=lambda p: p[0])
    ]
    words = [
        f"{'connection' if e.name == CONNECTION else 'room'} {e.detail.get('state')}/{e.detail.get('event')} (t={e.at:g}s)"
        for e in seen[:limit]
    ]
    more = f" → ... {len(seen) - limit} more" if len(seen) > limit else ""
    return " → ".join(words) + more if words else "no connection or room callback at all"


@then(parsers.re(r'device (?P<device>\w+) asked the service whether (?P<user>\w+) is still in room "(?P<room>[^"]+)" between T1 and T2'))
def asked_service(zim: ZimWorld, device: str, user: str, room: str) -> None:
    p = periods(zim, device, room)
    if p.t1_connection is None or p.t2_room is None:
        raise zim.judge.fail("T1 and T2 callbacks around the room query", f"room states: {zim.history(device, room)}")
    start, end = p.t1_connection[0], p.t2_room[0]
    asked = [
        e for i, e in enumerate(zim.entries())
        if start < i < end and e.kind is Kind.REQUEST and e.actor == device and e.name == "/room/query" and e.detail.get("roomId") == room
    ]
    answered = [e for e in asked if e.detail.get("outcome") == "answered"]
    if not answered:
        raise zim.judge.fail(
            f'a "is {user} still in room {room}" query at the service (/room/query) after the network recovered and before the T2 notification',
            f"no such query between t={p.t1_connection[1].at:g}s and t={p.t2_room[1].at:g}s",
        )
    answer = answered[-1].detail["answer"]
    expected = (2, 0) if answer.get("inRoom") else (0, 9) if answer.get("roomExists") else (0, 3)
    if not _is(p.t2_room[1], *expected, room=True):
        raise zim.judge.fail(
            f"the T2 notification to follow the service's answer {answer}: {_pair(*expected, room=True)}",
            p.t2_room[1].describe(),
            at=p.t2_room[1].at,
        )


@then(parsers.re(r'(?P<user>\w+) is not a member of room "(?P<room>[^"]+)" at the service'))
def is_not_member(zim: ZimWorld, user: str, room: str) -> None:
    if user in zim.service.members(room):
        raise zim.judge.fail(f'{user} to have left room "{room}" at the service', f"members: {sorted(zim.service.members(room))}")


@then(parsers.re(r'(?P<user>\w+) is a member of room "(?P<room>[^"]+)" at the service'))
def is_member(zim: ZimWorld, user: str, room: str) -> None:
    if user not in zim.service.members(room):
        raise zim.judge.fail(
            f'{user} to be in room "{room}" at the service',
            f"members: {sorted(zim.service.members(room)) or 'none (no such room)'}; last call code {zim.result.code if zim.result else None}",
        )
