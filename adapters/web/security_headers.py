"""Security headers on every response: pages, API answers and errors alike.

The Content-Security-Policy allows scripts only from the app itself (`script-src 'self'`: no inline
script, no event-handler attribute), no framing (`frame-ancestors 'none'`, and X-Frame-Options DENY
for older browsers), no connections elsewhere. One place gets a wider style policy: the evaluation
reports under /admin/evals are self-contained HTML files with their own <style>. The API docs at
/docs are served from local files (adapters.web.pages.docs) and need no exception.
"""

from fastapi import FastAPI
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

POLICY: dict[str, str] = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "connect-src": "'self'",
    "media-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
REPORTS_POLICY = {**POLICY, "style-src": "'self' 'unsafe-inline'"}
REPORTS_PREFIX = "/admin/evals"
STATIC_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), geolocation=(), microphone=(self)",
}
HSTS = "max-age=31536000"


def policy_text(policy: dict[str, str]) -> str:
    return "; ".join(f"{name} {value}" for name, value in policy.items())


class SecurityHeaders:
    """Pure ASGI middleware: headers are added as the response starts, so streamed answers stay streamed."""

    def __init__(self, app: ASGIApp, https: bool = False) -> None:
        self.app = app
        self.https = https

    def _headers(self, policy: str) -> dict[str, str]:
        headers = {**STATIC_HEADERS, "Content-Security-Policy": policy}
        if self.https:
            headers["Strict-Transport-Security"] = HSTS
        return headers

    def _policy(self, path: str) -> dict[str, str]:
        if path == REPORTS_PREFIX or path.startswith(REPORTS_PREFIX + "/"):
            return REPORTS_POLICY
        return POLICY

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = self._headers(policy_text(self._policy(scope["path"])))

        async def send_secured(message: Message) -> None:
            if message["type"] == "http.response.start":
                target = MutableHeaders(scope=message)
                for name, value in headers.items():
                    target[name] = value
            await send(message)

        await self.app(scope, receive, send_secured)


def install(app: FastAPI, base_url: str) -> None:
    app.add_middleware(SecurityHeaders, https=base_url.lower().startswith("https://"))
