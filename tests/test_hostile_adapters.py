"""Hostile adapters are contained (issue 11, rule 5).

Whatever a client does, its scenario ends in one verdict that names what it did, the reference
adapter judged in the same run is untouched, every output is complete and valid, and the exit
code follows from the verdicts alone. Every attack of ``tests/hostile_adapters.py`` runs in one
child run per mode (one process, and ``-n 2``) next to the reference adapter: a child run per
attack would take minutes, and one run shared by all of them is the harder test of "the other
adapters are untouched". Each attack is still its own test row.

Only the judge's own wall-clock guard waits for real time here (``--wall-timeout 2``).
"""

from __future__ import annotations

import re
import socket
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from reconnection_conformance.fixtures.isolation import Isolation, strongest
from tests import hostile_adapters
from tests.published_run import Outputs, listening, run_published

SCENARIO = ("-k", "retries_every_5")  # the reference's verdict there rests on its class and on asyncio.sleep
WALL_TIMEOUT = ("--wall-timeout", "2")
MODES = {"one-process": (), "xdist-n2": ("-n", "2")}
WALL = r"did not finish within the wall-clock budget"
#: The kernel levels that make every filesystem read-only for the host (fixtures/isolation.py).
READ_ONLY_LEVELS = (Isolation.FULL, Isolation.ROOT_WITHOUT_CAPABILITIES, Isolation.NAMESPACES)


@dataclass(frozen=True)
class Attack:
    """One hostile adapter, the verdict it must get and patterns its message must match."""

    adapter: str  # its name in tests.hostile_adapters
    verdict: str
    says: tuple[str, ...] = ()
    needs_namespaces: bool = False  # it escapes the audit hook: with no kernel isolation it gets out

    @property
    def name(self) -> str:
        """The manifest name, as results name the adapter."""
        return str(getattr(hostile_adapters, self.adapter).manifest.name)


ATTACKS = [
    # ending the process
    Attack("exits_zero", "adapter error", (r"the client host ended \(exit code 0\) while A\.connect\(\); its last output",)),
    Attack("segfaults", "adapter error", (r"the client host ended \(signal SIGSEGV\) while A\.connect\(\)", r"its last output: .*File ")),
    Attack("writes_outputs", "adapter error", (r"A\.connect\(\) raised OSError: \[Errno 30\] Read-only file system: '.*hostile-canary-",)),
    # exceptions of every kind: the adapter's error, never a verdict on the spec, never the run's end
    Attack("raises_keyboard_interrupt", "adapter error", (r"A\.connect\(\) raised KeyboardInterrupt", r"hostile_adapters\.py:\d+ in attack")),
    Attack("interrupts_main", "adapter error", (r"KeyboardInterrupt", r"A\.connect\(\)")),
    Attack("background_keyboard_interrupt", "adapter error", (r"KeyboardInterrupt escaped into the client host's loop while A\.connect\(\) at .*in _explode",)),
    Attack("raises_system_exit", "adapter error", (r"A\.connect\(\) raised SystemExit",)),
    Attack("raises_generator_exit", "adapter error", (r"A\.connect\(\) raised GeneratorExit",)),
    Attack("fails_an_assertion", "adapter error", (r"A\.connect\(\) raised AssertionError: the client's own check",)),
    Attack("calls_pytest_skip", "adapter error", (r"A\.connect\(\) raised Skipped: the client skips the scenario",)),
    Attack("calls_pytest_exit", "adapter error", (r"A\.connect\(\) raised Exit: the client ends the run",)),
    Attack("raises_unprintable", "adapter hung", (rf"A\.connect\(\) {WALL}", r"in __str__")),
    # never ending: only the judge's guard can stop these
    Attack("ignores_alarm", "adapter hung", (rf"A\.connect\(\) {WALL}", r"hostile_adapters\.py:\d+ in attack")),
    Attack("spins_in_bare_except", "adapter hung", (rf"A\.connect\(\) {WALL}", r"hostile_adapters\.py:\d+ in attack")),
    Attack("long_c_call", "adapter hung", (rf"A\.connect\(\) {WALL}", r"hostile_adapters\.py:\d+ in attack")),
    Attack("catastrophic_regex", "adapter hung", (rf"A\.connect\(\) {WALL}", r" in match")),
    Attack("non_daemon_thread", "conformant"),  # its thread dies with the host, replaced after the scenario
    Attack("swallows_cancellation", "adapter hung", (r"tasks \['swallows-cancellation'\] ignored cancellation",)),
    Attack("floods_output", "adapter hung", (rf"A\.connect\(\) {WALL}", r"hostile_adapters\.py:\d+ in attack", r"its last output: flood flood")),
    # patching the host: only its own host sees it
    Attack("patches_json", "adapter error", (r"the client host broke the protocol while A\.connect\(\): a frame is not JSON",)),
    Attack("patches_builtins", "adapter error", (r"the client host broke the protocol while A\.connect\(\)",)),
    Attack("patches_asyncio_sleep", "adapter hung", (rf"without letting virtual time advance|{WALL}",)),
    Attack("replaces_suite_modules", "conformant"),
    Attack("patches_reference_class", "non-conformant", (r"\[rc-interval\]", r"gaps \[1\.0, 1\.0")),
    Attack("del_raises", "conformant"),
    Attack("repr_never_returns", "adapter error", (r"connect returned a ConnectResult whose code is '<_Forever>' \(a str\), not int",)),
    # leaving the sandbox: refused by the audit hook, named in the verdict
    Attack("resolves_names", "sandbox violation", (r"resolved a host name \(socket\.getaddrinfo\(example\.com, 443",)),
    Attack("raw_socket", "sandbox violation", (r"opened a socket \(socket\.__new__\(",)),
    Attack("captured_socket", "sandbox violation", (r"opened a socket \(socket\.__new__\(",)),
    Attack("subprocess_socket", "sandbox violation", (r"started a subprocess \(subprocess\.Popen\(",)),
    Attack("kills_parent", "sandbox violation", (r"sent a signal \(os\.kill\(",)),
    Attack("ctypes_kills_parent", "adapter error", (r"KeyboardInterrupt|the client host ended",), needs_namespaces=True),
    # breaking the protocol: the host's fault (adapter error), never the suite's
    Attack("writes_garbage_to_pipes", "adapter error", (r"the client host broke the protocol while A\.connect\(\): frame of 4294967295 bytes",)),
    Attack("forges_messages", "adapter error", (r"broke the protocol while A\.connect\(\): it sent a 'request' message whose 'rid' is a str",)),
    Attack("forges_a_request", "adapter error", (r"broke the protocol while A\.connect\(\): it forwarded a request the judge cannot read \(ValueError",)),
]
#: What this machine can run: an attack that escapes the audit hook needs the namespaces.
RUNNABLE = [a for a in ATTACKS if strongest() is not Isolation.NONE or not a.needs_namespaces]


# --- the runs -------------------------------------------------------------------------------------------


@pytest.fixture
def listener() -> Iterator[socket.socket]:
    """The test's own TCP listener on the machine's loopback."""
    with listening() as server:
        yield server


def adapters_of(attacks: list[Attack]) -> list[str]:
    return [arg for a in attacks for arg in ("--adapter", f"tests.hostile_adapters:{a.adapter}")]


@pytest.fixture(scope="module")
def hostile_runs(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Outputs]:
    """Every attack this machine can run and the reference adapter (last: judged after all of
    them) in one run per mode, made when a row first needs it: once, in whatever order the rows
    run (pytest-randomly shuffles them)."""
    done: dict[str, Outputs] = {}

    def outputs(mode: str) -> Outputs:
        if mode not in done:
            with listening() as server:
                done[mode] = run_published(
                    tmp_path_factory.mktemp(f"hostile-{mode}"), server,
                    *adapters_of(RUNNABLE), "--adapter", "reference", *SCENARIO, *WALL_TIMEOUT, *MODES[mode],
                )
        return done[mode]

    return outputs


# --- what every run must show -------------------------------------------------------------------------


def assert_run_is_whole(outputs: Outputs, adapters: list[str], reachable: bool = False) -> None:
    """Exactly one verdict per scenario and adapter, in every output; the reference untouched;
    the exit code from the verdicts alone; nothing written where the run's outputs are; the
    test's listener reached by no client (unless ``reachable``: no kernel isolation)."""
    run = outputs.run
    tail = run.output[-3000:]
    assert "INTERNALERROR" not in run.output, tail
    names = Counter(r["adapter"] for r in run.results)
    assert names == Counter({name: 1 for name in [*adapters, "rongcloud-reference"]}), (names, tail)
    assert [r["verdict"] for r in outputs.rows("rongcloud-reference")] == ["conformant"], outputs.rows("rongcloud-reference")
    settled = {"conformant", "not applicable"}
    assert run.returncode == (0 if all(r["verdict"] in settled for r in run.results) else 1), tail
    cases = list(outputs.junit.iter("testcase"))
    assert len(cases) == len(run.results) == len({(c.get("classname"), c.get("name")) for c in cases}), tail
    in_allure = Counter(p["value"] for r in outputs.allure for p in r.get("parameters", []) if p["name"] == "adapter")
    assert in_allure == Counter({f"Adapter({name})": 1 for name in names}), in_allure
    if strongest() in READ_ONLY_LEVELS:  # else a client may write them (writes_outputs is skipped)
        assert outputs.canary_intact
        assert not outputs.wrote_reports
    assert reachable or not outputs.listener_reached, "a client reached the test's listener"


@pytest.mark.parametrize("attack", ATTACKS, ids=[a.adapter for a in ATTACKS])
@pytest.mark.parametrize("mode", list(MODES))
def test_attack_is_contained(hostile_runs: Callable[[str], Outputs], mode: str, attack: Attack) -> None:
    if attack.adapter == "writes_outputs" and strongest() not in READ_ONLY_LEVELS:
        pytest.skip(f"the host's filesystem is read-only only with namespaces; this machine grants {strongest()}")
    if attack not in RUNNABLE:
        pytest.skip(f"it escapes the audit hook, and this machine grants no kernel isolation ({strongest()})")
    outputs = hostile_runs(mode)
    assert_run_is_whole(outputs, [a.name for a in RUNNABLE])
    [row] = outputs.rows(attack.name)
    assert row["verdict"] == attack.verdict, f"{row['verdict']}: {row['message']}"
    for pattern in attack.says:
        assert re.search(pattern, row["message"]), f"{pattern!r} not in {row['message']!r}"


# --- isolation: each mechanism has a test that fails without it -------------------------------------


def run_alone(tmp_path: Path, listener: socket.socket, attack: str, *args: str) -> tuple[Outputs, dict[str, Any]]:
    """One attack next to the reference adapter; its row."""
    adapter = Attack(attack, "")
    outputs = run_published(tmp_path, listener, *adapters_of([adapter]), "--adapter", "reference", *SCENARIO, *WALL_TIMEOUT, *args)
    assert_run_is_whole(outputs, [adapter.name], reachable=True)
    [row] = outputs.rows(adapter.name)
    return outputs, row


def test_the_audit_hook_alone_refuses_a_raw_socket(tmp_path: Path, listener: socket.socket) -> None:
    """Without namespaces only ``sys.addaudithook`` stands between ``_socket.socket`` and the
    test's listener: the verdict names the call and nothing reaches the listener."""
    outputs, row = run_alone(tmp_path, listener, "raw_socket", "--isolation=none")
    assert row["verdict"] == "sandbox violation", f"{row['verdict']}: {row['message']}"
    assert "opened a socket (socket.__new__(" in row["message"], row["message"]
    assert not outputs.listener_reached, "the raw socket reached the listener"


def test_the_network_namespace_stops_what_escapes_the_audit_hook(tmp_path: Path, listener: socket.socket) -> None:
    """libc ``socket()`` + ``connect()`` through ctypes raise no audit event: only the host's
    network namespace keeps the client from the test's listener."""
    if strongest() is Isolation.NONE:
        pytest.skip("this machine grants no kernel isolation (fixtures.isolation.strongest() is none): no namespace to test")
    outputs, _ = run_alone(tmp_path, listener, "ctypes_socket")
    assert not outputs.listener_reached, "the ctypes client reached the listener despite the namespace"


def test_without_the_namespace_the_ctypes_client_gets_out(tmp_path: Path, listener: socket.socket) -> None:
    """The control of the test above: with ``--isolation=none`` the same client reaches the
    listener, so that test would see it if the namespace did not stop it."""
    outputs, _ = run_alone(tmp_path, listener, "ctypes_socket", "--isolation=none")
    assert outputs.listener_reached, "the ctypes client did not reach the listener: the namespace test proves nothing"
