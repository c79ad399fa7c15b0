"""The HTTP client the reference adapters use to reach the simulated services.

Building an ``httpx.AsyncClient`` loads the system CA bundle into a fresh TLS context, about
20 ms each time; a scenario creates a client per device, so that alone used to be a tenth of a
scenario's cost. The context never verifies a real peer here (every host is
``*.invalid`` and answered by respx), but it is the default, verifying one, built once.
"""

from __future__ import annotations

import ssl
from functools import cache

import httpx

from adapters.contract import ClientContext


@cache
def _tls_context() -> ssl.SSLContext:
    return ssl.create_default_context()


def http_client(ctx: ClientContext) -> httpx.AsyncClient:
    """An AsyncClient for ``ctx.base_url``, with no timeout of its own (the client sets them)."""
    return httpx.AsyncClient(base_url=ctx.base_url, timeout=None, verify=_tls_context())
