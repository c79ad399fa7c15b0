// The JavaScript reference RongCloud client: RongCloud's own connection protocol, as the
// vendor's Web SDK speaks it (fixtures/rongcloud_sdk_front.py, docs/findings/rongcloud-sdk-wire-notes.md).
//
// The same reading of spec 000 as adapters/rongcloud/reference.py, in the language of the
// vendor's Web SDK, run by the Node client host (adapters/host/node_host.mjs). Its policies are
// the Python reference's, point for point; only the transport differs: navigation with a form
// POST to /v2/navi.json, then a WebSocket (/websocket, the token in the query) with binary
// frames: the connect acknowledgement, pings C0 answered D0, and the server's DISCONNECT frame
// (E0 00 <status>) for a kick. So one scenario can put a device on each of the simulated
// service's two fronts (--peers=reference). It proves the Node path, and the WebSocket path,
// judge for real: adapters/rongcloud/mutants.mjs breaks it one rule at a time.
//
//   .venv/bin/pytest -m rongcloud --adapter node:adapters/rongcloud/reference.mjs

export const ErrorCode = Object.freeze({
  SUCCESS: 0,
  RC_NET_CHANNEL_INVALID: 30011,
  RC_NET_UNAVAILABLE: 30019,
  RC_CONN_ACK_TIMEOUT: 31000,
  RC_CONN_SERVER_UNAVAILABLE: 31003,
  RC_CONN_TOKEN_INCORRECT: 31004,
  RC_DISCONN_KICK: 31010,
  RC_DISCONN_EXCEPTION: 31011,
});

/** The service announces no heartbeat timing on this protocol: the suite protocol's figures
 * (fixtures/rongcloud_service.py, HEARTBEAT_INTERVAL and HEARTBEAT_TIMEOUT), in ms. */
export const HEARTBEAT_INTERVAL = 10000;
export const HEARTBEAT_TIMEOUT = 5000;

const APP_KEY = "conformance-appkey";
const NAVI_PATH = "/v2/navi.json?cloud=0";

/** Frame commands (high nibble of byte 0; fixtures/rongcloud_frames.py). */
const CONNACK = 2;
const PINGRESP = 13;
const DISCONNECT = 14;
const PING = new Uint8Array([0xc0]);

/** Connect acknowledgement status byte -> the code reported (ConnAckStatus.sdk_code). */
const CONNACK_CODES = Object.freeze({
  0: 0, 1: 31001, 2: 31002, 3: 31003, 4: 31004, 5: 31005, 6: 31006, 7: 31007, 8: 31008, 9: 31009,
  10: 31020, 11: 31021, 12: 31022, 13: 31023, 14: 31024, 15: 31025, 16: 31026, 17: 31027, 18: 31028,
  19: 31029, 20: 31030,
});

/** Server DISCONNECT status byte -> the code reported (DisconnectStatus.sdk_code). */
const DISCONNECT_CODES = Object.freeze({ 1: 31010, 2: 31011, 5: 31011, 6: 31006, 7: 31020, 8: 31001, 9: 31029 });

/** A length-prefixed UTF-8 string at `pos` of `bytes`: [text, next position], or [null, pos]. */
function readUtf(bytes, pos) {
  if (pos + 2 > bytes.length) return [null, pos];
  const n = (bytes[pos] << 8) | bytes[pos + 1];
  if (pos + 2 + n > bytes.length) return [null, pos];
  return [new TextDecoder().decode(bytes.subarray(pos + 2, pos + 2 + n)), pos + 2 + n];
}

/** A socket's frames and its close, buffered until someone listens (one listener at a time
 * per kind: the heartbeat waits for pongs, the session listens for the rest). */
class Connection {
  constructor(socket) {
    this.socket = socket;
    this.closed = false;
    this.listeners = new Set();
    this.backlog = [];
  }

  /** Called for every later event: `{frame: Uint8Array}` or `{close: code}`. Returns an unsubscribe. */
  listen(fn) {
    this.listeners.add(fn);
    const backlog = this.backlog;
    this.backlog = [];
    for (const event of backlog) fn(event);
    return () => this.listeners.delete(fn);
  }

  deliver(event) {
    if (event.close !== undefined) this.closed = true;
    if (this.listeners.size === 0) this.backlog.push(event);
    for (const fn of [...this.listeners]) fn(event);
  }

  send(bytes) {
    if (!this.closed) this.socket.send(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  }

  close() {
    this.closed = true;
    this.socket.onmessage = this.socket.onclose = this.socket.onerror = null;
    try {
      this.socket.close(1000);
    } catch {
      // already closing
    }
  }
}

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

/** Wait on a socket's events: `onEvent(event, finish)` ends the wait by calling `finish(then)`
 * once (`then(resolve, reject)` settles it); an abort of `signal` runs `onAbort` and rejects. */
function untilSettled(connection, signal, onEvent, onAbort = () => {}) {
  return new Promise((resolve, reject) => {
    let finished = false;
    let unsubscribe = () => {};
    const finish = (then) => {
      if (finished) return;
      finished = true;
      unsubscribe();
      signal.removeEventListener("abort", aborted);
      then(resolve, reject);
    };
    const aborted = () => finish((_, rejectIt) => {
      onAbort();
      rejectIt(signal.reason);
    });
    if (signal.aborted) return aborted();
    signal.addEventListener("abort", aborted, { once: true });
    unsubscribe = connection.listen((event) => onEvent(event, finish));
    if (finished) unsubscribe();
  });
}

export class ReferenceClient {
  reconnectInterval = 5000; // spec 000, "Reconnection Interval" (ms)

  constructor(ctx) {
    this.ctx = ctx;
    this.token = "";
    this.kickEnable = null;
    this.settings = null; // from navigation: the console switch
    this.server = null; // from navigation: the WebSocket server
    this.session = null; // {userId, sessionId, connection} while connected
    this.state = "idle"; // idle | connecting | connected | reconnecting | stopped
    this.tasks = new AbortController(); // aborting it cancels the heartbeat, the socket's listener and reconnection
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
    if (!this.endsMechanism(code) && this.retriesAfterFailedFirstConnect()) this.beginReconnecting(code, started, this.now());
    else this.stop(code);
    return this.failedConnectResult(code);
  }

  async disconnect() {
    const session = this.session;
    this.session = null;
    this.stop(ErrorCode.SUCCESS);
    session?.connection.close(); // code 1000: the service ends the session
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

  /** One connection attempt: navigation (until it has the server and the app settings), then
   * the WebSocket and its connect acknowledgement. */
  async attempt(reconnect, signal) {
    try {
      if (this.settings === null) {
        const response = await fetch(new URL(NAVI_PATH, this.ctx.baseUrl), {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded" },
          body: new URLSearchParams({ token: this.token, v: manifest.sdk_version, platfrom: "browser" }).toString(), // sic
          signal,
        });
        if (response.status === 401 || response.status === 403) return [ErrorCode.RC_CONN_TOKEN_INCORRECT, {}];
        if (!response.ok) return [ErrorCode.RC_NET_UNAVAILABLE, {}];
        const navi = await response.json();
        this.server = String(navi.server);
        this.settings = { reconnectKickStrategyEditable: Boolean(navi.reconnectKickStrategyEditable) };
      }
      const query = new URLSearchParams({
        appId: APP_KEY,
        token: this.token,
        platform: this.ctx.platform,
        reconnect: this.marksReconnection(reconnect) ? "1" : "0",
        kickOnline: this.kickOnlineDevice() ? "1" : "0",
      });
      return await this.open(`wss://${this.server}/websocket?${query}`, signal);
    } catch (error) {
      if (error instanceof TypeError) return [ErrorCode.RC_NET_UNAVAILABLE, {}]; // fetch's network error
      throw error;
    }
  }

  /** Open the socket and wait for the connect acknowledgement: [code, {userId, sessionId,
   * connection}]; a socket closed before it (refused, dropped) is a network failure. */
  open(url, signal) {
    return new Promise((resolve, reject) => {
      if (signal.aborted) return reject(signal.reason);
      const socket = new WebSocket(url);
      socket.binaryType = "arraybuffer";
      const connection = new Connection(socket);
      const onAbort = () => {
        connection.close();
        reject(signal.reason);
      };
      const settle = (result) => {
        signal.removeEventListener("abort", onAbort);
        resolve(result);
      };
      signal.addEventListener("abort", onAbort, { once: true });
      socket.onmessage = (event) => {
        const frame = new Uint8Array(event.data);
        if (frame.length < 3 || frame[0] >> 4 !== CONNACK) return; // nothing counts before the acknowledgement
        const code = CONNACK_CODES[frame[2]] ?? ErrorCode.RC_CONN_SERVER_UNAVAILABLE; // an unknown status: refused
        if (code !== ErrorCode.SUCCESS) {
          connection.close();
          return settle([code, {}]);
        }
        const [userId, next] = readUtf(frame, 3);
        const [sessionId] = readUtf(frame, next);
        socket.onmessage = (e) => connection.deliver({ frame: new Uint8Array(e.data) });
        socket.onclose = (e) => connection.deliver({ close: e.code });
        settle([ErrorCode.SUCCESS, { userId, sessionId, connection }]);
      };
      socket.onclose = () => settle([ErrorCode.RC_NET_UNAVAILABLE, {}]);
    });
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

  beginReconnecting(code, firstAttemptAt, firstFailedAt = firstAttemptAt) {
    this.state = "reconnecting";
    this.emit("SUSPEND", code);
    this.spawn((signal) => this.reconnect(firstAttemptAt, firstFailedAt, signal));
  }

  async reconnect(firstAttemptAt, firstFailedAt, signal) {
    let attempts = 0;
    let started = firstAttemptAt;
    if (started !== null) {
      attempts = 1; // the app's failed first connect: the next attempt as the interval reading says
      await sleep(this.nextAttemptAt(started, firstFailedAt, attempts) - this.now(), signal);
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
    const timeout = this.pingTimeout(HEARTBEAT_TIMEOUT);
    for (;;) {
      await sleep(HEARTBEAT_INTERVAL, signal);
      try {
        await withTimeout(timeout, signal, (s) => this.ping(session.connection, s));
      } catch (error) {
        if (signal.aborted) throw error;
        if (error instanceof TypeError || error?.name === "TimeoutError") return this.lost(ErrorCode.RC_NET_CHANNEL_INVALID);
        throw error;
      }
    }
  }

  /** Send C0; resolves on the pong (D0), rejects with a TypeError if the socket closes first. */
  ping(connection, signal) {
    if (signal.aborted) return Promise.reject(signal.reason);
    if (connection.closed) return Promise.reject(new TypeError("the socket is closed"));
    const answered = untilSettled(connection, signal, (event, finish) => {
      if (event.close !== undefined) finish((_, reject) => reject(new TypeError("the socket closed")));
      else if (event.frame[0] >> 4 === PINGRESP) finish((resolve) => resolve());
    });
    connection.send(PING);
    return answered;
  }

  /** The session's socket: a server DISCONNECT frame (a kick) or the socket's close. */
  listen(session, signal) {
    const connection = session.connection;
    const onEvent = (event, finish) => {
      if (event.close !== undefined) {
        return finish((resolve) => {
          resolve();
          this.lost(ErrorCode.RC_NET_CHANNEL_INVALID);
        });
      }
      const frame = event.frame;
      if (frame[0] >> 4 !== DISCONNECT) return; // a pong (the heartbeat's), or nothing this client uses
      const code = DISCONNECT_CODES[frame[2]] ?? ErrorCode.RC_DISCONN_EXCEPTION;
      finish((resolve) => {
        resolve();
        if (this.endsMechanism(code)) this.stop(code); // the server closes the socket, as the SDK expects
        else this.lost(code);
      });
    };
    // Aborted: the session is over for this client (a lost heartbeat, disconnect(), the end).
    return untilSettled(connection, signal, onEvent, () => connection.close());
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
