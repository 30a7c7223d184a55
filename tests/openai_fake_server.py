"""A tiny real HTTP server that speaks the OpenAI chat-completions protocol, for the LLM plumbing tests.

It answers ``POST /v1/chat/completions`` (plain JSON, or server-sent events when the request
asks to stream) with a scripted reply, or fails on purpose: HTTP 500, or a hang longer than
the client's timeout. It can also write like a small model that ignores its instructions: the first
passage's opening sentence without a citation, then a sentence no passage says (``ECHO``). Every
request body it receives is kept for the tests to inspect.
"""

from __future__ import annotations

import html
import json
import re
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

REPLY = "reply"
ERROR_500 = "error500"
HANG = "hang"
ECHO = "echo"
INVENTED = "It was first used by NASA in 1962 and costs $5 million a year."
_FIRST_PASSAGE = re.compile(r'<passage n="1"[^>]*>\s*(.*?)</passage>', re.DOTALL)


@dataclass
class FakeChatServer:
    """What the server does next, and what it has been sent."""

    pieces: list[str] = field(default_factory=lambda: ["I don't know: the playbook doesn't cover that."])
    behaviour: str = REPLY
    hang_seconds: float = 30.0
    piece_seconds: float = 0.0  # pause before each streamed piece: a slow model trickling tokens
    requests: list[dict] = field(default_factory=list)
    url: str = ""
    released: threading.Event = field(default_factory=threading.Event)

    def script(self, pieces: Sequence[str]) -> None:
        """Reply with these pieces (one streamed chunk each) from now on."""
        self.pieces = list(pieces)
        self.behaviour = REPLY

    @property
    def last_messages(self) -> list[dict]:
        return self.requests[-1]["messages"]


def _chunk(content: str | None, finish: str | None = None) -> dict:
    delta = {} if content is None else {"content": content}
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion.chunk",
        "created": int(time.time()),
        "model": "fake",
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
    }


def _completion(text: str) -> dict:
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": "fake",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
    }


def _echo(messages: list[dict]) -> list[str]:
    """The first passage's opening sentence, uncited, and an invented one: a model ignoring its prompt."""
    found = _FIRST_PASSAGE.search(messages[-1]["content"]) if messages else None
    opening = re.split(r"(?<=[.!?])\s", html.unescape(found.group(1)).strip(), maxsplit=1)[0] if found else ""
    return [word + " " for word in f"{opening} {INVENTED}".split()]


def _handler(state: FakeChatServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args) -> None:  # keep test output quiet
            pass

        def _send_json(self, status: int, payload: dict) -> None:
            body = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            request = json.loads(self.rfile.read(length) or b"{}")
            state.requests.append(request)
            if not self.path.rstrip("/").endswith("/chat/completions"):
                self._send_json(404, {"error": {"message": f"no route {self.path}"}})
                return
            if state.behaviour == ERROR_500:
                self._send_json(500, {"error": {"message": "the model crashed", "type": "server_error"}})
                return
            if state.behaviour == HANG:
                state.released.wait(state.hang_seconds)  # the fixture releases it at teardown
                return
            pieces = _echo(request.get("messages", [])) if state.behaviour == ECHO else state.pieces
            pieces = pieces[: request.get("max_tokens") or len(pieces)]  # a piece stands for a token
            if not request.get("stream"):
                self._send_json(200, _completion("".join(pieces)))
                return
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-cache")
            self.send_header("Connection", "close")
            self.end_headers()
            events = [
                _chunk(None)
                | {"choices": [{"index": 0, "delta": {"role": "assistant", "content": ""}, "finish_reason": None}]}
            ]
            events += [_chunk(piece) for piece in pieces]
            events.append(_chunk(None, "stop"))
            for event in events:
                time.sleep(state.piece_seconds)
                self.wfile.write(f"data: {json.dumps(event)}\n\n".encode())
                self.wfile.flush()
            self.wfile.write(b"data: [DONE]\n\n")
            self.wfile.flush()
            self.close_connection = True

    return Handler


@contextmanager
def fake_chat_server() -> Iterator[FakeChatServer]:
    """Serve on a free port of 127.0.0.1 in a background thread; ``url`` is the OpenAI base URL."""
    state = FakeChatServer()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/v1"
    try:
        yield state
    finally:
        state.released.set()
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def chat_model(url: str, timeout: float = 5.0, model: str = "x"):
    """A langchain ChatOpenAI client pointed at an OpenAI-compatible server: streaming, no retries."""
    from langchain_openai import ChatOpenAI

    return ChatOpenAI(
        model=model, base_url=url, api_key="not-needed", timeout=timeout, max_retries=0, temperature=0, streaming=True
    )
