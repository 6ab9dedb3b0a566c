"""A local websocket server standing in for Slack's Socket Mode endpoint: it says hello, delivers the
envelopes a test queues, and records the acknowledgements the app sends back."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from typing import Any

from websockets.asyncio.server import ServerConnection, serve

from tests.fakes.slack_api import event_callback


class SlackSocketStandIn:
    def __init__(self, port: int) -> None:
        self.port = port
        self.acks: list[str] = []
        self._outbox: asyncio.Queue[dict[str, Any]] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._ready = threading.Event()
        self._stop: asyncio.Event | None = None
        self._thread = threading.Thread(target=self._run, daemon=True)

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/link"

    def start(self) -> SlackSocketStandIn:
        self._thread.start()
        self._ready.wait(10)
        return self

    def stop(self) -> None:
        if self._loop is not None and self._stop is not None:
            self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(timeout=10)

    def send_event(self, envelope_id: str, event: dict[str, Any], event_id: str) -> None:
        payload = event_callback(event, event_id)
        envelope = {"envelope_id": envelope_id, "type": "events_api", "payload": payload, "retry_attempt": 0,
                    "retry_reason": "", "accepts_response_payload": False}  # fmt: skip
        assert self._loop is not None and self._outbox is not None
        self._loop.call_soon_threadsafe(self._outbox.put_nowait, envelope)

    def wait_for_ack(self, envelope_id: str, timeout: float = 30) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if envelope_id in self.acks:
                return True
            time.sleep(0.05)
        return False

    def _run(self) -> None:
        asyncio.run(self._serve())

    async def _serve(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._outbox = asyncio.Queue()
        self._stop = asyncio.Event()
        async with serve(self._connection, "127.0.0.1", self.port):
            self._ready.set()
            await self._stop.wait()

    async def _connection(self, websocket: ServerConnection) -> None:
        await websocket.send(json.dumps({"type": "hello", "num_connections": 1, "debug_info": {}}))
        assert self._outbox is not None

        async def deliver() -> None:
            while True:
                await websocket.send(json.dumps(await self._outbox.get()))

        sender = asyncio.create_task(deliver())
        try:
            async for message in websocket:
                data = json.loads(message)
                if "envelope_id" in data:
                    self.acks.append(data["envelope_id"])
        except Exception:
            pass
        finally:
            sender.cancel()
