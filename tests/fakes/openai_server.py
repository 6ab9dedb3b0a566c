"""A small local HTTP server that speaks the OpenAI chat-completions protocol, scripted per test.

    script = [
        ScriptedServer.tool_call("find_deals", {"period": "this quarter"}),
        lambda request: ScriptedServer.text("You have " + ...),   # a step can read the request
    ]
    with OpenAIStandIn(script) as server:
        settings = Settings(llm_base_url=server.base_url, llm_model="scripted", llm_api_key="test")
        ...
    server.requests  # every request body received, in order

Each POST /v1/chat/completions consumes the next step; a step is a response `message` dict (see
`text` / `tool_call`) or a callable taking the request body and returning one. When the script
runs out the server answers 500 with a clear message, so a test sees an unexpected extra call.
`GET /v1/models` lists the one model. Streaming is not supported (langchain-openai does not ask
for it by default).
"""

import json
import threading
import time
import uuid
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Step = dict[str, Any] | Callable[[dict[str, Any]], dict[str, Any]]


def text(content: str) -> dict[str, Any]:
    """An assistant message with plain content."""
    return {"role": "assistant", "content": content}


def tool_call(name: str, arguments: dict[str, Any], *more: tuple[str, dict[str, Any]]) -> dict[str, Any]:
    """An assistant message calling one tool (or several: pass extra (name, arguments) pairs)."""
    calls = [(name, arguments), *more]
    return {
        "role": "assistant",
        "content": None,
        "tool_calls": [
            {
                "id": f"call_{uuid.uuid4().hex[:12]}",
                "type": "function",
                "function": {"name": call_name, "arguments": json.dumps(call_args)},
            }
            for call_name, call_args in calls
        ],
    }


def tool_messages(request: dict[str, Any]) -> list[str]:
    """The contents of the tool-result messages in a request, oldest first."""
    return [m.get("content") or "" for m in request.get("messages", []) if m.get("role") == "tool"]


class OpenAIStandIn:
    def __init__(self, script: list[Step], model: str = "scripted-model", api_key: str | None = "test-key") -> None:
        self.script = list(script)
        self.model = model
        self.api_key = api_key
        self.requests: list[dict[str, Any]] = []
        self.auth_headers: list[str | None] = []
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        assert self._server is not None, "the server is not running"
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    def _next(self, body: dict[str, Any]) -> dict[str, Any] | None:
        with self._lock:
            self.requests.append(body)
            if not self.script:
                return None
            step = self.script.pop(0)
        return step(body) if callable(step) else step

    def _completion(self, message: dict[str, Any]) -> dict[str, Any]:
        return {
            "id": f"chatcmpl-{uuid.uuid4().hex[:12]}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": self.model,
            "choices": [
                {
                    "index": 0,
                    "message": message,
                    "logprobs": None,
                    "finish_reason": "tool_calls" if message.get("tool_calls") else "stop",
                }
            ],
            "usage": {"prompt_tokens": 10, "completion_tokens": 10, "total_tokens": 20},
        }

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                return

            def _send(self, status: int, payload: dict[str, Any]) -> None:
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                if self.path.rstrip("/").endswith("/models"):
                    self._send(200, {"object": "list", "data": [{"id": stand_in.model, "object": "model"}]})
                else:
                    self._send(404, {"error": {"message": f"no route {self.path}"}})

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                stand_in.auth_headers.append(self.headers.get("Authorization"))
                if not self.path.rstrip("/").endswith("/chat/completions"):
                    self._send(404, {"error": {"message": f"no route {self.path}"}})
                    return
                if stand_in.api_key and self.headers.get("Authorization") != f"Bearer {stand_in.api_key}":
                    self._send(401, {"error": {"message": "invalid api key", "type": "invalid_request_error"}})
                    return
                message = stand_in._next(body)
                if message is None:
                    self._send(500, {"error": {"message": "the test script has no more responses"}})
                    return
                self._send(200, stand_in._completion(message))

        return Handler

    def __enter__(self) -> "OpenAIStandIn":
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        assert self._server is not None
        self._server.shutdown()
        self._server.server_close()
