// The Node client host: runs one JavaScript adapter's clients in a process of their own.
//
//   node adapters/host/node_host.mjs --adapter node:path/to/adapter.mjs [--select NAME]
//                                    --in-fd N --out-fd M
//   node adapters/host/node_host.mjs --probe SPEC [SPEC ...]
//
// It speaks docs/host-protocol.md exactly as adapters/host/python_host.py does. Every clock the
// client can read (Date, timers, performance.now, process.hrtime) is a @sinonjs/fake-timers
// clock that only the judge's `t` moves; fetch and XMLHttpRequest are forwarded to the judge;
// modules that reach the network or other processes are refused. The host never decides a
// verdict: whatever the client does ends, at worst, this process, and the judge turns that
// into the client's own verdict.

import fs from "node:fs";
import path from "node:path";
import Module, { register } from "node:module";
import { AsyncLocalStorage, AsyncResource } from "node:async_hooks";
import { pathToFileURL } from "node:url";
import { blockedName } from "./node_sandbox_hooks.mjs";

/** The pinned fake timers: beside the host in a checkout (`npm ci`); for a suite installed from
 * its wheel, in the repository that runs it (the working directory's node_modules). */
async function loadFakeTimers() {
  const places = [import.meta.url, pathToFileURL(path.join(process.cwd(), "package.json")).href];
  for (const place of places) {
    try {
      const found = Module.createRequire(place).resolve("@sinonjs/fake-timers");
      return (await import(pathToFileURL(found).href)).default;
    } catch (error) {
      if (error?.code !== "MODULE_NOT_FOUND") throw error;
    }
  }
  process.stderr.write("the Node client host needs @sinonjs/fake-timers 15 (it fakes every clock a client reads):"
    + " run `npm install --save-dev @sinonjs/fake-timers@15.5.0` in the repository you run the suite from\n");
  process.exit(3);
}
const FakeTimers = await loadFakeTimers();

const VERSION = 1;
const MAX_FRAME = 8 * 1024 * 1024;
const MAX_STRING = 16 * 1024;
/** Timers run at one virtual instant before the host calls it a busy loop (as the Python loop). */
const BUSY_LIMIT = 20_000;
/** Virtual milliseconds a client's close() may take at the end of a scenario. */
const CLOSE_VIRTUAL_TIMEOUT_MS = 30_000;
/** What the client's clocks and timers are; queueMicrotask and process.nextTick stay real. */
const FAKED = ["setTimeout", "clearTimeout", "setInterval", "clearInterval", "setImmediate", "clearImmediate", "Date", "hrtime", "performance"];
const SEED = 0x5eed;
/** Where the clock stands between scenarios (every scenario starts at 2026-01-01T00:00:00Z). */
const EPOCH_MS = Date.UTC(2026, 0, 1);
/** Real milliseconds the host waits, before it tells the judge it is idle, for real asynchronous
 * work the client started (a dynamic import(), a file read) to finish: its continuations must not
 * be jumped over. The Python host gives client threads the same kind of budget. */
const REAL_WORK_BUDGET_MS = 200;

/** Which device's client is running: set around every create and call, carried by promises,
 * by the timers a client sets (bound at setTimeout) and by the answers to its requests and
 * sockets. It names the device of a request to a vendor's public host, so a singleton SDK
 * loaded once per device can run every device of a scenario. */
const deviceContext = new AsyncLocalStorage();

/** The fake timer functions, each binding its callback to the device context of its caller. */
function bindTimersToDevices() {
  for (const name of ["setTimeout", "setInterval", "setImmediate"]) {
    const fake = globalThis[name];
    const bound = function (callback, ...rest) {
      return fake.call(this, typeof callback === "function" ? AsyncResource.bind(callback) : callback, ...rest);
    };
    Object.defineProperty(bound, "name", { value: name });
    globalThis[name] = bound;
  }
}

// The real primitives the host itself runs on, taken before any client code loads.
const realSetImmediate = globalThis.setImmediate;
const realSetTimeout = globalThis.setTimeout;
const realHrtimeBigint = process.hrtime.bigint;
const realMs = () => Number(realHrtimeBigint()) / 1e6;
const realExit = process.exit.bind(process);
const realStderrWrite = process.stderr.write.bind(process.stderr);

// --- the channel to the judge -------------------------------------------------------------------

class Channel {
  constructor(inFd, outFd) {
    this.in = inFd;
    this.out = outFd;
    this.buffer = Buffer.alloc(0);
    this.pending = [];
  }

  // Messages are batched and written once per turn: every write wakes the judge.
  send(message, flush = false) {
    const payload = Buffer.from(JSON.stringify(message), "utf8");
    if (payload.length > MAX_FRAME) throw new Error(`a ${message.op} message of ${payload.length} bytes exceeds ${MAX_FRAME}`);
    const header = Buffer.alloc(4);
    header.writeUInt32BE(payload.length);
    this.pending.push(header, payload);
    if (flush) this.flush();
  }

  flush() {
    const data = Buffer.concat(this.pending);
    this.pending = [];
    let offset = 0;
    while (offset < data.length) offset += fs.writeSync(this.out, data, offset);
  }

  // Blocking on purpose: the host waits for nothing but the judge's next batch.
  receive() {
    this.flush();
    for (;;) {
      if (this.buffer.length >= 4) {
        const length = this.buffer.readUInt32BE(0);
        if (length > MAX_FRAME) throw new ProtocolError(`frame of ${length} bytes announced (limit ${MAX_FRAME})`);
        if (this.buffer.length >= 4 + length) {
          const message = JSON.parse(this.buffer.subarray(4, 4 + length).toString("utf8"));
          this.buffer = this.buffer.subarray(4 + length);
          if (message === null || typeof message !== "object" || typeof message.op !== "string") throw new ProtocolError("a frame is not a message object with an 'op'");
          return message;
        }
      }
      const chunk = Buffer.alloc(65536);
      const n = fs.readSync(this.in, chunk, 0, chunk.length, null);
      if (n === 0) realExit(0); // the judge is gone: nothing left to do
      this.buffer = Buffer.concat([this.buffer, chunk.subarray(0, n)]);
    }
  }
}

class ProtocolError extends Error {}
class BusyLoop extends Error {
  constructor(message) {
    super(message);
    this.name = "BusyLoop";
  }
}
class AdapterLoadError extends Error {}

// --- values crossing the boundary ---------------------------------------------------------------

/** A JSON-safe copy of a client's value, never trusting it (as protocol.plain in Python). */
export function plain(value, depth = 0) {
  if (value === null || value === undefined) return null;
  const type = typeof value;
  if (type === "boolean") return value;
  if (type === "number") return Number.isFinite(value) ? value : String(value);
  if (type === "bigint") return Number(value);
  if (type === "string") return value.length > MAX_STRING ? `${value.slice(0, MAX_STRING)}... <truncated: ${value.length} chars>` : value;
  if (type === "function" || type === "symbol") return `<${type}>`;
  if (depth > 8) return "<nested too deep>";
  try {
    if (Array.isArray(value)) return value.slice(0, 1000).map((v) => plain(v, depth + 1));
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) return `<${proto?.constructor?.name || "Object"}>`;
    const copy = {};
    for (const key of Object.keys(value).slice(0, 1000)) copy[key] = plain(value[key], depth + 1);
    return copy;
  } catch {
    return "<unreadable>"; // a getter or a proxy that throws
  }
}

function text(value) {
  try {
    return String(value).slice(0, 1000);
  } catch {
    return "<unprintable>";
  }
}

const HOST_FILES = [path.dirname(new URL(import.meta.url).pathname), "node:internal", "/node_modules/@sinonjs/"];

/** The innermost frame of a stack that belongs to the client (not the host, not Node). */
function clientFrame(stack) {
  for (const line of String(stack || "").split("\n").slice(1)) {
    const frame = line.trim().replace(/^at\s+/, "");
    if (!line.trim().startsWith("at ") || HOST_FILES.some((h) => frame.includes(h)) || !frame.includes(":")) continue;
    if (frame.includes("data:text/javascript")) continue; // the stand-in of a refused import
    return frame.replace(/file:\/\//, "");
  }
  return "";
}

function describe(error) {
  if (error instanceof Error) return { error: error.name || "Error", message: text(error.message), where: clientFrame(error.stack) };
  return { error: `thrown ${typeof error}`, message: text(plain(error) === null ? error : JSON.stringify(plain(error))), where: "" };
}

// --- the browser a client expects ---------------------------------------------------------------

class MemoryStorage {
  #items = new Map();
  get length() {
    return this.#items.size;
  }
  key(i) {
    return [...this.#items.keys()][i] ?? null;
  }
  getItem(k) {
    return this.#items.has(String(k)) ? this.#items.get(String(k)) : null;
  }
  setItem(k, v) {
    this.#items.set(String(k), String(v));
  }
  removeItem(k) {
    this.#items.delete(String(k));
  }
  clear() {
    this.#items.clear();
  }
}

/** `localStorage` or `sessionStorage` of whichever device's client is running: each device is a
 * browser of its own (an SDK that caches its navigation in storage must not hand one device's
 * server to another). Work outside any device (the host's own) sees a storage of its own. */
class DeviceStorage {
  #byDevice = new Map();
  #current() {
    const device = deviceContext.getStore() ?? "";
    if (!this.#byDevice.has(device)) this.#byDevice.set(device, new MemoryStorage());
    return this.#byDevice.get(device);
  }
  get length() {
    return this.#current().length;
  }
  key(i) {
    return this.#current().key(i);
  }
  getItem(k) {
    return this.#current().getItem(k);
  }
  setItem(k, v) {
    this.#current().setItem(k, v);
  }
  removeItem(k) {
    this.#current().removeItem(k);
  }
  clear() {
    this.#current().clear();
  }
}

/** The window's events, one target per device (each device is a browser of its own), and whether
 * that browser believes it is online. The judge says when a device's network goes down or comes
 * back (`link`); the device's listeners then get `offline` or `online`, as a macrotask. */
class DeviceWindows {
  #targets = new Map();
  #offline = new Set();
  target() {
    const device = deviceContext.getStore() ?? "";
    if (!this.#targets.has(device)) this.#targets.set(device, new EventTarget());
    return this.#targets.get(device);
  }
  onLine() {
    return !this.#offline.has(deviceContext.getStore() ?? "");
  }
  linkChanged(device, online) {
    if (online === !this.#offline.has(device)) return; // no change a browser would notice
    if (online) this.#offline.delete(device);
    else this.#offline.add(device);
    setTimeout(() => deviceContext.run(device, () => this.target().dispatchEvent(new Event(online ? "online" : "offline"))), 0);
  }
}

/** A seeded PRNG (mulberry32): the same scenario draws the same numbers in every run. */
function seeded(seed) {
  let a = seed >>> 0;
  return function random() {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PAGE = "https://app.conformance.invalid/";

function define(name, value) {
  Object.defineProperty(globalThis, name, { value, writable: true, configurable: true, enumerable: false });
}

// A response's body: JSON travels as `text`, anything else as base64 `body` (docs/host-protocol.md).
function responseBytes(message) {
  return "text" in message ? Buffer.from(message.text, "utf8") : Buffer.from(message.body || "", "base64");
}

function toBytes(body) {
  if (body === undefined || body === null) return Buffer.alloc(0);
  if (typeof body === "string") return Buffer.from(body, "utf8");
  if (body instanceof URLSearchParams) return Buffer.from(body.toString(), "utf8");
  if (body instanceof ArrayBuffer) return Buffer.from(body);
  if (ArrayBuffer.isView(body)) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  throw new TypeError(`the Node host cannot send a body of type ${body?.constructor?.name ?? typeof body}`);
}

function headerPairs(headers) {
  const pairs = [];
  new Headers(headers ?? undefined).forEach((value, key) => pairs.push([key, value]));
  return pairs;
}

/** fetch's Response, built from the judge's answer without streams (which would need real I/O turns). */
class FakeResponse {
  constructor(message, url) {
    this.status = Number(message.status);
    this.statusText = "";
    this.ok = this.status >= 200 && this.status < 300;
    this.headers = new Headers((message.headers || []).map(([k, v]) => [k, v]));
    this.url = url;
    this.redirected = false;
    this.type = "basic";
    this.bodyUsed = false;
    this._body = responseBytes(message);
    this._message = message;
  }
  _take() {
    if (this.bodyUsed) return Promise.reject(new TypeError("Body is unusable: Body has already been read"));
    this.bodyUsed = true;
    return Promise.resolve(this._body);
  }
  text() {
    return this._take().then((b) => b.toString("utf8"));
  }
  json() {
    return this.text().then((t) => JSON.parse(t));
  }
  arrayBuffer() {
    return this._take().then((b) => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
  }
  clone() {
    return new FakeResponse(this._message, this.url);
  }
}

function abortError(signal) {
  return signal?.reason ?? new DOMException("This operation was aborted", "AbortError");
}

// --- the host -----------------------------------------------------------------------------------

class Host {
  constructor(channel) {
    this.channel = channel;
    this.adapter = null;
    this.clock = null;
    this.clients = new Map();
    this.devices = new Set();
    this.requests = new Map();
    this.nextRid = 0;
    this.sockets = new Map();
    this.nextSid = 0;
    this.nowUs = 0;
    this.eventsLeft = 0;
  }

  // --- process life ----------------------------------------------------------------------------

  async serve() {
    for (;;) {
      const message = this.channel.receive();
      if (message.op === "begin") await this.runScenario(message);
      else if (message.op === "shutdown") return;
      else throw new ProtocolError(`protocol: '${message.op}' outside a scenario`);
    }
  }

  async runScenario(begin) {
    this.begin(begin);
    await this.settle();
    this.idle();
    for (;;) {
      const message = this.channel.receive();
      if (typeof message.t === "number") await this.advanceTo(message.t);
      switch (message.op) {
        case "run":
          await this.settle();
          this.idle();
          break;
        case "end":
          this.end();
          this.channel.send({ op: "ended", threads: [] }, true);
          return;
        case "create":
          this.channel.send(await this.create(message));
          break;
        case "call":
          this.call(message);
          break;
        case "response":
          this.respond(message);
          break;
        case "ws_opened":
        case "ws_message":
        case "ws_closed":
          this.socketEvent(message);
          break;
        case "link":
          this.browser.linkChanged(String(message.device), Boolean(message.online));
          break;
        default:
          throw new ProtocolError(`protocol: unknown op '${message.op}'`);
      }
    }
  }

  /** A fresh world: a fake clock at `t`, no clients, empty storage, the same random draws. */
  begin(message) {
    this.nowUs = Number(message.t);
    this.clock.reset(); // no timer of an earlier scenario survives
    this.clock.setSystemTime(Math.floor(this.nowUs / 1000));
    this.clients = new Map();
    this.devices = new Set(); // every device created in this scenario, even one whose factory failed
    this.requests = new Map();
    this.sockets = new Map();
    this.eventsLeft = Number(message.max_events ?? 100_000);
    Math.random = seeded(SEED);
    this.browser = installBrowser(this);
    this.baseline = new Map();
    for (const kind of process.getActiveResourcesInfo()) this.baseline.set(kind, (this.baseline.get(kind) ?? 0) + 1);
  }

  end() {
    this.clock.reset(); // the scenario's timers go with it
    this.clients = new Map();
    this.requests = new Map(); // answers that never came: the client is gone
    this.sockets = new Map();
  }

  // --- time: only the judge moves it -----------------------------------------------------------

  firstTimer() {
    return this.clock.timerHeap?.peek() ?? null;
  }

  /** Move the clock to the judge's instant, running any timer due on the way one at a time. */
  async advanceTo(tUs) {
    if (tUs <= this.nowUs) return;
    const targetMs = tUs / 1000;
    for (;;) {
      const first = this.firstTimer();
      if (first === null || first.callAt > targetMs) break;
      this.runTimer();
      await drain();
    }
    this.clock.tick(Math.max(0, targetMs - this.clock.now));
    this.nowUs = tUs;
  }

  /** Run everything ready or due at this instant, with the microtasks between timers. */
  async settle() {
    let spins = 0;
    for (;;) {
      await drain();
      const first = this.firstTimer();
      if (first === null || first.callAt > this.clock.now) {
        if (await this.realWorkFinished()) continue; // its continuations may have queued more
        return;
      }
      if (++spins > BUSY_LIMIT) {
        throw new BusyLoop(`the client's timers ran ${BUSY_LIMIT} times at one virtual instant without letting virtual time advance (a busy loop: a timer that re-arms itself with no delay)`);
      }
      this.runTimer();
    }
  }

  /** Real asynchronous work in progress (Node's active handles beyond the host's own, taken at
   * the start of the scenario): wait for it, within the budget. True if there was some and it ended. */
  async realWorkFinished() {
    if (!this.realWorkPending()) return false;
    const deadline = realMs() + REAL_WORK_BUDGET_MS;
    while (this.realWorkPending() && realMs() < deadline) await new Promise((resolve) => realSetTimeout(resolve, 1));
    return !this.realWorkPending();
  }

  realWorkPending() {
    const counts = new Map();
    for (const kind of process.getActiveResourcesInfo()) counts.set(kind, (counts.get(kind) ?? 0) + 1);
    for (const [kind, n] of counts) if (n > (this.baseline.get(kind) ?? 0)) return true;
    return false;
  }

  runTimer() {
    try {
      this.clock.next();
    } catch (error) {
      this.backgroundError(error, "a timer callback");
    }
  }

  idle() {
    const first = this.firstTimer();
    this.channel.send({ op: "idle", next: first === null ? null : Math.round(first.callAt * 1000) }, true);
  }

  // --- messages from the judge -----------------------------------------------------------------

  async create(message) {
    const device = String(message.device);
    this.devices.add(device);
    const ctx = Object.freeze({
      device,
      baseUrl: String(message.base_url),
      platform: String(message.platform),
      options: { ...(message.options || {}) },
      emit: (event) => this.emit(device, event),
      log: (line) => this.channel.send({ op: "log", device, line: text(line).slice(0, 2000) }),
    });
    try {
      let client = deviceContext.run(device, () => this.adapter.createClient(ctx));
      if (client && typeof client.then === "function") client = await client;
      if (client === null || typeof client !== "object") throw new TypeError(`createClient() returned ${client === null ? "null" : typeof client}, not a client object`);
      this.clients.set(device, client);
    } catch (error) {
      return { op: "created", device, ...describe(error) };
    }
    return { op: "created", device };
  }

  emit(device, event) {
    if (this.eventsLeft <= 0) {
      if (this.eventsLeft === 0) this.channel.send({ op: "flooded" }, true); // said once
      this.eventsLeft = -1;
      return;
    }
    this.eventsLeft -= 1;
    if (event === null || typeof event !== "object" || typeof event.callback !== "string") {
      throw new TypeError("emit() takes {callback: 'name', ...fields}");
    }
    const { callback, ...fields } = event;
    this.channel.send({ op: "event", device, callback, detail: plain(fields) });
  }

  call(message) {
    const id = Number(message.id);
    const invoke = async () => {
      if (message.method === "$finish") return this.finish();
      const client = this.clients.get(message.device);
      if (client === undefined) throw new Error(`no client for device ${message.device}`);
      const method = client[message.method];
      if (typeof method !== "function") throw new TypeError(`the client has no method ${message.method}()`);
      const args = [...(message.args || [])];
      if (message.kwargs && Object.keys(message.kwargs).length) args.push({ ...message.kwargs });
      return await deviceContext.run(String(message.device), () => method.apply(client, args));
    };
    invoke().then(
      (value) => this.channel.send({ op: "result", id, value: message.method === "$finish" ? value : plain(value) }),
      (error) => this.channel.send({ op: "raised", id, ...describe(error) }),
    );
  }

  /** The end of a scenario: each client's optional close(), bounded in virtual time. Timers
   * left behind need no cancelling: the scenario's fake clock is dropped with them at `end`. */
  async finish() {
    const errors = [];
    for (const [device, client] of this.clients) {
      const close = client.close ?? client.aclose;
      if (typeof close !== "function") continue;
      let timer;
      try {
        const timeout = new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error(`did not finish within ${CLOSE_VIRTUAL_TIMEOUT_MS / 1000} virtual seconds`)), CLOSE_VIRTUAL_TIMEOUT_MS);
        });
        await Promise.race([deviceContext.run(device, () => Promise.resolve().then(() => close.call(client))), timeout]);
      } catch (error) {
        const d = describe(error);
        errors.push(`${device}.close() raised ${d.error}: ${d.message}`);
      } finally {
        clearTimeout(timer);
      }
    }
    return { refused: [], errors };
  }

  respond(message) {
    const rid = Number(message.rid);
    const pending = this.requests.get(rid);
    if (pending === undefined) return;
    this.requests.delete(rid);
    try {
      deviceContext.run(pending.device, () => pending.answer(message));
    } catch (error) {
      this.backgroundError(error, "a response handler");
    }
  }

  // --- the client's way out: requests to the judge ---------------------------------------------

  request(method, url, headers, body, answer) {
    const rid = ++this.nextRid;
    // The device whose client made the request: the judge serves a vendor's public endpoint (a
    // URL outside the device's base URL) for it. Work the client started outside any create or
    // call of its own (a module-level timer) has none, unless the scenario has one client.
    const device = deviceContext.getStore() ?? (this.devices.size === 1 ? [...this.devices][0] : undefined);
    this.requests.set(rid, { answer, device });
    const where = clientFrame(new Error().stack); // named in a sandbox violation
    this.channel.send({ op: "request", rid, method, url, headers, body: body.toString("base64"), where, ...(device === undefined ? {} : { device }) });
    return rid;
  }

  abandon(rid) {
    if (this.requests.delete(rid)) this.channel.send({ op: "abandon", rid });
  }

  // --- WebSockets: opened, carried and closed by the judge's virtual network -------------------

  openSocket(socket, url, protocols) {
    const sid = ++this.nextSid;
    socket._device = deviceContext.getStore();
    this.sockets.set(sid, socket);
    this.channel.send({ op: "ws_open", sid, url, protocols, where: clientFrame(new Error().stack) });
    return sid;
  }

  socketSend(sid, data) {
    const frame = typeof data === "string" ? { text: data } : { body: toBytes(data).toString("base64") };
    this.channel.send({ op: "ws_send", sid, ...frame });
  }

  socketClose(sid, code, reason) {
    this.channel.send({ op: "ws_close", sid, code, reason });
  }

  /** What the network did to a socket reaches the client as a macrotask of its own, as a
   * browser's event loop delivers it (an SDK may attach its handlers only after awaiting). */
  socketEvent(message) {
    const socket = this.sockets.get(Number(message.sid));
    if (socket === undefined) return;
    if (message.op === "ws_closed") this.sockets.delete(Number(message.sid));
    setTimeout(() => deviceContext.run(socket._device, () => socket._network(message)), 0); // the scenario's fake clock
  }

  backgroundError(error, where) {
    const d = describe(error);
    const at = d.where ? ` at ${d.where}` : "";
    this.channel.send({ op: "background_error", message: `${d.error}: ${d.message.slice(0, 500)} (in ${where}${at})` });
  }
}

/** One real macrotask turn: every microtask (promise continuation) the client queued runs first. */
function drain() {
  return new Promise((resolve) => realSetImmediate(resolve));
}

// --- fetch and XMLHttpRequest, forwarded to the judge -------------------------------------------

function makeFetch(host) {
  return function fetch(input, init = {}) {
    return new Promise((resolve, reject) => {
      const url = new URL(String(input?.url ?? input), PAGE).href;
      const method = String(init.method ?? input?.method ?? "GET").toUpperCase();
      const headers = headerPairs(init.headers ?? input?.headers);
      const body = toBytes(init.body);
      const signal = init.signal ?? input?.signal;
      if (signal?.aborted) return reject(abortError(signal));
      const onAbort = () => {
        host.abandon(rid);
        reject(abortError(signal));
      };
      const rid = host.request(method, url, headers, body, (message) => {
        signal?.removeEventListener("abort", onAbort);
        if ("error" in message) reject(new TypeError("fetch failed", { cause: new Error(String(message.error)) }));
        else resolve(new FakeResponse(message, url));
      });
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  };
}

function makeXMLHttpRequest(host) {
  return class XMLHttpRequest extends EventTarget {
    static UNSENT = 0;
    static OPENED = 1;
    static HEADERS_RECEIVED = 2;
    static LOADING = 3;
    static DONE = 4;

    constructor() {
      super();
      this.readyState = 0;
      this.status = 0;
      this.statusText = "";
      this.responseType = "";
      this.response = "";
      this.responseText = "";
      this.responseURL = "";
      this.timeout = 0;
      this.withCredentials = false;
      this.upload = new EventTarget();
      this._headers = [];
      this._responseHeaders = [];
      this._rid = null;
      this._timer = null;
    }

    open(method, url) {
      this._method = String(method).toUpperCase();
      this._url = new URL(String(url), PAGE).href;
      this._headers = [];
      this._state(1);
    }

    setRequestHeader(name, value) {
      this._headers.push([String(name).toLowerCase(), String(value)]);
    }

    send(body) {
      if (this.readyState !== 1) throw new DOMException("The object's state must be OPENED.", "InvalidStateError");
      const bytes = toBytes(body);
      this._fire("loadstart");
      this._rid = host.request(this._method, this._url, this._headers, bytes, (message) => this._answer(message));
      if (this.timeout > 0) this._timer = setTimeout(() => this._fail("timeout"), this.timeout); // a fake timer
    }

    abort() {
      if (this._rid !== null) this._fail("abort");
    }

    getResponseHeader(name) {
      const wanted = String(name).toLowerCase();
      const values = this._responseHeaders.filter(([k]) => k.toLowerCase() === wanted).map(([, v]) => v);
      return values.length ? values.join(", ") : null;
    }

    getAllResponseHeaders() {
      return this._responseHeaders.map(([k, v]) => `${k.toLowerCase()}: ${v}\r\n`).join("");
    }

    overrideMimeType() {}

    _answer(message) {
      clearTimeout(this._timer);
      this._rid = null;
      if ("error" in message) return this._finish("error");
      const body = responseBytes(message);
      this.status = Number(message.status);
      this._responseHeaders = message.headers || [];
      this.responseURL = this._url;
      this._state(2);
      this._state(3);
      const asText = body.toString("utf8");
      if (this.responseType === "" || this.responseType === "text") {
        this.responseText = asText;
        this.response = asText;
      } else if (this.responseType === "json") {
        try {
          this.response = JSON.parse(asText);
        } catch {
          this.response = null;
        }
      } else {
        this.response = body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength);
      }
      this._finish("load");
    }

    _fail(kind) {
      clearTimeout(this._timer);
      if (this._rid !== null) host.abandon(this._rid);
      this._rid = null;
      this.status = 0;
      this._finish(kind);
    }

    _finish(kind) {
      this._state(4);
      this._fire(kind);
      this._fire("loadend");
    }

    _state(state) {
      this.readyState = state;
      this._fire("readystatechange");
    }

    _fire(type) {
      const event = new Event(type);
      const handler = this[`on${type}`];
      try {
        if (typeof handler === "function") handler.call(this, event);
      } catch (error) {
        host.backgroundError(error, `XMLHttpRequest on${type}`);
      }
      this.dispatchEvent(event);
    }
  };
}

// --- WebSocket, carried by the judge's virtual network -------------------------------------------

function makeWebSocket(host) {
  const CONNECTING = 0;
  const OPEN = 1;
  const CLOSING = 2;
  const CLOSED = 3;
  return class WebSocket extends EventTarget {
    static CONNECTING = CONNECTING;
    static OPEN = OPEN;
    static CLOSING = CLOSING;
    static CLOSED = CLOSED;
    CONNECTING = CONNECTING;
    OPEN = OPEN;
    CLOSING = CLOSING;
    CLOSED = CLOSED;

    constructor(url, protocols = []) {
      super();
      const parsed = new URL(String(url), PAGE);
      if (parsed.protocol !== "ws:" && parsed.protocol !== "wss:") throw new DOMException(`The URL's scheme must be either 'ws' or 'wss'. '${parsed.protocol}' is not allowed.`, "SyntaxError");
      this.url = parsed.href;
      this.readyState = CONNECTING;
      this.binaryType = "blob";
      this.bufferedAmount = 0;
      this.extensions = "";
      this.protocol = "";
      this.onopen = this.onmessage = this.onerror = this.onclose = null;
      this._sid = host.openSocket(this, this.url, [].concat(protocols).map(String));
    }

    send(data) {
      if (this.readyState === CONNECTING) throw new DOMException("Failed to execute 'send' on 'WebSocket': Still in CONNECTING state.", "InvalidStateError");
      if (this.readyState !== OPEN) return; // a browser discards it silently
      host.socketSend(this._sid, data);
    }

    close(code, reason = "") {
      if (code !== undefined && code !== 1000 && !(code >= 3000 && code <= 4999)) throw new DOMException(`The code must be either 1000, or between 3000 and 4999. ${code} is neither.`, "InvalidAccessError");
      if (this.readyState === CLOSING || this.readyState === CLOSED) return;
      this.readyState = CLOSING;
      host.socketClose(this._sid, code ?? 1005, String(reason)); // 1005: closed without a code
    }

    _network(message) {
      if (message.op === "ws_opened") {
        if (this.readyState !== CONNECTING) return;
        this.readyState = OPEN;
        this._fire(new Event("open"));
      } else if (message.op === "ws_message") {
        if (this.readyState !== OPEN) return;
        const event = new MessageEvent("message", { data: this._data(message), origin: new URL(this.url).origin });
        this._fire(event);
      } else {
        const code = Number(message.code);
        if (code === 1006) this._fire(new Event("error")); // a dropped or refused connection
        this.readyState = CLOSED;
        const event = new Event("close");
        Object.assign(event, { code, reason: String(message.reason ?? ""), wasClean: code !== 1006 });
        this._fire(event);
      }
    }

    _data(message) {
      if ("text" in message) return String(message.text);
      const bytes = Buffer.from(message.body || "", "base64");
      const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
      return this.binaryType === "arraybuffer" ? buffer : new Blob([buffer]);
    }

    _fire(event) {
      const handler = this[`on${event.type}`];
      try {
        if (typeof handler === "function") handler.call(this, event);
      } catch (error) {
        host.backgroundError(error, `WebSocket on${event.type}`);
      }
      this.dispatchEvent(event);
    }
  };
}

/** The browser globals an SDK looks for, fresh for each scenario. */
function installBrowser(host) {
  const windows = new DeviceWindows();
  define("window", globalThis);
  define("self", globalThis);
  define("addEventListener", (...args) => windows.target().addEventListener(...args));
  define("removeEventListener", (...args) => windows.target().removeEventListener(...args));
  define("dispatchEvent", (event) => windows.target().dispatchEvent(event));
  const page = new URL(PAGE);
  define("location", { href: page.href, origin: page.origin, protocol: page.protocol, host: page.host, hostname: page.hostname, port: "", pathname: page.pathname, search: "", hash: "" });
  define("navigator", {
    userAgent: `Mozilla/5.0 (conformance node host) Node/${process.versions.node}`,
    get onLine() {
      return windows.onLine();
    },
    language: "en-US",
    languages: ["en-US"],
    platform: "Linux",
    cookieEnabled: false,
  });
  const documentEvents = new EventTarget();
  define("document", {
    visibilityState: "visible",
    hidden: false,
    cookie: "",
    addEventListener: documentEvents.addEventListener.bind(documentEvents),
    removeEventListener: documentEvents.removeEventListener.bind(documentEvents),
    dispatchEvent: documentEvents.dispatchEvent.bind(documentEvents),
  });
  define("localStorage", new DeviceStorage());
  define("sessionStorage", new DeviceStorage());
  define("fetch", makeFetch(host));
  define("XMLHttpRequest", makeXMLHttpRequest(host));
  define("WebSocket", makeWebSocket(host));
  // Node's AbortSignal.timeout runs on a real timer: this one runs on the scenario's clock.
  AbortSignal.timeout = (ms) => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(new DOMException("The operation was aborted due to timeout", "TimeoutError")), ms);
    return controller.signal;
  };
  return windows;
}

// --- the sandbox: modules and calls that leave it -----------------------------------------------

const ADVICE = "clients reach the vendor only through fetch or XMLHttpRequest to ctx.baseUrl";

function installSandbox(report) {
  const refuse = (specifier, how) => {
    const where = clientFrame(new Error().stack) || (how === "import" ? "an import (its importer is not on the stack)" : "an unknown location");
    const name = blockedName(specifier) ?? String(specifier);
    const message = `the client loaded the module '${name}' (${how} ${JSON.stringify(String(specifier))}) at ${where}; ${ADVICE}`;
    report(message);
    throw new Error(`sandbox violation: ${message}`);
  };
  Object.defineProperty(globalThis, "__conformanceRefuse", { value: refuse, writable: false, configurable: false, enumerable: false });
  const load = Module._load;
  Module._load = function _load(request, ...rest) {
    if (blockedName(request) !== null) refuse(request, "require");
    return load.call(this, request, ...rest);
  };
  register("./node_sandbox_hooks.mjs", import.meta.url); // `import` and `import()` of the same modules
  // The native bindings underneath net and child_process, for a client that goes around them.
  const NATIVE = new Set(["tcp_wrap", "udp_wrap", "pipe_wrap", "cares_wrap", "spawn_sync", "process_wrap", "tls_wrap", "stream_wrap"]);
  for (const name of ["binding", "_linkedBinding"]) {
    const original = process[name];
    if (typeof original !== "function") continue;
    process[name] = function binding(module) {
      if (NATIVE.has(String(module))) refuse(module, `process.${name}`);
      return original.call(this, module);
    };
  }
  process.kill = (pid, signal) => {
    const where = clientFrame(new Error().stack) || "an unknown location";
    const message = `the client sent a signal (process.kill(${text(pid)}, ${text(signal ?? "SIGTERM")})) at ${where}; a client may not signal processes`;
    report(message);
    throw new Error(`sandbox violation: ${message}`);
  };
  // process.exit ends the host (the judge's verdict: adapter error); say who called it first.
  process.exit = (code) => {
    const where = clientFrame(new Error().stack) || "an unknown location";
    realStderrWrite(`the client called process.exit(${text(code ?? "")}) at ${where}\n`);
    realExit(code);
  };
}

// --- loading an adapter -------------------------------------------------------------------------

function describeAdapter(spec, select, entry, mutant) {
  const m = entry.manifest;
  const manifest = {
    vendor: String(m.vendor),
    name: String(m.name),
    version: String(m.version),
    sdk_version: String(m.sdk_version),
    platforms: [...(m.platforms || [])].map(String).sort(),
    capabilities: [...(m.capabilities || [])].map(String).sort(),
  };
  return { spec, select, manifest, language: "javascript", mutant, runtime: `node ${process.versions.node}` };
}

/** The adapter(s) a spec names: a module exporting `manifest` and `createClient`, or a list `adapters`. */
async function entries(spec) {
  const fix = "see docs/writing-an-adapter-in-javascript.md";
  if (!spec.startsWith("node:") || spec.length <= 5) throw new AdapterLoadError(`adapter '${spec}' is not of the form node:path/to/adapter.mjs`);
  const file = path.resolve(process.cwd(), spec.slice(5));
  if (!fs.existsSync(file)) throw new AdapterLoadError(`adapter '${spec}': ${file} not found; give the module's path relative to the current directory`);
  let module;
  try {
    module = await import(pathToFileURL(file).href);
  } catch (error) {
    throw new AdapterLoadError(`adapter '${spec}': importing ${spec.slice(5)} failed with ${error?.name ?? "Error"}: ${text(error?.message ?? error)}; fix the adapter module`);
  }
  const check = (entry, label) => {
    const m = entry?.manifest;
    if (!m || typeof m !== "object") throw new AdapterLoadError(`adapter '${label}': no manifest {vendor, name, version, sdk_version, platforms, capabilities}; ${fix}`);
    for (const key of ["vendor", "name", "version", "sdk_version"]) {
      if (typeof m[key] !== "string" || !m[key]) throw new AdapterLoadError(`adapter '${label}': manifest.${key} must be a non-empty string; ${fix}`);
    }
    if (!Array.isArray(m.platforms)) throw new AdapterLoadError(`adapter '${label}': manifest.platforms must be an array of platform names; ${fix}`);
    if (typeof entry.createClient !== "function") throw new AdapterLoadError(`adapter '${label}': createClient(ctx) is missing or not a function; ${fix}`);
  };
  if (Array.isArray(module.adapters)) {
    return module.adapters.map((entry, i) => {
      check(entry, `${spec}[${i}]`);
      const mutant = entry.breaks ? { name: String(entry.name), breaks: String(entry.breaks), what: String(entry.what ?? "") } : null;
      return { entry, select: String(entry.manifest.name), mutant };
    });
  }
  check(module, spec);
  return [{ entry: module, select: null, mutant: null }];
}

async function probe(specs) {
  const found = [];
  for (const spec of specs) {
    try {
      found.push({ spec, adapters: (await entries(spec)).map(({ entry, select, mutant }) => describeAdapter(spec, select, entry, mutant)) });
    } catch (error) {
      found.push({ spec, error: error instanceof AdapterLoadError ? error.message : `adapter '${spec}': ${describe(error).error}: ${describe(error).message}` });
    }
  }
  process.stdout.write(`\n${JSON.stringify(found)}\n`);
}

// --- entry point --------------------------------------------------------------------------------

function parseArgs(argv) {
  const args = { probe: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--probe") {
      args.probe = argv.slice(i + 1);
      break;
    }
    const [key, inline] = a.includes("=") ? a.split(/=(.*)/s) : [a, undefined];
    const value = inline ?? argv[++i];
    if (key === "--adapter") args.adapter = value;
    else if (key === "--select") args.select = value;
    else if (key === "--in-fd") args.inFd = Number(value);
    else if (key === "--out-fd") args.outFd = Number(value);
    else throw new Error(`unknown argument ${a}`);
  }
  args.adapter ??= process.env.CONFORMANCE_ADAPTER;
  return args;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  if (args.probe) {
    installSandbox(() => {}); // an adapter that reaches out at import fails to load, with the reason
    FakeTimers.withGlobal(globalThis).install({ now: EPOCH_MS, toFake: FAKED }); // as in a run
    await probe(args.probe);
    return 0;
  }
  const channel = new Channel(args.inFd, args.outFd);
  const host = new Host(channel);
  // The clock is installed once, before the adapter is imported: an SDK that keeps a reference
  // to setTimeout or Date at load time holds the fake ones. Each scenario resets it.
  host.clock = FakeTimers.withGlobal(globalThis).install({ now: EPOCH_MS, toFake: FAKED, loopLimit: BUSY_LIMIT });
  bindTimersToDevices();
  installSandbox((message) => channel.send({ op: "violation", message }, true)); // before any exit
  process.on("unhandledRejection", (reason) => host.backgroundError(reason, "an unhandled promise rejection"));
  process.on("uncaughtException", (error) => host.backgroundError(error, "an uncaught exception"));
  try {
    const found = await entries(String(args.adapter ?? ""));
    const chosen = found.find((f) => args.select === undefined || f.select === args.select);
    if (!chosen) throw new AdapterLoadError(`adapter '${args.adapter}' has no entry named '${args.select}'`);
    host.adapter = chosen.entry;
    channel.send({ op: "hello", version: VERSION, pid: process.pid, language: "javascript", runtime: `node ${process.versions.node}`, adapter: describeAdapter(args.adapter, chosen.select, chosen.entry, chosen.mutant) }, true);
  } catch (error) {
    channel.send({ op: "hello", version: VERSION, error: error instanceof AdapterLoadError ? error.message : `adapter '${args.adapter}': ${describe(error).message}` }, true);
    return 2;
  }
  try {
    await host.serve();
  } catch (error) {
    try {
      channel.send({ op: "fatal", ...describe(error), error: error instanceof BusyLoop ? "BusyLoop" : describe(error).error }, true);
    } catch {
      // the judge is gone
    }
    realStderrWrite(`${error?.stack ?? error}\n`);
    return 3;
  }
  return 0;
}

main().then(
  (code) => realExit(code),
  (error) => {
    realStderrWrite(`${error?.stack ?? error}\n`);
    realExit(3);
  },
);
