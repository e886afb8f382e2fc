"""Metrics: exact, streaming, and checked against the reference implementations."""
