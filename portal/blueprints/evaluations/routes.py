"""Evaluation routes."""
