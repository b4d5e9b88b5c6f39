"""Request guards in front of the whole application (pages and API).

Two attacks matter even for a program that only listens on this computer:

* Cross-site request forgery: any web page the user visits can make the browser post a form to
  http://127.0.0.1:8000/settings/delete. Browsers label such requests (``Sec-Fetch-Site``, and
  ``Origin`` on every cross-origin POST), so state-changing requests from another site are refused.
  Clients that are not browsers (curl, the API with a bearer token) send neither header and pass.
* DNS rebinding: a hostile domain that re-resolves to 127.0.0.1 is "same-origin" to the browser,
  but its requests carry the hostile name in ``Host``. In local mode only loopback names are served.
* Clickjacking: another site shows a page in an invisible frame and tricks the user into clicking
  "delete everything". No response may be framed unless it says so itself: the aids widget for
  shops (web/embed.py) sets its own ``frame-ancestors``; every other response refuses framing.
"""

from __future__ import annotations

import ipaddress
import json
from collections.abc import Iterable
from urllib.parse import urlsplit

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["FrameGuard", "RequestGuard", "is_loopback_host"]

_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
_SAME_SITE_FETCHES = frozenset({"same-origin", "none"})  # "none": typed URL, bookmark


def _host_name(host_header: str) -> str:
    """The name part of a Host header: 'localhost:8000' → 'localhost', '[::1]:80' → '::1'."""
    host = host_header.strip().lower()
    if host.startswith("["):
        return host[1 : host.find("]")] if "]" in host else host
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def is_loopback_host(host_header: str) -> bool:
    """Whether a Host header names this computer (localhost or a loopback address)."""
    name = _host_name(host_header)
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


class RequestGuard:
    """ASGI middleware: refuse cross-site writes everywhere, and foreign hosts in local mode."""

    def __init__(
        self, app: ASGIApp, *, loopback_only: bool, trusted_origins: Iterable[str] = ()
    ) -> None:
        self.app = app
        self.loopback_only = loopback_only
        self.trusted_origins = frozenset(origin.rstrip("/") for origin in trusted_origins)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            headers = Headers(scope=scope)
            host = headers.get("host", "")
            refusal: tuple[int, str, str] | None = None
            if self.loopback_only and not is_loopback_host(host):
                refusal = (
                    421,
                    "Misdirected request",
                    "Rugwijzer in local mode answers only to localhost and 127.0.0.1.",
                )
            elif scope["method"] not in _SAFE_METHODS and self._cross_site(headers, host):
                refusal = (
                    403,
                    "Cross-site request refused",
                    "This change was sent from another web site and was not carried out.",
                )
            if refusal is not None:
                await _problem(send, scope.get("path", ""), *refusal)
                return
        await self.app(scope, receive, send)

    def _cross_site(self, headers: Headers, host: str) -> bool:
        origin = headers.get("origin")
        if origin is not None and origin.rstrip("/") in self.trusted_origins:
            return False
        fetch_site = headers.get("sec-fetch-site")
        if fetch_site is not None:
            return fetch_site not in _SAME_SITE_FETCHES
        if origin is None:
            return False  # not a browser, or a same-origin request from an old one
        if origin == "null":  # sandboxed frames, some redirects: nobody we can vouch for
            return True
        return urlsplit(origin).netloc.lower() != host.lower()


class FrameGuard:
    """ASGI middleware: a response without a Content-Security-Policy of its own gets
    `frame-ancestors 'none'` and `X-Frame-Options: DENY` (for browsers without CSP), so no other
    site can frame it. A response that sets its own policy (the aids widget, its logo) decides
    for itself, and gets no X-Frame-Options that would contradict it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_refusing_frames(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = list(message.get("headers", ()))
                headers = MutableHeaders(scope=message)
                if "content-security-policy" not in headers:
                    headers.append("content-security-policy", "frame-ancestors 'none'")
                    headers.append("x-frame-options", "DENY")
            await send(message)

        await self.app(scope, receive, send_refusing_frames)


async def _problem(send: Send, path: str, status: int, title: str, detail: str) -> None:
    body = json.dumps(
        {
            "type": "about:blank",
            "title": title,
            "status": status,
            "detail": detail,
            "instance": path,
        }
    ).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/problem+json"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
