"""`dealwise serve` says "ready" only once the server answers, never while models are still loading."""

import socket
import threading
import time
import urllib.request
from collections.abc import Callable

POLL_SECONDS = 0.25


def port_in_use(host: str, port: int) -> bool:
    """True when something already listens on host:port (the server could not start there)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return True
    return False


def health_url(host: str, port: int) -> str:
    """Where this machine reaches the server (a wildcard address is reached on loopback)."""
    reachable = {"0.0.0.0": "127.0.0.1", "": "127.0.0.1", "::": "::1"}.get(host, host)
    address = f"[{reachable}]" if ":" in reachable else reachable
    return f"http://{address}:{port}/healthz"


def wait_until_answering(url: str) -> None:
    """Return once `url` answers 200; polls for as long as the process lives."""
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            pass
        time.sleep(POLL_SECONDS)


def announce_when_ready(host: str, port: int, announce: Callable[[], None]) -> threading.Thread:
    """Call `announce` from a background thread as soon as the server on host:port answers."""

    def watch() -> None:
        wait_until_answering(health_url(host, port))
        announce()

    thread = threading.Thread(target=watch, name="announce-ready", daemon=True)
    thread.start()
    return thread
