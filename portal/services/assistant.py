"""Talking to the Rasa assistant over its REST channel.

`RASA_URL` may name several Rasa processes, separated by commas. They share the tracker store
(PostgreSQL) and the lock store (Redis), so any of them can take the next message of a
conversation: each message goes to one picked at random, and to the next when that one cannot
be reached. A message is never sent twice once a process has accepted the connection (it may
have been handled), so a read timeout is reported, not retried.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass

import requests


class AssistantUnavailable(RuntimeError):
    """Rasa (or the action server behind it) did not answer in time or answered with an error."""


def rasa_urls(setting: str) -> tuple[str, ...]:
    """The Rasa base URLs of the `RASA_URL` setting."""
    return tuple(url.strip().rstrip("/") for url in setting.split(",") if url.strip())


@dataclass(frozen=True)
class ProcessStatus:
    url: str
    reachable: bool
    version: str | None
    milliseconds: int | None


@dataclass(frozen=True)
class AssistantClient:
    base_url: str  # one URL or several, comma-separated
    connect_timeout: float = 2.0
    read_timeout: float = 8.0

    @classmethod
    def from_config(cls, config) -> AssistantClient:
        return cls(
            base_url=config["RASA_URL"],
            connect_timeout=config["ASSISTANT_CONNECT_TIMEOUT"],
            read_timeout=config["ASSISTANT_READ_TIMEOUT"],
        )

    @property
    def urls(self) -> tuple[str, ...]:
        return rasa_urls(self.base_url)

    def send(self, sender: str, text: str, metadata: dict) -> list[str]:
        """Send one user message; return the assistant's text replies in order."""
        urls = list(self.urls)
        start = random.randrange(len(urls)) if urls else 0  # noqa: S311 - spreading load only
        last_error: Exception = AssistantUnavailable("no RASA_URL configured")
        for url in urls[start:] + urls[:start]:
            try:
                response = requests.post(
                    f"{url}/webhooks/rest/webhook",
                    json={"sender": sender, "message": text, "metadata": metadata},
                    timeout=(self.connect_timeout, self.read_timeout),
                )
            except requests.ConnectionError as exc:  # not reached: the next one may be
                last_error = exc
                continue
            except requests.RequestException as exc:
                raise AssistantUnavailable(str(exc)) from exc
            return _replies(response)
        raise AssistantUnavailable(str(last_error)) from last_error

    def status(self) -> list[ProcessStatus]:
        """Whether each Rasa process answers (its root page names its version)."""
        found = []
        for url in self.urls:
            started = time.monotonic()
            try:
                response = requests.get(f"{url}/", timeout=(min(self.connect_timeout, 1.0), 2.0))
                response.raise_for_status()
            except requests.RequestException:
                found.append(ProcessStatus(url, False, None, None))
                continue
            elapsed = round((time.monotonic() - started) * 1000)
            version = response.text.strip().removeprefix("Hello from Rasa:").strip()[:40] or None
            found.append(ProcessStatus(url, True, version, elapsed))
        return found


def _replies(response: requests.Response) -> list[str]:
    try:
        response.raise_for_status()
        payload = response.json()
    except (requests.RequestException, ValueError) as exc:
        raise AssistantUnavailable(str(exc)) from exc
    if not isinstance(payload, list):
        raise AssistantUnavailable("unexpected reply from the assistant")
    return [item["text"] for item in payload if isinstance(item, dict) and item.get("text")]
