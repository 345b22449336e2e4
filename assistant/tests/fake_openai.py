"""A small local stand-in for an OpenAI-compatible chat-completions server (tests only).

``FakeOpenAI`` serves ``POST /chat/completions`` on 127.0.0.1 (a free port) from a thread. It answers
with the scripted responses in order — each a message dict (``{"content": ...}`` or
``{"tool_calls": [...]}``), or ``("status", 500)`` for an HTTP error, ``("sleep", seconds)`` to stall
past the client's timeout, ``("raw", b"...")`` for a body that is not JSON — and records every
request (path, headers, JSON body) in ``requests``.
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def tool_call(call_id: str, name: str, arguments) -> dict:
    raw = arguments if isinstance(arguments, str) else json.dumps(arguments)
    return {"id": call_id, "type": "function", "function": {"name": name, "arguments": raw}}


class FakeOpenAI:
    def __init__(self, script: list):
        self.script = list(script)
        self.requests: list[dict] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep test output quiet
                pass

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                try:
                    parsed = json.loads(body)
                except ValueError:
                    parsed = None
                fake.requests.append({"path": self.path, "headers": dict(self.headers), "json": parsed})
                step = fake.script.pop(0) if fake.script else {"content": "(no more scripted answers)"}
                if isinstance(step, tuple) and step[0] == "status":
                    self.send_response(step[1])
                    self.end_headers()
                    self.wfile.write(b'{"error": {"message": "server error"}}')
                    return
                if isinstance(step, tuple) and step[0] == "sleep":
                    time.sleep(step[1])
                    step = {"content": "too late"}
                if isinstance(step, tuple) and step[0] == "raw":
                    payload = step[1]
                else:
                    message = {"role": "assistant", "content": step.get("content")}
                    if step.get("tool_calls"):
                        message["tool_calls"] = step["tool_calls"]
                    payload = json.dumps(
                        {
                            "id": "chatcmpl-test",
                            "object": "chat.completion",
                            "choices": [{"index": 0, "message": message}],
                        }
                    ).encode()
                try:
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout test)
                    pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> FakeOpenAI:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
