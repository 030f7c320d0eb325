"""Talking to the Rasa assistant over its REST channel."""

from __future__ import annotations

from dataclasses import dataclass

import requests


class AssistantUnavailable(RuntimeError):
    """Rasa (or the action server behind it) did not answer in time or answered with an error."""


@dataclass(frozen=True)
class AssistantClient:
    base_url: str
    connect_timeout: float = 2.0
    read_timeout: float = 8.0

    def send(self, sender: str, text: str, metadata: dict) -> list[str]:
        """Send one user message; return the assistant's text replies in order."""
        try:
            response = requests.post(
                f"{self.base_url.rstrip('/')}/webhooks/rest/webhook",
                json={"sender": sender, "message": text, "metadata": metadata},
                timeout=(self.connect_timeout, self.read_timeout),
            )
            response.raise_for_status()
            payload = response.json()
        except (requests.RequestException, ValueError) as exc:
            raise AssistantUnavailable(str(exc)) from exc
        if not isinstance(payload, list):
            raise AssistantUnavailable("unexpected reply from the assistant")
        return [item["text"] for item in payload if isinstance(item, dict) and item.get("text")]
