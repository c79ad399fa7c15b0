// JavaScript clients that misbehave in every way the Node host must contain (tests/test_node_host.py).
// Each is the JS reference whose connect() does one bad thing; each must end its own scenario with
// one verdict while the reference adapters in the same run stay conformant.

import { createRequire } from "node:module";
import { ReferenceClient, manifest as reference } from "../adapters/rongcloud/reference.mjs";

const require = createRequire(import.meta.url);

function bad(name, connect) {
  class Bad extends ReferenceClient {
    async connect(token, enable) {
      await connect.call(this);
      return super.connect(token, enable);
    }
  }
  return { manifest: { ...reference, name: `node-bad-${name}` }, createClient: (ctx) => new Bad(ctx) };
}

export const adapters = [
  bad("throws", () => {
    throw new Error("adapter bug: session table not initialised");
  }),
  bad("exits", () => process.exit(7)),
  bad("rejects-unhandled", () => {
    Promise.reject(new RangeError("nobody awaits this promise"));
  }),
  bad("spins", () => {
    for (;;); // an endless synchronous loop: only the judge's wall-clock guard can end it
  }),
  bad("never-settles", () => new Promise(() => {})),
  bad("retries-without-delay", async () => {
    for (;;) await new Promise((resolve) => setTimeout(resolve, 0)); // virtual time never advances
  }),
  bad("requires-net", () => require("net").connect(443, "198.51.100.7")),
  bad("requires-http", () => require("node:http").get("http://198.51.100.7/")),
  bad("imports-child-process", async () => (await import("node:child_process")).execSync("id")),
  bad("websocket-elsewhere", () => {
    new WebSocket("wss://push.example.com/socket"); // a socket to a host outside the suite
  }),
  bad("websocket-handler-throws", function () {
    const url = new URL("/websocket", this.ctx.baseUrl);
    url.protocol = "wss:";
    const socket = new WebSocket(url.href); // the service answers at once (a refusal: no token)
    socket.onmessage = () => {
      throw new TypeError("frame handler bug");
    };
  }),
];
