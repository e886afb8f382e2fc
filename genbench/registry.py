"""The registry: every model, dataset, feature extractor and metric, by name.

Each object is tagged with the distribution (and version) that registered it. Name
patterns follow timm's ``list_models``: fnmatch globs, plus ``family:NAME`` for models.
"""

from __future__ import annotations

import dataclasses
import fnmatch
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from genbench.errors import UnknownNameError
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

    def fail(self, phase: str, error: BaseException | str) -> None:
        message = error if isinstance(error, str) else f"{type(error).__name__}: {error}"
        self.errors.append({"phase": phase, "error": message})

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
    """Specs of one kind, by name, in registration order."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self._specs: dict[str, S] = {}

    def __contains__(self, name: object) -> bool:
        return name in self._specs

    def __iter__(self) -> Iterator[S]:
        return iter(self._specs.values())

    def __len__(self) -> int:
        return len(self._specs)

    def names(self) -> list[str]:
        return list(self._specs)

    def add(self, spec: S) -> None:
        self._specs[spec.name] = spec  # type: ignore[attr-defined]

    def get(self, name: str) -> S:
        try:
            return self._specs[name]
        except KeyError:
            raise UnknownNameError(self.kind.replace("_", "-"), name, self._specs) from None

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
                raise UnknownNameError(self.kind.replace("_", "-"), pattern, self._specs)
            chosen.update((s.name, s) for s in hits)  # type: ignore[attr-defined]
        return [s for name, s in self._specs.items() if name in chosen]


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
    """All registered objects, and a record of every plugin that was loaded."""

    def __init__(self) -> None:
        self.models: Catalog[ModelSpec] = Catalog("model")
        self.datasets: Catalog[Any] = Catalog("dataset")
        self.feature_extractors: Catalog[Any] = Catalog("feature_extractor")
        self.metrics: Catalog[Any] = Catalog("metric")
        self.plugins: dict[str, PluginRecord] = {}

    def catalog(self, kind: str) -> Catalog[Any]:
        return {
            "model": self.models,
            "dataset": self.datasets,
            "feature_extractor": self.feature_extractors,
            "metric": self.metrics,
        }[kind]

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
        catalog = self.catalog(kind)
        if spec.name in catalog:
            owner = catalog.get(spec.name).plugin
            plugin.fail(
                "register", f"{kind} name {spec.name!r} is already registered by {owner}; rename it"
            )
            return
        catalog.add(dataclasses.replace(spec, plugin=plugin.name, plugin_version=plugin.version))
        plugin.registered.setdefault(kind, []).append(spec.name)
