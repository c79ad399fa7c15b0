// Deliberately non-conformant JavaScript RongCloud clients, one defect each: the same defects
// as adapters/rongcloud/mutants.py, on the JavaScript reference. The suite must reject each by a
// scenario of the rule it breaks (reports/mutation_matrix.py, tests/test_node_host.py).
//
//   .venv/bin/pytest -m rongcloud --adapter node:adapters/rongcloud/mutants.mjs

import { ErrorCode, ReferenceClient, manifest as reference } from "./reference.mjs";

class RetryEvery3s extends ReferenceClient {
  reconnectInterval = 3000;
}

class DriftingInterval extends ReferenceClient {
  retryDelay() {
    return 5100;
  }
}

class ExponentialBackoff extends ReferenceClient {
  retryDelay(attemptsMade) {
    return Math.min(5000 * 2 ** (attemptsMade - 1), 64000);
  }
}

/** Off by one: waits a full extra interval before its first attempt. */
class FirstRetryAfterTwoIntervals extends ReferenceClient {
  reconnect(firstAttemptAt, firstFailedAt, signal) {
    const at = firstAttemptAt ?? this.now() + this.reconnectInterval;
    return super.reconnect(at, firstFailedAt ?? at, signal);
  }
}

class GivesUpAfter10 extends ReferenceClient {
  keepsRetrying(attemptsMade) {
    return attemptsMade < 10;
  }
}

class NoHeartbeatTimeout extends ReferenceClient {
  pingTimeout() {
    return null;
  }
}

class WaitsForTheApp extends ReferenceClient {
  reconnectsAfterNetworkLoss() {
    return false;
  }
}

/** Waits one interval before its first retry, so two such clients kicking each other
 * alternate every 5 s instead of livelocking at one instant. */
class RetriesOneIntervalAfterLoss extends ReferenceClient {
  lost(code) {
    if (this.state === "connected") {
      this.cancelTasks();
      this.beginReconnecting(code, this.now());
    }
  }
}

class RetriesAfterConnectionError extends RetriesOneIntervalAfterLoss {
  endsMechanism() {
    return false;
  }
}

class KeepsRetryingAfterDisconnect extends ReferenceClient {
  async disconnect() {
    this.emit("DISCONNECT", ErrorCode.SUCCESS); // tells the app, stops nothing
  }
}

class IgnoresReconnectKickEnable extends ReferenceClient {
  kickOnlineDevice() {
    return true;
  }
}

class InvertsReconnectKickEnable extends ReferenceClient {
  kickOnlineDevice() {
    return !super.kickOnlineDevice();
  }
}

class HonoursWithoutConsoleSwitch extends ReferenceClient {
  kickOnlineDevice() {
    return this.kickEnable !== true || this.ctx.platform !== "electron";
  }
}

class WebSetsKickStrategy extends ReferenceClient {
  kickOnlineDevice() {
    const editable = Boolean(this.settings?.reconnectKickStrategyEditable);
    return !(editable && this.kickEnable === true);
  }
}

class NoRetryAfterFailedFirstConnect extends ReferenceClient {
  retriesAfterFailedFirstConnect() {
    return false;
  }
}

class ResultWithoutUserId extends ReferenceClient {
  connectResult() {
    return { code: ErrorCode.SUCCESS, user_id: null };
  }
}

class RefusalReadAsNetworkError extends ReferenceClient {
  failedConnectResult() {
    return { code: ErrorCode.RC_NET_UNAVAILABLE };
  }
}

/** Reconnects after being kicked, so the two desktops kick each other forever. */
class TreatsKickAsNetworkLoss extends RetriesOneIntervalAfterLoss {
  endsMechanism(code) {
    return code !== ErrorCode.RC_DISCONN_KICK && super.endsMechanism(code);
  }
}

/** Reports the loss twice: once when it begins reconnecting, once more in the same breath. */
class SuspendTwice extends ReferenceClient {
  beginReconnecting(code, firstAttemptAt, firstFailedAt) {
    this.emit("SUSPEND", code);
    super.beginReconnecting(code, firstAttemptAt, firstFailedAt);
  }
}

/** Reads a connect without reconnectKickEnable as 'do not kick' (the default is false). */
class OmittedKickEnableAsTrue extends ReferenceClient {
  kickOnlineDevice() {
    const editable = Boolean(this.settings?.reconnectKickStrategyEditable);
    const honoured = this.ctx.platform === "electron" && editable;
    return !(honoured && this.kickEnable !== false);
  }
}

/** Applies the reconnection kick strategy to the app's own connect as well. */
class KickStrategyOnAppConnect extends ReferenceClient {
  marksReconnection() {
    return true;
  }
}

/** Counts the 5 s from the failure of the previous attempt, whatever the profile reads. */
class IntervalFromFailure extends ReferenceClient {
  reading(name, fallback) {
    return name === "interval_from" ? "failure" : super.reading(name, fallback);
  }
}

/** Counts the 5 s from the start of the previous attempt, whatever the profile reads. */
class IntervalFromStart extends ReferenceClient {
  reading(name, fallback) {
    return name === "interval_from" ? "start" : super.reading(name, fallback);
  }
}

/** A mutant: the reference's manifest under its own name, and the rule it breaks. */
function mutate(name, breaks, what, Client) {
  return {
    name: `js-${name}`,
    breaks,
    what,
    manifest: { ...reference, name: `rongcloud-mutant-js-${name}` },
    createClient: (ctx) => new Client(ctx),
  };
}

export const adapters = [
  mutate("retry-every-3s", "rc-interval", "retries every 3 s instead of 5 s", RetryEvery3s),
  mutate("drifting-interval", "rc-interval", "retries every 5.1 s", DriftingInterval),
  mutate("exponential-backoff", "rc-interval", "doubles the delay after each attempt", ExponentialBackoff),
  mutate("late-first-retry", "rc-interval", "waits two intervals before the first attempt", FirstRetryAfterTwoIntervals),
  mutate("gives-up-after-10", "rc-until-success", "stops after 10 attempts", GivesUpAfter10),
  mutate("no-heartbeat-timeout", "rc-heartbeat", "waits for ping answers forever", NoHeartbeatTimeout),
  mutate("interval-from-failure", "rc-interval-measure", "counts the interval from the failed attempt's end (the other reading)", IntervalFromFailure),
  mutate("interval-from-start", "rc-interval-measure", "counts the interval from the attempt's start (the other reading)", IntervalFromStart),
  mutate("suspend-twice", "rc-no-duplicate-status", "reports SUSPEND twice for one loss", SuspendTwice),
  mutate("waits-for-the-app", "rc-auto-reconnect", "never reconnects by itself", WaitsForTheApp),
  mutate("retries-after-error", "rc-exit-on-error", "keeps reconnecting after a connection error", RetriesAfterConnectionError),
  mutate("retries-after-kick", "rc-single-desktop", "treats a kick as a network loss", TreatsKickAsNetworkLoss),
  mutate("retries-after-disconnect", "rc-manual-disconnect", "disconnect() stops nothing", KeepsRetryingAfterDisconnect),
  mutate("ignores-kick-enable", "rc-kick-enable", "always kicks on reconnection", IgnoresReconnectKickEnable),
  mutate("inverts-kick-enable", "rc-kick-enable", "reads reconnectKickEnable backwards", InvertsReconnectKickEnable),
  mutate("omitted-kick-enable-as-true", "rc-kick-default", "reads an omitted reconnectKickEnable as true", OmittedKickEnableAsTrue),
  mutate("kick-strategy-on-app-connect", "rc-kick-app-connect", "applies the reconnection kick strategy to the app's connect", KickStrategyOnAppConnect),
  mutate("no-console-switch", "rc-console-switch", "honours reconnectKickEnable without the console switch", HonoursWithoutConsoleSwitch),
  mutate("web-sets-strategy", "rc-electron-only", "lets a Web client set the strategy", WebSetsKickStrategy),
  mutate("no-retry-after-first-failure", "rc-default-kick-story", "does not reconnect after a failed first login", NoRetryAfterFailedFirstConnect),
  mutate("refusal-as-network-error", "rc-connect-result", "resolves a refused connect with 30019", RefusalReadAsNetworkError),
  mutate("result-without-user-id", "rc-connect-result", "resolves connect without the user id", ResultWithoutUserId),
];
