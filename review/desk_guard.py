"""The desk's gatekeeper, an ASGI middleware: who may talk to the desk, and which requests may change data.

- Host: on a loopback address only the desk's own host names are answered, so a web page elsewhere
  cannot reach the desk by pointing its own domain name at 127.0.0.1 (DNS rebinding).
- Token: on any other address, every request needs the desk's token, given once in the address
  (`/?token=…`, then kept as a cookie) or as `Authorization: Bearer …` by scripts.
- Changes (POST): the Origin, when sent, must be the desk itself, and the request must carry the CSRF
  token of its session (header `X-CSRF-Token`), which only the desk's own pages and `/api/session` give.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import secrets
from http.cookies import SimpleCookie
from urllib.parse import parse_qs, urlsplit

SESSION_COOKIE = "pecs_desk_session"
TOKEN_COOKIE = "pecs_desk_token"
SAFE_METHODS = {"GET", "HEAD"}
# The page runs only its own script and shows only its own pictures; no other site may frame it.
SECURITY_HEADERS = (
    (b"content-security-policy", b"default-src 'self'; img-src 'self' blob: data:; frame-ancestors 'none'"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
)


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class Guard:
    def __init__(self, app, host: str, port: int, token: str | None):
        self.app = app
        self.local = is_loopback(host)
        self.token = token  # serve() makes one for any address that is not loopback
        self.secret = secrets.token_bytes(32)
        self.allowed_hosts = {f"{name}:{port}" for name in ("127.0.0.1", "localhost", "[::1]")}
        if not self.local and host not in ("0.0.0.0", "::"):
            self.allowed_hosts.add(f"{host}:{port}")

    def csrf_for(self, session: str) -> str:
        return hmac.new(self.secret, session.encode(), hashlib.sha256).hexdigest()

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        cookies = _cookies(headers.get("cookie", ""))
        refusal = self._refusal(scope, headers, cookies)
        if refusal:
            return await _answer(send, *refusal)
        query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        if self.token and query.get("token") and scope["path"] == "/":  # first visit with the token: keep it
            return await _answer(send, 303, "", [("location", "/"), ("set-cookie", _cookie(TOKEN_COOKIE, self.token))])
        session = cookies.get(SESSION_COOKIE)
        new_session = None
        if not session or len(session) != 43:
            session = new_session = secrets.token_urlsafe(32)
        scope.setdefault("state", {})
        scope["state"]["csrf"] = self.csrf_for(session)
        if scope["method"] not in SAFE_METHODS and not hmac.compare_digest(
            headers.get("x-csrf-token", ""), self.csrf_for(session)
        ):
            return await _answer(send, 403, "missing or wrong CSRF token: reload the desk's page")

        async def send_with_cookie(message):
            if message["type"] == "http.response.start":
                extra = list(SECURITY_HEADERS)
                if new_session:
                    extra.append((b"set-cookie", _cookie(SESSION_COOKIE, session).encode()))
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        return await self.app(scope, receive, send_with_cookie)

    def _refusal(self, scope, headers: dict, cookies: dict) -> tuple[int, str] | None:
        host = headers.get("host", "")
        if self.local and host not in self.allowed_hosts:
            return 421, f"this desk answers only as {sorted(self.allowed_hosts)[0]}, not {host[:60]!r}"
        if self.token:
            query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
            given = [cookies.get(TOKEN_COOKIE, ""), headers.get("authorization", "").removeprefix("Bearer ")]
            given += query.get("token", [])
            if not any(hmac.compare_digest(value.encode(), self.token.encode()) for value in given if value):
                return 401, "this desk needs its token: open the address printed when it started (…/?token=…)"
        if scope["method"] not in SAFE_METHODS:
            origin = headers.get("origin")
            if origin is not None and urlsplit(origin).netloc != host:
                return 403, f"refused: a change requested from another site ({origin[:60]})"
            if headers.get("sec-fetch-site") == "cross-site":
                return 403, "refused: a change requested from another site"
        return None


def _cookies(header: str) -> dict[str, str]:
    jar = SimpleCookie()
    try:
        jar.load(header)
    except Exception:  # a malformed Cookie header is treated as none
        return {}
    return {key: morsel.value for key, morsel in jar.items()}


def _cookie(name: str, value: str) -> str:
    return f"{name}={value}; Path=/; HttpOnly; SameSite=Strict"


async def _answer(send, status: int, message: str, headers: list[tuple[str, str]] | None = None) -> None:
    body = json.dumps({"error": message}).encode() if message else b""
    raw = [(b"content-type", b"application/json")] + [(k.encode(), v.encode()) for k, v in headers or []]
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": body})
