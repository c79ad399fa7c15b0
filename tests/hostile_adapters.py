"""Hostile adapters: RongCloud clients that attack the judge, each in one way (issue 11, rule 5).

Each is the reference client with one misbehaviour, in ``connect`` (both scenarios the tests
run call it). Importing this module does nothing hostile: the probe and the host load it
cleanly, so every attack happens while a scenario runs. ``tests/test_hostile_adapters.py``
runs them next to the reference adapter and checks that each is contained.

The tests tell some clients where to aim through the environment (the host inherits the
judge's): :data:`ENV_LISTENER` is a TCP listener of the test, :data:`ENV_TARGETS` are paths of
the run's outputs.
"""

from __future__ import annotations

import _socket
import _thread
import asyncio
import atexit
import builtins
import ctypes
import gc
import hashlib
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import types
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from reconnection_conformance.adapters.contract import Adapter
from reconnection_conformance.adapters.rongcloud.contract import ConnectionEvent, ConnectResult
from reconnection_conformance.adapters.rongcloud.reference import MANIFEST, ReferenceClient

#: ``host:port`` of a TCP listener the test started; a connection to it is an escape.
ENV_LISTENER = "CONFORMANCE_TEST_LISTENER"
#: Paths (``os.pathsep``-separated) the test owns and a client must not be able to write.
ENV_TARGETS = "CONFORMANCE_TEST_TARGETS"

#: Captured at import, before any scenario: a client keeping its own reference to the class.
_CAPTURED_SOCKET = socket.socket


def _listener() -> tuple[str, int]:
    host, _, port = os.environ[ENV_LISTENER].rpartition(":")
    return host, int(port)


class _Hostile(ReferenceClient):
    """The reference client, with :meth:`attack` run at the start of ``connect``."""

    async def connect(self, token: str, reconnect_kick_enable: bool | None = None) -> ConnectResult:
        await self.attack()
        return await super().connect(token, reconnect_kick_enable)

    async def attack(self) -> None:
        raise NotImplementedError


# --- ending the process ---------------------------------------------------------------------------


class _ExitsZero(_Hostile):
    async def attack(self) -> None:
        os._exit(0)


class _Segfaults(_Hostile):
    async def attack(self) -> None:
        ctypes.string_at(0)


def _overwrite_outputs() -> None:
    """Writes every target, then raises the first refusal."""
    refused: list[OSError] = []
    for path in filter(None, os.environ.get(ENV_TARGETS, "").split(os.pathsep)):
        try:
            Path(path).write_text('{"hacked": true}', encoding="utf-8")
        except OSError as error:
            refused.append(error)
    if refused:
        raise refused[0]


class _WritesOutputs(_Hostile):
    """Registers an ``atexit`` hook that rewrites the run's outputs, and tries it at once."""

    async def attack(self) -> None:
        atexit.register(_overwrite_outputs)
        _overwrite_outputs()


# --- exceptions of every kind -----------------------------------------------------------------------


class _RaisesKeyboardInterrupt(_Hostile):
    async def attack(self) -> None:
        raise KeyboardInterrupt


class _InterruptsMain(_Hostile):
    """``_thread.interrupt_main()`` from a thread: a KeyboardInterrupt wherever the host is."""

    async def attack(self) -> None:
        threading.Thread(target=_thread.interrupt_main, daemon=True).start()


class _RaisesSystemExit(_Hostile):
    async def attack(self) -> None:
        sys.exit(0)


class _RaisesGeneratorExit(_Hostile):
    async def attack(self) -> None:
        raise GeneratorExit


class _FailsAnAssertion(_Hostile):
    async def attack(self) -> None:
        assert self._session is not None, "the client's own check: no session yet"


class _CallsPytestSkip(_Hostile):
    async def attack(self) -> None:
        pytest.skip("the client skips the scenario")


class _CallsPytestExit(_Hostile):
    async def attack(self) -> None:
        pytest.exit("the client ends the run", returncode=0)


class _Unprintable(Exception):
    def __str__(self) -> str:
        while True:
            pass


class _RaisesUnprintable(_Hostile):
    """An exception whose ``__str__`` never returns."""

    async def attack(self) -> None:
        raise _Unprintable


# --- never ending -----------------------------------------------------------------------------------


class _IgnoresAlarm(_Hostile):
    """Ignores SIGALRM, cancels any alarm, then spins."""

    async def attack(self) -> None:
        signal.signal(signal.SIGALRM, signal.SIG_IGN)
        signal.alarm(0)
        while True:
            pass


class _SpinsInBareExcept(_Hostile):
    """Swallows everything (a guard's exception included) and spins on."""

    async def attack(self) -> None:
        while True:
            try:
                while True:
                    pass
            except:  # noqa: E722 - the attack
                pass


class _LongCCall(_Hostile):
    """Minutes inside one C function (it holds no Python frame to interrupt)."""

    async def attack(self) -> None:
        hashlib.pbkdf2_hmac("sha256", b"password", b"salt", 2**31 - 1)


class _CatastrophicRegex(_Hostile):
    async def attack(self) -> None:
        re.match(r"(a+)+$", "a" * 64 + "!")


class _NonDaemonThread(_Hostile):
    """A thread that waits for ever for an event nobody sets (an interpreter would never exit)."""

    async def attack(self) -> None:
        threading.Thread(target=threading.Event().wait, daemon=False, name="never-ends").start()


class _SwallowsCancellation(_Hostile):
    async def attack(self) -> None:
        self._ctx.loop.create_task(self._immortal(), name="swallows-cancellation")

    async def _immortal(self) -> None:
        while True:
            try:
                await asyncio.sleep(1)
            except BaseException:  # noqa: BLE001 - the attack: CancelledError included
                pass


class _FloodsOutput(_Hostile):
    """Writes to stdout and stderr without end, in blocks of short lines."""

    async def attack(self) -> None:
        block = ("flood " * 10 + "\n") * 20_000
        while True:
            sys.stdout.write(block)
            sys.stderr.write(block)


# --- patching the host --------------------------------------------------------------------------------


class _PatchesJson(_Hostile):
    async def attack(self) -> None:
        json.dumps = lambda *args, **kwargs: "not json"  # type: ignore[assignment]


class _PatchesBuiltins(_Hostile):
    async def attack(self) -> None:
        builtins.len = lambda obj: 0  # type: ignore[assignment]
        builtins.isinstance = lambda obj, cls: False  # type: ignore[assignment]


async def _no_wait(delay: float, result: Any = None) -> Any:
    return result


class _PatchesAsyncioSleep(_Hostile):
    async def attack(self) -> None:
        asyncio.sleep = _no_wait  # type: ignore[assignment]


class _ReplacesSuiteModules(_Hostile):
    async def attack(self) -> None:
        for name in ("reconnection_conformance.fixtures.network", "reconnection_conformance.fixtures.verdicts", "reconnection_conformance.fixtures.runtime", "reconnection_conformance.adapters.host.protocol"):
            sys.modules[name] = types.ModuleType(name)


class _PatchesReferenceClass(_Hostile):
    """Changes the reference client's class: only its own host may see it."""

    async def attack(self) -> None:
        ReferenceClient.reconnect_interval = 1.0


class _Bomb:
    def __init__(self) -> None:
        self.cycle = self

    def __del__(self) -> None:
        raise SystemExit("from __del__")


class _DelRaises(_Hostile):
    async def attack(self) -> None:
        for _ in range(100):
            _Bomb()
        gc.collect()


class _Forever:
    def __repr__(self) -> str:
        while True:
            pass

    __str__ = __repr__

    def __format__(self, spec: str) -> str:
        while True:
            pass


class _ReprNeverReturns(ReferenceClient):
    """Emits an event and returns a result holding values whose repr/str/format never return."""

    async def connect(self, token: str, reconnect_kick_enable: bool | None = None) -> ConnectResult:
        result = await super().connect(token, reconnect_kick_enable)
        self._ctx.emit(ConnectionEvent(status=_Forever(), code=_Forever()))  # type: ignore[arg-type]
        return ConnectResult(code=_Forever(), user_id=_Forever())  # type: ignore[arg-type]


# --- leaving the sandbox ------------------------------------------------------------------------------


class _ResolvesNames(_Hostile):
    async def attack(self) -> None:
        socket.getaddrinfo("example.com", 443)


class _RawSocket(_Hostile):
    """``_socket.socket`` (below ``socket``) to the test's listener."""

    async def attack(self) -> None:
        raw = _socket.socket(_socket.AF_INET, _socket.SOCK_STREAM)
        raw.connect(_listener() if ENV_LISTENER in os.environ else ("127.0.0.1", 9))


class _CapturedSocket(_Hostile):
    async def attack(self) -> None:
        _CAPTURED_SOCKET(socket.AF_INET, socket.SOCK_STREAM)


class _Subprocess(_Hostile):
    async def attack(self) -> None:
        code = "import socket; socket.create_connection(('127.0.0.1', 9), timeout=1)"
        subprocess.run([sys.executable, "-c", code], check=False)


class _KillsParent(_Hostile):
    """SIGINT to its parent and to its process group; it swallows each refusal and goes on."""

    async def attack(self) -> None:
        for attempt in (lambda: os.kill(os.getppid(), signal.SIGINT), lambda: os.killpg(os.getpgrp(), signal.SIGINT)):
            try:
                attempt()
            except PermissionError:
                pass


class _CtypesKillsParent(_Hostile):
    """SIGINT to its parent and its process group through libc, which no audit hook sees: only
    the judge's own session and the PID namespace keep it from the judge."""

    async def attack(self) -> None:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.kill(os.getppid(), signal.SIGINT)
        libc.killpg(os.getpgrp(), signal.SIGINT)


class _WritesGarbageToPipes(_Hostile):
    """Finds the host's pipes in /proc/self/fd and writes garbage into every one."""

    async def attack(self) -> None:
        for entry in os.listdir("/proc/self/fd"):
            if int(entry) > 2:
                try:
                    os.write(int(entry), b"\xff\xff\xff\xffnot a frame")
                except OSError:
                    pass


class _SockaddrIn(ctypes.Structure):
    _fields_ = [("family", ctypes.c_ushort), ("port", ctypes.c_uint16), ("addr", ctypes.c_uint32), ("zero", ctypes.c_char * 8)]


def _ctypes_connect(host: str, port: int) -> int:
    """libc socket() + connect(), which no audit hook sees; 0 when it connected."""
    libc = ctypes.CDLL(None, use_errno=True)
    fd = libc.socket(socket.AF_INET, socket.SOCK_STREAM, 0)
    if fd < 0:
        return ctypes.get_errno()
    address = _SockaddrIn(socket.AF_INET, socket.htons(port), int.from_bytes(socket.inet_aton(host), "little"), b"")
    if libc.connect(fd, ctypes.byref(address), ctypes.sizeof(address)) != 0:
        return ctypes.get_errno()
    return 0


class _CtypesSocket(_Hostile):
    """Bypasses the audit hook: only the kernel's network namespace can stop it. The client
    goes on either way, so the scenario's verdict does not show whether it got out."""

    async def attack(self) -> None:
        _ctypes_connect(*_listener())


def _adapter(name: str, client: Any) -> Adapter:
    return Adapter(manifest=replace(MANIFEST, name=f"rongcloud-hostile-{name}"), client=client)


exits_zero = _adapter("exit-0", _ExitsZero)
segfaults = _adapter("segfault", _Segfaults)
writes_outputs = _adapter("writes-outputs", _WritesOutputs)
raises_keyboard_interrupt = _adapter("keyboard-interrupt", _RaisesKeyboardInterrupt)
interrupts_main = _adapter("interrupt-main", _InterruptsMain)
raises_system_exit = _adapter("system-exit", _RaisesSystemExit)
raises_generator_exit = _adapter("generator-exit", _RaisesGeneratorExit)
fails_an_assertion = _adapter("assertion", _FailsAnAssertion)
calls_pytest_skip = _adapter("pytest-skip", _CallsPytestSkip)
calls_pytest_exit = _adapter("pytest-exit", _CallsPytestExit)
raises_unprintable = _adapter("unprintable", _RaisesUnprintable)
ignores_alarm = _adapter("ignores-alarm", _IgnoresAlarm)
spins_in_bare_except = _adapter("bare-except", _SpinsInBareExcept)
long_c_call = _adapter("long-c-call", _LongCCall)
catastrophic_regex = _adapter("regex", _CatastrophicRegex)
non_daemon_thread = _adapter("thread", _NonDaemonThread)
swallows_cancellation = _adapter("swallows-cancel", _SwallowsCancellation)
floods_output = _adapter("output-flood", _FloodsOutput)
patches_json = _adapter("patches-json", _PatchesJson)
patches_builtins = _adapter("patches-builtins", _PatchesBuiltins)
patches_asyncio_sleep = _adapter("patches-sleep", _PatchesAsyncioSleep)
replaces_suite_modules = _adapter("replaces-modules", _ReplacesSuiteModules)
patches_reference_class = _adapter("patches-reference", _PatchesReferenceClass)
del_raises = _adapter("del-raises", _DelRaises)
repr_never_returns = _adapter("repr-forever", _ReprNeverReturns)
resolves_names = _adapter("getaddrinfo", _ResolvesNames)
raw_socket = _adapter("raw-socket", _RawSocket)
captured_socket = _adapter("captured-socket", _CapturedSocket)
subprocess_socket = _adapter("subprocess", _Subprocess)
kills_parent = _adapter("kills-parent", _KillsParent)
ctypes_kills_parent = _adapter("ctypes-kill", _CtypesKillsParent)
writes_garbage_to_pipes = _adapter("garbage-frames", _WritesGarbageToPipes)
ctypes_socket = _adapter("ctypes-socket", _CtypesSocket)


class _BackgroundKeyboardInterrupt(_Hostile):
    """A task of its own raises KeyboardInterrupt: asyncio lets it out of the host's loop."""

    async def attack(self) -> None:
        self._ctx.loop.create_task(self._explode(), name="explodes")

    async def _explode(self) -> None:
        raise KeyboardInterrupt


background_keyboard_interrupt = _adapter("background-interrupt", _BackgroundKeyboardInterrupt)


def _host_channel() -> Any:
    """The host's own channel to the judge, found among the live objects."""
    return next(o for o in gc.get_objects() if type(o).__name__ == "Channel" and hasattr(o, "send"))


class _ForgesMessages(_Hostile):
    """Sends the judge a well-framed message whose fields have the wrong types."""

    async def attack(self) -> None:
        _host_channel().send({"op": "request", "rid": "not a number", "method": "GET", "url": "::", "headers": [], "body": ""})


class _ForgesARequest(_Hostile):
    """Sends the judge a well-typed request it cannot read (its URL is not one)."""

    async def attack(self) -> None:
        _host_channel().send({"op": "request", "rid": 99, "method": "GET", "url": "http://[::1", "headers": [], "body": ""})


forges_messages = _adapter("forged-message", _ForgesMessages)
forges_a_request = _adapter("forged-request", _ForgesARequest)
