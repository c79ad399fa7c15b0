"""Adapters the suite's own tests pass with --adapter: one mutant alone, a reference that
declares fewer capabilities."""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from typing import Any, ClassVar

from reconnection_conformance.adapters.contract import Adapter
from reconnection_conformance.adapters.rongcloud.contract import ConnectResult as RongCloudConnectResult
from reconnection_conformance.adapters.rongcloud.contract import ErrorCode as RongCloudErrorCode
from reconnection_conformance.adapters.rongcloud.mutants import MUTANTS as RONGCLOUD_MUTANTS
from reconnection_conformance.adapters.rongcloud.reference import MANIFEST as RONGCLOUD_MANIFEST
from reconnection_conformance.adapters.rongcloud.reference import ReferenceClient as RongCloudReference
from reconnection_conformance.adapters.zim.contract import CallResult as ZimCallResult
from reconnection_conformance.adapters.zim.contract import ErrorCode as ZimErrorCode
from reconnection_conformance.adapters.zim.mutants import MUTANTS as ZIM_MUTANTS
from reconnection_conformance.adapters.zim.reference import adapter as zim_reference

retry_every_3s = next(m.adapter for m in RONGCLOUD_MUTANTS if m.name == "retry-every-3s")

zim_without_rooms = Adapter(
    manifest=replace(zim_reference.manifest, name="zim-no-rooms", capabilities=frozenset({"token-authentication"})),
    client=zim_reference.client,
)

#: A manifest with a capability typo ("room"): refused at load time with a did-you-mean.
zim_capability_typo = Adapter(
    manifest=replace(zim_reference.manifest, name="zim-typo", capabilities=frozenset({"room", "token-authentication"})),
    client=zim_reference.client,
)


class _LeakyZim(zim_reference.client):  # type: ignore[misc, valid-type]
    """Quotes its token everywhere a real SDK might: a log line, stdout, an exception."""

    async def login(self, user_id: str, token: str):  # type: ignore[no-untyped-def]
        logging.getLogger("leaky-sdk").warning("login %s with token %s", user_id, token)
        print(f"leaky-sdk: login with {token}")
        return await super().login(user_id, token)

    async def renew_token(self, token: str):  # type: ignore[no-untyped-def]
        raise RuntimeError(f"renewal refused for token {token}")


#: A ZIM client that leaks its tokens to logs, stdout and exceptions: nothing may reach an output.
zim_leaky = Adapter(manifest=replace(zim_reference.manifest, name="zim-leaky"), client=_LeakyZim)


@dataclass(frozen=True)
class _Verbose:
    """A callback record with awkward field names and a 20 MB payload."""

    callback: ClassVar[str] = "onVerboseDiagnostics"
    name: str
    at: float
    kind: str
    payload: str


class _VerboseRongCloud(RongCloudReference):  # type: ignore[misc, valid-type]
    async def connect(self, token: str, reconnect_kick_enable: bool | None = None) -> Any:
        self._ctx.emit(_Verbose(name="diagnostics", at=1.5, kind="dump", payload="z" * 20_000_000))
        return await super().connect(token, reconnect_kick_enable)


#: A RongCloud client that reports one huge diagnostic callback with fields named name/at/kind.
rongcloud_verbose = Adapter(
    manifest=replace(RONGCLOUD_MANIFEST, name="rongcloud-verbose"), client=_VerboseRongCloud
)


class _ConnectReturnsNone(RongCloudReference):  # type: ignore[misc, valid-type]
    async def connect(self, token: str, reconnect_kick_enable: bool | None = None) -> Any:
        return None


class _RefusesWithoutRequest(RongCloudReference):  # type: ignore[misc, valid-type]
    async def connect(self, token: str, reconnect_kick_enable: bool | None = None) -> Any:
        return RongCloudConnectResult(int(RongCloudErrorCode.RC_CONN_TOKEN_INCORRECT))


class _ZimLoginRefused(zim_reference.client):  # type: ignore[misc, valid-type]
    async def login(self, user_id: str, token: str):  # type: ignore[no-untyped-def]
        return ZimCallResult(int(ZimErrorCode.LOGIN_FAILED))


#: connect resolves to None instead of a ConnectResult: an adapter error, not a verdict.
rongcloud_returns_none = Adapter(manifest=replace(RONGCLOUD_MANIFEST, name="rongcloud-returns-none"), client=_ConnectReturnsNone)
#: connect is refused by the client itself, without a request reaching the service.
rongcloud_refuses_offline = Adapter(manifest=replace(RONGCLOUD_MANIFEST, name="rongcloud-refuses-offline"), client=_RefusesWithoutRequest)
#: login never succeeds: every scenario's Given "is logged in" fails as a precondition.
zim_login_refused = Adapter(manifest=replace(zim_reference.manifest, name="zim-login-refused"), client=_ZimLoginRefused)

#: Reports the room's T2 callback before the connection's: present, but out of order.
zim_room_before_connection = next(m.adapter for m in ZIM_MUTANTS if m.name == "rooms-before-connection")
