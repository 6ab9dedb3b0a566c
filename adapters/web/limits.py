"""Request limits checked before any route runs: body size (413) and addresses holding NUL (400).

A JSON or form body may be at most ``MAX_BODY_BYTES``; a multipart upload (audio, an import zip)
at most DEALWISE_MAX_UPLOAD_BYTES plus room for the form around it. A declared Content-Length over
the limit is refused before a byte is read; a body streamed without one is cut off when it passes it.
"""

import json
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

MAX_BODY_BYTES = 2 * 1024 * 1024
MULTIPART_OVERHEAD_BYTES = 1024 * 1024


async def _answer(send: Send, status: int, detail: str) -> None:
    body = json.dumps({"detail": detail}).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class RequestLimits:
    def __init__(self, app: ASGIApp, upload_bytes: int) -> None:
        self.app = app
        self.upload_bytes = upload_bytes

    def _limit(self, headers: dict[bytes, bytes]) -> int:
        if headers.get(b"content-type", b"").lower().startswith(b"multipart/form-data"):
            return self.upload_bytes + MULTIPART_OVERHEAD_BYTES
        return MAX_BODY_BYTES

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        query = scope.get("query_string", b"").lower()
        if "\x00" in scope["path"] or b"%00" in query or b"\x00" in query:
            await _answer(send, 400, "the address holds a NUL character")
            return
        headers = dict(scope["headers"])
        limit = self._limit(headers)
        declared = headers.get(b"content-length", b"")
        if declared.isdigit() and int(declared) > limit:
            await _answer(send, 413, f"the request body is larger than {limit} bytes")
            return
        await self._streamed(scope, receive, send, limit)

    async def _streamed(self, scope: Scope, receive: Receive, send: Send, limit: int) -> None:
        state: dict[str, Any] = {"received": 0, "too_large": False, "started": False}

        async def counted() -> Message:
            if state["too_large"]:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                state["received"] += len(message.get("body", b""))
                if state["received"] > limit:
                    state["too_large"] = True
                    return {"type": "http.disconnect"}
            return message

        async def guarded(message: Message) -> None:
            if state["too_large"] and not state["started"]:
                return
            state["started"] = True
            await send(message)

        try:
            await self.app(scope, counted, guarded)
        except Exception:
            if not state["too_large"]:
                raise
        if state["too_large"] and not state["started"]:
            await _answer(send, 413, f"the request body is larger than {limit} bytes")
