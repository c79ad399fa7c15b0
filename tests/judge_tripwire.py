"""An adapter that refuses to be imported by the judge: pytest is never loaded in a client
host, so importing this module next to pytest means the judge imported the adapter."""

from __future__ import annotations

import sys
from dataclasses import replace

if "pytest" in sys.modules:
    raise ImportError("the judge imported the adapter under test")

from reconnection_conformance.adapters.contract import Adapter  # noqa: E402
from reconnection_conformance.adapters.rongcloud.reference import MANIFEST, ReferenceClient  # noqa: E402

adapter = Adapter(manifest=replace(MANIFEST, name="rongcloud-tripwire"), client=ReferenceClient)
