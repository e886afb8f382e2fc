"""Shared training utilities for family plugins: checkpoint I/O and training loops."""
