"""Plugin loading: built-in modules first, then entry points in group ``genbench``.

Each plugin is isolated: one that fails to import, raises inside a hook or registers
something invalid is recorded and everything else still loads (``GENBENCH_STRICT=1``
re-raises instead, for plugin developers). ``GENBENCH_LOAD_PLUGINS`` (comma list of
distribution or entry-point names; empty means none) selects third-party plugins.
"""

from __future__ import annotations

import functools
import importlib
import os
from collections.abc import Callable
from importlib import metadata
from types import ModuleType
from typing import Any

import pluggy

from genbench import hookspecs
from genbench.errors import PluginError
from genbench.registry import PluginRecord, Registry
from genbench.version import __version__

ENTRY_POINT_GROUP = "genbench"

# The core's own datasets, feature extractors and metrics use the same hooks as plugins.
BUILTIN_PLUGINS = (
    "genbench.data.plugin",
    "genbench.features.plugin",
    "genbench.metrics.plugin",
)

REGISTER_HOOKS = {
    "genbench_register_models": "model",
    "genbench_register_datasets": "dataset",
    "genbench_register_feature_extractors": "feature_extractor",
    "genbench_register_metrics": "metric",
}

_registry: Registry | None = None
_modules: list[tuple[PluginRecord, ModuleType]] = []


def strict() -> bool:
    return os.environ.get("GENBENCH_STRICT", "") not in ("", "0")


def _selected(ep: metadata.EntryPoint) -> bool:
    wanted = os.environ.get("GENBENCH_LOAD_PLUGINS")
    if wanted is None:
        return True
    names = {n.strip() for n in wanted.split(",") if n.strip()}
    dist = ep.dist.name if ep.dist else ""
    return bool(names & {ep.name, dist})


def _fail(record: PluginRecord, phase: str, error: BaseException) -> None:
    record.fail(phase, error)
    if strict():
        raise PluginError(f'Error in plugin "{record.name}" ({phase}): {error}') from error


def _import(record: PluginRecord, load: Callable[[], Any]) -> ModuleType | None:
    try:
        module: ModuleType = load()
        return module
    except Exception as error:  # any failure of third-party code is recorded, not fatal
        _fail(record, "import", error)
        return None


def plugin_manager() -> pluggy.PluginManager:
    manager = pluggy.PluginManager("genbench")
    manager.add_hookspecs(hookspecs)
    return manager


def _discover() -> list[tuple[PluginRecord, ModuleType | None]]:
    found: list[tuple[PluginRecord, ModuleType | None]] = []
    for name in BUILTIN_PLUGINS:
        record = PluginRecord("genbench", __version__, name, builtin=True)
        module = _import(record, functools.partial(importlib.import_module, name))
        if module is not None:
            found.append((record, module))
    for ep in sorted(metadata.entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name):
        if not _selected(ep):
            continue
        dist = ep.dist.name if ep.dist else ep.name
        version = ep.dist.version if ep.dist else "unknown"
        record = PluginRecord(dist, version, ep.value)
        module = _import(record, ep.load)
        found.append((record, module))  # None marks a failed import
    return found


def _call(record: PluginRecord, hook: Callable[..., Any], phase: str, **kwargs: Any) -> None:
    try:
        hook(**kwargs)
    except Exception as error:
        _fail(record, phase, error)


def load_registry() -> Registry:
    """Discover plugins and collect everything they register (a fresh registry)."""
    registry = Registry()
    manager = plugin_manager()
    modules = _discover()
    for record, module in modules:
        registry.plugins.setdefault(record.module if record.builtin else record.name, record)
        if module is None:
            continue
        try:
            manager.register(module, name=record.module)
        except Exception as error:  # pluggy validates hook names and signatures
            _fail(record, "register", error)
            continue
        known = (*REGISTER_HOOKS, "genbench_register_commands")
        unknown = [
            n
            for n in dir(module)
            if hasattr(getattr(module, n), "genbench_impl") and n not in known
        ]
        if unknown:
            _fail(
                record,
                "register",
                PluginError(
                    f"unknown hook(s) {', '.join(unknown)}; the hooks are {', '.join(known)}"
                ),
            )
        record.hooks = [h for h in known if hasattr(module, h)]
        for hook_name, kind in REGISTER_HOOKS.items():
            hook = getattr(module, hook_name, None)
            if hook is None:
                continue

            def register(spec: Any, kind: str = kind, record: PluginRecord = record) -> None:
                registry.add(kind, spec, record)

            _call(record, hook, hook_name, register=register)
    global _modules
    _modules = [(r, m) for r, m in modules if m is not None]
    return registry


def get_registry() -> Registry:
    """The registry of this process, loaded on first use."""
    global _registry
    if _registry is None:
        _registry = load_registry()
    return _registry


def reset_registry() -> None:
    """Forget the loaded registry (tests, or after installing a plugin)."""
    global _registry
    _registry = None


def add_plugin_commands(cli: Any) -> None:
    """Let each plugin add CLI commands through ``genbench_register_commands``."""
    get_registry()  # loads the plugin modules once
    for record, module in _modules:
        hook = getattr(module, "genbench_register_commands", None)
        if hook is not None and record.status == "ok":
            _call(record, hook, "genbench_register_commands", cli=cli)
