"""Generated fault schedules: one Hypothesis state machine per vendor profile.

Each generated run is a scenario nobody wrote: Given steps that set a world up, then When steps
drawn from link changes per device (down, unresponsive, flaky, a network switch that resets
connections while the link stays up), time passing (50 ms to an hour), app calls and
service events. Every step is one of the suite's own sentences and runs through the same step
function a feature file would call, so a failing run prints as a Gherkin scenario that pastes
into a .feature file. After every step the vendor's state model (fixtures/oracles) judges the
whole timeline; Hypothesis shrinks a failure to a minimal sequence.

App calls on a device whose link is unresponsive are not generated: the pages say nothing of
how long a call may take on a silent network (the reference clients wait for the link), so such
a run would judge the suite's patience, not the specification.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar

import freezegun
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from reconnection_conformance.adapters.contract import Adapter
from reconnection_conformance.fixtures import oracles
from reconnection_conformance.fixtures.client_host import AdapterRef, HostPool
from reconnection_conformance.fixtures.runtime import ScenarioRuntime
from reconnection_conformance.steps import common
from reconnection_conformance.steps import express as ex_steps
from reconnection_conformance.steps import rongcloud as rc_steps
from reconnection_conformance.steps import zim as zim_steps

# Hypothesis times its own work; it must see real time while a run's clock is frozen.
freezegun.configure(extend_ignore_list=["hypothesis"])

#: Time spans a When step may let pass, smallest first (Hypothesis shrinks towards the first).
SPANS = ("1 second", "0.05 seconds", "0.5 seconds", "2 seconds", "4.5 seconds", "5 seconds", "6 seconds", "10 seconds",
         "12 seconds", "30 seconds", "45 seconds", "100 seconds", "3 minutes", "10 minutes", "25 minutes", "60 minutes")
LINK_CHANGES = ("goes down", "comes back", "becomes unresponsive", "switches", "becomes flaky, dropping every 10th request")
FEATURE_TAGS = {"rongcloud": "@rongcloud @spec-000", "zim": "@zim @spec-001", "express": "@express @spec-003"}


@dataclass
class Failure:
    """The last failing run: its scenario as Gherkin and what the suite said of it."""

    vendor: str
    givens: list[str]
    whens: list[str]
    error: BaseException
    entries: list[Any] = field(default_factory=list)  # the run's recorded timeline
    end: float = 0.0
    calls: list[tuple[str, dict[str, Any]]] = field(default_factory=list)

    @property
    def steps(self) -> int:
        return len(self.givens) + len(self.whens)

    def requirement(self) -> str | None:
        return getattr(self.error, "requirement", None)

    def scenario(self, title: str) -> str:
        """The run as a Scenario block, indented for a Feature of the vendor."""
        tag = self.requirement()
        lines = [f"  @{tag.split(',')[0].strip()}" if tag and tag != "generated" else ""]
        lines.append(f"  Scenario: {title}")
        for i, text in enumerate(self.givens):
            lines.append(f"    {'Given' if i == 0 else 'And'} {text}")
        for i, text in enumerate(self.whens):
            lines.append(f"    {'When' if i == 0 else 'And'} {text}")
        return "\n".join(line for line in lines if line)

    def feature(self, title: str) -> str:
        """A whole .feature file holding the run, ready to run as it is."""
        return (f"{FEATURE_TAGS[self.vendor]}\nFeature: Generated fault schedule ({self.vendor})\n"
                "  Found by the generated fault schedules (features/generated.py); judged by the state-model oracle.\n\n"
                f"{self.scenario(title)}\n")


def recorded(method: Callable[..., None]) -> Callable[..., None]:
    """Record a rule's call with its arguments, so a failing run can be replayed and reduced."""

    @functools.wraps(method)
    def call(self: "Run", **kwargs: Any) -> None:
        self.calls.append((method.__name__, {k: v for k, v in kwargs.items() if k != "data"}))
        method(self, **kwargs)

    return call


class _Judge(common.Judge):
    """The steps' verdict builder, without a pytest request: failures cite 'generated'."""

    def __init__(self, runtime: ScenarioRuntime) -> None:  # noqa: super().__init__ needs a request
        self.requirement = "generated"
        self.runtime = runtime


class Run(RuleBasedStateMachine):
    """One generated scenario on a fresh runtime. Subclasses set ``adapter`` and ``profile``."""

    vendor: ClassVar[str] = ""
    adapter: ClassVar[AdapterRef | Adapter]  # an object only in the suite's own tests (in-process)
    profile: ClassVar[Any]
    wall_timeout: ClassVar[float] = 5.0
    hosts: ClassVar[HostPool | None] = None  # None: the clients run in the judge (tests, debugging)
    last_failure: ClassVar[Failure | None] = None
    runs: ClassVar[int] = 0

    def __init__(self) -> None:
        super().__init__()
        type(self).runs += 1
        self.runtime = ScenarioRuntime(self.adapter, self.wall_timeout, hosts=self.hosts)
        self.runtime.start()
        self.judge = _Judge(self.runtime)
        self.givens: list[str] = []
        self.whens: list[str] = []
        self.devices: set[str] = set()
        self.clients = common.Devices(None, self.runtime, self.profile, None)  # every device on the adapter
        self.calls: list[tuple[str, dict[str, Any]]] = []  # the rules run, for replaying

    # --- recording what runs ---------------------------------------------------------------------

    def _do(self, into: list[str], text: str, action: Callable[[], object]) -> None:
        into.append(text)
        try:
            action()
        except BaseException as error:
            self._failed(error)
            raise

    def given(self, text: str, action: Callable[[], object]) -> None:
        self._do(self.givens, text, action)

    def when(self, text: str, action: Callable[[], object]) -> None:
        self._do(self.whens, text, action)

    def _failed(self, error: BaseException) -> None:
        type(self).last_failure = Failure(self.vendor, list(self.givens), list(self.whens), error,
                                          list(self.runtime.recorder.entries), self.runtime.now, list(self.calls))

    def link_up(self, device: str) -> bool:
        return str(self.runtime.network.link(device).state) == "up"

    # --- what every vendor shares ----------------------------------------------------------------

    @rule(span=st.sampled_from(SPANS))
    @recorded
    def time_passes(self, span: str) -> None:
        amount, unit = span.split()
        self.when(f"{span} pass{'es' if amount == '1' else ''}",
                  lambda: common.time_passes(self.runtime, amount, unit))

    @rule(data=st.data(), change=st.sampled_from(LINK_CHANGES))
    @recorded
    def link(self, data: st.DataObject, change: str) -> None:
        device = data.draw(st.sampled_from(sorted(self.devices)), label="device")
        self.calls[-1] = ("link_to", {"device": device, "change": change})
        self.network(device, change)

    def link_to(self, device: str, change: str) -> None:
        """A replayed link rule: the device it drew."""
        self.calls.append(("link_to", {"device": device, "change": change}))
        self.network(device, change)

    def network(self, device: str, change: str, who: str = "device") -> None:
        if device not in self.devices:
            return
        text = f"the network of {who} {device} {change}"
        if change == "switches":
            self.when(text, lambda: common.network_switches(self.runtime, device))
        elif change.startswith("becomes flaky"):
            self.when(text, lambda: common.network_flaky(self.runtime, device, "10"))
        else:
            self.when(text, lambda: common.link_changes(self.runtime, device, change))

    @invariant()
    def judged_by_the_oracle(self) -> None:
        """The state model judges the whole timeline after every step."""
        try:
            oracles.check(self.runtime, self.profile)
        except BaseException as error:
            self._failed(error)
            raise

    def teardown(self) -> None:
        try:
            self.runtime.close()
        except BaseException as error:
            self._failed(error)
            raise


class RongCloudRun(Run):
    vendor = "rongcloud"

    @initialize(web=st.booleans(), switch=st.booleans(), enable=st.sampled_from(["", "true", "false"]))
    @recorded
    def background(self, web: bool, switch: bool, enable: str) -> None:
        self.rc = rc_steps.RongCloudWorld(self.runtime, self.judge)
        platforms = self.adapter.manifest.platforms
        self.platform = "Web" if (web and "web" in platforms) or "electron" not in platforms else "Electron"
        self.given("Zhangsan holds a valid token", lambda: rc_steps.holds_token(self.rc, "Zhangsan"))
        if switch:
            self.given('the console switch "Allow SDK to modify reconnection kick strategy" is on',
                       lambda: rc_steps.console_switch(self.rc, "on"))
        self.add_device("A")
        suffix = f" with reconnectKickEnable {enable}" if enable else ""
        self.given(f"device A is connected{suffix}", lambda: rc_steps.is_connected_given(self.rc, "A", enable or None))

    def add_device(self, device: str) -> None:
        if device not in self.devices:
            self.devices.add(device)
            self.given(f"device {device} of Zhangsan runs the {self.platform} SDK",
                       lambda: rc_steps.device_runs(self.rc, self.clients, device, "Zhangsan", self.platform))


    @rule(device=st.sampled_from(["A", "B"]), enable=st.sampled_from(["", "true", "false"]))
    @recorded
    def connects(self, device: str, enable: str) -> None:
        """The app connects (again): only when its device is not connected, as an app would."""
        statuses = self.rc.statuses(device) if device in self.devices else []
        if statuses and statuses[-1].detail["status"] != "DISCONNECT":
            return
        self.add_device(device)
        if str(self.runtime.network.link(device).state) == "unresponsive":
            return
        suffix = f" with reconnectKickEnable {enable}" if enable else ""
        self.when(f"device {device} connects{suffix}", lambda: rc_steps.connects(self.rc, device, enable or None))

    @rule(device=st.sampled_from(["A", "B"]))
    @recorded
    def disconnects(self, device: str) -> None:
        statuses = self.rc.statuses(device) if device in self.devices else []
        if statuses and statuses[-1].detail["status"] == "DISCONNECT":
            return  # an app that saw DISCONNECT does not disconnect again
        if device in self.devices and str(self.runtime.network.link(device).state) != "unresponsive":
            self.when(f"the app disconnects device {device}", lambda: rc_steps.app_disconnects(self.rc, device))

    @precondition(lambda self: not any(w.startswith("the service ") for w in self.whens))
    @rule(change=st.sampled_from(["expires Zhangsan's token", "revokes Zhangsan's token", "blocks Zhangsan"]))
    @recorded
    def service(self, change: str) -> None:
        """Once per run: after it, every attempt is refused."""
        verb, _, rest = change.partition(" ")
        user = rest.removesuffix("'s token")
        self.when(f"the service {change}", lambda: rc_steps.service_changes(self.rc, verb, user))


class ZimRun(Run):
    vendor = "zim"

    @initialize(validity=st.sampled_from(["", "2 minutes", "10 minutes"]), multi=st.booleans(),
                room=st.booleans(), company=st.booleans())
    @recorded
    def background(self, validity: str, multi: bool, room: bool, company: bool) -> None:
        self.zim = zim_steps.ZimWorld(self.runtime, self.judge, self.profile, self.clients)
        caps = self.adapter.manifest.capabilities
        self.add_device("A")
        if validity and "token-authentication" in caps:
            amount, unit = validity.split()
            self.given(f"Alice holds a token valid for {validity}", lambda: zim_steps.holds_token(self.zim, "Alice", amount, unit))
        if multi and "multi-device-login" in caps:
            self.given("multi-device login is on", lambda: zim_steps.multi_device(self.zim, "on"))
        self.given("device A is logged in as Alice", lambda: zim_steps.is_logged_in(self.zim, "A", "Alice"))
        self.rooms = room and "rooms" in caps
        if self.rooms:
            self.given('device A has entered room "party"', lambda: zim_steps.has_entered(self.zim, "A", "party"))
            if company:
                self.devices.add("C")
                self.given('Carol stays in room "party" on device C',
                           lambda: zim_steps.stays_in_room(self.zim, "Carol", "party", "C"))

    def add_device(self, device: str) -> None:
        if device not in self.devices:
            self.devices.add(device)
            self.given(f"device {device} of Alice runs the ZIM SDK", lambda: zim_steps.device_runs(self.zim, device, "Alice"))

    def usable(self, device: str) -> bool:
        return device in self.devices and str(self.runtime.network.link(device).state) != "unresponsive"


    @rule(device=st.sampled_from(["A", "B"]))
    @recorded
    def logs_in(self, device: str) -> None:
        """Login again, or another device logging in with the same account."""
        if device == "B":
            self.add_device("B")
        states = self.zim.connection_states(device) if device in self.devices else []
        if states and states[-1][1].detail["state"] != "DISCONNECTED" or not self.usable(device):
            return
        self.when(f"device {device} logs in as Alice", lambda: zim_steps.logs_in(self.zim, device, "Alice"))

    @rule(device=st.sampled_from(["A", "C"]), action=st.sampled_from(
        ["sends a message to Bob", "logs out", "renews its token", 'leaves room "party"', 'enters room "party"',
         'joins room "party"', 'creates room "party"']))
    @recorded
    def app_calls(self, device: str, action: str) -> None:
        if not self.usable(device) or ("room" in action and not self.rooms):
            return
        if action == "renews its token" and "token-authentication" not in self.adapter.manifest.capabilities:
            return
        self.when(f"the app on device {device} {action}", lambda: zim_steps.app_calls(self.zim, device, action))


class ExpressRun(Run):
    vendor = "express"

    @initialize(notify=st.booleans(), retry=st.sampled_from(["", "room_retry_time", "av_retry_time"]),
                publishing=st.booleans(), playing=st.booleans())
    @recorded
    def background(self, notify: bool, retry: str, publishing: bool, playing: bool) -> None:
        self.ex = ex_steps.ExpressWorld(self.runtime, self.judge, self.profile, self.clients)
        self.runtime.service.user_timeout = self.profile.user_notify_delay
        self.streams = "streams" in self.adapter.manifest.capabilities
        for user in ("A", "B"):
            self.devices.add(user)
            self.given(f"user {user} runs the Express engine", lambda u=user: ex_steps.runs_engine(self.ex, u))
        flag = "on" if notify else "off"
        self.given(f'user B has logged in to room "live" with user status notification {flag}',
                   lambda: ex_steps.has_logged_in(self.ex, "B", "live", flag))
        if retry:
            self.given(f'user A sets {retry} to 120 seconds before logging in to room "live"',
                       lambda: ex_steps.sets_retry_time(self.ex, "A", retry, "120", "before", "live"))
        else:
            self.given(f'user A has logged in to room "live" with user status notification {flag}',
                       lambda: ex_steps.has_logged_in(self.ex, "A", "live", flag))
        self.room = "live"
        if publishing and self.streams:
            self.given('user A is publishing stream "a-cam"', lambda: ex_steps.is_streaming(self.ex, "A", "publishing", "a-cam"))
            if playing:
                self.given('user B is playing stream "a-cam"', lambda: ex_steps.is_streaming(self.ex, "B", "playing", "a-cam"))
        self.kicked_once = False

    def usable(self, user: str) -> bool:
        return str(self.runtime.network.link(user).state) != "unresponsive"

    def out(self, user: str) -> bool:
        states = self.ex.callbacks(user, "onRoomStateChanged")
        return bool(states) and states[-1][1].detail["reason"] in ("LOGIN_FAILED", "RECONNECT_FAILED", "KICK_OUT", "LOGOUT")

    @rule(user=st.sampled_from(["A", "B"]), change=st.sampled_from(LINK_CHANGES))
    @recorded
    def link(self, user: str, change: str) -> None:
        self.network(user, change, who="user")

    @rule()
    @recorded
    def logs_out(self) -> None:
        if self.usable("A") and not self.out("A"):
            self.when(f'user A logs out of room "{self.room}"', lambda: ex_steps.logs_out(self.ex, "A", self.room))

    @rule()
    @recorded
    def logs_in_again(self) -> None:
        if self.usable("A") and self.out("A"):
            self.when(f'user A logs in to room "{self.room}"', lambda: ex_steps.logs_in(self.ex, "A", self.room, ""))

    @rule()
    @recorded
    def switches(self) -> None:
        if self.usable("A") and not self.out("A"):
            other = "r2" if self.room == "live" else "live"
            before, self.room = self.room, other
            self.when(f'user A switches from room "{before}" to room "{other}"',
                      lambda: ex_steps.switches(self.ex, "A", before, other))

    @rule()
    @recorded
    def other_device(self) -> None:
        """The same user logs in elsewhere: this engine is kicked out."""
        if not self.kicked_once and not self.out("A"):
            self.kicked_once = True
            self.when(f'user A logs in to room "{self.room}" from another device A2',
                      lambda: ex_steps.logs_in(self.ex, "A", self.room, "from another device A2"))

    @rule(what=st.sampled_from(["user A starts publishing", "user B starts playing"]))
    @recorded
    def starts(self, what: str) -> None:
        user, _, verb = what.partition(" starts ")
        user = user.removeprefix("user ")
        if self.streams and self.usable(user):
            self.when(f'{what} stream "a-cam"', lambda: ex_steps.starts(self.ex, user, verb, "a-cam"))


MACHINES: dict[str, type[Run]] = {"rongcloud": RongCloudRun, "zim": ZimRun, "express": ExpressRun}


@dataclass
class Outcome:
    examples: int
    failure: Failure | None = None
    notes: list[str] = field(default_factory=list)


def machine_for(adapter: Any, profile: Any, wall_timeout: float = 5.0, hosts: HostPool | None = None) -> type[Run]:
    base = MACHINES[str(adapter.manifest.vendor)]
    name = f"{base.__name__}_{adapter.manifest.name.replace('-', '_')}"
    return type(name, (base,), {"adapter": adapter, "profile": profile, "wall_timeout": wall_timeout, "hosts": hosts, "last_failure": None, "runs": 0})


def _same(a: BaseException, b: BaseException) -> bool:
    return type(a) is type(b) and getattr(a, "requirement", None) == getattr(b, "requirement", None)


def replay(machine: type[Run], calls: list[tuple[str, dict[str, Any]]]) -> Failure | None:
    """Run recorded rule calls on a fresh run; the failure they end in, if any."""
    machine.last_failure = None
    run = machine()
    try:
        for name, kwargs in calls:
            getattr(run, name)(**kwargs)
            run.judged_by_the_oracle()
    except BaseException:
        try:
            run.runtime.close()
        except BaseException:
            pass
        return machine.last_failure
    try:
        run.teardown()
    except BaseException:
        return machine.last_failure
    return None


def reduce(machine: type[Run], failure: Failure) -> Failure:
    """After Hypothesis's shrinking, drop every When step whose removal keeps the same verdict
    (Hypothesis cannot always delete two steps at once, say a second connect made a no-op by the
    first one's removal). Deterministic: each trial is a fresh run of the recorded calls."""
    best, calls = failure, list(failure.calls)
    index = len(calls) - 1
    while index >= 1 and calls:  # calls[0] is the Given background
        trial = calls[:index] + calls[index + 1:]
        found = replay(machine, trial)
        if found is not None and _same(found.error, best.error) and found.steps <= best.steps:
            best, calls = found, trial
        index -= 1
    machine.last_failure = best
    return best
