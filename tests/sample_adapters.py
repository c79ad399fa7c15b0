"""Adapters the suite's own tests pass with --adapter: one mutant alone, a reference that
declares fewer capabilities."""

from __future__ import annotations

from dataclasses import replace

from adapters.contract import Adapter
from adapters.rongcloud.mutants import MUTANTS as RONGCLOUD_MUTANTS
from adapters.zim.reference import adapter as zim_reference

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
