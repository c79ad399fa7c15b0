// The JavaScript reference RongCloud client: plain fetch, speaking docs/wire-protocol.md.
//
// The same reading of spec 000 as adapters/rongcloud/reference.py, in the language of the
// vendor's Web SDK, run by the Node client host (adapters/host/node_host.mjs). It proves the
// Node path judges for real: adapters/rongcloud/mutants.mjs breaks it one rule at a time.
//
//   .venv/bin/pytest -m rongcloud --adapter node:adapters/rongcloud/reference.mjs

export const ErrorCode = Object.freeze({
  SUCCESS: 0,
  RC_NET_CHANNEL_INVALID: 30011,
  RC_NET_UNAVAILABLE: 30019,
  RC_CONN_ACK_TIMEOUT: 31000,
  RC_DISCONN_KICK: 31010,
});

/** Codes that mean "the network failed": reconnection goes on after them. */
const NETWORK_CODES = new Set([ErrorCode.RC_NET_CHANNEL_INVALID, ErrorCode.RC_NET_UNAVAILABLE, ErrorCode.RC_CONN_ACK_TIMEOUT]);

const isAbort = (error) => error?.name === "AbortError" || error?.name === "TimeoutError";

/** A sleep on the scenario's clock that ends early (rejecting) when `signal` aborts. */
function sleep(ms, signal) {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(resolve, Math.max(0, ms));
    signal.addEventListener("abort", () => {
      clearTimeout(timer);
      reject(signal.reason);
    }, { once: true });
  });
}

/** Run `work(signal)` with at most `ms` to finish (null: no limit); rejects with TimeoutError. */
async function withTimeout(ms, parent, work) {
  const controller = new AbortController();
  const onParent = () => controller.abort(parent.reason);
  parent.addEventListener("abort", onParent, { once: true });
  const timer = ms === null ? null : setTimeout(() => controller.abort(new DOMException("timed out", "TimeoutError")), ms);
  try {
    return await work(controller.signal);
  } finally {
    clearTimeout(timer);
    parent.removeEventListener("abort", onParent);
  }
}

export class ReferenceClient {
  reconnectInterval = 5000; // spec 000, "Reconnection Interval" (ms)

  constructor(ctx) {
    this.ctx = ctx;
    this.token = "";
    this.kickEnable = null;
    this.settings = null;
    this.session = null;
    this.state = "idle"; // idle | connecting | connected | reconnecting | stopped
    this.tasks = new AbortController(); // aborting it cancels the heartbeat, long-poll and reconnection
  }

  // --- the API -------------------------------------------------------------------------------

  async connect(token, reconnectKickEnable = null) {
    this.token = token;
    this.kickEnable = reconnectKickEnable;
    this.state = "connecting";
    this.emit("CONNECTING");
    const started = this.now();
    const [code, answer] = await this.attempt(false, new AbortController().signal);
    if (code === ErrorCode.SUCCESS) {
      this.online(answer);
      return this.connectResult(answer);
    }
    if (!this.endsMechanism(code) && this.retriesAfterFailedFirstConnect()) this.beginReconnecting(code, started);
    else this.stop(code);
    return this.failedConnectResult(code);
  }

  async disconnect() {
    const session = this.session;
    this.session = null;
    this.stop(ErrorCode.SUCCESS);
    if (session !== null) {
      try {
        await this.post("/disconnect", { sessionId: session.sessionId });
      } catch (error) {
        if (!(error instanceof TypeError)) throw error; // the service drops the session at its deadline anyway
      }
    }
  }

  // --- policy points (one per documented rule; each mutant overrides one) ----------------------

  connectResult(answer) {
    return { code: ErrorCode.SUCCESS, user_id: answer.userId };
  }

  failedConnectResult(code) {
    return { code };
  }

  retryDelay(attemptsMade) {
    return this.reconnectInterval;
  }

  keepsRetrying(attemptsMade) {
    return true; // "keep trying to reconnect until the connection is successful"
  }

  reconnectsAfterNetworkLoss() {
    return true;
  }

  retriesAfterFailedFirstConnect() {
    return true; // the kick-strategy story; see features/rongcloud for the interpretation
  }

  pingTimeout(announcedMs) {
    return announcedMs;
  }

  /** Only the SDK's own reconnection asks the service not to kick (the kick strategy applies
   * "when it successfully reconnects"); the app's connect is a new login. */
  marksReconnection(reconnecting) {
    return reconnecting;
  }

  /** A connection error ends reconnection; network failures do not. */
  endsMechanism(code) {
    return !NETWORK_CODES.has(code);
  }

  /** On reconnection, kick the same-type device that is online (the default strategy)? */
  kickOnlineDevice() {
    const editable = Boolean(this.settings?.reconnectKickStrategyEditable);
    const honoured = this.ctx.platform === "electron" && editable;
    return !(honoured && this.kickEnable === true);
  }

  // --- mechanics -----------------------------------------------------------------------------

  now() {
    return Date.now(); // the host's fake clock
  }

  emit(status, code = 0) {
    this.ctx.emit({ callback: "onConnectionStatus", status, code });
  }

  async post(path, body, signal) {
    const response = await fetch(new URL(path, this.ctx.baseUrl), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
      signal,
    });
    return response.json();
  }

  /** One connection attempt: navigation (until it has the app settings), then connect. */
  async attempt(reconnect, signal) {
    try {
      if (this.settings === null) {
        const navi = await this.post("/navi", { token: this.token }, signal);
        if (navi.code) return [navi.code, navi];
        this.settings = navi.settings;
      }
      const answer = await this.post("/connect", {
        token: this.token,
        deviceId: this.ctx.device,
        platform: this.ctx.platform,
        reconnect: this.marksReconnection(reconnect),
        kickOnline: this.kickOnlineDevice(),
      }, signal);
      return [answer.code, answer];
    } catch (error) {
      if (error instanceof TypeError) return [ErrorCode.RC_NET_UNAVAILABLE, {}]; // fetch's network error
      throw error;
    }
  }

  /** Run a loop until the task group is cancelled; cancellation is not an error. */
  spawn(work) {
    const signal = this.tasks.signal;
    work(signal).catch((error) => {
      if (!(signal.aborted && isAbort(error)) && !signal.aborted) throw error;
    });
  }

  cancelTasks() {
    this.tasks.abort(new DOMException("cancelled", "AbortError"));
    this.tasks = new AbortController();
  }

  online(answer) {
    this.session = answer;
    this.state = "connected";
    this.emit("CONNECTED");
    this.spawn((signal) => this.heartbeat(answer, signal));
    this.spawn((signal) => this.listen(answer, signal));
  }

  stop(code) {
    this.state = "stopped";
    this.cancelTasks();
    this.emit("DISCONNECT", code);
  }

  /** The connection is gone for a network reason (or a service-side timeout). */
  lost(code) {
    if (this.state !== "connected") return;
    if (!this.reconnectsAfterNetworkLoss()) {
      this.state = "stopped";
      this.cancelTasks();
      this.emit("SUSPEND", code);
      return;
    }
    this.cancelTasks();
    this.beginReconnecting(code, null);
  }

  beginReconnecting(code, firstAttemptAt) {
    this.state = "reconnecting";
    this.emit("SUSPEND", code);
    this.spawn((signal) => this.reconnect(firstAttemptAt, signal));
  }

  async reconnect(firstAttemptAt, signal) {
    let attempts = 0;
    let started = firstAttemptAt;
    if (started !== null) {
      attempts = 1;
      await sleep(started + this.retryDelay(attempts) - this.now(), signal);
    }
    while (this.state === "reconnecting") {
      if (!this.keepsRetrying(attempts)) {
        this.state = "stopped";
        return;
      }
      started = this.now();
      let code;
      let answer;
      try {
        [code, answer] = await withTimeout(this.reconnectInterval, signal, (s) => this.attempt(true, s));
      } catch (error) {
        if (error?.name !== "TimeoutError" || signal.aborted) throw error;
        [code, answer] = [ErrorCode.RC_CONN_ACK_TIMEOUT, {}];
      }
      attempts += 1;
      if (this.state !== "reconnecting" || signal.aborted) return;
      if (code === ErrorCode.SUCCESS) return this.online(answer);
      if (this.endsMechanism(code)) return this.stop(code);
      await sleep(this.nextAttemptAt(started, this.now(), attempts) - this.now(), signal);
    }
  }

  /** A profile reading the run judges by (ctx.options.readings); the reference follows it. */
  reading(name, fallback) {
    return String(this.ctx.options?.readings?.[name] ?? fallback);
  }

  /** "An interval of 5 seconds": from the previous attempt's start, or from its failure
   * (profile rongcloud.interval_from; the vendor's Web SDK measures from the failure). */
  nextAttemptAt(started, failed, attemptsMade) {
    const base = this.reading("interval_from", "start") === "failure" ? failed : started;
    return base + this.retryDelay(attemptsMade);
  }

  async heartbeat(session, signal) {
    const timeout = this.pingTimeout(session.heartbeatTimeout * 1000);
    for (;;) {
      await sleep(session.heartbeatInterval * 1000, signal);
      let answer;
      try {
        answer = await withTimeout(timeout, signal, (s) => this.post("/ping", { sessionId: session.sessionId }, s));
      } catch (error) {
        if (signal.aborted) throw error;
        if (error instanceof TypeError || error?.name === "TimeoutError") return this.lost(ErrorCode.RC_NET_CHANNEL_INVALID);
        throw error;
      }
      if (answer.code === ErrorCode.SUCCESS) continue;
      if (this.endsMechanism(answer.code)) return this.stop(answer.code);
      return this.lost(answer.code);
    }
  }

  async listen(session, signal) {
    for (;;) {
      let answer;
      try {
        const url = new URL("/events", this.ctx.baseUrl);
        url.searchParams.set("sessionId", session.sessionId);
        answer = await (await fetch(url, { signal })).json();
      } catch (error) {
        if (signal.aborted) throw error;
        if (error instanceof TypeError) return this.lost(ErrorCode.RC_NET_CHANNEL_INVALID);
        throw error;
      }
      if (signal.aborted) return;
      for (const event of answer.events ?? []) {
        if (event.type === "kicked" && this.endsMechanism(event.code)) return this.stop(event.code);
        if (event.type === "kicked") return this.lost(event.code);
      }
      if (answer.code) return this.lost(answer.code);
    }
  }

  /** The end of a scenario: stop every loop, so nothing runs on. */
  close() {
    this.cancelTasks();
  }
}

export const manifest = Object.freeze({
  vendor: "rongcloud",
  name: "rongcloud-js-reference",
  version: "1.0.0",
  sdk_version: "5.0.0", // RongIMLib 5, as spec 000 reads
  platforms: ["electron", "web"],
  capabilities: [],
});

export function createClient(ctx) {
  return new ReferenceClient(ctx);
}
