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
* Injected script: should a page ever echo a string unescaped, the Content-Security-Policy
  still runs no inline script and nothing from another site (``SecurityHeaders``).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterable
from urllib.parse import urlsplit

from starlette.datastructures import Headers, MutableHeaders
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from rugwijzer.messages import Code

__all__ = [
    "PAGE_POLICY",
    "REFERRER_POLICY",
    "Refusal",
    "RequestGuard",
    "SecurityHeaders",
    "is_loopback_host",
]

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


#: Builds a guard's refusal: (request, status, title, message code) → response.
Refusal = Callable[[Request, int, str, Code], Response]


class RequestGuard:
    """ASGI middleware: refuse cross-site writes everywhere, and foreign hosts in local mode.

    `refuse` answers a refused request (the app's problem+json in the reader's language)."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        loopback_only: bool,
        refuse: Refusal,
        trusted_origins: Iterable[str] = (),
    ) -> None:
        self.app = app
        self.loopback_only = loopback_only
        self.refuse = refuse
        self.trusted_origins = frozenset(origin.rstrip("/") for origin in trusted_origins)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            headers = Headers(scope=scope)
            host = headers.get("host", "")
            refusal: tuple[int, str, Code] | None = None
            if self.loopback_only and not is_loopback_host(host):
                refusal = (421, "Misdirected request", Code.LOCAL_HOST_ONLY)
            elif scope["method"] not in _SAFE_METHODS and self._cross_site(headers, host):
                refusal = (403, "Cross-site request refused", Code.CROSS_SITE_REFUSED)
            if refusal is not None:
                response = self.refuse(Request(scope), *refusal)
                await response(scope, receive, send)
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


#: The policy of every response that brings none of its own: scripts, styles, images and fetches
#: only from Rugwijzer itself (static/…), never inline; no plugins, no <base>, forms post only
#: here, and no other site may frame the page.
PAGE_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
#: Other sites learn where a visitor came from only as far as the origin (never a page's path
#: or query), and only over https. Not 'no-referrer': with it, browsers send `Origin: null` on
#: a POST, which RequestGuard must refuse from a browser without Sec-Fetch-Site.
REFERRER_POLICY = "strict-origin-when-cross-origin"


class SecurityHeaders:
    """ASGI middleware: headers that every response carries (pages, API, static files, errors).

    * `Content-Security-Policy`: `PAGE_POLICY`, unless the response sets its own (the aids
      widget and its logo, framed by the configured shops; the API documentation, see
      `extra_policies`). With our policy comes `X-Frame-Options: DENY` for browsers without
      CSP; a response with its own policy gets none that would contradict it.
    * `Referrer-Policy` and `X-Content-Type-Options: nosniff`, unless the response chose
      otherwise (the widget asks for no referrer at all).

    `extra_policies` maps an exact path to the policy its responses get instead of
    `PAGE_POLICY`."""

    def __init__(self, app: ASGIApp, *, extra_policies: dict[str, str] | None = None) -> None:
        self.app = app
        self.extra_policies = dict(extra_policies or {})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        policy = self.extra_policies.get(scope.get("path", ""), PAGE_POLICY)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = list(message.get("headers", ()))
                headers = MutableHeaders(scope=message)
                if "content-security-policy" not in headers:
                    headers.append("content-security-policy", policy)
                    headers.append("x-frame-options", "DENY")
                if "referrer-policy" not in headers:
                    headers.append("referrer-policy", REFERRER_POLICY)
                if "x-content-type-options" not in headers:
                    headers.append("x-content-type-options", "nosniff")
            await send(message)

        await self.app(scope, receive, send_with_headers)
