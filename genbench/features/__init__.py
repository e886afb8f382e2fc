"""Feature extractors and the spaces metrics are computed in."""
