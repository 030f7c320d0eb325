"""Pytest setup: make the ``actions`` package in chatbot/ importable."""

import sys
from pathlib import Path

CHATBOT_DIR = Path(__file__).resolve().parent.parent

if str(CHATBOT_DIR) not in sys.path:
    sys.path.insert(0, str(CHATBOT_DIR))
