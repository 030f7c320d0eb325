"""Helpers to run the local topology (portal, Rasa, action server, PostgreSQL) for dev and tests."""
