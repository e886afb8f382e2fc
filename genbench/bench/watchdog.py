"""Stopping a model that makes no progress: ``--timeout SECONDS`` (``GENBENCH_TIMEOUT``).

A model is watched from the start of its ``load()`` to its last sampled batch; each finished
batch is progress. When ``timeout`` seconds pass without any, the model is stopped and its
row says it timed out; the run goes on with the next model. Metrics are not watched (they
run after sampling, on the core's own features, and their time grows with ``--n-samples``).

The default, 600 s, is 25 times the slowest shipped model's batch on a CPU (ddpm.digits,
1000 steps: 64 images in about 24 s) and covers that model at ``--batch-size 1024`` too;
a model slower than that per batch needs ``--timeout`` raised (0 turns the watch off).

In-process the timer is ``SIGALRM``: its handler raises ``ModelTimeout`` in the main thread,
which stops Python code (a loop, a ``sleep``, a wait on a lock) but not a call into C that
never returns to the interpreter, and only on systems with ``signal.setitimer`` (not
Windows). ``--isolate`` stops anything: the worker reports each batch by touching a file and
the parent kills it (``isolate.run_isolated``).
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType

DEFAULT_TIMEOUT = 600.0


class ModelTimeout(BaseException):
    """Raised in the model's code when it made no progress for the timeout; a BaseException,
    like KeyboardInterrupt, so that a plugin's ``except Exception`` does not swallow it."""

    def __init__(self, seconds: float) -> None:
        super().__init__(seconds)
        self.seconds = seconds

    def __str__(self) -> str:
        return timed_out(self.seconds)


def timed_out(seconds: float) -> str:
    """What a row says of a model stopped by the watch."""
    return (
        f"timed out: no progress (a loaded model or a sampled batch) for {seconds:g} s "
        "(--timeout); raise --timeout for a model this slow, or look for the call that hangs"
    )


class Watchdog:
    """Raises ``ModelTimeout`` in the watched code after ``seconds`` without ``beat()``
    (0: never). ``heartbeat``: a file touched at each beat, read by an ``--isolate`` parent."""

    def __init__(self, seconds: float, heartbeat: Path | None = None) -> None:
        self.seconds = seconds
        self.heartbeat = heartbeat
        self.fired = False
        self._armed = False

    @contextmanager
    def watching(self) -> Iterator[None]:
        self.fired = False
        self.beat()
        usable = (
            self.seconds > 0
            and hasattr(signal, "setitimer")
            and threading.current_thread() is threading.main_thread()
        )
        if not usable:
            yield
            return
        previous = signal.signal(signal.SIGALRM, self._fire)
        self._armed = True
        signal.setitimer(signal.ITIMER_REAL, self.seconds)
        try:
            yield
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
            self._armed = False

    def beat(self) -> None:
        """Progress: the timer starts again. A plugin that swallowed the timeout is stopped
        here, at its next batch."""
        if self.fired:
            raise ModelTimeout(self.seconds)
        if self._armed:
            signal.setitimer(signal.ITIMER_REAL, self.seconds)
        if self.heartbeat is not None:
            self.heartbeat.touch()  # sets the time of an existing file too

    def _fire(self, signum: int, frame: FrameType | None) -> None:
        self.fired = True
        raise ModelTimeout(self.seconds)
