"""The Python client host: runs one adapter's clients in a process of their own.

    python -m reconnection_conformance.adapters.host.python_host --adapter package.module:factory [--select NAME]
                                        --in-fd N --out-fd M
    python -m reconnection_conformance.adapters.host.python_host --probe SPEC [SPEC ...]

The judge (the pytest process) starts it and speaks docs/host-protocol.md over two pipes. The
host never decides anything: it creates clients, calls their methods, forwards their HTTP
requests and callbacks, and runs their asyncio work on a loop whose clock only the judge moves.
Whatever the client does here (exit, crash, patch modules, spin, flood) can at worst end this
process, and the judge turns that into the client's own verdict.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import dataclasses
import faulthandler
import inspect
import json
import logging
import os
import signal
import sys
import threading
import time
import traceback
from collections.abc import Callable
from typing import Any

from reconnection_conformance.adapters.contract import ClientContext
from reconnection_conformance.adapters.host.protocol import VERSION, FrameReader, encode, encode_result, plain
from reconnection_conformance.adapters.loading import describe_all, load_selected
from reconnection_conformance.fixtures.clock import VirtualClock, VirtualTimeLoop
from reconnection_conformance.fixtures.verdicts import AdapterLoadError

#: Virtual seconds a client's ``aclose()`` may take at the end of a scenario, and the tasks
#: left after it may take to unwind once cancelled.
ACLOSE_VIRTUAL_TIMEOUT = 30.0
UNWIND_VIRTUAL_TIMEOUT = 60.0

#: Real seconds the host waits, before it tells the judge it is idle, for client threads that
#: are running (not blocked) to block again: work they post is not jumped over in that time.
THREAD_QUIET_BUDGET = 0.05


class SandboxViolation(PermissionError):
    """What a client sees when it tries to leave the sandbox; the judge has been told already."""


# --- the channel to the judge ---------------------------------------------------------------------


class Channel:
    """The host's end of the two pipes.

    The loop's thread batches its messages and writes them once per turn (``flush=True`` on
    the message that ends it): every write wakes the judge, so one write per turn halves the
    cost of a round trip. Other threads write whole frames at once, under a lock.
    """

    def __init__(self, in_fd: int, out_fd: int) -> None:
        self._in, self._out = in_fd, out_fd
        self._reader = FrameReader()
        self._lock = threading.Lock()
        self._owner = threading.current_thread()
        self._pending: list[bytes] = []

    def send(self, message: dict[str, Any], flush: bool = False) -> None:
        frame = encode(message)
        if threading.current_thread() is not self._owner:
            with self._lock:
                _write_all(self._out, frame)
            return
        self._pending.append(frame)
        if flush:
            self.flush()

    def flush(self) -> None:
        data, self._pending = b"".join(self._pending), []
        if data:
            with self._lock:
                _write_all(self._out, data)

    def receive(self) -> dict[str, Any]:
        self.flush()  # never wait for the judge with our own messages unsent
        return self._reader.read_blocking(self._in)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


# --- the audit hook: every way out of the sandbox, reported and refused ---------------------------

_NETWORK_EVENTS = {
    "socket.__new__": "opened a socket",
    "socket.connect": "connected a socket",
    "socket.bind": "bound a socket",
    "socket.sendto": "sent a datagram",
    "socket.getaddrinfo": "resolved a host name",
    "socket.gethostbyname": "resolved a host name",
    "socket.gethostbyname_ex": "resolved a host name",
    "socket.gethostbyaddr": "resolved an address",
    "subprocess.Popen": "started a subprocess",
    "os.system": "ran a shell command",
    "os.exec": "replaced the process (exec)",
    "os.posix_spawn": "spawned a process",
    "os.spawn": "spawned a process",
    "os.fork": "forked the process",
    "os.forkpty": "forked the process",
    "os.kill": "sent a signal",
    "os.killpg": "sent a signal to a process group",
}

#: Libraries with a well-known way back into the sandbox.
_ADVICE = {
    "aiohttp": "route requests through httpx to the device's base URL",
    "requests": "route requests through httpx to the device's base URL",
    "urllib3": "route requests through httpx to the device's base URL",
    "urllib": "route requests through httpx to the device's base URL",
    "http": "route requests through httpx to the device's base URL",
    "websockets": "the Python host speaks HTTP through httpx only",
    "subprocess": "a client may not start processes: everything runs in the host",
}

_HARNESS_MODULES = ("reconnection_conformance.adapters.host", "asyncio", "socket", "ssl", "selectors", "threading", "concurrent", "subprocess", "os", "importlib", "_")


def _culprit() -> tuple[str, str]:
    """(library, location) of the code that triggered the event: the innermost frame that is
    neither the host nor the standard machinery around sockets and processes."""
    frame = sys._getframe(2)
    stdlib_fallback = None
    while frame is not None:
        module = str(frame.f_globals.get("__name__", "?"))
        top = module.split(".")[0]
        where = f"{frame.f_code.co_filename}:{frame.f_lineno} in {frame.f_code.co_name}"
        if top in ("http", "urllib") and stdlib_fallback is None:
            stdlib_fallback = (top, where)
        if not any(module == h or module.startswith(h + ".") or (h == "_" and module.startswith("_")) for h in _HARNESS_MODULES) and top not in ("http", "urllib"):
            return top, where
        frame = frame.f_back
    return stdlib_fallback or ("?", "unknown location")


def install_audit_hook(report: Callable[[str], None], loop_thread: threading.Thread) -> None:
    """A process-wide hook no client can remove (PEP 578): sockets, name resolution,
    processes and signals are reported to the judge and refused. A real ``time.sleep`` on the
    loop's thread is refused too: time is virtual."""
    inside = threading.local()

    def hook(event: str, args: tuple[Any, ...]) -> None:
        what = _NETWORK_EVENTS.get(event)
        if what is None and event == "time.sleep" and threading.current_thread() is loop_thread:
            if getattr(inside, "active", False):
                return
            what = f"called time.sleep({args[0] if args else '?'}) on the loop's thread; time is virtual here: use `await asyncio.sleep(...)`"
        if what is None or getattr(inside, "active", False):
            return
        inside.active = True
        try:
            library, where = _culprit()
            shown = ", ".join(_short(a) for a in args[:3])
            advice = f"{library}: {_ADVICE[library]}" if library in _ADVICE else "clients reach the vendor only through httpx and ctx.base_url"
            message = f"the client {what} ({event}({shown})) from {library} at {where}; {advice}"
            report(message)
        finally:
            inside.active = False
        raise SandboxViolation(f"sandbox violation: {message}")

    sys.addaudithook(hook)


def _short(value: Any) -> str:
    if isinstance(value, str | int | float | bytes | tuple | type(None)):
        text = str(value)
        return text if len(text) < 80 else text[:77] + "..."
    return f"<{type(value).__name__}>"


# --- threads of the client: virtual sleeps, and knowing when they are quiet -----------------------


class ThreadSleepers:
    """``time.sleep`` in a client thread waits for virtual time, as a clock hook of the loop.

    A thread the host wakes counts as running until it blocks again in one of ours (a sleep,
    an HTTP answer) or ends: until then the host does not let time jump (``running``).
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._sleepers: list[tuple[float, threading.Event, int]] = []
        self.blocked: set[int] = set()  # idents of threads waiting on something of ours
        self.running: set[int] = set()  # idents woken by us that have not blocked again

    def sleep(self, seconds: float, now: float) -> None:
        wake = threading.Event()
        with self._lock:
            self._sleepers.append((now + max(0.0, seconds), wake, threading.get_ident()))
        self.wait(wake)

    def wait(self, event: threading.Event) -> None:
        ident = threading.get_ident()
        self.blocked.add(ident)
        self.running.discard(ident)
        try:
            event.wait()
        finally:
            self.blocked.discard(ident)

    def wake(self, ident: int, event: threading.Event) -> None:
        self.running.add(ident)
        event.set()

    def next_deadline(self) -> float | None:
        with self._lock:
            return min((when for when, _, _ in self._sleepers), default=None)

    def advance_to(self, now: float) -> None:
        with self._lock:
            due = [s for s in self._sleepers if s[0] <= now + 1e-6]
            self._sleepers = [s for s in self._sleepers if s[0] > now + 1e-6]
        for _, event, ident in due:
            self.wake(ident, event)

    def release_all(self) -> None:
        with self._lock:
            sleepers, self._sleepers = self._sleepers, []
        for _, event, _ in sleepers:
            event.set()


_BLOCKING_FRAMES = {"wait", "get", "acquire", "join", "_wait_for_tstate_lock", "select", "poll", "result"}


def _running_threads(sleepers: ThreadSleepers) -> list[threading.Thread]:
    """Client threads that are running, not blocked waiting for something."""
    frames = sys._current_frames()
    running = []
    for thread in threading.enumerate():
        if thread is threading.current_thread() or thread.ident is None or not thread.is_alive():
            continue
        if thread.ident in sleepers.running:
            running.append(thread)
            continue
        if thread.ident in sleepers.blocked or getattr(thread, "_conformance_internal", False):
            continue
        frame = frames.get(thread.ident)
        if frame is not None and frame.f_code.co_name in _BLOCKING_FRAMES:
            continue
        running.append(thread)
    return running


# --- the host ---------------------------------------------------------------------------------------


class Host:
    def __init__(self, channel: Channel) -> None:
        self.channel = channel
        self.adapter: Any = None
        self.clock: VirtualClock | None = None
        self.loop: Any = None
        self.events_left = 0
        self.clients: dict[str, Any] = {}
        self.calls: dict[int, asyncio.Task[Any]] = {}
        self.requests: dict[int, Callable[[dict[str, Any]], None]] = {}
        self.sleepers = ThreadSleepers()
        self._next_rid = 0
        self._real_sleep = time.sleep
        self.loop_thread = threading.current_thread()

    # --- process life ----------------------------------------------------------------------

    def serve(self) -> None:
        while True:
            message = self.channel.receive()
            op = message["op"]
            if op == "begin":
                self.run_scenario(message)
            elif op == "shutdown":
                return
            else:
                raise RuntimeError(f"protocol: {op!r} outside a scenario")

    def run_scenario(self, message: dict[str, Any]) -> None:
        self.clock = VirtualClock()
        self.clock.start()
        self.clock.set_microseconds(int(message["t"]))
        self.loop = HostLoop(self.clock, self)
        self.loop.set_exception_handler(self._background_error)
        self.loop.hooks.append(self.sleepers)
        asyncio.set_event_loop(self.loop)
        self.clients, self.calls, self.requests = {}, {}, {}
        self.events_left = int(message.get("max_events", 100_000))
        try:
            self.loop.run_forever()
        finally:
            self.sleepers.release_all()
            leftover = [t.name for t in threading.enumerate() if t is not self.loop_thread and t.is_alive() and not getattr(t, "_conformance_internal", False)]
            asyncio.set_event_loop(None)
            self.loop.close()
            self.clock.stop()
        self.channel.send({"op": "ended", "threads": leftover}, flush=True)

    def _background_error(self, loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        error = context.get("exception")
        where = context.get("task") or context.get("future") or context.get("handle")
        what = f"{type(error).__name__}: {error}" if error else str(context.get("message", "?"))
        name = where.get_name() if isinstance(where, asyncio.Task) else type(where).__name__
        self.channel.send({"op": "background_error", "message": f"{what[:500]} (in {name})"})

    # --- idle: the only place the host waits for the judge -----------------------------------------

    def idle(self) -> None:
        """Nothing is ready at this instant: tell the judge when the next timer is due, then
        do what it sends until it says ``run`` (at a later instant) or ``end``."""
        loop = self.loop
        self._let_threads_settle()
        if loop._ready:
            return
        due = loop._next_due()
        self.channel.send({"op": "idle", "next": None if due is None else _to_us(due)}, flush=True)
        while True:
            message = self.channel.receive()
            if "t" in message:
                self.clock.set_microseconds(int(message["t"]))
            op = message["op"]
            if op == "run":
                break
            if op == "end":
                loop.stop()
                return
            self.handle(message)
        now = self.clock.time()
        for hook in list(loop.hooks):
            deadline = hook.next_deadline()
            if deadline is not None and deadline <= now + 1e-6:
                hook.advance_to(now)

    def _let_threads_settle(self) -> None:
        deadline = _real_monotonic() + THREAD_QUIET_BUDGET
        pause = threading.Event()
        while _running_threads(self.sleepers) and not self.loop._ready and _real_monotonic() < deadline:
            pause.wait(0.0005)

    # --- messages from the judge ---------------------------------------------------------------

    def handle(self, message: dict[str, Any]) -> None:
        op = message["op"]
        if op == "create":
            self.channel.send(self._create(message))
        elif op == "call":
            self._call(message)
        elif op == "response":
            answer = self.requests.pop(int(message["rid"]), None)
            if answer is not None:
                answer(message)
        elif op == "link":
            pass  # a browser's online/offline: a Python client learns of its network by its effects
        else:
            raise RuntimeError(f"protocol: unknown op {op!r}")

    def _create(self, message: dict[str, Any]) -> dict[str, Any]:
        device = message["device"]
        context = ClientContext(
            device=device,
            base_url=message["base_url"],
            platform=message["platform"],
            emit=lambda event: self._emit(device, event),
            loop=self.loop,
            register_clock_hook=self.loop.hooks.append,
            options=dict(message.get("options") or {}),
            transport=ForwardingTransport(self),
            log=lambda line: self.channel.send({"op": "log", "device": device, "line": str(line)[:2000]}),
        )
        try:
            self.clients[device] = self.adapter.client(context)
        except BaseException as error:  # noqa: BLE001 - whatever the client raises is its verdict
            return {"op": "created", "device": device, **_describe(error)}
        return {"op": "created", "device": device}

    def _emit(self, device: str, event: Any) -> None:
        if self.events_left <= 0:
            if self.events_left == 0:  # said once: the judge's verdict is "adapter flooded"
                self.channel.send({"op": "flooded"}, flush=True)
            self.events_left = -1
            return
        self.events_left -= 1
        callback = getattr(type(event), "callback", None)
        if not isinstance(callback, str):
            raise TypeError(f"emit() takes a contract event record, not {type(event).__name__}")
        if dataclasses.is_dataclass(event):
            detail = {f.name: plain(getattr(event, f.name, None)) for f in dataclasses.fields(event)}
        else:
            detail = {k: plain(v) for k, v in vars(event).items()}
        self.channel.send({"op": "event", "device": device, "callback": callback, "detail": detail})

    def _call(self, message: dict[str, Any]) -> None:
        call_id = int(message["id"])
        device, method = message["device"], message["method"]
        task = self.loop.create_task(self._invoke(call_id, device, method, message.get("args", []), message.get("kwargs", {})), name=f"{device}.{method}()")
        self.calls[call_id] = task

    async def _invoke(self, call_id: int, device: str, method: str, args: list[Any], kwargs: dict[str, Any]) -> None:
        try:
            if method == "$finish":
                value: Any = await self._finish()
            else:
                function = getattr(self.clients[device], method)
                value = function(*args, **kwargs)
                if inspect.isawaitable(value):
                    value = await value
            reply = {"op": "result", "id": call_id, "value": encode_result(value)}
        except BaseException as error:  # noqa: BLE001 - SystemExit, KeyboardInterrupt included
            reply = {"op": "raised", "id": call_id, **_describe(error)}
        finally:
            self.calls.pop(call_id, None)
        self.channel.send(reply)

    async def _finish(self) -> dict[str, Any]:
        """The end of a scenario: each client's ``aclose()``, then cancel what is left."""
        errors: list[str] = []
        for device, client in list(self.clients.items()):
            aclose = getattr(client, "aclose", None)
            if aclose is None:
                continue
            try:
                await asyncio.wait_for(_awaited(aclose()), ACLOSE_VIRTUAL_TIMEOUT)
            except BaseException as error:  # noqa: BLE001
                errors.append(f"{device}.aclose() raised {type(error).__name__}: {_message(error)}")
        me = asyncio.current_task()
        pending = [t for t in asyncio.all_tasks(self.loop) if t is not me and not t.done()]
        for task in pending:
            task.cancel()
        if pending:
            await asyncio.wait(pending, timeout=UNWIND_VIRTUAL_TIMEOUT)
        refused = [t.get_name() for t in pending if not t.done()]
        return {"refused": refused, "errors": errors}

    # --- HTTP: the client's requests go to the judge -------------------------------------------------

    def request(self, method: str, url: str, headers: list[tuple[str, str]], body: bytes, answer: Callable[[dict[str, Any]], None]) -> int:
        self._next_rid += 1
        rid = self._next_rid
        self.requests[rid] = answer
        try:  # JSON bodies travel as text; anything else as base64
            payload = {"text": body.decode()}
        except UnicodeDecodeError:
            payload = {"body": base64.b64encode(body).decode()}
        self.channel.send({"op": "request", "rid": rid, "method": method, "url": url, "headers": headers, **payload})
        return rid

    def abandon(self, rid: int) -> None:
        if self.requests.pop(rid, None) is not None:
            self.channel.send({"op": "abandon", "rid": rid})


def _to_us(epoch_seconds: float) -> int:
    return round(epoch_seconds * 1_000_000)


_real_monotonic = time.monotonic


async def _awaited(value: Any) -> Any:
    return await value if inspect.isawaitable(value) else value


def _message(error: BaseException) -> str:
    try:
        text = str(error)
    except BaseException:  # noqa: BLE001 - a client's __str__ may raise anything
        text = "<unprintable>"
    return text[:1000]


def _describe(error: BaseException) -> dict[str, Any]:
    """The exception as the judge reports it: type, message, and the client's innermost frame."""
    frames = traceback.extract_tb(error.__traceback__)
    where = next((f"{f.filename}:{f.lineno} in {f.name}" for f in reversed(frames) if "/adapters/host/" not in f.filename and "/asyncio/" not in f.filename), "")
    return {"error": type(error).__name__, "message": _message(error), "where": where}


# --- httpx: respx (any client) and a direct transport (the fast path) ------------------------------


def _response(message: dict[str, Any], request: Any) -> Any:
    import httpx

    if "error" in message:
        raise httpx.ConnectError(str(message["error"]), request=request)
    content = str(message["text"]).encode() if "text" in message else base64.b64decode(message.get("body", ""))
    return httpx.Response(
        int(message["status"]),
        headers=[tuple(h) for h in message.get("headers", [])],
        content=content,
        request=request,
    )


async def forward_async(host: Host, request: Any) -> Any:
    """An async client's request: awaits the judge's answer on the loop."""
    body = await request.aread()
    future = host.loop.create_future()

    def answer(message: dict[str, Any]) -> None:
        if not future.done():
            future.set_result(message)

    rid = host.request(request.method, str(request.url), list(request.headers.multi_items()), body, answer)
    try:
        message = await future
    except asyncio.CancelledError:
        host.abandon(rid)
        raise
    return _response(message, request)


def forward_sync(host: Host, request: Any) -> Any:
    """A sync client's request. On the loop's thread it blocks the loop (as a blocking call
    does), still answering the judge; on another thread it waits like a virtual sleep."""
    body = request.read()
    box: dict[str, Any] = {}
    done = threading.Event()
    ident = threading.get_ident()

    def answer(message: dict[str, Any]) -> None:
        box["message"] = message
        host.sleepers.wake(ident, done)

    if threading.current_thread() is host.loop_thread:
        host.request(request.method, str(request.url), list(request.headers.multi_items()), body, answer)
        host.channel.send({"op": "idle", "next": None, "blocked": True}, flush=True)
        while True:  # whole batches: the one with the answer ends with a `run` we must consume
            message = host.channel.receive()
            if "t" in message:
                host.clock.set_microseconds(int(message["t"]))
            if message["op"] == "end":
                host.loop.stop()
                raise RuntimeError("the scenario ended while a blocking request was waiting")
            if message["op"] != "run":
                host.handle(message)
            elif done.is_set():
                break  # the round stays open: it closes when the loop idles again
            else:
                host.channel.send({"op": "idle", "next": None, "blocked": True}, flush=True)
        return _response(box["message"], request)
    host.loop.call_soon_threadsafe(
        lambda: host.request(request.method, str(request.url), list(request.headers.multi_items()), body, answer)
    )
    host.sleepers.wait(done)
    return _response(box["message"], request)


class ForwardingTransport:
    """``ctx.transport``: straight to the judge, without respx's per-request matching."""

    def __init__(self, host: Host) -> None:
        self._host = host

    async def handle_async_request(self, request: Any) -> Any:
        return await forward_async(self._host, request)

    async def aclose(self) -> None:
        pass


def install_interception(host: Host) -> None:
    """respx answers every httpx request of any client, sync or async, through the judge."""
    import respx

    def side_effect(request: Any) -> Any:
        frame = sys._getframe(1)
        for _ in range(8):  # respx's async path awaits what we return; its sync path cannot
            if frame is None:
                break
            if frame.f_code.co_name == "aresolve":
                return forward_async(host, request)
            frame = frame.f_back
        return forward_sync(host, request)

    router = respx.mock(assert_all_mocked=True, assert_all_called=False)
    router.route().mock(side_effect=side_effect)
    router.start()


# --- the loop: the selector is where the host talks to the judge ------------------------------------


class HostLoop(VirtualTimeLoop):
    """A virtual-time loop whose clock the judge moves: when nothing is ready, it reports idle
    and waits for the judge instead of jumping to its next timer itself."""

    def __init__(self, clock: VirtualClock, host: Host) -> None:
        super().__init__(clock)
        self._selector = _IdleSelector(self, host)


class _IdleSelector:
    def __init__(self, loop: Any, host: Host) -> None:
        self._loop, self._host = loop, host

    def select(self, timeout: float | None) -> list[Any]:
        if timeout is not None and timeout <= self._loop._clock_resolution:
            return []
        self._host.idle()
        return []

    def close(self) -> None:
        pass


class _JudgeLogHandler(logging.Handler):
    """The client's ``logging`` records go to the judge's log (and the report), redacted there."""

    def __init__(self, channel: Channel) -> None:
        super().__init__(logging.INFO)
        self._channel = channel

    def emit(self, record: logging.LogRecord) -> None:
        try:
            line = f"{record.levelname} {record.name}: {record.getMessage()}"
            self._channel.send({"op": "log", "device": "", "line": line[:2000]})
        except Exception:  # noqa: BLE001 - a log line never takes the host down
            pass


# --- entry points ----------------------------------------------------------------------------------


def _virtual_sleep(host: Host, report: Callable[[str], None]) -> Callable[[float], None]:
    """``time.sleep`` in the host: a client thread waits for virtual time; the loop's thread
    may not sleep at all (it would stop every client of the scenario)."""

    def sleep(seconds: float) -> None:
        if threading.current_thread() is host.loop_thread or host.clock is None:
            message = (
                f"the client called time.sleep({seconds:g}) on the loop's thread; time is virtual"
                " here: use `await asyncio.sleep(...)`, or sleep in a thread of your own"
            )
            report(message)
            raise SandboxViolation(f"sandbox violation: {message}")
        host.sleepers.sleep(float(seconds), host.clock.time())

    return sleep


def _probe(specs: list[str]) -> int:
    """Load each adapter and print what the judge needs to know about it, as JSON."""
    found = []
    for spec in specs:
        found.append(describe_all(spec))
    sys.stdout.write(json.dumps(found))
    sys.stdout.flush()
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m reconnection_conformance.adapters.host.python_host")
    parser.add_argument("--adapter")
    parser.add_argument("--select", default=None)
    parser.add_argument("--in-fd", type=int)
    parser.add_argument("--out-fd", type=int)
    parser.add_argument("--probe", nargs="+")
    args = parser.parse_args(argv)
    if args.probe:
        return _probe(args.probe)

    channel = Channel(args.in_fd, args.out_fd)
    faulthandler.enable(file=sys.stderr, all_threads=True)
    faulthandler.register(signal.SIGUSR1, file=sys.stderr, all_threads=True)
    host = Host(channel)

    def report(message: str) -> None:
        channel.send({"op": "violation", "message": message}, flush=True)  # before any exit

    install_audit_hook(report, host.loop_thread)  # before the adapter is imported: it may reach out
    logging.getLogger().addHandler(_JudgeLogHandler(channel))
    time.sleep = _virtual_sleep(host, report)
    install_interception(host)
    try:
        host.adapter, described = load_selected(args.adapter, args.select)
    except AdapterLoadError as error:
        channel.send({"op": "hello", "version": VERSION, "error": str(error)}, flush=True)
        return 2
    channel.send(
        {
            "op": "hello",
            "version": VERSION,
            "pid": os.getpid(),
            "language": "python",
            "runtime": f"{sys.implementation.name} {sys.version.split()[0]}",
            "adapter": described,
        },
        flush=True,
    )
    try:
        host.serve()
    except BaseException as error:  # noqa: BLE001 - a busy loop, a client's exit at the wrong place
        try:
            channel.send({"op": "fatal", **_describe(error)}, flush=True)
        except OSError:
            pass
        raise
    return 0


if __name__ == "__main__":
    try:
        code = main()
    except BaseException:  # noqa: BLE001 - the judge reads the traceback from stderr
        traceback.print_exc()
        code = 3
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
