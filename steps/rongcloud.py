"""RongCloud sentences: devices of a user, connect/disconnect, and what the client did."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from pytest_bdd import given, parsers, then, when

from reconnection_conformance.adapters.rongcloud.contract import NETWORK_CODES, ConnectResult, ErrorCode, Status
from reconnection_conformance.fixtures import rongcloud_service as service_rules
from reconnection_conformance.fixtures.profiles import RongCloudProfile
from reconnection_conformance.fixtures.recorder import Entry, Kind
from reconnection_conformance.fixtures.rongcloud_service import RongCloudService
from reconnection_conformance.fixtures.runtime import ScenarioRuntime
from reconnection_conformance.steps.common import SCHEDULE_TOLERANCE, Devices, Judge, call_client

ATTEMPT_ENDPOINTS = ("/navi", "/connect")


@dataclass
class RongCloudWorld:
    runtime: ScenarioRuntime
    judge: Judge
    tokens: dict[str, str] = field(default_factory=dict)  # user -> token
    owner: dict[str, str] = field(default_factory=dict)  # device -> user
    results: dict[str, ConnectResult] = field(default_factory=dict)

    @property
    def service(self) -> RongCloudService:
        return self.runtime.service

    def statuses(self, device: str) -> list[Entry]:
        return self.runtime.recorder.select(Kind.CALLBACK, device, ["onConnectionStatus"])

    def attempts(self, device: str, after: float = float("-inf")) -> list[float]:
        """Start times of connection attempts (navigation or connect requests), deduplicated."""
        entries = self.runtime.recorder.select(Kind.REQUEST, device, ATTEMPT_ENDPOINTS)
        return sorted({e.at for e in entries if e.at > after})

    def outage(self, device: str) -> tuple[float, list[float]]:
        """When the device's network last went down, and its attempts since."""
        down = self.runtime.recorder.select(Kind.NETWORK, device, ["down"])[-1].at
        return down, self.attempts(device, after=down - SCHEDULE_TOLERANCE)

    def first(self, device: str, status: Status, code: int | None = None, after: float = -1.0) -> Entry | None:
        for entry in self.statuses(device):
            if entry.at >= after and entry.detail["status"] == status.name and (
                code is None or entry.detail["code"] == code
            ):
                return entry
        return None

    def heartbeat(self, device: str, profile: RongCloudProfile) -> tuple[float, str]:
        """How long the device may take to notice a silent network, and why: the heartbeat its
        service announced when it last connected (the suite's protocol), else the profile's
        limit (RongCloud's own protocol announces none)."""
        for entry in reversed(self.runtime.recorder.select(Kind.REQUEST, device, ["/connect"])):
            answer = entry.detail.get("answer")
            if isinstance(answer, dict) and answer.get("code") == 0:
                if "heartbeatInterval" in answer:
                    interval, timeout = float(answer["heartbeatInterval"]), float(answer["heartbeatTimeout"])
                    return interval + timeout, f"a heartbeat ({interval:g}s) with its answer timeout ({timeout:g}s)"
                break
        limit = profile.silent_network_detection
        return limit, f"its keepalive, within {limit:g}s (the service announced no heartbeat; profile rongcloud.silent_network_detection)"

    def connect(self, device: str, kick_enable: bool | None) -> ConnectResult:
        token = self.tokens[self.owner[device]]
        args = (token,) if kick_enable is None else (token, kick_enable)
        result: ConnectResult = call_client(self.runtime, device, "connect", *args)
        self.results[device] = result
        return result


@pytest.fixture
def rc(runtime: ScenarioRuntime, judge: Judge) -> RongCloudWorld:
    return RongCloudWorld(runtime, judge)


def _times(values: list[float]) -> str:
    shown = ", ".join(f"{t:g}" for t in values[:10])
    return f"[{shown}{', ...' if len(values) > 10 else ''}] ({len(values)} in all)"


# --- Given -------------------------------------------------------------------------------------


@given(parsers.parse("{user} holds a valid token"))
def holds_token(rc: RongCloudWorld, user: str) -> None:
    rc.tokens[user] = rc.service.issue_token(user)


@given(parsers.re(r"device (?P<device>\w+) of (?P<user>\w+) runs the SDK$"))
def device_runs_either(rc: RongCloudWorld, devices: Devices, device: str, user: str) -> None:
    """A rule the page gives for Web and Electron alike: the platform the adapter under test
    has (Electron first), for every device of the scenario, so peers share its platform type."""
    platforms = rc.runtime.adapter.manifest.platforms
    device_runs(rc, devices, device, user, "Electron" if "electron" in platforms else "Web")


@given(parsers.re(r"device (?P<device>\w+) of (?P<user>\w+) runs the (?P<platform>Electron|Web) SDK"))
def device_runs(rc: RongCloudWorld, devices: Devices, device: str, user: str, platform: str) -> None:
    wanted = platform.lower()
    if wanted not in rc.runtime.adapter.manifest.platforms:
        pytest.skip(f"not applicable: the adapter's manifest lists no {platform} platform")
    rc.owner[device] = user
    devices.add(device, wanted)


@given("the profile reads a failed first login as starting reconnection")
def failed_first_login_starts_reconnection(profile: RongCloudProfile) -> None:
    if not profile.retry_after_failed_first_connect:
        pytest.skip(
            "not applicable: profile parameter rongcloud.retry_after_failed_first_connect=false"
            " (spec 000 ambiguity: the mechanism starts only after a successful connection)"
        )


@given("the profile reads the same status twice in a row as a violation")
def duplicates_are_violations(profile: RongCloudProfile) -> None:
    if not profile.duplicate_status_is_violation:
        pytest.skip(
            "not applicable: profile parameter rongcloud.duplicate_status_is_violation=false"
            " (the page does not say that a status callback is only for a change)"
        )


@given(parsers.re(r'the console switch "Allow SDK to modify reconnection kick strategy" is (?P<state>on|off)'))
def console_switch(rc: RongCloudWorld, state: str) -> None:
    rc.service.console_switch = state == "on"


@given(parsers.re(r"device (?P<device>\w+) is connected(?: with reconnectKickEnable (?P<enable>true|false))?"))
def is_connected_given(rc: RongCloudWorld, device: str, enable: str | None) -> None:
    result = rc.connect(device, None if enable is None else enable == "true")
    if result.code != ErrorCode.SUCCESS:
        raise rc.judge.precondition("rc-connect-result", f"device {device} to connect (code 0)", f"connect resolved with code {result.code}")


_SERVICE_SENTENCE = parsers.re(r"the service (?P<change>revokes|blocks|expires) (?P<user>\w+?)(?:'s token)?$")


@given(_SERVICE_SENTENCE)
@when(_SERVICE_SENTENCE)
def service_changes(rc: RongCloudWorld, change: str, user: str) -> None:
    token = rc.tokens[user]
    {
        "revokes": lambda: rc.service.tokens.pop(token, None),
        "blocks": lambda: rc.service.blocked_users.add(user),
        "expires": lambda: rc.service.expired_tokens.add(token),
    }[change]()


# --- When --------------------------------------------------------------------------------------


@when(parsers.re(r"device (?P<device>\w+) connects(?: with reconnectKickEnable (?P<enable>true|false))?$"))
def connects(rc: RongCloudWorld, device: str, enable: str | None) -> None:
    rc.connect(device, None if enable is None else enable == "true")


@when(parsers.parse("device {device}'s reconnection attempt has been hanging for {seconds:g} seconds"))
def attempt_hangs(rc: RongCloudWorld, device: str, seconds: float) -> None:
    """Let time pass until the device starts an attempt on its unresponsive link, then ``seconds`` more."""
    since = rc.runtime.recorder.select(Kind.NETWORK, device, ["unresponsive"])[-1].at
    for _ in range(int(service_rules.SESSION_DEADLINE * 4)):
        if rc.attempts(device, after=since):
            break
        rc.runtime.advance(0.5)
    started = rc.attempts(device, after=since)
    if not started:
        raise rc.judge.fail(
            f"a reconnection attempt within {service_rules.SESSION_DEADLINE * 2:g}s of the network becoming unresponsive at t={since:g}s",
            "none",
        )
    rc.runtime.advance(max(0.0, started[0] + seconds - rc.runtime.now))


@when(parsers.parse("the app disconnects device {device}"))
def app_disconnects(rc: RongCloudWorld, device: str) -> None:
    call_client(rc.runtime, device, "disconnect")


# --- Then --------------------------------------------------------------------------------------


@then(parsers.parse("device {device} is connected"))
def is_connected(rc: RongCloudWorld, device: str) -> None:
    statuses = rc.statuses(device)
    last = statuses[-1].detail["status"] if statuses else "no status at all"
    if last != Status.CONNECTED.name:
        raise rc.judge.fail(
            f"device {device} to be connected (last status CONNECTED)",
            f"its last status is {last}; status history: {rc.runtime.recorder.excerpt(statuses[-6:])}",
        )
    if not rc.service.online(device=device):
        raise rc.judge.fail(
            f"device {device} to hold a live session at the service",
            "the client says CONNECTED but the service has no live session for it",
        )


@then(parsers.parse("device {device} reported SUSPEND before it was connected again"))
def suspended_before_reconnected(rc: RongCloudWorld, device: str) -> None:
    connected = [e for e in rc.statuses(device) if e.detail["status"] == Status.CONNECTED.name]
    suspend = rc.first(device, Status.SUSPEND, after=connected[0].at if connected else 0.0)
    if suspend is None or not connected or suspend.at > connected[-1].at:
        raise rc.judge.fail(
            f"device {device} to report SUSPEND when the connection was lost, then CONNECTED",
            f"statuses: {rc.runtime.recorder.excerpt(rc.statuses(device))}",
        )


@then(parsers.parse("device {device} reported SUSPEND within one heartbeat interval and timeout of the network becoming unresponsive"))
def suspended_by_heartbeat(rc: RongCloudWorld, profile: RongCloudProfile, device: str) -> None:
    change = rc.runtime.recorder.select(Kind.NETWORK, device, ["unresponsive"])[-1]
    limit, terms = rc.heartbeat(device, profile)
    suspend = rc.first(device, Status.SUSPEND, after=change.at)
    if suspend is None or suspend.at - change.at > limit + SCHEDULE_TOLERANCE:
        seen = "no SUSPEND at all" if suspend is None else f"SUSPEND at t={suspend.at:g}s"
        raise rc.judge.fail(
            f"SUSPEND by t={change.at + limit:g}s: the network became unresponsive at"
            f" t={change.at:g}s and {terms} must notice it",
            seen,
        )


@then(parsers.parse("device {device} never reported the same status twice in a row"))
def no_duplicate_status(rc: RongCloudWorld, device: str) -> None:
    statuses = rc.statuses(device)
    for before, after in zip(statuses, statuses[1:]):
        if before.detail == after.detail:
            raise rc.judge.fail(
                f"one status callback per change of status on device {device}",
                f"{after.detail['status']} reported twice in a row: {rc.runtime.recorder.excerpt([before, after])}",
                at=after.at,
            )


@then(parsers.parse("device {device} has attempted to reconnect"))
def has_attempted(rc: RongCloudWorld, device: str) -> None:
    calls = rc.runtime.recorder.select(Kind.CALL, device, ["connect"])
    first_call = calls[0].at if calls else 0.0
    attempts = rc.attempts(device)
    later = [t for t in attempts if t > first_call]
    if not later:
        raise rc.judge.fail(
            f"device {device} to attempt reconnection by itself",
            f"attempts at {_times(attempts)}, none after the app's connect at t={first_call:g}s",
        )


@then(parsers.parse("device {device} attempted to reconnect in every {interval:g}-second window of the outage"))
def attempts_cover_outage(rc: RongCloudWorld, device: str, interval: float) -> None:
    down, attempts = rc.outage(device)
    edges = [down] + attempts + [rc.runtime.now]
    gaps = [(a, b) for a, b in zip(edges, edges[1:]) if b - a > interval + SCHEDULE_TOLERANCE]
    if gaps:
        a, b = gaps[0]
        raise rc.judge.fail(
            f"an attempt at least every {interval:g}s from t={down:g}s to t={rc.runtime.now:g}s",
            f"no attempt between t={a:g}s and t={b:g}s; attempts {_times(attempts)}",
            at=a,
        )


@then(parsers.parse("device {device} made its first reconnection attempt within {limit:g} seconds of losing the connection"))
def first_attempt_soon(rc: RongCloudWorld, device: str, limit: float) -> None:
    down, attempts = rc.outage(device)
    if not attempts or attempts[0] - down > limit + SCHEDULE_TOLERANCE:
        raise rc.judge.fail(
            f"a first reconnection attempt by t={down + limit:g}s (connection lost at t={down:g}s)",
            f"attempts at {_times(attempts)}",
            at=attempts[0] if attempts else None,
            expected_at=down + limit,
        )


@then(parsers.parse("device {device}'s reconnection attempts were {interval:g} seconds apart"))
def attempts_apart(rc: RongCloudWorld, device: str, interval: float) -> None:
    down, attempts = rc.outage(device)
    gaps = [round(b - a, 6) for a, b in zip(attempts, attempts[1:])]
    wrong = [(i, g) for i, g in enumerate(gaps) if abs(g - interval) > SCHEDULE_TOLERANCE]
    if len(attempts) < 2 or wrong:
        i, gap = wrong[0] if wrong else (0, None)
        raise rc.judge.fail(
            f"reconnection attempts {interval:g}s apart (spec 000, Reconnection Interval)",
            f"attempts at t={_times(attempts)}, gaps {gaps[:10]}"
            + ("" if gap is None else f"; first wrong gap {gap:g}s after t={attempts[i]:g}s"),
            at=attempts[i + 1] if len(attempts) > i + 1 else None,
            expected_at=attempts[i] + interval if attempts else None,
        )


@then(parsers.parse("device {device}'s next attempt began {interval:g} seconds after the hanging attempt, counted as the profile reads the interval"))
def next_after_hanging(rc: RongCloudWorld, profile: RongCloudProfile, device: str, interval: float) -> None:
    since = rc.runtime.recorder.select(Kind.NETWORK, device, ["unresponsive"])[-1].at
    hanging = rc.attempts(device, after=since)[0]
    reset = next(e.at for e in rc.runtime.recorder.select(Kind.NETWORK, device, ["down"]) if e.at > hanging)
    base, what = (reset, f"its failure (reset at t={reset:g}s)") if profile.interval_from == "failure" else (hanging, "its start")
    later = rc.attempts(device, after=hanging + SCHEDULE_TOLERANCE / 2)
    due = base + interval
    if not later or abs(later[0] - due) > SCHEDULE_TOLERANCE:
        raise rc.judge.fail(
            f"the attempt after the one that began at t={hanging:g}s to begin at t={due:g}s, {interval:g}s after"
            f" {what} (profile rongcloud.interval_from={profile.interval_from})",
            f"attempts at {_times(rc.attempts(device, after=since))}",
            at=later[0] if later else None,
            expected_at=due,
        )


@then(parsers.parse("device {device}'s reconnection attempts after that were {interval:g} seconds apart"))
def attempts_apart_after_hanging(rc: RongCloudWorld, device: str, interval: float) -> None:
    since = rc.runtime.recorder.select(Kind.NETWORK, device, ["down"])[-1].at
    attempts = rc.attempts(device, after=since + SCHEDULE_TOLERANCE / 2)
    gaps = [round(b - a, 6) for a, b in zip(attempts, attempts[1:])]
    if len(attempts) < 2 or any(abs(g - interval) > SCHEDULE_TOLERANCE for g in gaps):
        raise rc.judge.fail(
            f"attempts {interval:g}s apart on the refusing network after t={since:g}s",
            f"attempts at {_times(attempts)}, gaps {gaps[:10]}",
        )


@then(parsers.parse("device {device} reported DISCONNECT with code {code:d}"))
def reported_disconnect(rc: RongCloudWorld, device: str, code: int) -> None:
    if rc.first(device, Status.DISCONNECT, code) is None:
        raise rc.judge.fail(
            f"device {device} to report DISCONNECT({code} {ErrorCode(code).name})",
            f"statuses: {rc.runtime.recorder.excerpt(rc.statuses(device)[-8:])}",
        )


@then(parsers.parse("device {device} made no connection attempt after reporting DISCONNECT"))
def silent_after_disconnect(rc: RongCloudWorld, device: str) -> None:
    disconnect = rc.first(device, Status.DISCONNECT)
    assert disconnect is not None, "checked by the previous step"
    _no_attempts_after(rc, device, disconnect.at, "it reported DISCONNECT")


@then(parsers.parse("device {device} made no connection attempt after the app disconnected it"))
def silent_after_app_disconnect(rc: RongCloudWorld, device: str) -> None:
    call = rc.runtime.recorder.select(Kind.CALL, device, ["disconnect"])[-1]
    _no_attempts_after(rc, device, call.at, "the app called disconnect()")


@then(parsers.parse("device {device} made no connection attempt after its first"))
def single_attempt(rc: RongCloudWorld, device: str) -> None:
    attempts = rc.attempts(device)
    if not attempts:  # refused without a request: the client made no attempt at all
        return
    _no_attempts_after(rc, device, attempts[0], "its first attempt was refused")


def _no_attempts_after(rc: RongCloudWorld, device: str, since: float, because: str) -> None:
    later = rc.attempts(device, after=since + SCHEDULE_TOLERANCE / 2)
    if later:
        raise rc.judge.fail(
            f"no connection attempt from device {device} after t={since:g}s ({because})",
            f"{len(later)} attempts, at t={_times(later)}",
            at=later[0],
        )


@then(parsers.parse("the connect of device {device} resolved with code {code:d} and user id {user}"))
def resolved_success(rc: RongCloudWorld, device: str, code: int, user: str) -> None:
    result = rc.results[device]
    if result.code != code or result.user_id != user:
        raise rc.judge.fail(
            f"connect to resolve with code {code} and data.userId {user!r}",
            f"code {result.code}, userId {result.user_id!r}",
        )


@then(parsers.parse("the connect of device {device} resolved with code {code:d}"))
def resolved_code(rc: RongCloudWorld, device: str, code: int) -> None:
    result = rc.results[device]
    if result.code != code:
        raise rc.judge.fail(f"connect to resolve with code {code}", f"code {result.code}")


@then(parsers.parse("the connect of device {device} failed for network reasons"))
def resolved_network_failure(rc: RongCloudWorld, device: str) -> None:
    result = rc.results[device]
    if result.code not in NETWORK_CODES:
        raise rc.judge.fail(
            "connect to resolve with a network error code (30011, 30019 or 31000)",
            f"code {result.code}",
        )
