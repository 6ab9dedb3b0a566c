"""A local HTTP server standing in for Slack's Web API, response URLs and private file downloads.

It answers the methods Dealwise calls (auth.test, users.info, chat.postMessage, chat.update,
chat.postEphemeral, files.info), serves uploaded files at their ``url_private`` (bot token
required, like Slack) and records every call so tests can assert what reached "Slack".
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

BOT_USER_ID = "UDEALWISEBOT"
BOT_ID = "BDEALWISE"
TEAM_ID = "T0DEMO"


def event_callback(event: dict[str, Any], event_id: str) -> dict[str, Any]:
    """The Events API body Slack sends for `event`, over HTTP or inside a Socket Mode envelope."""
    return {
        "token": "legacy",
        "team_id": TEAM_ID,
        "api_app_id": "A0DEALWISE",
        "type": "event_callback",
        "event_id": event_id,
        "event_time": int(time.time()),
        "event": event,
        "authorizations": [{"team_id": TEAM_ID, "user_id": BOT_USER_ID, "is_bot": True}],
    }


@dataclass
class SlackCall:
    method: str
    params: dict[str, Any]
    token: str | None


@dataclass
class SlackFile:
    id: str
    name: str
    mimetype: str
    data: bytes
    user: str


@dataclass
class SlackApiStandIn:
    bot_token: str
    users: dict[str, dict[str, Any]] = field(default_factory=dict)
    files: dict[str, SlackFile] = field(default_factory=dict)
    calls: list[SlackCall] = field(default_factory=list)
    base_url: str = ""
    app_token: str | None = None
    socket_url: str | None = None
    """What apps.connections.open answers (Socket Mode): a ws:// URL of a local stand-in."""
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _server: ThreadingHTTPServer | None = None

    @property
    def api_url(self) -> str:
        return f"{self.base_url}/api/"

    def add_user(self, slack_id: str, email: str | None, name: str = "") -> None:
        profile: dict[str, Any] = {"real_name": name or slack_id}
        if email is not None:
            profile["email"] = email
        self.users[slack_id] = {"id": slack_id, "name": name or slack_id, "team_id": TEAM_ID, "profile": profile}

    def add_file(self, file_id: str, name: str, mimetype: str, data: bytes, user: str) -> dict[str, Any]:
        self.files[file_id] = SlackFile(file_id, name, mimetype, data, user)
        return self.file_object(file_id)

    def file_object(self, file_id: str) -> dict[str, Any]:
        stored = self.files[file_id]
        return {
            "id": stored.id,
            "name": stored.name,
            "title": stored.name,
            "mimetype": stored.mimetype,
            "filetype": stored.name.rsplit(".", 1)[-1],
            "size": len(stored.data),
            "user": stored.user,
            "url_private": f"{self.base_url}/files-pri/{TEAM_ID}-{stored.id}/{stored.name}",
            "url_private_download": f"{self.base_url}/files-pri/{TEAM_ID}-{stored.id}/download/{stored.name}",
        }

    def response_url(self, key: str) -> str:
        return f"{self.base_url}/response/{key}"

    def calls_to(self, method: str) -> list[SlackCall]:
        with self._lock:
            return [call for call in self.calls if call.method == method]

    def wait_for(
        self, method: str, count: int = 1, timeout: float = 30.0, where: Callable[[SlackCall], bool] | None = None
    ) -> list[SlackCall]:
        """Replies are sent after Slack's HTTP request returns: poll until `count` matching calls arrived."""
        deadline = time.monotonic() + timeout
        while True:
            matching = [call for call in self.calls_to(method) if where is None or where(call)]
            if len(matching) >= count or time.monotonic() > deadline:
                return matching
            time.sleep(0.05)

    def record(self, method: str, params: dict[str, Any], token: str | None) -> None:
        with self._lock:
            self.calls.append(SlackCall(method, params, token))

    def answer(self, method: str, params: dict[str, Any], token: str | None) -> dict[str, Any]:
        if method == "apps.connections.open":
            if token is None or token != self.app_token or self.socket_url is None:
                return {"ok": False, "error": "invalid_auth"}
            return {"ok": True, "url": self.socket_url}
        if token != self.bot_token:
            return {"ok": False, "error": "invalid_auth"}
        if method == "auth.test":
            return {"ok": True, "url": "https://demo.slack.com/", "team": "Demo", "team_id": TEAM_ID,
                    "user": "dealwise", "user_id": BOT_USER_ID, "bot_id": BOT_ID}  # fmt: skip
        if method == "users.info":
            user = self.users.get(str(params.get("user")))
            return {"ok": True, "user": user} if user else {"ok": False, "error": "user_not_found"}
        if method == "files.info":
            file_id = str(params.get("file"))
            return {"ok": True, "file": self.file_object(file_id)} if file_id in self.files else {
                "ok": False, "error": "file_not_found"}  # fmt: skip
        if method in ("chat.postMessage", "chat.update", "chat.postEphemeral"):
            stamp = f"{time.time():.6f}"
            return {"ok": True, "channel": params.get("channel"), "ts": params.get("ts") or stamp,
                    "message_ts": stamp, "message": {"text": params.get("text"), "ts": stamp}}  # fmt: skip
        return {"ok": False, "error": "unknown_method"}

    def start(self) -> SlackApiStandIn:
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                return

            def _token(self) -> str | None:
                header = self.headers.get("Authorization", "")
                return header.split(" ", 1)[1] if header.lower().startswith("bearer ") else None

            def _params(self) -> dict[str, Any]:
                url = urlsplit(self.path)
                params: dict[str, Any] = dict(parse_qsl(url.query))
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                if body:
                    if "json" in (self.headers.get("Content-Type") or ""):
                        params.update(json.loads(body))
                    else:
                        params.update(parse_qsl(body.decode()))
                return params

            def _send(self, status: int, body: bytes, content_type: str) -> None:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def _handle(self) -> None:
                path = urlsplit(self.path).path
                params = self._params()
                token = self._token() or params.get("token")
                if path.startswith("/api/"):
                    method = path.removeprefix("/api/")
                    stand_in.record(method, params, token)
                    self._send(200, json.dumps(stand_in.answer(method, params, token)).encode(), "application/json")
                elif path.startswith("/response/"):
                    stand_in.record("response_url", {**params, "key": path.removeprefix("/response/")}, token)
                    self._send(200, b"ok", "text/plain")
                elif path.startswith("/files-pri/"):
                    file_id = path.split("/")[2].split("-", 1)[1]
                    stand_in.record("file_download", {"file": file_id}, token)
                    stored = stand_in.files.get(file_id)
                    if stored is None:
                        self._send(404, b"not found", "text/plain")
                    elif token != stand_in.bot_token:
                        self._send(200, b"<html>Sign in to Slack</html>", "text/html")
                    else:
                        self._send(200, stored.data, stored.mimetype)
                else:
                    self._send(404, b"not found", "text/plain")

            do_GET = _handle
            do_POST = _handle

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base_url = f"http://127.0.0.1:{self._server.server_address[1]}"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
