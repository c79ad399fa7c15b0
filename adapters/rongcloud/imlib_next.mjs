// The adapter for RongCloud's own Web SDK, @rongcloud/imlib-next (npm, MIT licence, pinned in
// package.json and installed by `npm ci`; never copied into this repository), judged unmodified.
//
//   .venv/bin/pytest -m rongcloud --adapter node:adapters/rongcloud/imlib_next.mjs
//
// Thin on purpose: init() points the SDK's navigation at the device's base URL (the only
// setting it needs; everything else it reaches it finds through navigation, or on RongCloud's
// public hosts, which the simulated service's RongCloud front serves); the four connection
// events become the contract's onConnectionStatus; connect() and disconnect() pass through.
// What the SDK did, rule by rule: docs/findings/rongcloud-web-sdk.md.
//
// The SDK is a singleton, so each client loads a fresh copy of it (its CommonJS build, after
// dropping it from the require cache): no state of one scenario, or one device, reaches
// another, and every device of a scenario can run the real SDK (the Node host tells the judge
// which device made each request, also those to RongCloud's public hosts).

import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const PACKAGES = `${path.sep}node_modules${path.sep}@rongcloud${path.sep}`;

function installed(name) {
  const entry = require.resolve(name);
  let dir = path.dirname(entry);
  while (!fs.existsSync(path.join(dir, "package.json"))) dir = path.dirname(dir);
  return JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"));
}

/** A fresh instance of the SDK and its engine: nothing kept from an earlier load. */
function freshSdk() {
  for (const file of Object.keys(require.cache)) if (file.includes(PACKAGES)) delete require.cache[file];
  return require("@rongcloud/imlib-next");
}

const sdk = installed("@rongcloud/imlib-next");

export const manifest = {
  vendor: "rongcloud",
  name: "rongcloud-imlib-next",
  version: "1.0.0",
  sdk_version: sdk.version,
  platforms: ["web"],
  capabilities: [],
};

const STATUSES = ["CONNECTING", "CONNECTED", "SUSPEND", "DISCONNECT"];

export function createClient(ctx) {
  const RongIMLib = freshSdk();
  RongIMLib.init({ appkey: "conformance-appkey", navigators: [ctx.baseUrl], logOutputLevel: RongIMLib.LogLevel?.ERROR ?? 3 });
  for (const status of STATUSES) {
    RongIMLib.addEventListener(RongIMLib.Events[status], (code) => {
      ctx.emit({ callback: "onConnectionStatus", status, code: typeof code === "number" ? code : 0 });
    });
  }
  return {
    async connect(token, reconnectKickEnable = null) {
      const result = reconnectKickEnable === null ? await RongIMLib.connect(token) : await RongIMLib.connect(token, reconnectKickEnable);
      return { code: result.code, user_id: result.data?.userId ?? null };
    },
    async disconnect() {
      await RongIMLib.disconnect();
    },
  };
}
