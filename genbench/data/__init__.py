"""Datasets: embedded ones (digits, shapes), user image sets and local archives."""
