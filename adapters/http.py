"""The HTTP client the reference adapters use to reach the simulated services.

Two costs matter at thousands of requests per scenario. Building an ``httpx.AsyncClient`` loads
the system CA bundle into a fresh TLS context (about 20 ms): it is built once and shared. And
respx's interception costs about as much as httpx itself per request: the runtime offers an
in-process transport (``ctx.transport``) that goes straight to the virtual network.
"""

from __future__ import annotations

import ssl
from functools import cache

import httpx

from reconnection_conformance.adapters.contract import ClientContext


@cache
def _tls_context() -> ssl.SSLContext:
    return ssl.create_default_context()


def http_client(ctx: ClientContext) -> httpx.AsyncClient:
    """An AsyncClient for ``ctx.base_url``, with no timeout of its own (the client sets them),
    on the context's in-process transport when there is one."""
    if ctx.transport is not None:
        return httpx.AsyncClient(base_url=ctx.base_url, timeout=None, transport=ctx.transport)
    return httpx.AsyncClient(base_url=ctx.base_url, timeout=None, verify=_tls_context())
