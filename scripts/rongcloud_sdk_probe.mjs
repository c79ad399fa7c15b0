// RongCloud Web SDK wire probe: runs the real, unmodified @rongcloud/imlib-next (engine 5.38.0)
// in plain Node with every clock faked (@sinonjs/fake-timers) and fake XMLHttpRequest/WebSocket
// globals playing a scripted server. One scenario per process (the SDK is a module singleton).
//
//   node scripts/rongcloud_sdk_probe.mjs '<json options>'
//
// Options (all optional): see DEFAULTS below. Output: one line per observation,
// "<virtual seconds> <KIND> <details>", tokens redacted. Network answers arrive as timer tasks
// (macrotasks) 1 ms after the request, never as microtasks.
import FakeTimers from "@sinonjs/fake-timers";

const DEFAULTS = {
  duration: 120,            // virtual seconds to run
  navi: "ok",               // ok | anti | backup | min | http401 | http403 | http500 | code401 | code403 | error | hang | garbage
  config: "hang",           // hang | http404 | http200empty | http200json | error
  connack: [0],             // status byte per WebSocket attempt (last one repeats); "none" = send nothing
  connackForm: "full",      // full | short (3 bytes only)
  pong: "D000",             // hex of the pong frame; "" = never answer pings
  pongType: "arraybuffer",  // arraybuffer | uint8array
  connackType: "arraybuffer", // arraybuffer | uint8array
  actions: [],              // [[t, "close1006" | "kick:<status>" | "disconnect" | "offline" | "online" | "serverclose1000" | "garbage:<hex>"]]
  token: "sdk-probe-token-1",
  navigators: ["https://dev.rongcloud.invalid"],
  wsapi: false,             // log each WebSocket property read/write
  seed: 1,
  reconnectConnack: null,
  second: null,             // null | "query" (import imlib + engine file URLs with ?instance=2) | "cjs" (require with cleared cache)   // if set, list of statuses used for attempts after the first CONNECTED
};
const opt = { ...DEFAULTS, ...JSON.parse(process.argv[2] || "{}") };

const T0 = Date.UTC(2026, 0, 1);
const clock = FakeTimers.withGlobal(globalThis).install({
  now: T0,
  toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval", "setImmediate", "clearImmediate", "Date", "performance"],
});
const t = () => ((Date.now() - T0) / 1000).toFixed(3);
const redact = (s) => String(s).split(opt.token).join("<TOKEN>").split(encodeURIComponent(opt.token)).join("<TOKEN>");
const log = (kind, ...a) => console.log(t(), kind, ...a.map(redact));
const later = (ms, f) => setTimeout(f, ms); // fake clock: a macrotask

// Deterministic Math.random (the SDK derives a device id from it).
let seed = opt.seed >>> 0 || 1;
Math.random = () => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32);

// --- browser-ish globals -------------------------------------------------------------------
globalThis.window = globalThis;
const winEvents = new EventTarget();
globalThis.addEventListener = winEvents.addEventListener.bind(winEvents);
globalThis.removeEventListener = winEvents.removeEventListener.bind(winEvents);
globalThis.location = { protocol: "https:", href: "https://app.invalid/", host: "app.invalid", hostname: "app.invalid", origin: "https://app.invalid" };
Object.defineProperty(globalThis, "navigator", { value: { userAgent: "Mozilla/5.0 node", onLine: true, language: "en" }, configurable: true });
const store = new Map();
globalThis.localStorage = {
  getItem: (k) => store.get(k) ?? null, setItem: (k, v) => store.set(k, String(v)), removeItem: (k) => store.delete(k),
  clear: () => store.clear(), key: (i) => [...store.keys()][i], get length() { return store.size; },
};

// --- fake XMLHttpRequest -------------------------------------------------------------------
function httpAnswer(method, url) {
  if (url.includes("/v1/config")) {
    switch (opt.config) {
      case "hang": return null;
      case "http404": return { status: 404, body: "not found" };
      case "http200empty": return { status: 200, body: "{}" };
      case "http200json": return { status: 200, body: JSON.stringify({ code: 200, data: {} }) };
      case "error": return { error: true };
    }
  }
  if (url.includes("navi")) {
    switch (opt.navi) {
      case "ok": return { status: 200, body: JSON.stringify({ code: 200, server: "ws.dev.invalid", backupServer: "" }) };
      case "anti": return { status: 200, body: JSON.stringify({ code: 200, server: "ws.dev.invalid", backupServer: "", openAnti: 1 }) };
      case "backup": return { status: 200, body: JSON.stringify({ code: 200, server: "ws.dev.invalid", backupServer: "ws2.dev.invalid" }) };
      case "min": return { status: 200, body: JSON.stringify({ server: "ws.dev.invalid" }) };
      case "http401": return { status: 401, body: "" };
      case "http403": return { status: 403, body: "" };
      case "http500": return { status: 500, body: "" };
      case "code401": return { status: 200, body: JSON.stringify({ code: 401 }) };
      case "code403": return { status: 200, body: JSON.stringify({ code: 403 }) };
      case "garbage": return { status: 200, body: "not json" };
      case "error": return { error: true };
      case "hang": return null;
    }
  }
  return { error: true }; // every other host: network error
}
let xhrCount = 0;
globalThis.XMLHttpRequest = class FakeXHR {
  static UNSENT = 0; static OPENED = 1; static HEADERS_RECEIVED = 2; static LOADING = 3; static DONE = 4;
  constructor() { this.readyState = 0; this.status = 0; this.responseText = ""; this.response = ""; this.headers = {}; this.upload = {}; }
  open(m, u) { this.method = m; this.url = u; this.readyState = 1; }
  setRequestHeader(k, v) { this.headers[k] = v; }
  send(body) {
    const n = ++xhrCount;
    log("XHR", n, this.method, this.url, JSON.stringify(body ?? null).slice(0, 300));
    const a = httpAnswer(this.method, this.url);
    if (!a) return;
    later(1, () => {
      if (this.aborted) return;
      if (a.error) { this.readyState = 4; this.status = 0; log("XHR-ANSWER", n, "network error"); this.onerror?.({}); this.onreadystatechange?.(); return; }
      this.readyState = 4; this.status = a.status; this.responseText = a.body; this.response = a.body;
      log("XHR-ANSWER", n, a.status, a.body.slice(0, 80));
      this.onreadystatechange?.(); this.onload?.(); this.onloadend?.();
    });
  }
  abort() { if (!this.aborted) { this.aborted = true; log("XHR-ABORT", this.url); } }
  getAllResponseHeaders() { return ""; }
  getResponseHeader() { return null; }
};

// --- fake WebSocket ------------------------------------------------------------------------
const hex = (d) => Buffer.from(d instanceof ArrayBuffer ? new Uint8Array(d) : d.buffer ? new Uint8Array(d.buffer, d.byteOffset, d.byteLength) : d).toString("hex");
const ab = (buf) => { const u = Uint8Array.from(buf); return u.buffer; };
function connAck(status) {
  if (opt.connackForm === "short") return ab([0x20, 0x00, status]);
  const uid = Buffer.from("u1"), sid = Buffer.from("s1");
  const ts = Buffer.alloc(8); ts.writeBigUInt64BE(BigInt(Date.now()));
  return ab(Buffer.concat([Buffer.from([0x20, 0x00, status, 0, uid.length]), uid, Buffer.from([0, sid.length]), sid, ts]));
}
let wsCount = 0, everConnected = false, current = null;
const wsAccess = new Set();
class FakeWS {
  static CONNECTING = 0; static OPEN = 1; static CLOSING = 2; static CLOSED = 3;
  constructor(url, protocols) {
    this.n = ++wsCount;
    this._url = url; this._rs = 0; this._bt = "blob"; this._h = {};
    current = this;
    const q = new URL(url);
    log("WS-NEW", this.n, `${q.protocol}//${q.host}${q.pathname}`, "params=" + [...q.searchParams.keys()].join(","), "protocolVer=" + q.searchParams.get("protocolVer"), "protocols=" + JSON.stringify(protocols));
    const list = everConnected && opt.reconnectConnack ? opt.reconnectConnack : opt.connack;
    const idx = everConnected && opt.reconnectConnack ? (this.reIdx = (FakeWS.re = (FakeWS.re ?? 0) + 1) - 1) : this.n - 1;
    const status = list[Math.min(idx, list.length - 1)];
    later(1, () => {
      if (this._rs !== 0) return;
      this._rs = 1; log("WS-OPEN", this.n); this._h.onopen?.({ type: "open" });
      if (status === "none") return;
      later(1, () => { if (this._rs === 1) { log("WS-RECV", this.n, "connack", hex(connAck(status))); this.deliver(opt.connackType === "uint8array" ? new Uint8Array(connAck(status)) : connAck(status)); if (status === 0) everConnected = true; } });
    });
  }
  deliver(data) { this._h.onmessage?.({ data }); }
  serverClose(code) { if (this._rs === 3) return; this._rs = 3; log("WS-SERVERCLOSE", this.n, code); this._h.onclose?.({ code, reason: "", wasClean: code === 1000 }); }
  send(d) {
    const kind = Object.prototype.toString.call(d);
    log("WS-SEND", this.n, kind, hex(d).slice(0, 120), "len=" + (d.byteLength ?? d.length));
    const b = new Uint8Array(d instanceof ArrayBuffer ? d : d.buffer);
    if (b[0] === 0xc0 && opt.pong !== "") {
      later(1, () => {
        if (this._rs !== 1) return;
        const p = Buffer.from(opt.pong, "hex");
        this.deliver(opt.pongType === "uint8array" ? Uint8Array.from(p) : ab(p));
      });
    }
  }
  close(...args) {
    log("WS-CLOSE-CALLED", this.n, JSON.stringify(args), "readyState=" + this._rs);
    if (this._rs === 3) return;
    this._rs = 2;
    later(1, () => { this._rs = 3; this._h.onclose?.({ code: args[0] ?? 1005, reason: "", wasClean: true }); });
  }
  addEventListener(type) { log("WS-API", "addEventListener", type); }
}
for (const p of ["onopen", "onmessage", "onclose", "onerror"]) {
  Object.defineProperty(FakeWS.prototype, p, {
    get() { wsAccess.add("get " + p); return this._h[p]; },
    set(v) { wsAccess.add("set " + p); this._h[p] = v; },
  });
}
for (const [p, g, s] of [
  ["readyState", function () { return this._rs; }],
  ["binaryType", function () { return this._bt; }, function (v) { this._bt = v; }],
  ["url", function () { return this._url; }],
  ["protocol", function () { return ""; }],
  ["bufferedAmount", function () { return 0; }],
  ["extensions", function () { return ""; }],
]) {
  Object.defineProperty(FakeWS.prototype, p, {
    get() { wsAccess.add("get " + p); return g.call(this); },
    set(v) { wsAccess.add("set " + p + "=" + JSON.stringify(v)); if (s) s.call(this, v); },
  });
}
globalThis.WebSocket = FakeWS;

// --- the SDK -------------------------------------------------------------------------------
const R = await import("@rongcloud/imlib-next");
R.init({ appkey: "appkey1", navigators: opt.navigators });
for (const e of ["CONNECTING", "CONNECTED", "SUSPEND", "DISCONNECT"]) R.addEventListener(R.Events[e], (x) => log("EVENT", e, JSON.stringify(x)));
R.connect(opt.token).then((r) => log("CONNECT-RESULT", JSON.stringify({ isOk: r.isOk, code: r.code, userId: r.data?.userId })));

if (opt.second) {
  const { createRequire } = await import("node:module");
  const req = createRequire(import.meta.url);
  let R2;
  if (opt.second === "cjs") {
    const a = req("@rongcloud/imlib-next");
    for (const k of Object.keys(req.cache)) if (k.includes("@rongcloud")) delete req.cache[k];
    R2 = req("@rongcloud/imlib-next");
    log("SECOND", "cjs first===second:", a === R2, "engine modules in cache:", Object.keys(req.cache).filter((k) => k.includes("engine")).length);
  } else {
    const { pathToFileURL } = await import("node:url");
    const u = pathToFileURL(req.resolve("@rongcloud/imlib-next").replace(/index\.cjs(\.js)?$/, "index.mjs")).href;
    R2 = await import(u + "?instance=2");
    log("SECOND", "query same module object:", R2 === R, "same connect fn:", R2.connect === R.connect);
  }
  R2.init({ appkey: "appkey2", navigators: opt.navigators });
  for (const e of ["CONNECTING", "CONNECTED", "SUSPEND", "DISCONNECT"]) R2.addEventListener(R2.Events[e], (x) => log("EVENT2", e, JSON.stringify(x)));
  setTimeout(() => R2.connect(opt.token + "-2").then((r) => log("CONNECT-RESULT2", JSON.stringify({ isOk: r.isOk, code: r.code, userId: r.data?.userId }))), 5000);
}

for (const [at, what] of opt.actions) {
  setTimeout(() => {
    log("ACTION", what);
    const [verb, arg] = what.split(":");
    if (verb === "close1006") current?.serverClose(1006);
    else if (verb === "serverclose1000") current?.serverClose(1000);
    else if (verb === "kick") { const f = ab([0xe0, 0x00, Number(arg)]); log("WS-RECV", current.n, "disconnect", hex(f)); current.deliver(f); }
    else if (verb === "garbage") { log("WS-RECV", current.n, "raw", arg); current.deliver(ab(Buffer.from(arg, "hex"))); }
    else if (verb === "disconnect") R.disconnect().then((r) => log("DISCONNECT-RESULT", JSON.stringify(r)));
    else if (verb === "offline" || verb === "online") winEvents.dispatchEvent(new Event(verb));
    else if (verb === "reconnect") R.connect(opt.token).then((r) => log("CONNECT-RESULT", JSON.stringify({ isOk: r.isOk, code: r.code })));
  }, at * 1000);
}

for (let s = 0; s < opt.duration; s++) await clock.tickAsync(1000);
if (opt.wsapi) log("WS-API-USED", [...wsAccess].sort().join(" | "));
log("END", "pending-timers=" + clock.countTimers());
process.exit(0);
