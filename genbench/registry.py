"""The registry: every model, dataset, feature extractor and metric, by name.

Each object is tagged with the distribution (and version) that registered it. Name
patterns follow timm's ``list_models``: fnmatch globs, plus ``family:NAME`` for models.

A name is never decided by load order: when two third-party plugins register the same
name, genbench uses neither (the name is *refused*, and both plugins are marked failed,
each error naming the other), so installing a plugin cannot silently change which code a
name runs. The core's own names (``fid``, ``digits``, ...) always stay the core's.
"""

from __future__ import annotations

import dataclasses
import fnmatch
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from genbench.errors import GenbenchError, UnknownNameError
from genbench.spec import SPEC_KINDS, ModelSpec

S = TypeVar("S")


@dataclass
class PluginRecord:
    """What loading one plugin did: its hooks, what it registered, what went wrong."""

    name: str
    version: str
    module: str
    builtin: bool = False
    hooks: list[str] = field(default_factory=list)
    registered: dict[str, list[str]] = field(default_factory=dict)
    errors: list[dict[str, str]] = field(default_factory=list)

    @property
    def status(self) -> str:
        return "error" if self.errors else "ok"

    @property
    def label(self) -> str:
        """The plugin as errors name it: distribution and version."""
        return f"{self.name} {self.version}"

    def fail(self, phase: str, error: BaseException | str) -> None:
        message = error if isinstance(error, str) else f"{type(error).__name__}: {error}"
        self.errors.append({"phase": phase, "error": message})

    def describe_failure(self) -> str:
        """The plugin and its first error, on one line."""
        first = self.errors[0]
        return f"{self.name} ({first['phase']}: {first['error']})"

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "version": self.version,
            "module": self.module,
            "builtin": self.builtin,
            "hooks": self.hooks,
            "registered": self.registered,
            "status": self.status,
            "errors": self.errors,
        }


class Catalog(Generic[S]):
    """Specs of one kind, by name, in registration order, and the names refused."""

    def __init__(self, kind: str, plugins: dict[str, PluginRecord] | None = None) -> None:
        self.kind = kind
        self._specs: dict[str, S] = {}
        self._owners: dict[str, PluginRecord] = {}
        self.refused: dict[str, str] = {}  # name -> which plugins registered it
        # the registry's plugin records: a missing name may be a failed plugin's
        self._plugins = plugins if plugins is not None else {}

    def __contains__(self, name: object) -> bool:
        return name in self._specs

    def __iter__(self) -> Iterator[S]:
        return iter(self._specs.values())

    def __len__(self) -> int:
        return len(self._specs)

    @property
    def label(self) -> str:
        return self.kind.replace("_", "-")

    def names(self) -> list[str]:
        return list(self._specs)

    def add(self, spec: S, plugin: PluginRecord) -> None:
        """Store ``spec`` for ``plugin``, or refuse it (see the module doc)."""
        name: str = spec.name  # type: ignore[attr-defined]
        owner = self._owners.get(name)
        if name in self.refused:
            self.refused[name] += f", and by {plugin.label}"
            plugin.fail("register", f"{self.label} name {name!r} is refused: {self.refused[name]}")
            return
        if owner is plugin:
            plugin.fail("register", f"registered {self.label} {name!r} twice; register it once")
            return
        if owner is not None and owner.builtin:
            plugin.fail(
                "register", f"{self.label} name {name!r} belongs to genbench itself; rename yours"
            )
            return
        if owner is not None:
            self.refused[name] = f"registered by both {owner.label} and {plugin.label}"
            message = (
                f"{self.label} name {name!r} is registered by both {owner.label} and "
                f"{plugin.label}, so genbench uses neither: uninstall one of them, or ask its "
                "author to rename it"
            )
            for record in (owner, plugin):
                record.fail("register", message)
            del self._specs[name], self._owners[name]
            owner.registered[self.kind].remove(name)
            return
        self._specs[name] = spec
        self._owners[name] = plugin
        plugin.registered.setdefault(self.kind, []).append(name)

    def get(self, name: str) -> S:
        try:
            return self._specs[name]
        except KeyError:
            raise self._missing(name) from None

    def select(
        self, patterns: str | Iterable[str] = "all", exclude: str | Iterable[str] = ()
    ) -> list[S]:
        """Specs matching any pattern and no exclusion; a pattern matching nothing is an error."""
        chosen = self._match(_split(patterns), strict=True)
        dropped = {id(s) for s in self._match(_split(exclude), strict=False)}
        return [s for s in chosen if id(s) not in dropped]

    def _match(self, patterns: list[str], *, strict: bool) -> list[S]:
        chosen: dict[str, S] = {}
        for pattern in patterns:
            hits = [s for s in self._specs.values() if _matches(s, pattern)]
            if strict and not hits and pattern != "all":
                raise self._missing(pattern)
            chosen.update((s.name, s) for s in hits)  # type: ignore[attr-defined]
        return [s for name, s in self._specs.items() if name in chosen]

    def _missing(self, pattern: str) -> GenbenchError:
        """Why nothing matches ``pattern``: a refused name, or no such name (naming the
        plugins that failed, whose names may be the ones missing)."""
        refused = [n for n in self.refused if fnmatch.fnmatchcase(n, pattern)]
        if refused:
            return GenbenchError(
                "; ".join(
                    f"{self.label} {n!r} is refused: {self.refused[n]}, so genbench uses "
                    "neither (uninstall one of them; see `genbench plugins`)"
                    for n in refused
                )
            )
        broken = [r.describe_failure() for r in self._plugins.values() if r.status == "error"]
        return UnknownNameError(self.label, pattern, self._specs, broken)


def _split(patterns: str | Iterable[str]) -> list[str]:
    items = patterns.split(",") if isinstance(patterns, str) else list(patterns)
    return [p.strip() for p in items if p.strip()]


def _matches(spec: Any, pattern: str) -> bool:
    if pattern == "all":
        return True
    if pattern.startswith("family:"):
        return fnmatch.fnmatchcase(getattr(spec, "family", ""), pattern.split(":", 1)[1])
    return fnmatch.fnmatchcase(spec.name, pattern)


class Registry:
    """All registered objects, a record of every plugin that was loaded, and the plugin
    manager that loaded them (None for a registry filled by hand, as tests do)."""

    def __init__(self, manager: Any = None) -> None:
        self.manager = manager
        self.plugins: dict[str, PluginRecord] = {}
        self.models: Catalog[ModelSpec] = Catalog("model", self.plugins)
        self.datasets: Catalog[Any] = Catalog("dataset", self.plugins)
        self.feature_extractors: Catalog[Any] = Catalog("feature_extractor", self.plugins)
        self.metrics: Catalog[Any] = Catalog("metric", self.plugins)

    def catalog(self, kind: str) -> Catalog[Any]:
        return {
            "model": self.models,
            "dataset": self.datasets,
            "feature_extractor": self.feature_extractors,
            "metric": self.metrics,
        }[kind]

    def broken(self) -> list[PluginRecord]:
        """The plugins that failed to import or to register something."""
        return [r for r in self.plugins.values() if r.status == "error"]

    def add(self, kind: str, spec: Any, plugin: PluginRecord) -> None:
        """Validate, tag and store one spec; a problem is recorded on ``plugin``."""
        expected = SPEC_KINDS[kind]
        if not isinstance(spec, expected):
            plugin.fail(
                "register",
                f"registered a {type(spec).__name__} as a {kind};"
                f" expected genbench.{expected.__name__}",
            )
            return
        tagged = dataclasses.replace(spec, plugin=plugin.name, plugin_version=plugin.version)
        self.catalog(kind).add(tagged, plugin)
