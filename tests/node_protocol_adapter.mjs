// A client for tests/test_node_host.py's protocol-level tests: each method exercises one thing
// the Node host must fake (clocks, timers, XMLHttpRequest, fetch with abort, browser globals).

const atImport = { setTimeout: globalThis.setTimeout, now: Date.now }; // kept from load time, as bundles do

export const manifest = {
  vendor: "rongcloud",
  name: "node-protocol-probe",
  version: "1.0.0",
  sdk_version: "0.0.0",
  platforms: ["web"],
  capabilities: [],
};

export function createClient(ctx) {
  return {
    clocks() {
      return { date: Date.now(), newDate: new Date().getTime(), perf: performance.now(), hr: Number(process.hrtime.bigint() / 1000n), random: Math.random(), keptNow: atImport.now() };
    },
    later(ms) {
      // resolves after `ms` virtual milliseconds, through the timer kept from import time
      return new Promise((resolve) => atImport.setTimeout(() => resolve(Date.now()), ms));
    },
    tick(ms) {
      let n = 0;
      const id = setInterval(() => ctx.emit({ callback: "onTick", n: ++n, at: Date.now() }), ms);
      setTimeout(() => clearInterval(id), ms * 3 + 1);
      return "started";
    },
    xhr(path) {
      return new Promise((resolve) => {
        const xhr = new XMLHttpRequest();
        xhr.open("POST", new URL(path, ctx.baseUrl).href);
        xhr.setRequestHeader("content-type", "application/json");
        xhr.responseType = "json";
        xhr.timeout = 2000;
        xhr.onload = () => resolve({ event: "load", status: xhr.status, body: xhr.response, type: xhr.getResponseHeader("content-type") });
        xhr.onerror = () => resolve({ event: "error", status: xhr.status });
        xhr.ontimeout = () => resolve({ event: "timeout", at: Date.now() });
        xhr.send(JSON.stringify({ hello: "judge" }));
      });
    },
    async fetchAborted(path) {
      try {
        await fetch(new URL(path, ctx.baseUrl), { signal: AbortSignal.timeout(1000) });
        return "answered";
      } catch (error) {
        return { name: error.name, at: Date.now() };
      }
    },
    globals() {
      localStorage.setItem("k", "v");
      let online = 0;
      window.addEventListener("online", () => online++);
      window.dispatchEvent(new Event("online"));
      return { window: window === globalThis, href: location.href, onLine: navigator.onLine, stored: localStorage.getItem("k"), online, hidden: document.hidden };
    },
    laterRequest(url, ms) {
      // a request made from a timer the call set: the host still knows whose client made it
      setTimeout(() => fetch(url, { method: "POST" }).catch(() => {}), ms);
      return "scheduled";
    },
    watchLink() {
      // reports the browser's online/offline events and navigator.onLine as it sees them
      for (const type of ["online", "offline"]) window.addEventListener(type, () => ctx.emit({ callback: "onLink", type, onLine: navigator.onLine, at: Date.now() }));
      return navigator.onLine;
    },
    socket(path) {
      // opens a WebSocket and reports everything that happens to it; says hello in text and binary
      const url = new URL(path, ctx.baseUrl);
      url.protocol = "wss:";
      const ws = new WebSocket(url.href);
      ws.binaryType = "arraybuffer";
      const report = (what, fields = {}) => ctx.emit({ callback: "onSocket", what, state: ws.readyState, at: Date.now(), ...fields });
      ws.onopen = () => {
        report("open");
        ws.send("hello");
        ws.send(new Uint8Array([0xc0, 0x01]));
      };
      ws.addEventListener("message", (e) => {
        report("message", typeof e.data === "string" ? { text: e.data } : { hex: Buffer.from(e.data).toString("hex") });
        if (e.data === "bye") ws.close(1000, "asked to");
      });
      ws.onerror = () => report("error");
      ws.onclose = (e) => report("close", { code: e.code, reason: e.reason, clean: e.wasClean });
      return ws.readyState;
    },
    storageIsFresh() {
      return localStorage.getItem("k");
    },
  };
}
