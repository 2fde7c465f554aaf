"""A loopback HTTP receiver for delivery tests (integrations spec §4.3).

with Receiver() as receiver:
    receiver.script(500, 500)           # the next answers, then 200
    ... deliver to receiver.url("/hook") ...
    request = receiver.wait(1)[0]       # blocks until one request arrived
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


def free_port() -> int:
    """A port nobody listens on (for servers that cannot be given port 0)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class Answer:
    status: int = 200
    body: bytes = b"{}"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds before answering, to provoke time-outs


@dataclass
class Request:
    method: str
    path: str  # as sent, with the query string
    headers: list[tuple[str, str]]
    body: bytes
    arrived: float  # time.monotonic()

    @property
    def query(self) -> dict[str, list[str]]:
        return parse_qs(urlsplit(self.path).query, keep_blank_values=True)

    @property
    def route(self) -> str:
        return urlsplit(self.path).path

    def header(self, name: str) -> str | None:
        for key, value in self.headers:
            if key.lower() == name.lower():
                return value
        return None

    def json(self) -> Any:
        return json.loads(self.body)

    def form(self) -> dict[str, list[str]]:
        return parse_qs(self.body.decode(), keep_blank_values=True)


class Receiver:
    def __init__(self) -> None:
        self.requests: list[Request] = []  # answered, or being answered
        self.incoming = 0  # arrived, answered or not
        self.answers: deque[Answer] = deque()
        self.routes: dict[tuple[str, str], Answer] = {}
        self.arrived = threading.Condition()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # Headers and body go out in two writes; on a kept-alive
            # connection Nagle's algorithm would hold the body back for the
            # client's delayed ACK (40 ms per request).
            disable_nagle_algorithm = True

            def log_message(self, format: str, *args: Any) -> None:
                pass  # keep test output clean

            def handle_any(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                request = Request(
                    self.command, self.path, list(self.headers.items()), body, time.monotonic()
                )
                with receiver.arrived:
                    receiver.incoming += 1
                answer = receiver._answer_for(request)
                if answer.delay:
                    time.sleep(answer.delay)
                # Recorded before answering, so a client that got its answer
                # finds its request in the list.
                with receiver.arrived:
                    receiver.requests.append(request)
                    receiver.arrived.notify_all()
                try:
                    self.send_response(answer.status)
                    for key, value in answer.headers.items():
                        self.send_header(key, value)
                    self.send_header("Content-Length", str(len(answer.body)))
                    self.end_headers()
                    self.wfile.write(answer.body)
                except OSError:
                    pass  # the client gave up (a time-out test)

            do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = handle_any

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def _answer_for(self, request: Request) -> Answer:
        with self.arrived:
            if (request.method, request.route) in self.routes:
                return self.routes[(request.method, request.route)]
            return self.answers.popleft() if self.answers else Answer()

    @property
    def base_url(self) -> str:
        port = self.server.server_address[1]
        return f"http://127.0.0.1:{port}"

    def url(self, path: str = "/") -> str:
        return self.base_url + path

    def script(self, *answers: Answer | int) -> None:
        """Queue answers for the next requests; plain ints are status codes."""
        with self.arrived:
            for answer in answers:
                self.answers.append(Answer(answer) if isinstance(answer, int) else answer)

    def route(self, method: str, path: str, answer: Answer) -> None:
        with self.arrived:
            self.routes[(method, path)] = answer

    def wait(self, count: int, timeout: float = 10.0) -> list[Request]:
        """Block until at least `count` requests arrived; return them all."""
        deadline = time.monotonic() + timeout
        with self.arrived:
            while len(self.requests) < count:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(
                        f"expected {count} requests, got {len(self.requests)} in {timeout}s"
                    )
                self.arrived.wait(remaining)
            return list(self.requests)

    def reset(self) -> None:
        """Forget requests and scripted answers, for a receiver shared by tests."""
        with self.arrived:
            self.requests.clear()
            self.answers.clear()
            self.routes.clear()
            self.incoming = 0

    def __enter__(self) -> Receiver:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


class SharedReceiver:
    """Test case mixin: one receiver for the class (stopping one takes half a
    second), emptied before each test."""

    receiver: Receiver

    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()  # type: ignore[misc]
        cls.receiver = Receiver().__enter__()
        cls.addClassCleanup(cls.receiver.__exit__)  # type: ignore[attr-defined]

    def setUp(self) -> None:
        super().setUp()  # type: ignore[misc]
        self.receiver.reset()
