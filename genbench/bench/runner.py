"""``genbench run``: plan, then per model execute, write, report; in that order only.

The plan (``genbench.bench.plan``) resolves every option first. Each model's row is then
computed (``genbench.bench.execute``, or ``genbench.bench.isolate`` in its own process with
``--isolate``: a segfault or out-of-memory kill becomes an error row), stamped and written
here, atomically, the only place rows are written; the run's leaderboards are rewritten from
the rows on disk, so a run killed at any moment leaves valid files and ``--resume`` finishes
the rest. Last, a line reports the row.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from genbench.bench.config import RunConfig, resolve_device
from genbench.bench.execute import JobRunner, load_reference
from genbench.bench.isolate import run_isolated
from genbench.bench.leaderboard import write_tables
from genbench.bench.plan import Plan, make_plan
from genbench.bench.schema import timestamp
from genbench.bench.store import ResultStore, atomic_write
from genbench.bench.timing import STAGES, Stopwatch
from genbench.bench.watchdog import Watchdog
from genbench.distributed import World, init_world, rank_device, shutdown
from genbench.errors import GenbenchError


@dataclass
class RunSummary:
    """What a run did: the rows it computed, the models it resumed, and stage times."""

    out: Path
    rows: list[dict[str, Any]] = field(default_factory=list)
    resumed: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def failed(self) -> list[dict[str, Any]]:
        return [r for r in self.rows if r["status"] != "ok"]


def run(config: RunConfig, echo: Callable[[str], None] = print) -> RunSummary:
    """Run the benchmark described by ``config`` (on every rank under torchrun)."""
    start = time.perf_counter()
    watch = Stopwatch()
    device = resolve_device(config.device)
    world = init_world(device)
    try:
        device = rank_device(device, world)
        with watch("planning"):
            from genbench.plugins import get_registry

            registry = get_registry()
            plan = make_plan(config, registry)
        if world.size > 1 and config.isolate:
            raise GenbenchError(
                "--isolate runs models in subprocesses; do not combine it with torchrun"
            )
        if world.main:
            echo(plan.describe(config, device, world.size))
            _warn_broken_plugins(registry, echo)
        summary = _execute(config, plan, device, world, watch, echo)
        summary.seconds = {stage: round(watch.get(stage), 4) for stage in STAGES}
        summary.seconds["total"] = round(time.perf_counter() - start, 4)
        if world.main:
            atomic_write(
                summary.out / "timings.json", json.dumps(summary.seconds, indent=1).encode()
            )
        return summary
    finally:
        shutdown(world)


def _execute(
    config: RunConfig,
    plan: Plan,
    device: str,
    world: World,
    watch: Stopwatch,
    echo: Callable[[str], None],
) -> RunSummary:
    out = Path(config.out)
    store = ResultStore(out)
    summary = RunSummary(out=out)
    done = store.finished(j.config_id for j in plan.jobs) if config.resume and world.main else set()
    done = world.broadcast(done)
    runner = JobRunner(
        device=device,
        batch_size=config.batch_size,
        world=world,
        out=out,
        progress=config.progress,
        watchdog=Watchdog(config.timeout),
    )
    for jobs in plan.groups().values():
        todo = [j for j in jobs if j.config_id not in done]
        for job in (j for j in jobs if j.config_id in done):
            summary.resumed.append(job.model.name)
            if world.main:
                echo(f"  {job.model.name}: finished in an earlier run (--resume), skipped")
        if not todo:
            continue
        with watch("reference"):
            reference = load_reference(todo[0].group, todo, device, world)
        for job in todo:
            row = run_isolated(job, config) if config.isolate else runner.run(job, reference)
            if row is None:  # not rank 0
                continue
            for stage in ("load", "sampling", "features", "metrics"):
                watch.add(stage, row.get(f"{stage}_s") or 0.0)
            with watch("writing"):
                _write(row, store)
            summary.rows.append(row)
            echo(_line(row))
    return summary


def _write(row: dict[str, Any], store: ResultStore) -> None:
    """Stamp and store a finished row, then rewrite the leaderboard table it belongs to."""
    row["timestamp"] = timestamp()
    store.write(row)
    table = (row["dataset"], row["task"])
    mine = [r for r in store.rows() if (r["dataset"], r["task"]) == table]
    write_tables(mine, store.out / "leaderboards")


def _line(row: dict[str, Any]) -> str:
    if row["status"] != "ok":
        return f"  {row['model']}: ERROR {row['error']}"
    primary = row.get("primary_metric")
    value = row.get(primary) if primary else None
    shown = f"{primary} {value:.4g}" if isinstance(value, float) else ""
    low, high = row.get(f"{primary}_low"), row.get(f"{primary}_high")
    if shown and isinstance(low, float) and isinstance(high, float):
        shown += f" ({low:.4g}–{high:.4g})"
    spread = row.get(f"{primary}_seed_sd")
    if shown and isinstance(spread, float):
        shown += f", sd {spread:.3g} over seeds {row['seeds']}"
    speed = f"{row['images_per_s']:.1f} img/s" if row.get("images_per_s") else ""
    caution = "  (warnings: see the 'warnings' column)" if row.get("warnings") else ""
    return f"  {row['model']}: {shown}  {speed}  ({row['wall_s']:.1f} s){caution}"


def _warn_broken_plugins(registry: Any, echo: Callable[[str], None]) -> None:
    for record in registry.broken():
        echo(
            f"warning: plugin {record.describe_failure()}; what it registers may be missing "
            "from this run (see `genbench plugins`)"
        )
