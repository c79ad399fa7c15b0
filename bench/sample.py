"""One mutant per vendor, so the benchmark's suite run has non-conformant verdicts too."""

from __future__ import annotations

from reconnection_conformance.adapters.express.mutants import MUTANTS as EXPRESS
from reconnection_conformance.adapters.rongcloud.mutants import MUTANTS as RONGCLOUD
from reconnection_conformance.adapters.zim.mutants import MUTANTS as ZIM

rongcloud = RONGCLOUD[0].adapter
zim = ZIM[0].adapter
express = EXPRESS[0].adapter
