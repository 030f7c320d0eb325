"""The portal's Rasa client: several processes, failover when one cannot be reached, status."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from devtools.processes import free_port
from portal.services.assistant import AssistantClient, AssistantUnavailable, rasa_urls


class FakeRasa(BaseHTTPRequestHandler):
    received: list[str] = []

    def do_GET(self):  # noqa: N802 - the http.server API
        self._answer(200, b"Hello from Rasa: 3.6.21", "text/plain")

    def do_POST(self):  # noqa: N802
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        FakeRasa.received.append(body["message"])
        reply = json.dumps([{"recipient_id": body["sender"], "text": "antwoord"}]).encode()
        self._answer(200, reply, "application/json")

    def _answer(self, status: int, body: bytes, kind: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_args):
        pass


@pytest.fixture
def fake_rasa():
    FakeRasa.received = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeRasa)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_the_setting_may_name_several_processes():
    assert rasa_urls(" http://a:5005/, http://b:5005 ,") == ("http://a:5005", "http://b:5005")


def test_a_process_that_cannot_be_reached_is_skipped(fake_rasa):
    down = f"http://127.0.0.1:{free_port()}"
    client = AssistantClient(f"{down},{fake_rasa}", connect_timeout=0.5, read_timeout=2)
    for number in range(6):  # whichever it picks first, every message gets its answer once
        assert client.send("s1", f"vraag {number}", {}) == ["antwoord"]
    assert FakeRasa.received == [f"vraag {number}" for number in range(6)]


def test_when_none_can_be_reached_the_assistant_is_unavailable():
    ports = ",".join(f"http://127.0.0.1:{free_port()}" for _ in range(2))
    with pytest.raises(AssistantUnavailable):
        AssistantClient(ports, connect_timeout=0.5, read_timeout=0.5).send("s", "hoi", {})


def test_status_names_each_process(fake_rasa):
    down = f"http://127.0.0.1:{free_port()}"
    found = AssistantClient(f"{fake_rasa},{down}", connect_timeout=0.5).status()
    assert [(item.url, item.reachable, item.version) for item in found] == [
        (fake_rasa, True, "3.6.21"),
        (down, False, None),
    ]
    assert found[0].milliseconds is not None and found[0].milliseconds >= 0
