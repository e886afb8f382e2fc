"""``--isolate``: each model in its own Python process.

The parent starts ``python -m genbench.bench.isolate REPLY`` and sends it, on stdin, the run
configuration pinned to one job; the worker benchmarks that job and leaves its row in the
file ``REPLY`` (atomically), and the parent writes the row into the run like any other. A
worker that dies (segfault, out-of-memory kill, ``os._exit``) leaves no reply, and the
parent makes an error row saying how it ended. The worker touches the file ``beat`` beside
``REPLY`` when it starts loading the model and after each sampled batch; one that does not
for ``--timeout`` seconds is killed and its row says it timed out (before its first beat,
importing torch and the plugins, it has ``STARTUP_S`` more). Reference features come from
the cache the parent warmed.
"""

from __future__ import annotations

import dataclasses
import json
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from genbench.bench.config import RunConfig, resolve_device
from genbench.bench.execute import JobRunner, base_row, load_reference
from genbench.bench.plan import Job, make_plan
from genbench.bench.store import atomic_write, row_json
from genbench.bench.watchdog import Watchdog, timed_out
from genbench.data.user import dataset_argument
from genbench.distributed import World

STARTUP_S = 120.0


def job_config(job: Job, config: RunConfig) -> RunConfig:
    """``config`` narrowed to ``job``, every default made explicit (same configuration id)."""
    return dataclasses.replace(
        config,
        models=job.model.name,
        exclude="",
        dataset=dataset_argument(job.group.dataset),
        features=job.group.features.name,
        resize=job.group.resize,
        metrics=",".join(m.name for m in job.metrics),
        n_samples=job.n_samples,
        prompts=job.prompts,
        resume=False,
        isolate=False,
    )


def run_isolated(job: Job, config: RunConfig) -> dict[str, Any]:
    """The row of ``job`` computed in a worker process, or an error row if the worker died."""
    payload = json.dumps({"config": job_config(job, config).as_dict(), "config_id": job.config_id})
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="genbench-isolate-") as folder:
        reply = Path(folder) / "row.json"
        command = [sys.executable, "-m", "genbench.bench.isolate", str(reply)]
        worker = subprocess.Popen(command, stdin=subprocess.PIPE, text=True)
        assert worker.stdin is not None  # stdin=PIPE
        with worker.stdin:
            worker.stdin.write(payload)
        stalled = _wait(worker, reply.with_name("beat"), config.timeout)
        if reply.exists():
            row: dict[str, Any] = json.loads(reply.read_text())
            return row
    code = worker.returncode
    how = f"was killed by {signal.Signals(-code).name}" if code < 0 else f"exited with code {code}"
    why = f"the isolated worker process {how} before writing its result" + (
        " (out of memory?)" if code in (-9, 137) else ""
    )
    row = base_row(job, resolve_device(config.device), 1, config.batch_size)
    row.update(
        status="error",
        error=f"model {job.model.name!r} (plugin {job.model.plugin} {job.model.plugin_version}): "
        + (f"{timed_out(config.timeout)}; the isolated worker was killed" if stalled else why),
        wall_s=round(time.perf_counter() - start, 4),
    )
    return row


def _wait(worker: subprocess.Popen[str], beat: Path, timeout: float) -> bool:
    """Wait for the worker to end; kill it after ``timeout`` seconds without a beat (0:
    never). True when it was killed so."""
    started = time.time()
    while True:
        try:
            worker.wait(timeout=min(1.0, timeout / 4) if timeout > 0 else None)
            return False
        except subprocess.TimeoutExpired:
            try:
                last = beat.stat().st_mtime
            except FileNotFoundError:  # still starting up
                last = started + STARTUP_S
            if time.time() - last > timeout:
                worker.kill()
                worker.wait()
                return True


def main() -> None:
    """The worker: read the pinned configuration on stdin, benchmark, leave the row in REPLY."""
    from genbench.plugins import get_registry

    reply = Path(sys.argv[1])
    payload = json.loads(sys.stdin.read())
    config = RunConfig.from_dict(payload["config"])
    plan = make_plan(config, get_registry())
    jobs = [j for j in plan.jobs if j.config_id == payload["config_id"]]
    if not jobs:
        sys.exit(f"isolated worker: {config.models} resolved to another configuration")
    device, world = resolve_device(config.device), World()
    runner = JobRunner(
        device=device,
        batch_size=config.batch_size,
        world=world,
        out=Path(config.out),
        progress=config.progress,
        watchdog=Watchdog(0, heartbeat=reply.with_name("beat")),  # the parent keeps the time
    )
    row = runner.run(jobs[0], load_reference(jobs[0].group, jobs, device, world))
    assert row is not None  # a world of one is rank 0
    atomic_write(reply, row_json(row).encode())


if __name__ == "__main__":
    main()
