"""genbench-baselines: the oracle, memorizer, noise and mean baselines of every leaderboard."""

__version__ = "0.1.0"
