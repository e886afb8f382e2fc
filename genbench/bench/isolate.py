"""``--isolate``: each model in its own Python process.

The parent sends the worker (``python -m genbench.bench.isolate``) a run configuration
pinned to one job; the worker benchmarks it and writes the row itself. If the worker dies
(segfault, out-of-memory kill, ``os._exit``) before writing, the parent writes an error
row saying how it ended. Reference features come from the cache the parent warmed.
"""

from __future__ import annotations

import dataclasses
import json
import signal
import subprocess
import sys
import time
from typing import Any

from genbench.bench.config import RunConfig, resolve_device
from genbench.bench.plan import Job
from genbench.bench.store import ResultStore


def job_config(job: Job, config: RunConfig) -> RunConfig:
    """``config`` narrowed to ``job``, every default made explicit (same configuration id)."""
    return dataclasses.replace(
        config,
        models=job.model.name,
        exclude="",
        dataset=job.group.dataset.name,
        features=job.group.features.name,
        resize=job.group.resize,
        metrics=",".join(m.name for m in job.metrics),
        n_samples=job.n_samples,
        prompts=job.prompts,
        resume=False,
        isolate=False,
    )


def run_isolated(job: Job, config: RunConfig, store: ResultStore) -> dict[str, Any]:
    """Run ``job`` in a worker process; its row, or an error row if the worker died."""
    from genbench.bench.execute import base_row

    payload = json.dumps({"config": job_config(job, config).as_dict(), "config_id": job.config_id})
    start = time.time()
    code = subprocess.run(
        [sys.executable, "-m", "genbench.bench.isolate"], input=payload, text=True
    ).returncode
    path = store.path(job.model.name, job.config_id)
    if path.exists() and path.stat().st_mtime >= start:
        row = store.read(job.model.name, job.config_id)
        assert row is not None
        return row
    how = f"was killed by {signal.Signals(-code).name}" if code < 0 else f"exited with code {code}"
    row = base_row(job, resolve_device(config.device), 1, config.batch_size)
    row.update(
        status="error",
        error=f"model {job.model.name!r} (plugin {job.model.plugin} {job.model.plugin_version}): "
        f"the isolated worker process {how} before writing its result"
        + (" (out of memory?)" if code in (-9, 137) else ""),
        wall_s=round(time.time() - start, 4),
        timestamp=time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime()),
    )
    store.write(row)
    return row


def main() -> None:
    """The worker: read the pinned configuration on stdin, benchmark, write the row."""
    from genbench.bench.plan import make_plan
    from genbench.bench.runner import run_one
    from genbench.plugins import get_registry

    payload = json.loads(sys.stdin.read())
    config = RunConfig.from_dict(payload["config"])
    plan = make_plan(config, get_registry())
    jobs = [j for j in plan.jobs if j.config_id == payload["config_id"]]
    if not jobs:
        sys.exit(f"isolated worker: {config.models} resolved to another configuration")
    run_one(jobs[0], config)


if __name__ == "__main__":
    main()
