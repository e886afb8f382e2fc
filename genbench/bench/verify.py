"""Re-checking published rows: rerun each row's recorded command and compare every value.

A published row says how to recompute it (its ``reproduce`` column). ``verify`` runs those
commands with this installation, then compares every metric and model value of the new
row with the published one.

Tolerance: a number has moved when ``|now - published| > RELATIVE * max(|now|,
|published|) + ABSOLUTE``. Numbers are bit-identical on one kind of CPU; across CPU kinds
the published rows reproduced with FID and KID within 7e-6 relative, IS within 1.2e-5 and
memorization within 1.1e-6, and precision, recall, density, coverage and accuracy
identical. ``RELATIVE = 1e-4`` leaves 8× room above the largest of those and still catches
the smallest real change, one sample of a row differing: that moves a fraction (precision,
recall, coverage, accuracy) by 1/n (2.8e-3 at 360 samples), and replacing one of the digits
oracle's 360 samples by another moved its FID by 4.5e-4 to 1.9e-2 relative (10 trials).
``ABSOLUTE`` only keeps values at zero (a replayed set's memorization) from failing on
rounding noise.
"""

from __future__ import annotations

import shlex
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from genbench.bench.columns import recorded
from genbench.bench.store import META_COLUMNS, ResultStore
from genbench.errors import GenbenchError, UnknownNameError

RELATIVE = 1e-4
ABSOLUTE = 1e-9

# Columns a leaderboard derives from all of its rows: a rerun of some rows cannot repeat them.
TABLE_COLUMNS = ("rank",)


@dataclass(frozen=True)
class _Published:
    """A published model as the registry's name patterns see it."""

    name: str
    family: str


@dataclass
class Outcome:
    """What rerunning one published row found."""

    model: str
    moved: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    compared: int = 0
    largest: tuple[float, str] = (0.0, "")

    @property
    def ok(self) -> bool:
        return not self.moved

    def describe(self) -> str:
        if self.moved:
            return f"{self.model}: MOVED " + "; ".join(self.moved)
        relative, name = self.largest
        change = f"largest change {relative:.1e} relative ({name})" if name else "all identical"
        return f"{self.model}: ok, {self.compared} values within tolerance, {change}"


def within(published: float, now: float) -> bool:
    """Whether ``now`` reproduces ``published`` (see the module's tolerance)."""
    return abs(now - published) <= RELATIVE * max(abs(now), abs(published)) + ABSOLUTE


def select(rows: list[dict[str, Any]], patterns: str, where: str) -> list[dict[str, Any]]:
    """The successful rows whose model matches ``patterns`` (as ``genbench run --models``)."""
    from genbench.registry import Catalog, PluginRecord

    catalog: Catalog[_Published] = Catalog("model")
    published = PluginRecord(name=where, version="published", module="", builtin=True)
    for row in rows:
        catalog.add(_Published(str(row["model"]), str(row.get("family") or "")), published)
    try:
        names = {spec.name for spec in catalog.select(patterns)}
    except UnknownNameError:
        raise GenbenchError(
            f"--models {patterns!r} matches no published row of {where} "
            f"(published: {', '.join(sorted(catalog.names()))})"
        ) from None
    return [row for row in rows if row["model"] in names and row.get("status") == "ok"]


def commands(rows: Iterable[dict[str, Any]]) -> dict[tuple[str, ...], list[str]]:
    """The ``genbench run`` arguments of the rows, without ``--models``: models whose rows
    were computed with the same options are rerun together."""
    groups: dict[tuple[str, ...], list[str]] = {}
    for row in rows:
        words = shlex.split(str(row.get("reproduce") or ""))
        if words[:2] != ["genbench", "run"] or "--models" not in words:
            raise GenbenchError(
                f"published row {row['model']!r} records no `genbench run` command "
                f"(reproduce: {row.get('reproduce')!r}); republish it with this genbench"
            )
        at = words.index("--models")
        options = tuple(words[2:at] + words[at + 2 :])
        groups.setdefault(options, []).append(str(row["model"]))
    return groups


def rerun(
    rows: list[dict[str, Any]], out: Path, echo: Callable[[str], None]
) -> dict[str, dict[str, Any]]:
    """Run the rows' recorded commands into ``out``; the new rows by model. A command that
    cannot start (a model no longer installed) is reported, and the others still run."""
    from genbench.cli.run import run as run_command

    for number, (options, models) in enumerate(commands(rows).items()):
        arguments = ["--models", ",".join(models), *options]
        echo(f"genbench run {shlex.join(arguments)}")
        arguments += ["--out", str(out / f"run{number}"), "--no-progress"]
        try:
            run_command.main(arguments, prog_name="genbench run", standalone_mode=False)
        except SystemExit:  # a model failed: its row says why
            pass
        except GenbenchError as error:
            echo(f"  could not rerun {', '.join(models)}: {error}")
    fresh: dict[str, dict[str, Any]] = {}
    for folder in sorted(out.glob("run*")):
        fresh.update((row["model"], row) for row in ResultStore(folder).rows())
    return fresh


def compare(published: dict[str, Any], now: dict[str, Any] | None) -> Outcome:
    """Every value of ``published`` beside metadata, against the rerun's ``now``."""
    outcome = Outcome(str(published["model"]))
    if now is None:
        outcome.moved.append("no new row (the rerun did not produce one; see above)")
        return outcome
    if now.get("status") != "ok":
        outcome.moved.append(f"the rerun failed: {now.get('error')}")
        return outcome
    if now.get("config_id") != published.get("config_id"):
        outcome.notes.append(
            f"configuration id {published.get('config_id')} → {now.get('config_id')}: "
            "something the id covers (weights, protocol, or the id's own definition) changed"
        )
    names = [
        c
        for c in published
        if c not in META_COLUMNS and c not in TABLE_COLUMNS and recorded(published[c])
    ]
    for name in names:
        before, after = published[name], now.get(name)
        if after is None or not recorded(after):
            outcome.moved.append(f"{name} {before} → missing")
            continue
        outcome.compared += 1
        if _number(before) and _number(after):
            a, b = float(before), float(after)
            if not within(a, b):
                relative = abs(b - a) / max(abs(a), abs(b))
                outcome.moved.append(f"{name} {a:.6g} → {b:.6g} ({relative:.1e} relative)")
            elif a != b:
                relative = abs(b - a) / max(abs(a), abs(b))
                outcome.largest = max(outcome.largest, (relative, name))
        elif str(before) != str(after):
            outcome.moved.append(f"{name} {before!r} → {after!r}")
    added = [c for c in now if c not in META_COLUMNS and c not in published and recorded(now[c])]
    if added:
        outcome.notes.append(f"new column(s) not in the published row: {', '.join(added)}")
    return outcome


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)
