"""Deliberately non-conformant RongCloud clients, one defect each (see adapters/mutant.py)."""

from __future__ import annotations

from typing import Any

from reconnection_conformance.adapters.mutant import Mutant, mutate
from reconnection_conformance.adapters.rongcloud.contract import ConnectResult, ErrorCode, Status
from reconnection_conformance.adapters.rongcloud.reference import ReferenceClient, adapter as reference


class RetryEvery3s(ReferenceClient):
    reconnect_interval = 3.0


class DriftingInterval(ReferenceClient):
    def retry_delay(self, attempts_made: int) -> float:
        return 5.1


class ExponentialBackoff(ReferenceClient):
    def retry_delay(self, attempts_made: int) -> float:
        return min(5.0 * 2 ** (attempts_made - 1), 64.0)


class FirstRetryAfterTwoIntervals(ReferenceClient):
    """Off by one: waits a full extra interval before its first attempt."""

    async def _reconnect(self, first_attempt_at: float | None, first_failed_at: float | None = None) -> None:
        if first_attempt_at is None:
            first_attempt_at = self._now() + self.reconnect_interval
        await super()._reconnect(first_attempt_at, first_failed_at)


class GivesUpAfter10(ReferenceClient):
    def keeps_retrying(self, attempts_made: int) -> bool:
        return attempts_made < 10


class NoHeartbeatTimeout(ReferenceClient):
    def ping_timeout(self, announced: float) -> float | None:
        return None


class WaitsForTheApp(ReferenceClient):
    def reconnects_after_network_loss(self) -> bool:
        return False


class _RetriesOneIntervalAfterLoss(ReferenceClient):
    """Waits one interval before its first retry, so two such clients kicking each other
    alternate every 5 s instead of livelocking at one instant."""

    def _lost(self, code: int) -> None:
        if self._state == "connected":
            self._cancel_tasks()
            self._begin_reconnecting(code, first_attempt_at=self._now())


class RetriesAfterConnectionError(_RetriesOneIntervalAfterLoss):
    def ends_mechanism(self, code: int) -> bool:
        return False


class KeepsRetryingAfterDisconnect(ReferenceClient):
    async def disconnect(self) -> None:
        self._emit(Status.DISCONNECT, ErrorCode.SUCCESS)  # tells the app, stops nothing


class IgnoresReconnectKickEnable(ReferenceClient):
    def kick_online_device(self) -> bool:
        return True


class InvertsReconnectKickEnable(ReferenceClient):
    def kick_online_device(self) -> bool:
        return not super().kick_online_device()


class HonoursWithoutConsoleSwitch(ReferenceClient):
    def kick_online_device(self) -> bool:
        return self._kick_enable is not True or self._ctx.platform != "electron"


class WebSetsKickStrategy(ReferenceClient):
    def kick_online_device(self) -> bool:
        editable = bool(self._settings and self._settings.get("reconnectKickStrategyEditable"))
        return not (editable and self._kick_enable is True)


class NoRetryAfterFailedFirstConnect(ReferenceClient):
    def retries_after_failed_first_connect(self) -> bool:
        return False


class ResultWithoutUserId(ReferenceClient):
    def connect_result(self, answer: dict[str, Any]) -> ConnectResult:
        return ConnectResult(code=ErrorCode.SUCCESS, user_id=None)


class RefusalReadAsNetworkError(ReferenceClient):
    def failed_connect_result(self, code: int) -> ConnectResult:
        return ConnectResult(code=ErrorCode.RC_NET_UNAVAILABLE)


class TreatsKickAsNetworkLoss(_RetriesOneIntervalAfterLoss):
    """Reconnects after being kicked, so the two desktops kick each other forever."""

    def ends_mechanism(self, code: int) -> bool:
        return code != ErrorCode.RC_DISCONN_KICK and super().ends_mechanism(code)


class SuspendTwice(ReferenceClient):
    """Reports the loss twice: once from the heartbeat, once from the long-poll."""

    def _begin_reconnecting(
        self, code: int, first_attempt_at: float | None, first_failed_at: float | None = None
    ) -> None:
        self._emit(Status.SUSPEND, code)
        super()._begin_reconnecting(code, first_attempt_at, first_failed_at)


class OmittedKickEnableAsTrue(ReferenceClient):
    """Reads a connect without reconnectKickEnable as 'do not kick' (the default is false)."""

    def kick_online_device(self) -> bool:
        editable = bool(self._settings and self._settings.get("reconnectKickStrategyEditable"))
        honoured = self._ctx.platform == "electron" and editable
        return not (honoured and self._kick_enable is not False)


class KickStrategyOnAppConnect(ReferenceClient):
    """Applies the reconnection kick strategy to the app's own connect as well."""

    def marks_reconnection(self, reconnecting: bool) -> bool:
        return True


class IntervalFromFailure(ReferenceClient):
    """Counts the 5 s from the failure of the previous attempt, whatever the profile reads."""

    def reading(self, name: str, default: str) -> str:
        return "failure" if name == "interval_from" else super().reading(name, default)


class IntervalFromStart(ReferenceClient):
    """Counts the 5 s from the start of the previous attempt, whatever the profile reads."""

    def reading(self, name: str, default: str) -> str:
        return "start" if name == "interval_from" else super().reading(name, default)


MUTANTS: tuple[Mutant, ...] = (
    mutate(reference, "retry-every-3s", "rc-interval", "retries every 3 s instead of 5 s", RetryEvery3s),
    mutate(reference, "drifting-interval", "rc-interval", "retries every 5.1 s", DriftingInterval),
    mutate(reference, "exponential-backoff", "rc-interval", "doubles the delay after each attempt", ExponentialBackoff),
    mutate(reference, "late-first-retry", "rc-interval", "waits two intervals before the first attempt", FirstRetryAfterTwoIntervals),
    mutate(reference, "gives-up-after-10", "rc-until-success", "stops after 10 attempts", GivesUpAfter10),
    mutate(reference, "no-heartbeat-timeout", "rc-heartbeat", "waits for ping answers forever", NoHeartbeatTimeout),
    mutate(reference, "interval-from-failure", "rc-interval-measure", "counts the interval from the failed attempt's end (the other reading)", IntervalFromFailure),
    mutate(reference, "interval-from-start", "rc-interval-measure", "counts the interval from the attempt's start (the other reading)", IntervalFromStart),
    mutate(reference, "suspend-twice", "rc-no-duplicate-status", "reports SUSPEND twice for one loss", SuspendTwice),
    mutate(reference, "waits-for-the-app", "rc-auto-reconnect", "never reconnects by itself", WaitsForTheApp),
    mutate(reference, "retries-after-error", "rc-exit-on-error", "keeps reconnecting after a connection error", RetriesAfterConnectionError),
    mutate(reference, "retries-after-kick", "rc-single-desktop", "treats a kick as a network loss", TreatsKickAsNetworkLoss),
    mutate(reference, "retries-after-disconnect", "rc-manual-disconnect", "disconnect() stops nothing", KeepsRetryingAfterDisconnect),
    mutate(reference, "ignores-kick-enable", "rc-kick-enable", "always kicks on reconnection", IgnoresReconnectKickEnable),
    mutate(reference, "inverts-kick-enable", "rc-kick-enable", "reads reconnectKickEnable backwards", InvertsReconnectKickEnable),
    mutate(reference, "omitted-kick-enable-as-true", "rc-kick-default", "reads an omitted reconnectKickEnable as true", OmittedKickEnableAsTrue),
    mutate(reference, "kick-strategy-on-app-connect", "rc-kick-app-connect", "applies the reconnection kick strategy to the app's connect", KickStrategyOnAppConnect),
    mutate(reference, "no-console-switch", "rc-console-switch", "honours reconnectKickEnable without the console switch", HonoursWithoutConsoleSwitch),
    mutate(reference, "web-sets-strategy", "rc-electron-only", "lets a Web client set the strategy", WebSetsKickStrategy),
    mutate(reference, "no-retry-after-first-failure", "rc-default-kick-story", "does not reconnect after a failed first login", NoRetryAfterFailedFirstConnect),
    mutate(reference, "refusal-as-network-error", "rc-connect-result", "resolves a refused connect with 30019", RefusalReadAsNetworkError),
    mutate(reference, "result-without-user-id", "rc-connect-result", "resolves connect without the user id", ResultWithoutUserId),
)
